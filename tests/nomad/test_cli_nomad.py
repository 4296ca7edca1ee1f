"""`communs nomad …`: the JSON keys and exit codes of issue 16 are a contract."""

import json
import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.nomad.conftest import SPACES, tuesday_after


def run(capsys, *args):
    """Run a verb in-process → (exit code, parsed JSON stdout or None)."""
    try:
        call_command("nomad", *args)
        code = 0
    except SystemExit as exc:
        code = exc.code
    out = capsys.readouterr().out
    return code, (json.loads(out) if out.strip() else None)


def test_import_spaces_json_and_idempotent(db, make_user, tmp_path, capsys):
    make_user("owner")
    path = tmp_path / "espaces.csv"
    path.write_text(SPACES + "Site test,Bâtiment A,Étage 1,Équipe achats,bureau,A1-99,,\n", encoding="utf-8")
    code, body = run(capsys, "import-spaces", str(path), "--json")
    assert code == 0
    assert set(body) == {"desks", "created", "updated", "rejected"}
    assert (body["desks"], body["created"], body["updated"]) == (5, 5, 0)
    assert body["rejected"] == [
        {"line": 7, "field": "zone_kind", "message": "« bureau » : attendu equipe ou coworking"}
    ]
    code, body = run(capsys, "import-spaces", str(path), "--json")
    assert (code, body["created"], body["updated"]) == (0, 0, 0)
    bad = tmp_path / "bad.csv"
    bad.write_text("site,desk\n", encoding="utf-8")
    assert run(capsys, "import-spaces", str(bad), "--json")[0] == 1


def test_declare_availability_book_exit_codes(nomad, capsys):
    first = tuesday_after(timezone.localdate())
    third = first + timedelta(weeks=2)
    code, body = run(
        capsys,
        "declare", "--user", "owner", "--kind", "teletravail", "--start", first.isoformat(),
        "--rrule", "FREQ=WEEKLY;BYDAY=TU;COUNT=4", "--exdate", third.isoformat(), "--json",
    )  # fmt: skip
    assert code == 0 and set(body) == {"id", "dates"}
    assert body["dates"] == [(first + timedelta(weeks=n)).isoformat() for n in (0, 1, 3)]
    code, rows = run(
        capsys, "availability", "--desk", "A1-01", "--from", first.isoformat(), "--to", third.isoformat(), "--json"
    )
    assert code == 0 and all(set(row) == {"date", "bookable", "reason"} for row in rows)
    assert [row["date"] for row in rows if row["bookable"]] == [
        first.isoformat(),
        (first + timedelta(weeks=1)).isoformat(),
    ]
    # Beyond the cap: 3 telework days already that week, a 4th is refused with exit 1.
    monday = first - timedelta(days=1)
    assert run(capsys, "declare", "--user", "alice", "--kind", "teletravail", "--start", monday.isoformat(),
               "--rrule", "FREQ=DAILY;COUNT=3", "--json")[0] == 0  # fmt: skip
    assert run(capsys, "declare", "--user", "alice", "--kind", "teletravail",
               "--start", (monday + timedelta(days=3)).isoformat(), "--json")[0] == 1  # fmt: skip
    code, body = run(capsys, "book", "--user", "bob", "--desk", "A1-01", "--date", first.isoformat(), "--json")
    assert code == 0 and set(body) == {"booking"}
    wednesday = (first + timedelta(days=1)).isoformat()
    assert run(capsys, "book", "--user", "bob", "--desk", "A1-01", "--date", wednesday, "--json")[0] == 1
    assert run(capsys, "book", "--user", "manager", "--desk", "A1-01", "--date", first.isoformat(), "--json")[0] == 3
    assert run(capsys, "book", "--user", "bob", "--desk", "A1-02", "--date", first.isoformat(), "--json")[0] == 3
    assert run(capsys, "book", "--user", "nobody", "--desk", "A1-02", "--date", first.isoformat(), "--json")[0] == 2


@pytest.mark.django_db(transaction=True)
def test_the_communs_executable_exits_3_when_taken(nomad, tmp_path):
    """The real `communs` process on a file copy of the test database (SQLite) or the test database (PostgreSQL)."""
    from communs.nomad import services
    from communs.nomad.models import Desk
    from tests.nomad.test_concurrency_nomad import _cli_database

    day = tuesday_after(timezone.localdate())
    services.book(nomad["alice"], Desk.objects.get(code="B0-01"), day)
    url, _ = _cli_database(tmp_path)
    env = os.environ | {"DATABASE_URL": url, "COMMUNS_ENV": "test"}
    command = [sys.executable, "-m", "communs", "nomad", "book", "--user", "bob", "--desk", "B0-01"]
    command += ["--date", day.isoformat(), "--json"]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)  # noqa: S603
    assert result.returncode == 3, result.stderr[-1000:]
    assert "déjà réservé" in result.stderr and result.stdout == ""
