"""Import, re-analysis, inspectors' edits and audited nominative reads."""

from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied

from communs.champollion import selectors, services
from communs.champollion.models import Constat, Contrat, DsnFile, Etablissement, Score
from communs.core.models import AuditEvent
from tests.champollion.dsn_fixtures import CARENCE_SIRET, RENEWAL_SIRET

DATA = Path(__file__).parent / "data"
pytestmark = pytest.mark.django_db


def test_import_builds_contracts_findings_and_ranking(imported):
    assert imported["new_files"] == 2 + 21 + 6 + 1
    assert imported["issues"] == []
    carence = Etablissement.objects.get(siret=CARENCE_SIRET)
    assert (carence.departement, carence.region) == ("35", "53")
    findings = {f.contrat.numero: f.first_legal_day for f in Constat.objects.filter(etablissement=carence)}
    # the interim mission MIS000777 (06/05–10/05, declared by the agency, attached to this ETU) sits
    # between the two CDD on the same poste: after CDD2024001 (25 days → 9 opening days → 15/05) the
    # mission starts too early; after the mission (5 days < 14 → 1/2 → 2.5 → 3 opening days: 13, 14,
    # 15/05 → 16/05) CDD2024002 on 13/05 does too
    assert findings == {"MIS000777": date(2024, 5, 15), "CDD2024002": date(2024, 5, 16)}
    renewals = Constat.objects.filter(etablissement__siret=RENEWAL_SIRET, rule="renouvellements")
    assert renewals.count() == 2
    assert Contrat.objects.filter(numero__startswith="C100").count() == 1  # renumbered, not duplicated
    assert Score.objects.filter(etablissement=carence).exists()


def test_import_is_idempotent(imported):
    counts = (Contrat.objects.count(), Constat.objects.count(), Score.objects.count(), DsnFile.objects.count())
    again = services.import_paths([DATA / "carence", DATA / "renouvellements"])
    assert (again["new_files"], again["known_files"]) == (0, 23)
    assert counts == (Contrat.objects.count(), Constat.objects.count(), Score.objects.count(), DsnFile.objects.count())


def test_import_reports_located_issues_and_rejects_non_dsn(champollion_data_dir, territoires_reference, tmp_path):
    text = (DATA / "carence" / "dsn-2024-04.txt").read_text(encoding="utf-8")
    bad = tmp_path / "in" / "bad.dsn"
    bad.parent.mkdir()
    bad.write_text(text.replace("S21.G00.40.001,'02042024'", "S21.G00.40.001,'0204'"), encoding="utf-8")
    (tmp_path / "in" / "notes.txt").write_text("rien à voir", encoding="utf-8")
    report = services.import_paths([tmp_path / "in"])
    assert report["rejected_files"] == ["notes.txt"]
    located = {(i["file"], i["field"]) for i in report["issues"]}
    assert ("bad.dsn", "S21.G00.40.001") in located
    assert Contrat.objects.count() == 0  # the only contract had no valid start


def test_view_contracts_requires_scope_and_is_audited(imported, make_user):
    carence = Etablissement.objects.get(siret=CARENCE_SIRET)
    inside = make_user("insp35", grants=[("champollion", "inspecteur", "departement", "35")])
    outside = make_user("insp44", grants=[("champollion", "inspecteur", "departement", "44")])
    rows = services.view_contracts(inside, carence, reason="contrôle")
    assert {c.salarie.nom for c in rows} == {"MARTIN", "DURAND", "LEROY"}
    event = AuditEvent.objects.get(action="champollion.contrat.view")
    assert (event.actor_label, event.departement, event.reason) == ("insp35", "35", "contrôle")
    with pytest.raises(PermissionDenied):
        services.view_contracts(outside, carence)
    assert AuditEvent.objects.filter(action="champollion.contrat.view").count() == 1


def test_calendar_with_holidays_open_reruns_the_rules(imported, make_user, django_capture_on_commit_callbacks):
    user = make_user("insp35", grants=[("champollion", "inspecteur", "departement", "35")])
    carence = Etablissement.objects.get(siret=CARENCE_SIRET)
    with django_capture_on_commit_callbacks(execute=True):
        services.update_calendar(user, carence, weekdays="mon-fri", closed_dates=[], holidays_closed=False)
    # holidays open: 9 opening days after 26/04 end on 09/05 → first legal day 10/05 (was 15/05);
    # the mission (06/05) is still early; CDD2024002 after the mission is unchanged (no holiday
    # between 11/05 and 16/05)
    after = {
        f.contrat.numero: f.first_legal_day
        for f in Constat.objects.filter(etablissement=carence, rule="delai_carence")
    }
    assert after == {"MIS000777": date(2024, 5, 10), "CDD2024002": date(2024, 5, 16)}
    assert AuditEvent.objects.filter(action="champollion.calendrier.update").count() == 1


def test_edits_outside_scope_are_refused(imported, make_user):
    outside = make_user("insp44", grants=[("champollion", "inspecteur", "departement", "44")])
    carence = Etablissement.objects.get(siret=CARENCE_SIRET)
    with pytest.raises(PermissionDenied):
        services.update_calendar(outside, carence, weekdays="mon-sat", closed_dates=[], holidays_closed=True)
    with pytest.raises(PermissionDenied):
        services.merge_postes(outside, carence, "A", "B")


def test_corrected_end_reruns_the_rules(imported, make_user, django_capture_on_commit_callbacks):
    user = make_user("insp44", grants=[("champollion", "inspecteur", "departement", "44")])
    contract = Contrat.objects.get(numero="CDD2023100")
    # corrected end 30/06/2024 ≤ last allowed 01/07/2024 → no more duree_maximale
    with django_capture_on_commit_callbacks(execute=True):
        services.correct_end(user, contract, date(2024, 6, 30), reason="avenant de rupture vu au contrôle")
    assert not Constat.objects.filter(rule="duree_maximale", contrat__numero="CDD2023100").exists()
    assert Contrat.objects.get(numero="CDD2023100").corrected_end == date(2024, 6, 30)


def test_merge_postes_is_kept_across_reanalysis(imported, make_user, django_capture_on_commit_callbacks):
    user = make_user("insp75", grants=[("champollion", "inspecteur", "departement", "75")])
    shop = Etablissement.objects.get(siret__startswith="756")
    with django_capture_on_commit_callbacks(execute=True):
        services.merge_postes(user, shop, "CAISSIER", "VENDEUR")
    assert selectors.postes_of(shop)[0] == {"poste": "CAISSIER", "contracts": 1, "merged_into": "VENDEUR"}
    services.reanalyse()
    assert shop.fusions.count() == 1


def test_targeting_list_is_scoped(imported, make_user):
    breton = make_user("resp53", grants=[("champollion", "responsable", "region", "53")])
    _, scores = selectors.targeting_list(breton)
    assert {s.etablissement.departement for s in scores} == {"35"}
    national = make_user("nat", grants=[("champollion", "responsable", "national", "")])
    _, all_scores = selectors.targeting_list(national)
    assert len(all_scores) == Score.objects.count()


def test_failed_analysis_leaves_no_file_registered(champollion_data_dir, territoires_reference, monkeypatch):
    def boom(**kwargs):
        raise RuntimeError("analysis failed")

    monkeypatch.setattr(services, "reanalyse", boom)
    with pytest.raises(RuntimeError):
        services.import_paths([DATA / "carence"])
    assert DsnFile.objects.count() == 0  # a later import will store and analyse them again


def _findings(etablissement):
    return sorted(
        Constat.objects.filter(etablissement=etablissement).values_list(
            "rule", "status", "contrat__contract_id", "poste", "first_legal_day"
        )
    )


def test_poste_merge_returns_at_once_and_its_job_recomputes_one_establishment(
    imported, make_user, django_capture_on_commit_callbacks
):
    from communs.core.models import Job, JobState

    user = make_user("insp75", grants=[("champollion", "inspecteur", "departement", "75")])
    shop = Etablissement.objects.get(siret__startswith="756")
    others = {e.pk: _findings(e) for e in Etablissement.objects.exclude(pk=shop.pk)}
    before = _findings(shop)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = services.merge_postes(user, shop, "CAISSIER", "VENDEUR")
    # Returned at once: the merge is saved and audited, the analysis has not run yet.
    assert (job.kind, job.state, job.params) == ("champollion.recompute", JobState.PENDING, {"sirets": [shop.siret]})
    assert shop.fusions.count() == 1 and _findings(shop) == before
    assert AuditEvent.objects.filter(action="champollion.poste.merge").count() == 1

    for callback in callbacks:  # what the worker does once the request's transaction committed
        callback()
    job = Job.objects.get(pk=job.pk)
    assert job.state == JobState.SUCCEEDED and job.percent == 100.0
    assert job.result["establishments"] == [shop.siret]
    # only the files telling about this establishment were read (the fixtures hold 30 files)
    assert 0 < job.result["files_read"] < DsnFile.objects.count()
    assert {e.pk: _findings(e) for e in Etablissement.objects.exclude(pk=shop.pk)} == others
    targeted = _findings(shop)
    ranks = sorted(Score.objects.values_list("rank", flat=True))
    assert ranks == list(range(1, len(ranks) + 1))

    # The targeted recompute finds what a full re-analysis finds for this establishment.
    services.reanalyse()
    assert _findings(shop) == targeted
