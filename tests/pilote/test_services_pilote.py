"""Entry, import, history, audit, proposals and scopes (services layer)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from communs.core.models import AuditEvent
from communs.pilote import services
from communs.pilote.models import (
    AlertRecord,
    ChantierResult,
    ImportBatch,
    IndicatorResult,
    Notification,
    Proposal,
    Value,
    ValueHistory,
)

GOOD_AND_BAD = (
    "indicator,territory,date,metric,value\n"
    "logements,DEPT-35,2026-01-01,vi,20\n"
    "logements,DEPT-35,2027-12-31,vc,120\n"
    "logements,DEPT-35,2026-05-31,va,abc\n"  # line 4: bad value
    "logements,DEPT-35,2026-05-31,va,70\n"
)


def test_all_or_nothing_import_with_one_bad_row_imports_nothing(catalogue):
    report = services.import_values(
        catalogue["central_agent"], "valeurs.csv", GOOD_AND_BAD.encode(), all_or_nothing=True
    )
    assert not report.ok
    assert [(e.line, e.field) for e in report.errors] == [(4, "value")]
    assert Value.objects.count() == 0
    batch = ImportBatch.objects.get()
    assert (batch.rows_total, batch.rows_imported, batch.rows_rejected) == (4, 0, 1)
    assert batch.errors == [{"line": 4, "field": "value", "message": "valeur « abc » non numérique"}]


def test_partial_import_writes_the_good_rows_with_history_and_audit(catalogue):
    agent = catalogue["central_agent"]
    report = services.import_values(agent, "valeurs.csv", GOOD_AND_BAD.encode(), all_or_nothing=False)
    assert [(e.line, e.field) for e in report.errors] == [(4, "value")]
    assert Value.objects.count() == 3
    assert ValueHistory.objects.filter(author=agent).count() == 3
    events = AuditEvent.objects.filter(action="pilote.value.create")
    assert events.count() == 3
    assert set(events.values_list("actor_label", flat=True)) == {"centrale-log"}
    assert set(events.values_list("departement", flat=True)) == {"35"}
    # The import recomputed the chantier: 100·(70−20)/(120−20) = 50
    result = IndicatorResult.objects.get(indicator=catalogue["local"], territory="DEPT-35")
    assert result.ta == pytest.approx(50.0)


def test_xlsx_import(catalogue):
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["indicator", "territory", "date", "metric", "value"])
    sheet.append(["logements", "DEPT-35", date(2026, 1, 1), "VI", 20])
    sheet.append(["logements", "DEPT-35", "2026-05-31", "va", "70,5"])
    buffer = io.BytesIO()
    book.save(buffer)
    report = services.import_values(catalogue["central_agent"], "valeurs.xlsx", buffer.getvalue())
    assert report.ok
    assert sorted(Value.objects.values_list("metric", "value")) == [("va", 70.5), ("vi", 20.0)]


def test_update_keeps_the_previous_value(catalogue):
    agent, indicator = catalogue["agent_35"], catalogue["local"]
    services.save_value(agent, indicator, "DEPT-35", date(2026, 5, 31), "va", 60)
    services.save_value(agent, indicator, "DEPT-35", date(2026, 5, 31), "va", 70, reason="Correction de saisie")
    latest = ValueHistory.objects.first()
    assert (latest.previous, latest.new, latest.author, latest.reason) == (60, 70, agent, "Correction de saisie")
    update = AuditEvent.objects.get(action="pilote.value.update")
    assert update.metadata["previous"] == 60 and update.metadata["new"] == 70


def test_departmental_user_cannot_write_another_departement(catalogue):
    with pytest.raises(PermissionDenied):
        services.save_value(catalogue["agent_35"], catalogue["local"], "DEPT-22", date(2026, 5, 31), "va", 1)
    with pytest.raises(PermissionDenied):
        services.save_value(catalogue["agent_35"], catalogue["local"], "REG-53", date(2026, 5, 31), "va", 1)
    assert not Value.objects.exists()


def test_departmental_user_cannot_write_a_centrally_fed_indicator(catalogue):
    with pytest.raises(PermissionDenied):
        services.save_value(catalogue["agent_35"], catalogue["central"], "DEPT-35", date(2026, 5, 31), "va", 1)


def test_central_user_writes_only_their_ministrys_policies(catalogue):
    agent = catalogue["central_agent"]
    services.save_value(agent, catalogue["central"], "DEPT-22", date(2026, 5, 31), "va", 1)
    with pytest.raises(PermissionDenied):
        services.save_value(agent, catalogue["other_indicator"], "NAT-FR", date(2026, 5, 31), "va", 1)


def test_import_rejects_rows_outside_the_scope(catalogue):
    data = (
        "indicator,territory,date,metric,value\nlogements,DEPT-35,2026-05-31,va,1\nlogements,DEPT-22,2026-05-31,va,1\n"
    )
    report = services.import_values(catalogue["agent_35"], "v.csv", data.encode(), all_or_nothing=False)
    assert [(e.line, e.field) for e in report.errors] == [(3, "territory")]
    assert list(Value.objects.values_list("territory", flat=True)) == ["DEPT-35"]


def test_import_with_missing_column_is_a_file_error(catalogue):
    with pytest.raises(ValidationError, match="colonne"):
        services.import_values(catalogue["central_agent"], "v.csv", b"indicator,territory,date\nx,y,z\n")
    assert not ImportBatch.objects.exists()


def test_proposal_accepted_centrally_changes_the_figure(catalogue):
    central = catalogue["central"]
    services.save_value(catalogue["central_agent"], central, "DEPT-35", date(2026, 5, 31), "va", 80)
    proposal = services.propose_value(
        catalogue["agent_35"], central, "DEPT-35", date(2026, 5, 31), "va", 75, "Source préfecture : 75 dossiers"
    )
    assert proposal.current == 80
    assert Notification.objects.filter(recipient=catalogue["central_agent"]).exists()
    with pytest.raises(PermissionDenied):
        services.decide_proposal(catalogue["agent_22"], proposal, accept=True)
    services.decide_proposal(catalogue["central_agent"], proposal, accept=True, comment="Vérifié")
    assert Value.objects.get(indicator=central, territory="DEPT-35", metric="va").value == 75
    history = ValueHistory.objects.first()
    assert (history.previous, history.new) == (80, 75)
    assert "proposition" in history.origin
    assert Notification.objects.filter(recipient=catalogue["agent_35"]).exists()
    with pytest.raises(ValidationError):
        services.decide_proposal(catalogue["central_agent"], proposal, accept=False)


def test_refused_proposal_changes_nothing(catalogue):
    proposal = services.propose_value(
        catalogue["agent_35"], catalogue["central"], "DEPT-35", date(2026, 5, 31), "va", 7, "x"
    )
    services.decide_proposal(catalogue["central_agent"], proposal, accept=False, comment="Source non officielle")
    assert Proposal.objects.get().status == Proposal.Status.REFUSED
    assert not Value.objects.exists()


def test_proposal_outside_the_scope_is_refused(catalogue):
    with pytest.raises(PermissionDenied):
        services.propose_value(catalogue["agent_35"], catalogue["central"], "DEPT-22", date(2026, 5, 31), "va", 7, "x")


def test_comment_notifies_and_meteo_clears_its_alert(catalogue):
    chantier = catalogue["chantier"]
    services.save_value(catalogue["agent_35"], catalogue["local"], "DEPT-35", date(2026, 1, 1), "vi", 0)
    services.save_value(catalogue["agent_35"], catalogue["local"], "DEPT-35", date(2026, 5, 31), "va", 10)
    services.recompute_chantier(chantier, date(2026, 6, 15))
    assert AlertRecord.objects.filter(kind="meteo_manquante", territory="DEPT-35").exists()
    services.declare_meteo(
        catalogue["agent_35"], chantier, "DEPT-35", date(2026, 6, 15), "appuis", "Retards d'instruction"
    )
    services.recompute_chantier(chantier, date(2026, 6, 15))
    assert not AlertRecord.objects.filter(kind="meteo_manquante", territory="DEPT-35").exists()
    services.add_comment(
        catalogue["agent_35"], chantier, "DEPT-35", date(2026, 6, 15), "risques", "Pénurie d'artisans"
    )
    assert Notification.objects.filter(recipient=catalogue["central_agent"], message__contains="Risques").exists()
    with pytest.raises(PermissionDenied):
        services.add_comment(catalogue["agent_22"], chantier, "DEPT-35", date(2026, 6, 15), "risques", "x")


def test_recompute_stores_chantier_results(catalogue):
    agent = catalogue["central_agent"]
    for indicator, vi, vc, va in ((catalogue["local"], 20, 120, 60), (catalogue["central"], 100, 50, 80)):
        services.save_value(agent, indicator, "DEPT-35", date(2026, 1, 1), "vi", vi)
        services.save_value(agent, indicator, "DEPT-35", date(2027, 12, 31), "vc", vc)
        services.save_value(agent, indicator, "DEPT-35", date(2026, 5, 31), "va", va)
    services.recompute_chantier(catalogue["chantier"], date(2026, 6, 30))
    # logements 100·40/100 = 40 ; passoires 100·(−20)/(−50) = 40 → chantier (50·40 + 50·40)/100 = 40
    assert ChantierResult.objects.get(territory="DEPT-35").ta == pytest.approx(40.0)


def test_open_data_exports(catalogue):
    import io

    import pyarrow.parquet as pq

    agent = catalogue["central_agent"]
    services.save_value(agent, catalogue["local"], "DEPT-35", date(2026, 1, 1), "vi", 20)
    services.save_value(agent, catalogue["local"], "DEPT-35", date(2027, 12, 31), "vc", 120)
    services.save_value(agent, catalogue["local"], "DEPT-35", date(2026, 5, 31), "va", 70)
    services.save_value(agent, catalogue["central"], "DEPT-35", date(2026, 5, 31), "va", 70)  # not published
    csv_text = services.open_data_csv().decode()
    assert csv_text.splitlines()[0].startswith("chantier,chantier_nom")
    assert "passoires" not in csv_text
    table = pq.read_table(io.BytesIO(services.open_data_parquet()))
    assert b"Licence Ouverte" in table.schema.metadata[b"dcat"]
    assert set(table.column("indicateur").to_pylist()) == {"logements"}


def test_implausible_values_are_refused_at_entry_and_import(catalogue):
    with pytest.raises(ValidationError, match="négative"):
        services.save_value(catalogue["central_agent"], catalogue["local"], "DEPT-35", date(2026, 5, 31), "va", -5)
    data = (
        "indicator,territory,date,metric,value\n"
        "logements,DEPT-35,2026-05-31,va,-5\n"  # line 2: negative count
        "logements,DEPT-35,2026-05-31,va,5\n"
    )
    report = services.import_values(catalogue["central_agent"], "v.csv", data.encode(), all_or_nothing=False)
    assert [(e.line, e.field) for e in report.errors] == [(2, "value")]
    assert Value.objects.get().value == 5
