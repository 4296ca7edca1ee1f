"""`communs bascarbone compute | factors` (engine only, called in-process with call_command)."""

import json

import pytest
from django.core.management import call_command

from tests.bascarbone.paths import DATA

ACTIVITIES = str(DATA / "activites_acceptation.csv")


def _run(capsys, *args):
    call_command("bascarbone", *args)
    return json.loads(capsys.readouterr().out)


def test_compute_acceptance_case(capsys):
    body = _run(capsys, "compute", ACTIVITIES, "--json")
    # 3.160 + 0.520 = 3.680 t ± sqrt(0.158² + 0.052²) = 0.166 t.
    assert body["total_tco2e"] == pytest.approx(3.68)
    assert round(body["uncertainty_tco2e"], 3) == 0.166
    assert body["posts"] == {"1.2": pytest.approx(3.16), "2.1": pytest.approx(0.52)}
    assert body["categories"]["1"] == pytest.approx(3.16)
    assert body["entities"]["prefecture-35"]["total_tco2e"] == pytest.approx(3.68)
    assert body["gwp_set"] == "AR5"
    assert body["factor_version"] == "starter-2026.1"
    assert body["co2b_t"] == pytest.approx(0.15)  # reported apart, not in the 3.68 t


def test_compute_with_monte_carlo(capsys):
    body = _run(capsys, "compute", ACTIVITIES, "--monte-carlo", "20000", "--json")
    assert body["monte_carlo"]["uncertainty_tco2e"] == pytest.approx(0.1663, rel=0.02)
    assert body["monte_carlo"]["draws"] == 20000


def test_compute_with_tree_and_base_empreinte(capsys, tmp_path):
    activities = tmp_path / "activites.csv"
    activities.write_text(
        "entity,post,factor_id,quantity,unit\nddtm-35,1.2,14015,1000,L\nprefecture-35,2.1,15591,10000,kWh\n",
        encoding="utf-8",
    )
    body = _run(
        capsys,
        "compute",
        str(activities),
        "--factors",
        str(DATA / "base_empreinte_extrait_pointvirgule_latin1.csv"),
        "--entities",
        str(DATA / "arborescence.csv"),
        "--json",
    )
    # DDTM reached twice under region-53: counted once, 3.16 + 0.52 = 3.68 t.
    assert body["entities"]["region-53"]["total_tco2e"] == pytest.approx(3.68)
    assert body["entities"]["etat"]["total_tco2e"] == pytest.approx(3.68)
    assert body["entities"]["ddtm-35"]["total_tco2e"] == pytest.approx(3.16)
    assert body["factor_version"] == "base_empreinte_extrait_pointvirgule_latin1.csv"


def test_compute_refrigerant_with_gwp_set(capsys, tmp_path):
    activities = tmp_path / "clim.csv"
    activities.write_text("post,factor_id,quantity,unit\n1.4,r410a,2,kg\n", encoding="utf-8")
    body = _run(capsys, "compute", str(activities), "--json")
    assert body["posts"]["1.4"] == pytest.approx(3.848)  # 2 kg × 1924
    assert _run(capsys, "compute", str(activities), "--gwp", "AR4", "--json")["posts"]["1.4"] == pytest.approx(4.176)


def test_compute_bad_unit_names_file_line_and_field(capsys, tmp_path):
    activities = tmp_path / "mauvais.csv"
    activities.write_text("post,factor_id,quantity,unit\n2.1,electricite-france,5,kWh\n1.2,gazole-routier,3,kWh\n")
    with pytest.raises(SystemExit) as exit_info:
        call_command("bascarbone", "compute", str(activities), "--json")
    assert exit_info.value.code == 1
    err = "".join(capsys.readouterr().err.split())  # rich wraps long lines anywhere
    assert "mauvais.csv" in err
    assert "ligne3" in err
    assert "«unit»" in err


def test_compute_unreadable_quantity_is_reported(capsys, tmp_path):
    activities = tmp_path / "a.csv"
    activities.write_text("post,factor_id,quantity,unit\n1.2,gazole-routier,douze,L\n")
    with pytest.raises(SystemExit):
        call_command("bascarbone", "compute", str(activities), "--json")
    assert "ligne2" in "".join(capsys.readouterr().err.split())


def test_compute_missing_file(capsys, tmp_path):
    with pytest.raises(SystemExit) as exit_info:
        call_command("bascarbone", "compute", str(tmp_path / "absent.csv"), "--json")
    assert exit_info.value.code == 1
    assert "absent.csv" in "".join(capsys.readouterr().err.split())


def test_factors_lists_the_starter_set(capsys):
    body = _run(capsys, "factors", "--json")
    assert body["version"] == "starter-2026.1"
    assert {row["id"] for row in body["factors"]} >= {"gazole-routier", "electricite-france", "r410a"}


@pytest.mark.django_db
def test_import_factors_creates_a_version(capsys):
    body = _run(
        capsys, "import-factors", str(DATA / "base_empreinte_extrait_virgule_utf8.csv"), "--release", "v23.4", "--json"
    )
    assert body == {"version": "v23.4", "factors": 5}
    with pytest.raises(SystemExit) as exit_info:
        call_command(
            "bascarbone", "import-factors", str(DATA / "base_empreinte_extrait_virgule_utf8.csv"), "--release", "v23.4"
        )
    assert exit_info.value.code == 1
    assert "v23.4" in "".join(capsys.readouterr().err.split())


def test_compute_with_normal_factor_distribution(capsys):
    body = _run(capsys, "compute", ACTIVITIES, "--monte-carlo", "20000", "--distribution", "normal", "--json")
    # Normal factors: the same ± 0.166 t within 2 %.
    assert body["monte_carlo"]["uncertainty_tco2e"] == pytest.approx(0.1663, rel=0.02)
    with pytest.raises(SystemExit):
        call_command("bascarbone", "compute", ACTIVITIES, "--monte-carlo", "10", "--distribution", "uniforme")
