"""Services: upload, publish, campaigns, units CSV (all or nothing), page saves, exports, scopes."""

import csv
import hashlib
import io
import json

import pyarrow.parquet as pq
import pytest
from django.core.exceptions import PermissionDenied

from communs.core.models import AuditEvent
from communs.recensmart import selectors, services
from communs.recensmart.models import Paradata, QuestionnaireVersion, RespondentUnit
from tests.recensmart.factories import DESIGNER, MANAGER_35, campaign
from tests.recensmart.helpers import MENAGE

pytestmark = pytest.mark.django_db


def test_upload_requires_designer(make_user):
    with pytest.raises(PermissionDenied):
        services.upload_questionnaire(make_user("x"), "menage.json", MENAGE.read_bytes())


def test_upload_invalid_writes_nothing(make_user):
    designer = make_user("d", grants=DESIGNER)
    document = json.loads(MENAGE.read_text(encoding="utf-8"))
    document["components"][1]["componentType"] = "Curseur"
    with pytest.raises(services.ImportRejected) as info:
        services.upload_questionnaire(designer, "menage.json", json.dumps(document).encode())
    assert info.value.errors == ["components[1] (id jardin) : componentType : type de composant inconnu « Curseur »"]
    assert QuestionnaireVersion.objects.count() == 0


def test_upload_publish_and_new_version(make_user):
    designer = make_user("d", grants=DESIGNER)
    version = services.upload_questionnaire(designer, "menage.json", MENAGE.read_bytes())
    assert (version.number, version.status, version.questionnaire.title) == (
        1,
        QuestionnaireVersion.Status.DRAFT,
        "Enquête ménage (démonstration)",
    )
    services.publish_version(designer, version)
    second = services.upload_questionnaire(
        designer, "menage.json", MENAGE.read_bytes(), questionnaire=version.questionnaire
    )
    assert second.number == 2
    assert AuditEvent.objects.filter(action="recensmart.version.publish").count() == 1


def test_units_csv_all_or_nothing(make_user):
    designer = make_user("d", grants=DESIGNER)
    camp = campaign(designer)
    bad = "identifiant;libelle;courriel\nL1;1 rue A;a@example.org\nL1;2 rue B;\n;3 rue C;pas-une-adresse\n"
    with pytest.raises(services.ImportRejected) as info:
        services.import_units_csv(designer, camp, bad.encode(), "unites.csv")
    assert info.value.errors == [
        "unites.csv : ligne 3, colonne identifiant : « L1 » en double",
        "unites.csv : ligne 4, colonne identifiant : valeur vide",
        "unites.csv : ligne 4, colonne courriel : « pas-une-adresse » n'est pas une adresse",
    ]
    assert RespondentUnit.objects.count() == 0
    result = services.import_units_csv(designer, camp, b"identifiant;libelle\nL1;1 rue A\nL2;2 rue B\n")
    codes = list(csv.reader(io.StringIO(result.codes_csv()), delimiter=";"))
    assert codes[0] == ["identifiant", "code_acces"] and len(codes) == 3
    unit = services.find_unit(codes[1][1].lower().replace("-", ""))  # codes are case/dash tolerant
    assert unit.external_id == "L1"
    assert codes[1][1] not in str(RespondentUnit.objects.values_list("code_hash", flat=True))


def test_manager_scope(make_user):
    designer = make_user("d", grants=DESIGNER)
    camp35 = campaign(designer, departement="35")
    camp29 = campaign(designer, departement="29")
    manager = make_user("m", grants=MANAGER_35)
    assert list(selectors.campaigns_for(manager)) == [camp35]
    services.import_units_csv(manager, camp35, b"identifiant\nA\n")
    with pytest.raises(PermissionDenied):
        services.import_units_csv(manager, camp29, b"identifiant\nA\n")
    with pytest.raises(PermissionDenied):
        services.export_csv(manager, camp29)


def _respond(unit, pages):
    services.start(unit.pk)
    for key, form in pages:
        unit, outcome = services.submit_page(unit.pk, key, form, duration_ms=1200, device="mobile")
    return unit, outcome


def test_page_saves_paradata_and_exports(make_user):
    designer = make_user("d", grants=DESIGNER)
    camp = campaign(designer)
    unit, _ = services.create_unit(camp, "L1")
    other, _ = services.create_unit(camp, "L2")
    unit, outcome = _respond(
        unit,
        [
            ("1", {}),
            ("2", {"JARDIN": "1"}),
            ("3", {}),
            ("4", {"NBPIECES": "3"}),
            ("5", {}),
            ("6", {"__rows__liste": "2", "PRENOM__0": "Paul", "PRENOM__1": "Anne"}),
        ],
    )
    assert (unit.status, unit.page, unit.saves) == ("STARTED", "7.1#1", 6)
    assert Paradata.objects.filter(unit=unit).count() == 6
    assert set(Paradata.objects.values_list("device", flat=True)) == {"mobile"}
    _respond(other, [("1", {}), ("2", {"JARDIN": "2"})])
    stats = selectors.campaign_stats(camp)
    assert (stats["started"], stats["completed"]) == (2, 0)
    surface = next(row for row in stats["non_response"] if row["question"] == "surface")
    # shown to L1 only (JARDIN = 1), left empty: 1 / 1 = 100 %
    assert (surface["shown"], surface["empty"], surface["rate"]) == (1, 1, 100.0)
    assert stats["dropout"] == [{"page": "7.1#1", "count": 1}, {"page": "4", "count": 1}]
    text = services.export_csv(designer, camp)
    header = text.splitlines()[0].split(";")
    assert header[:4] == ["identifiant", "statut", "JARDIN", "SURFJARDIN"]
    assert "PRENOM_2" in header and "LIENS_1_2" in header
    table = pq.read_table(io.BytesIO(services.export_parquet(designer, camp)))
    assert table.num_rows == 2 and table.column("NBPIECES").to_pylist() == [3, None]
    data = services.export_lunatic(designer, camp)
    assert data[0]["data"]["COLLECTED"]["PRENOM"]["COLLECTED"] == ["Paul", "Anne"]
    assert AuditEvent.objects.filter(action="recensmart.responses.export").count() == 3


def test_completion_is_idempotent(make_user):
    designer = make_user("d", grants=DESIGNER)
    camp = campaign(designer)
    unit, _ = services.create_unit(camp, "L1")
    with pytest.raises(services.ImportRejected):
        services.complete(unit.pk)
    _respond(
        unit,
        [
            ("1", {}),
            ("2", {"JARDIN": "2"}),
            ("4", {"NBPIECES": "2"}),
            ("5", {}),
            ("6", {"PRENOM__0": "Zoé"}),
            ("7.1#1", {"ACTIVITE": "1"}),
            ("9", {}),
            ("10", {}),
        ],
    )
    assert services.complete(unit.pk) is True
    assert services.complete(unit.pk) is False
    unit.refresh_from_db()
    assert unit.status == "COMPLETED" and unit.completed_at is not None


def test_engine_cache_follows_content_not_only_id(make_user):
    from communs.recensmart.models import QuestionnaireVersion

    designer = make_user("d", grants=DESIGNER)
    version = services.upload_questionnaire(designer, "menage.json", MENAGE.read_bytes())
    assert services.engine_for(version).q.id == "menage-demo"
    # An id reused after a database reset (tests) must not serve the old questionnaire.
    other = json.loads(MENAGE.read_text(encoding="utf-8"))
    other["id"] = "autre"
    content = json.dumps(other).encode()
    QuestionnaireVersion.objects.filter(pk=version.pk).update(
        source=content, source_sha256=hashlib.sha256(content).hexdigest()
    )
    version.refresh_from_db()
    assert services.engine_for(version).q.id == "autre"
