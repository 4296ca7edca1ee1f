"""Bad input in Recens'smart (issue 24, rows 2, 3, 5 and 7): formula cells neutralised in exports,
deep expressions and documents refused with a located error, campaign dates enforced for
respondents, oversized CSV fields located; the consolidated views still answer afterwards."""

import copy
import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from communs.recensmart import services
from communs.recensmart.engine.model import SchemaError
from communs.recensmart.engine.vtl import VTLSyntaxError, parse
from communs.recensmart.models import Campaign, RespondentUnit
from tests.recensmart.factories import DESIGNER, campaign
from tests.recensmart.helpers import MENAGE

pytestmark = pytest.mark.django_db
URL = reverse("recensmart:questionnaire")


@pytest.fixture
def designer(make_user):
    return make_user("concepteur", grants=DESIGNER)


@pytest.fixture
def camp(designer):
    return campaign(designer)


def _views_answer(client, user, camp):
    client.force_login(user)
    base = reverse("recensmart:campaign", args=[camp.pk])
    for url in (
        "/api/recensmart/campaigns",
        f"/api/recensmart/campaigns/{camp.pk}/stats",
        f"/api/recensmart/campaigns/{camp.pk}/responses",
        base,
        f"{base}export.csv",
        f"{base}export.json",
    ):
        assert client.get(url).status_code == 200, url


def _answer_comment(client, code, comment):
    client.post(reverse("recensmart:home"), {"code": code})
    client.post(URL, {"page": "1"})
    client.post(URL, {"page": "2", "JARDIN": "2"})
    client.post(URL, {"page": "4", "NBPIECES": "3"})
    client.post(URL, {"page": "5"})
    client.post(URL, {"page": "6", "PRENOM": "Ada", "DATENAIS": "1990-01-01"})
    client.post(URL, {"page": "7.1#1", "ACTIVITE": "1"})
    client.post(URL, {"page": "9"})
    return client.post(URL, {"page": "10", "COMMENTAIRE": comment})


def test_formula_in_a_comment_is_neutralised_in_the_campaign_csv(client, designer, camp):
    unit, code = services.create_unit(camp, "L1")
    _answer_comment(client, code, '=HYPERLINK("http://example.org","clic")')
    unit.refresh_from_db()
    assert unit.data.get("COMMENTAIRE", "").startswith("=HYPERLINK"), unit.data  # stored as typed
    text = services.export_csv(designer, camp)
    assert "'=HYPERLINK" in text
    assert ";=HYPERLINK" not in text and "\n=HYPERLINK" not in text


def test_deep_filter_expressions_are_refused_with_their_position():
    with pytest.raises(VTLSyntaxError, match="imbriquée"):
        parse("(" * 2000 + "1" + ")" * 2000)
    with pytest.raises(VTLSyntaxError, match="imbriquée"):
        parse("-" * 3000 + "1")
    with pytest.raises(VTLSyntaxError, match="imbriquée"):
        parse(" + ".join(["1"] * 3000))
    assert parse("((1 + 2))") == ("bin", "+", ("lit", 1), ("lit", 2))


def _menage_with_filter(expression: str) -> dict:
    document = json.loads(MENAGE.read_text(encoding="utf-8"))
    document = copy.deepcopy(document)
    document["components"][1]["conditionFilter"] = {"value": expression, "type": "VTL"}
    return document


@pytest.mark.parametrize("expression", ["(" * 2000 + "true" + ")" * 2000, "-" * 3000 + "1 = 1"])
def test_validate_api_answers_a_located_error_for_a_deep_filter(client, expression):
    response = client.post(
        "/api/recensmart/validate",
        json.dumps({"questionnaire": _menage_with_filter(expression)}),
        content_type="application/json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["valid"] is False and "jardin" in " ".join(body["errors"]) and "imbriquée" in " ".join(body["errors"])


def test_validate_api_refuses_a_deeply_nested_body(client):
    body = '{"questionnaire": ' + "[" * 5000 + "]" * 5000 + "}"
    response = client.post("/api/recensmart/validate", body, content_type="application/json")
    assert response.status_code == 400
    assert "imbrication trop profonde" in response.json()["error"]["message"]


def test_uploaded_questionnaire_with_a_deep_filter_or_deep_json_is_a_schema_error(designer):
    content = json.dumps(_menage_with_filter("(" * 2000 + "true" + ")" * 2000)).encode()
    with pytest.raises((SchemaError, services.ImportRejected)) as error:
        services.upload_questionnaire(designer, "menage.json", content)
    assert "imbriquée" in str(error.value)
    with pytest.raises((SchemaError, services.ImportRejected)) as error:
        services.upload_questionnaire(designer, "profond.json", ("[" * 3000 + "]" * 3000).encode())
    assert "imbrication trop profonde" in str(error.value)


def test_answers_outside_the_campaign_dates_are_refused_with_the_dates(client, designer, camp):
    unit, code = services.create_unit(camp, "L1")
    today = timezone.localdate()
    Campaign.objects.filter(pk=camp.pk).update(
        opens_on=today - timedelta(days=30), closes_on=today - timedelta(days=1)
    )
    response = client.post(reverse("recensmart:home"), {"code": code}, follow=True)
    html = response.content.decode()
    assert "clôturée" in html and str((today - timedelta(days=1)).year) in html
    client.post(URL, {"page": "1"})
    unit.refresh_from_db()
    assert unit.status == RespondentUnit.Status.INIT and unit.saves == 0
    with pytest.raises(services.ImportRejected, match="clôturée"):
        services.submit_page(unit.pk, "1", {})
    Campaign.objects.filter(pk=camp.pk).update(opens_on=today + timedelta(days=2), closes_on=None)
    with pytest.raises(services.ImportRejected, match="ouvrira le"):
        services.start(unit.pk)
    Campaign.objects.filter(pk=camp.pk).update(opens_on=today, closes_on=today)
    assert services.start(unit.pk).status == RespondentUnit.Status.STARTED  # the closing day is included
    _views_answer(client, designer, camp)


def test_units_csv_field_over_the_limit_is_a_located_error(client, designer, camp):
    content = ("identifiant;libelle\nA1;" + "x" * 140_000 + "\n").encode()
    with pytest.raises(services.ImportRejected) as error:
        services.import_units_csv(designer, camp, content, "unites.csv")
    assert "unites.csv, ligne 2" in error.value.errors[0]
    assert not RespondentUnit.objects.exists()
    _views_answer(client, designer, camp)


def test_huge_numbers_and_durations_typed_by_a_respondent_are_refused_on_the_page(client, camp):
    unit, code = services.create_unit(camp, "L1")
    client.post(reverse("recensmart:home"), {"code": code})
    client.post(URL, {"page": "1"})
    client.post(URL, {"page": "2", "JARDIN": "1"})
    response = client.post(URL, {"page": "3", "SURFJARDIN": "9" * 400 + ",5"})
    assert response.status_code == 200 and "trop grand" in response.content.decode()
    unit.refresh_from_db()
    assert unit.data.get("SURFJARDIN") is None and unit.page == "3"


def test_duration_with_thousands_of_digits_is_a_page_error():
    from communs.recensmart.engine.model import Component
    from communs.recensmart.engine.runtime import parse_value

    component = Component(id="d", type="Duration", page="1", response="DUREE", date_format="PTnHnM")
    value, error = parse_value(component, "DUREE", "DUREE", {"DUREE__a": "9" * 5000, "DUREE__b": "0"})
    assert value is None and "durée plus courte" in error
