"""`communs territoires load | contours | search` (called in-process with call_command)."""

import json

import pytest
from django.core.management import call_command

from communs.territoires.models import Contour
from tests.territoires.contour_files import MINI

pytestmark = pytest.mark.usefixtures("territoires_reference")


def test_load_json_prints_counts(capsys):
    call_command("territoires", "load", "--json")
    body = json.loads(capsys.readouterr().out)
    assert body["communes"] == {"created": 0, "updated": 0, "unchanged": 35014, "obsolete": 0}
    assert body["source"]["licence"] == "MIT"


def test_search_json(capsys):
    call_command("territoires", "search", "saint etienne", "--json", "--limit", "3")
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["code"] == "42218"
    assert len(rows) == 3


def test_search_without_result_exits_2(capsys):
    with pytest.raises(SystemExit) as exit_info:
        call_command("territoires", "search", "zzzzzz")
    assert exit_info.value.code == 2
    assert "zzzzzz" in capsys.readouterr().err


def test_contours(capsys):
    call_command("territoires", "contours", str(MINI), "--level", "commune", "--json")
    body = json.loads(capsys.readouterr().out)
    assert (body["imported"], body["code_property"]) == (2, "INSEE_COM")
    assert Contour.objects.count() == 2


def test_contours_error_names_file_and_field(capsys, tmp_path):
    with pytest.raises(SystemExit) as exit_info:
        call_command("territoires", "contours", str(MINI), "--code-property", "CODE_X")
    assert exit_info.value.code == 1
    err = capsys.readouterr().err.replace("\n", "")
    assert "contours-mini.geojson" in err
    assert "CODE_X" in err


def test_contours_unknown_level(capsys):
    with pytest.raises(SystemExit) as exit_info:
        call_command("territoires", "contours", str(MINI), "--level", "canton")
    assert exit_info.value.code == 1


def test_load_bad_file(capsys, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("[]", encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        call_command("territoires", "load", "--file", str(bad), "--json")
    assert exit_info.value.code == 1
    assert "bad.json" in capsys.readouterr().err
