"""Respondent pages (no JavaScript: plain posts) and back-office pages with their permissions."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from communs.recensmart import services
from communs.recensmart.models import Paradata, RespondentUnit
from tests.recensmart.factories import DESIGNER, MANAGER_35, campaign

pytestmark = pytest.mark.django_db
URL = reverse("recensmart:questionnaire")


@pytest.fixture
def unit_and_code(make_user):
    designer = make_user("concepteur", grants=DESIGNER)
    camp = campaign(designer)
    unit, code = services.create_unit(camp, "L1")
    return unit, code


def _login(client, code):
    return client.post(reverse("recensmart:home"), {"code": code})


def test_home_and_bad_code(client):
    response = client.get(reverse("recensmart:home"))
    assert response.status_code == 200
    assert "Code d&#x27;accès" in response.content.decode()
    response = client.post(reverse("recensmart:home"), {"code": "ZZZZ-ZZZZ-ZZZZ"})
    assert "pas reconnu" in response.content.decode()


def test_filter_cleaning_through_the_web(client, unit_and_code):
    unit, code = unit_and_code
    assert _login(client, code).url == URL
    assert "Votre logement" in client.get(URL).content.decode()
    client.post(URL, {"page": "1", "action": "next"})
    page = client.get(URL).content.decode()
    assert "<fieldset" in page and "<legend" in page and "Votre logement a-t-il un jardin ?" in page
    assert client.post(URL, {"page": "2", "JARDIN": "1"}).status_code == 302
    client.post(URL, {"page": "3", "SURFJARDIN": "40"})
    client.post(URL, {"page": "4", "action": "previous"})
    client.post(URL, {"page": "3", "action": "previous"})
    client.post(URL, {"page": "2", "JARDIN": "2"})
    unit.refresh_from_db()
    assert unit.page == "4"
    assert unit.data["SURFJARDIN"] is None


def test_error_pattern_in_html(client, unit_and_code):
    unit, code = unit_and_code
    _login(client, code)
    client.post(URL, {"page": "1"})
    client.post(URL, {"page": "2", "JARDIN": "2"})
    response = client.post(URL, {"page": "4", "NBPIECES": "25"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="error-summary"' in html and 'href="#q-NBPIECES"' in html
    assert 'aria-invalid="true"' in html and 'aria-describedby="q-NBPIECES-hint q-NBPIECES-error"' in html
    assert 'id="q-NBPIECES-error"' in html
    assert "<title>Erreur" in html
    warned = client.post(URL, {"page": "4", "NBPIECES": "12"}).content.decode()
    assert "fr-alert--warning" in warned and "cliquez de nouveau" in warned
    assert client.post(URL, {"page": "4", "NBPIECES": "12"}).status_code == 302
    unit.refresh_from_db()
    assert unit.page == "5"


def test_resume_with_code_returns_to_last_page(client, unit_and_code):
    unit, code = unit_and_code
    _login(client, code)
    client.post(URL, {"page": "1"})
    client.post(URL, {"page": "2", "JARDIN": "1"})
    client.post(URL, {"page": "3", "SURFJARDIN": "12"})
    client.post(reverse("recensmart:pause"))
    assert client.get(URL).status_code == 302  # session closed
    _login(client, code)
    html = client.get(URL).content.decode()
    assert "Page 4 sur" in html
    assert 'name="NBPIECES"' in html
    client.get(reverse("recensmart:goto", args=["3"]))
    assert 'value="12"' in client.get(URL).content.decode()


def test_roster_add_row_without_javascript(client, unit_and_code):
    unit, code = unit_and_code
    _login(client, code)
    for form in ({"page": "1"}, {"page": "2", "JARDIN": "2"}, {"page": "4", "NBPIECES": "3"}, {"page": "5"}):
        client.post(URL, form)
    shown = re.search(r'name="shown" value="([^"]+)"', client.get(URL).content.decode()).group(1)
    client.post(URL, {"page": "6", "__rows__liste": "1", "PRENOM__0": "Paul", "action": "add_row", "shown": shown})
    html = client.get(URL).content.decode()
    assert 'name="PRENOM__1"' in html and "Personne 2" in html
    client.post(URL, {"page": "6", "__rows__liste": "2", "PRENOM__0": "Paul", "PRENOM__1": "Anne"})
    unit.refresh_from_db()
    assert unit.data["PRENOM"] == ["Paul", "Anne"]
    assert unit.page == "7.1#1"
    assert "Quelle est la situation de Paul ?" in client.get(URL).content.decode()
    # the stamp signed into page 6's form gives the time spent; posts without it have none
    assert Paradata.objects.filter(unit=unit, page="6").exclude(duration_ms=None).count() == 1


def test_review_and_completion(client, unit_and_code):
    unit, code = unit_and_code
    _login(client, code)
    forms = [
        {"page": "1"},
        {"page": "2", "JARDIN": "2"},
        {"page": "4", "NBPIECES": "3"},
        {"page": "5"},
        {"page": "6", "__rows__liste": "1", "PRENOM__0": "Zoé"},
        {"page": "7.1#1", "ACTIVITE": "4"},
        {"page": "9"},
        {"page": "10", "COMMENTAIRE": "<script>alert(1)</script>"},
    ]
    for form in forms:
        client.post(URL, form)
    response = client.get(URL)
    assert response.url == reverse("recensmart:review")
    html = client.get(reverse("recensmart:review")).content.decode()
    assert "Élève, étudiant(e)" in html
    assert "&lt;script&gt;" in html and "<script>alert" not in html
    assert client.post(reverse("recensmart:review")).url == reverse("recensmart:thanks")
    assert client.post(reverse("recensmart:review")).url == reverse("recensmart:thanks")
    unit.refresh_from_db()
    assert unit.status == RespondentUnit.Status.COMPLETED


def test_backoffice_permissions(client, make_user):
    designer = make_user("concepteur", grants=DESIGNER)
    camp = campaign(designer, departement="29")
    manager = make_user("gestionnaire", grants=MANAGER_35)
    client.force_login(manager)
    assert client.get(reverse("recensmart:manage")).status_code == 200
    assert client.get(reverse("recensmart:campaign", args=[camp.pk])).status_code == 403
    assert client.get(reverse("recensmart:export", args=[camp.pk, "csv"])).status_code == 403
    client.force_login(make_user("inconnu"))
    assert client.get(reverse("recensmart:manage")).status_code == 403


def test_backoffice_upload_preview_campaign_units(client, make_user):
    from tests.recensmart.helpers import MENAGE

    designer = make_user("concepteur", grants=DESIGNER)
    client.force_login(designer)
    with MENAGE.open("rb") as handle:
        response = client.post(reverse("recensmart:manage"), {"file": handle})
    version_url = response.url
    assert client.get(version_url).status_code == 200
    version_id = int(version_url.rstrip("/").split("/")[-1])
    preview = reverse("recensmart:preview_questionnaire", args=[version_id])
    assert "Aperçu du questionnaire" in client.get(preview).content.decode()
    client.post(preview, {"page": "1"})
    assert "jardin" in client.get(preview).content.decode()
    client.post(version_url, {"action": "publish"})
    response = client.post(version_url, {"action": "campaign", "label": "Test 35", "departement": "35"})
    campaign_url = response.url
    csv_body = b"identifiant;libelle\nA1;1 rue X\nA2;2 rue Y\n"
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(campaign_url, {"file": SimpleUploadedFile("unites.csv", csv_body, "text/csv")})
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode().count("\n") == 3
    html = client.get(campaign_url).content.decode()
    assert "unités enquêtées" in html
    for fmt in ("csv", "parquet", "json"):
        assert client.get(f"{campaign_url}export.{fmt}").status_code == 200


def test_upload_error_is_shown(client, make_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(make_user("concepteur", grants=DESIGNER))
    bad = SimpleUploadedFile("q.json", b'{"components": [{"id": "x", "componentType": "Slider"}]}', "application/json")
    html = client.post(reverse("recensmart:manage"), {"file": bad}).content.decode()
    assert "type de composant inconnu « Slider »" in html


def test_access_code_guessing_is_throttled(client, unit_and_code, settings):
    from django.core.cache import cache

    cache.clear()
    unit, code = unit_and_code
    for _ in range(20):
        client.post(reverse("recensmart:home"), {"code": "AAAA-AAAA-AAAA"})
    html = client.post(reverse("recensmart:home"), {"code": code}).content.decode()
    assert "Trop d&#x27;essais" in html  # even the right code waits once the limit is reached
    cache.clear()


def test_previous_page_saves_what_was_typed(client, unit_and_code):
    unit, code = unit_and_code
    _login(client, code)
    client.post(URL, {"page": "1"})
    client.post(URL, {"page": "2", "JARDIN": "2"})
    response = client.post(URL, {"page": "4", "NBPIECES": "25", "action": "previous"})  # 25: refused by "Continuer"
    assert response.status_code == 302 and response.url == URL
    unit.refresh_from_db()
    assert (unit.page, unit.data["NBPIECES"]) == ("2", 25)
    assert list(Paradata.objects.filter(unit=unit).values_list("page", "outcome")) == [
        ("1", "moved"),
        ("2", "moved"),
        ("4", "previous"),
    ]
    client.post(URL, {"page": "2", "JARDIN": "2"})
    assert 'value="25"' in client.get(URL).content.decode()  # the draft is shown again on page 4
    client.post(URL, {"page": "4", "NBPIECES": "vingt", "action": "previous"})
    page = client.get(URL).content.decode()
    assert "réponse non enregistrée (Saisissez un nombre, par exemple 12 ou 12,5)" in page
    unit.refresh_from_db()
    assert unit.data["NBPIECES"] == 25


def _answer_garden(client, code):
    _login(client, code)
    client.post(URL, {"page": "1"})
    client.post(URL, {"page": "2", "JARDIN": "1"})
    client.post(URL, {"page": "3", "SURFJARDIN": "4321"})


def test_resume_link_by_email_opens_the_questionnaire_and_holds_no_answer(client, unit_and_code, mailoutbox):
    from django.core.cache import cache

    cache.clear()  # the per-unit daily limit lives in the cache
    unit, code = unit_and_code
    _answer_garden(client, code)
    pause = reverse("recensmart:pause")
    assert 'name="email"' in client.get(pause).content.decode()
    response = client.post(pause, {"action": "email", "email": "repondant@example.org"})
    assert response.status_code == 302 and response.url == reverse("recensmart:home")
    assert client.get(URL).status_code == 302  # the session is closed, as with "Quitter"
    (mail,) = mailoutbox
    assert mail.to == ["repondant@example.org"]
    link = re.search(r"http://testserver(/recensmart/reprendre/\S+/)", mail.body).group(1)
    assert "4321" not in mail.body.replace(link, "")  # the garden's surface is not in the message
    other = Client()
    assert other.get(link).url == URL
    assert "Page 4 sur" in other.get(URL).content.decode()  # back on the page after the garden's
    unit.refresh_from_db()
    assert unit.page == "4" and unit.data["SURFJARDIN"] == 4321


def test_resume_link_refused_when_tampered_expired_or_code_changed(client, unit_and_code, mailoutbox, monkeypatch):
    import time

    from django.core import signing

    unit, code = unit_and_code
    _login(client, code)
    token = services.resume_token(unit)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    for bad in (tampered, "nimportequoi"):
        response = client.get(reverse("recensmart:resume", args=[bad]))
        assert response.url == reverse("recensmart:home")
    real_time = time.time
    monkeypatch.setattr(signing.time, "time", lambda: real_time() - services.RESUME_MAX_AGE - 60)
    old = services.resume_token(unit)  # signed a week and a minute ago
    monkeypatch.setattr(signing.time, "time", real_time)
    fresh = Client()
    response = fresh.get(reverse("recensmart:resume", args=[old]))
    assert response.url == reverse("recensmart:home")
    assert "plus valable" in fresh.get(response.url).content.decode()
    assert fresh.get(URL).status_code == 302  # no access
    RespondentUnit.objects.filter(pk=unit.pk).update(code_hash="0" * 64)  # a new access code voids links
    assert Client().get(reverse("recensmart:resume", args=[token])).url == reverse("recensmart:home")


def test_resume_link_limited_per_day_and_absent_without_mail_settings(client, unit_and_code, mailoutbox, settings):
    from django.core.cache import cache

    cache.clear()
    unit, code = unit_and_code
    _login(client, code)
    pause = reverse("recensmart:pause")
    for _ in range(services.MAX_RESUME_EMAILS_PER_DAY):
        client.post(pause, {"action": "email", "email": "a@example.org"})
        _login(client, code)
    page = client.post(pause, {"action": "email", "email": "a@example.org"}).content.decode()
    assert len(mailoutbox) == 3 and "liens au plus par jour" in page and "<title>Erreur" in page
    assert "n&#x27;est pas une adresse" not in page
    bad = client.post(pause, {"action": "email", "email": "pas-une-adresse"})
    assert bad.status_code == 200 and 'aria-invalid="true"' in bad.content.decode()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "localhost"
    assert 'name="email"' not in client.get(pause).content.decode()
