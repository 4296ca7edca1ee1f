"""SOS Ponts pages and API: scopes, notes hidden from mayors, suggestions with and without JavaScript."""

import json

import pytest
from django.urls import reverse

from communs.core.models import AuditEvent
from communs.sosponts import services
from tests.sosponts.helpers import RENNES, ask

pytestmark = pytest.mark.django_db


def test_a_mayor_gets_403_on_expert_notes_in_html_and_api(client, people):
    question, _ = ask(people["mayor"])
    services.add_note(people["expert"], question, "Le maire semble inquiet, appeler vite.")
    client.force_login(people["mayor"])
    page = client.get(reverse("sosponts:question", args=[question.pk]))
    assert page.status_code == 200 and "appeler vite" not in page.content.decode()
    assert client.get(f"/api/sosponts/questions/{question.pk}/notes").status_code == 403
    assert client.post(reverse("sosponts:note", args=[question.pk]), {"text": "x"}).status_code == 403
    client.force_login(people["expert"])
    assert "appeler vite" in client.get(reverse("sosponts:question", args=[question.pk])).content.decode()
    notes = client.get(f"/api/sosponts/questions/{question.pk}/notes").json()
    assert [note["text"] for note in notes] == ["Le maire semble inquiet, appeler vite."]
    assert AuditEvent.objects.filter(action="sosponts.question.view", object_id=str(question.pk)).exists()


def test_a_mayor_sees_only_their_communes_questions(client, people):
    mine, _ = ask(people["mayor"])
    other, _ = services.ask_question(people["other_mayor"], commune=RENNES, title="Rennes", body="Question de Rennes.")
    client.force_login(people["mayor"])
    assert client.get(reverse("sosponts:question", args=[other.pk])).status_code == 403
    listing = client.get(reverse("sosponts:mine")).content.decode()
    assert mine.title in listing and "Question de Rennes" not in listing
    assert [row["id"] for row in client.get("/api/sosponts/questions").json()] == [mine.pk]


def test_the_urgent_acknowledgement_shows_what_the_mayor_may_do(client, people):
    client.force_login(people["mayor"])
    response = client.post(
        reverse("sosponts:ask"),
        {"title": "Pile affouillée", "body": "la pile a été affouillée après la crue", "since": "hier"},
        follow=True,
    )
    page = response.content.decode()
    assert "Question urgente" in page and "L2212-2" in page and "112" in page


def test_suggestions_without_javascript_and_with_htmx(client, people):
    services.save_sheet(
        people["expert"],
        slug="vegetation",
        title="Végétation sur les ouvrages en maçonnerie",
        summary="s",
        body="Arbustes, lierre.",
    )
    client.force_login(people["mayor"])
    fallback = client.post(
        reverse("sosponts:ask"), {"title": "Végétation sur notre pont", "body": "arbustes", "voir-similaires": "1"}
    )
    assert fallback.status_code == 200 and "Végétation sur les ouvrages en maçonnerie" in fallback.content.decode()
    fragment = client.post(
        reverse("sosponts:suggestions"), {"title": "Végétation sur notre pont", "body": ""}, HTTP_HX_REQUEST="true"
    )
    assert "Végétation sur les ouvrages en maçonnerie" in fragment.content.decode()
    assert "<html" not in fragment.content.decode()


def test_expert_answers_from_the_inbox_and_publishes(client, people):
    question, _ = ask(people["mayor"], title="La pile a été affouillée", body="après la crue")
    client.force_login(people["expert"])
    inbox = client.get(reverse("sosponts:inbox"), {"urgence": "urgent"}).content.decode()
    assert "La pile a été affouillée" in inbox
    response = client.post(
        reverse("sosponts:answer", args=[question.pk]),
        {
            "quoi": "Limiter le tonnage",
            "quand": "Tout de suite",
            "comment": "Arrêté",
            "par_qui": "Le maire",
            "publish": "on",
            "public_title": "Pile affouillée après une crue",
            "public_body": "Un trou sous la pile.",
        },
    )
    assert response.status_code == 302
    assert client.get(reverse("sosponts:published", args=[question.pk])).status_code == 200
    assert "Pile affouillée après une crue" in client.get(reverse("sosponts:kb")).content.decode()


def test_public_pages_and_api_answer_anonymously(client, people):
    for name in ("home", "kb", "sheets"):
        assert client.get(reverse(f"sosponts:{name}")).status_code == 200
    assert client.get(reverse("sosponts:inbox")).status_code == 302  # to the login page
    triage = client.post(
        "/api/sosponts/triage",
        json.dumps({"text": "la pile a été affouillée après la crue"}),
        content_type="application/json",
    )
    assert triage.status_code == 200 and triage.json()["urgency"] == "urgent"
    bad = client.post(
        "/api/sosponts/triage", json.dumps({"text": "x", "iqoa_class": "9"}), content_type="application/json"
    )
    assert bad.status_code == 400
    assert client.get("/api/sosponts/questions").status_code == 401


def test_the_answer_is_drafted_from_the_advice_table(client, people):
    services.seed_advice()
    question, _ = ask(people["mayor"], title="Du lierre sur le pont", body="Des arbustes et du lierre sur la voûte.")
    client.force_login(people["expert"])
    page = client.get(reverse("sosponts:question", args=[question.pk])).content.decode()
    assert "Enlever la végétation" in page  # the theme's block pre-fills "quoi"
    other = client.get(reverse("sosponts:question", args=[question.pk]), {"conseil": "garde_corps"}).content.decode()
    assert "Mettre en sécurité immédiatement" in other


PNG_1PX = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)


def test_photos_are_checked_then_shown_only_within_scope(client, people):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(people["mayor"])
    fake = SimpleUploadedFile("pont.png", b"not a png at all", content_type="image/png")
    refused = client.post(reverse("sosponts:ask"), {"title": "Pont", "body": "Des arbustes", "photos": [fake]})
    assert refused.status_code == 200 and "pont.png » n&#x27;est pas un" in refused.content.decode()
    photo = SimpleUploadedFile("pont.png", PNG_1PX, content_type="image/png")
    client.post(reverse("sosponts:ask"), {"title": "Pont", "body": "Des arbustes", "photos": [photo]})
    from communs.sosponts.models import Photo

    stored = Photo.objects.get()
    shown = client.get(reverse("sosponts:photo", args=[stored.pk]))
    assert shown.status_code == 200 and shown.content == PNG_1PX
    client.force_login(people["other_mayor"])
    assert client.get(reverse("sosponts:photo", args=[stored.pk])).status_code == 403


def test_sheets_are_searchable(client, people):
    services.save_sheet(
        people["expert"], slug="police", title="Pouvoirs de police du maire", summary="Fermer un pont", body="Arrêté."
    )
    services.save_sheet(
        people["expert"], slug="vegetation", title="Végétation", summary="Arbustes", body="Lierre, racines."
    )
    page = client.get(reverse("sosponts:sheets"), {"q": "lierre sur la voûte"}).content.decode()
    assert "Végétation" in page and "Pouvoirs de police du maire" not in page
