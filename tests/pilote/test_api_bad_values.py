"""Bad values in PILOTE (issue 24, rows 7, 8 and 9): refused with the field or line named, nothing
stored, and every consolidated view still answers with the same row counts."""

import io
import time
import zipfile
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from communs.pilote import services
from communs.pilote.models import ImportBatch, Value


@pytest.fixture
def stored(catalogue):
    services.save_value(catalogue["central_agent"], catalogue["local"], "DEPT-35", date(2026, 1, 1), "vi", 20)
    services.recompute_all()
    return catalogue


def _views_answer(client, user):
    client.force_login(user)
    for url in (
        "/api/pilote/chantiers?territoire=NAT-FR",
        "/api/pilote/chantiers/renovation/indicateurs?territoire=DEPT-35",
        "/api/pilote/alertes?territoire=NAT-FR",
        "/pilote/",
        "/pilote/chantier/renovation/",
        "/pilote/territoire/REG-53/",
        "/pilote/donnees-ouvertes/pilote-indicateurs.csv",
    ):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e999", "1e308"])
def test_api_value_not_finite_is_422(client, stored, literal):
    client.force_login(stored["central_agent"])
    body = (
        '{"indicateur": "logements", "territoire": "DEPT-35", "date": "2026-05-31", "metrique": "va", '
        f'"valeur": {literal}}}'
    )
    response = client.post("/api/pilote/valeurs", body, content_type="application/json")
    assert response.status_code in (400, 422), response.content
    assert Value.objects.count() == 1
    _views_answer(client, stored["central_agent"])


def test_service_refuses_a_non_finite_value(stored):
    with pytest.raises(ValidationError):
        services.save_value(stored["central_agent"], stored["local"], "DEPT-35", date(2026, 5, 31), "va", float("inf"))
    assert Value.objects.count() == 1


def test_csv_field_over_the_limit_is_a_located_error(client, stored):
    data = ("indicator,territory,date,metric,value\nlogements,DEPT-35,2026-05-31,va," + "9" * 140_000).encode()
    with pytest.raises(ValidationError) as error:
        services.import_values(stored["central_agent"], "valeurs.csv", data)
    assert "valeurs.csv, ligne 2" in error.value.messages[0]
    assert Value.objects.count() == 1 and not ImportBatch.objects.exists()
    _views_answer(client, stored["central_agent"])


def test_csv_import_of_a_huge_value_is_a_row_error(stored):
    data = b"indicator,territory,date,metric,value\nlogements,DEPT-35,2026-05-31,va,1e308\n"
    report = services.import_values(stored["central_agent"], "valeurs.csv", data)
    assert [(e.line, e.field) for e in report.errors] == [(2, "value")]
    assert Value.objects.count() == 1


def test_xlsx_bomb_is_refused_quickly(client, stored):
    # A sheet of 300 MiB of zeros deflates to ≈ 300 KB: the declared size is refused before inflating.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            for _ in range(300):
                member.write(b" " * (1 << 20))
    started = time.perf_counter()
    with pytest.raises(ValidationError) as error:
        services.import_values(stored["central_agent"], "valeurs.xlsx", buffer.getvalue())
    assert time.perf_counter() - started < 2
    assert "valeurs.xlsx" in error.value.messages[0] and "se décompresse" in error.value.messages[0]
    assert Value.objects.count() == 1
    _views_answer(client, stored["central_agent"])


def test_anonymous_post_is_401_not_a_csrf_403(client, catalogue):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    body = '{"indicateur": "logements", "territoire": "DEPT-35", "date": "2026-05-31", "valeur": 1}'
    response = csrf_client.post("/api/pilote/valeurs", body, content_type="application/json")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"
