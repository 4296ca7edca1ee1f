"""`communs pilote compute` is engine-only: it runs without touching the database."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command

DATA = Path(__file__).parent / "data"


def run_compute(capsys, *extra):
    call_command(
        "pilote",
        "compute",
        "--indicators",
        str(DATA / "indicators.csv"),
        "--values",
        str(DATA / "values.csv"),
        "--date",
        "2026-06-30",
        "--json",
        *extra,
    )
    return json.loads(capsys.readouterr().out)


def test_compute_json_progress_rates(capsys):
    body = run_compute(capsys)
    rates = {(r["indicator"], r["territory"]): (r["ta"], r["ta_unbounded"]) for r in body["indicators"]}
    # logements, increasing, VI 20, VC 120, VA 70 → 100·50/100 = 50
    assert rates[("logements", "DEPT-35")] == (50.0, 50.0)
    # passoires, decreasing, VI 100, VC 50, VA 80 → 100·(−20)/(−50) = 40
    assert rates[("passoires", "DEPT-35")] == (40.0, 40.0)
    # passoires in 22: VA 110 → 100·10/(−50) = −20, bounded 0
    assert rates[("passoires", "DEPT-22")] == (0.0, -20.0)
    # Bretagne, sum of the 4 départements: VI 80, VC 480, VA 70+80+90+100 = 340 → 100·260/400 = 65
    assert rates[("logements", "REG-53")] == (65.0, 65.0)


def test_compute_json_chantiers_and_alerts(capsys):
    body = run_compute(capsys)
    chantiers = {(r["chantier"], r["territory"]): r["ta"] for r in body["chantiers"]}
    # 35: (50·50 + 50·40) / 100 = 45
    assert chantiers[("renovation", "DEPT-35")] == 45.0
    # the nation lacks 97 départements: not computable
    assert chantiers[("renovation", "NAT-FR")] is None
    alerts = {(a["kind"], a["indicator"], a["territory"]) for a in body["alerts"]}
    # logements: départements 50/60/70/80, median 65; 35 is 15 below → gap alert
    assert ("ecart_mediane", "logements", "DEPT-35") in alerts
    assert ("ecart_mediane", "logements", "DEPT-29") not in alerts  # 70 − 65 = +5
    assert ("ta_non_calculable", None, "NAT-FR") in alerts
    assert set(body["alerts"][0]) == {"kind", "chantier", "indicator", "territory"}


def test_compute_with_meteo_file(capsys, tmp_path):
    meteo = tmp_path / "meteo.csv"
    meteo.write_text("chantier,territory\nrenovation,DEPT-35\n", encoding="utf-8")
    body = run_compute(capsys, "--meteo", str(meteo))
    missing = {a["territory"] for a in body["alerts"] if a["kind"] == "meteo_manquante"}
    assert "DEPT-35" not in missing
    assert {"DEPT-22", "DEPT-29", "DEPT-56"} <= missing


def test_compute_bad_value_names_file_line_and_field(capsys, tmp_path):
    bad = tmp_path / "values.csv"
    bad.write_text(
        "indicator,territory,date,metric,value\nlogements,DEPT-35,2026-01-01,vi,20\nlogements,DEPT-35,2026-13-01,va,3\n",
        encoding="utf-8",
    )
    with pytest.raises(SystemExit) as exit_info:
        call_command("pilote", "compute", "--indicators", str(DATA / "indicators.csv"), "--values", str(bad), "--json")
    assert exit_info.value.code == 1
    err = "".join(capsys.readouterr().err.split())  # rich wraps long lines anywhere, even inside the path
    assert "values.csv" in err
    assert "ligne3" in err
    assert "champ«date»" in err


def test_compute_bad_indicator_direction(capsys, tmp_path):
    bad = tmp_path / "indicators.csv"
    bad.write_text(
        "id,chantier,direction,weight_nat,weight_reg,weight_dept,aggregation\nx,c,montee,1,1,1,sum\n", encoding="utf-8"
    )
    with pytest.raises(SystemExit):
        call_command("pilote", "compute", "--indicators", str(bad), "--values", str(DATA / "values.csv"))
    assert "direction" in "".join(capsys.readouterr().err.split())


def test_alert_kinds(capsys):
    call_command("pilote", "alertes", "--json")
    body = json.loads(capsys.readouterr().out)
    assert len(body["alerts"]) == 6
    assert body["gap_threshold"] == -10.0


def test_recompute_and_export(capsys, catalogue, tmp_path):
    from datetime import date

    from communs.pilote import services

    agent = catalogue["central_agent"]
    services.save_value(agent, catalogue["local"], "DEPT-35", date(2026, 1, 1), "vi", 20)
    services.save_value(agent, catalogue["local"], "DEPT-35", date(2027, 12, 31), "vc", 120)
    services.save_value(agent, catalogue["local"], "DEPT-35", date(2026, 5, 31), "va", 70)
    call_command("pilote", "recompute", "--date", "2026-06-30", "--json")
    body = json.loads(capsys.readouterr().out)
    assert body["chantiers"] == 2
    call_command("pilote", "export", str(tmp_path / "od"), "--json")
    files = json.loads(capsys.readouterr().out)
    assert (tmp_path / "od" / "pilote-indicateurs.parquet").read_bytes()[:4] == b"PAR1"
    assert "logements" in (tmp_path / "od" / "pilote-indicateurs.csv").read_text(encoding="utf-8")
    assert set(files) == {"csv", "parquet", "metadata"}
    with pytest.raises(SystemExit) as exit_info:
        call_command("pilote", "recompute", "--chantier", "inconnu")
    assert exit_info.value.code == 2


def test_consistency_issue_is_stored(catalogue):
    from datetime import date

    from communs.pilote import services
    from communs.pilote.models import ConsistencyIssue
    from communs.pilote.territories import axis

    agent = catalogue["central_agent"]
    for code in axis().codes[axis().dept_slice]:
        services._set_value(agent, catalogue["local"], code, date(2026, 5, 31), "va", 1.0, origin="test")
    services._set_value(agent, catalogue["local"], "REG-53", date(2026, 5, 31), "va", 5.0, origin="test")
    services.recompute_chantier(catalogue["chantier"], date(2026, 6, 30))
    # Bretagne: 4 départements × 1 = 4, entered 5 → one issue
    issue = ConsistencyIssue.objects.get()
    assert (issue.territory, issue.entered, issue.computed, issue.period) == ("REG-53", 5.0, 4.0, "2026-05")
