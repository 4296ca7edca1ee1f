"""Use cases: signed-in users submit, moderators of the territory publish, the gallery shows them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from communs.core.models import AuditEvent
from communs.cosia import services
from communs.cosia.models import UseCase, UseCaseStatus

pytestmark = pytest.mark.usefixtures("territoires_reference")

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _submit(client, **extra):
    data = {
        "title": "Suivre l'imperméabilisation des cours d'école",
        "commune": "35238",
        "territory_label": "Rennes",
        "theme": "nature_en_ville",
        "description": "Nous mesurons chaque année la part de pelouse et d'arbres des cours d'école.",
        "links": "https://example.org/rennes-cours",
        "data_used": "CoSIA 2021 et 2024",
        **extra,
    }
    return client.post(reverse("cosia:use_case_new"), data)


def test_submission_waits_for_moderation(client, make_user):
    client.force_login(make_user("auteur"))
    response = _submit(client, image=SimpleUploadedFile("cour.png", PNG, "image/png"), image_alt="Une cour d'école")
    use_case = UseCase.objects.get()
    assert response.status_code == 302
    assert (use_case.status, use_case.departement, use_case.commune) == (UseCaseStatus.SUBMITTED, "35", "35238")
    assert use_case.title not in client.get(reverse("cosia:use_cases")).content.decode()
    client.logout()
    assert client.get(reverse("cosia:use_case_detail", args=[use_case.pk])).status_code == 404


def test_image_must_really_be_an_image(client, make_user):
    client.force_login(make_user("auteur"))
    response = _submit(
        client, image=SimpleUploadedFile("cour.png", b"%PDF-1.7 not an image", "image/png"), image_alt="x"
    )
    assert "cour.png" in response.context["form"].errors["image"][0]
    assert not UseCase.objects.exists()


def test_links_must_be_https(client, make_user):
    client.force_login(make_user("auteur"))
    response = _submit(client, links="javascript:alert(1)")
    assert response.context["form"].errors["links"]


def test_anonymous_cannot_submit(client):
    assert _submit(client).status_code == 302
    assert not UseCase.objects.exists()


def test_moderator_of_the_departement_publishes(client, make_user):
    author = make_user("auteur")
    moderator = make_user("moderatrice-35", grants=[("cosia", "moderateur", "departement", "35")])
    use_case = services.submit_use_case(
        author, title="Cours des écoles", territory_label="Rennes", theme="autre", description="…", departement="35"
    )
    client.force_login(moderator)
    assert use_case.title in client.get(reverse("cosia:moderation")).content.decode()
    client.post(reverse("cosia:moderation"), {"use_case": use_case.pk, "decision": "publish"})
    use_case.refresh_from_db()
    assert use_case.status == UseCaseStatus.PUBLISHED and use_case.moderated_by == moderator
    assert AuditEvent.objects.filter(action="cosia.usecase.publish").exists()
    client.logout()
    gallery = client.get(reverse("cosia:use_cases"), {"departement": "35"}).content.decode()
    assert "Cours des écoles" in gallery
    assert "Cours des écoles" not in client.get(reverse("cosia:use_cases"), {"departement": "29"}).content.decode()


def test_moderator_of_another_departement_sees_nothing_and_cannot_act(client, make_user):
    author = make_user("auteur")
    outsider = make_user("moderateur-29", grants=[("cosia", "moderateur", "departement", "29")])
    use_case = services.submit_use_case(
        author, title="Cours des écoles", territory_label="Rennes", theme="autre", description="…", departement="35"
    )
    client.force_login(outsider)
    assert "Cours des écoles" not in client.get(reverse("cosia:moderation")).content.decode()
    response = client.post(reverse("cosia:moderation"), {"use_case": use_case.pk, "decision": "publish"})
    assert response.status_code == 404
    use_case.refresh_from_db()
    assert use_case.status == UseCaseStatus.SUBMITTED


def test_non_moderator_gets_403(client, make_user):
    client.force_login(make_user("curieux"))
    assert client.get(reverse("cosia:moderation")).status_code == 403


def test_rejection_needs_a_reason(make_user):
    moderator = make_user("moderateur", grants=[("cosia", "moderateur", "national", "")])
    use_case = services.submit_use_case(
        make_user("auteur"), title="X", territory_label="Rennes", theme="autre", description="…", departement="35"
    )
    with pytest.raises(Exception, match="motif"):
        services.moderate_use_case(moderator, use_case, publish=False, note=" ")
    services.moderate_use_case(moderator, use_case, publish=False, note="Hors sujet")
    use_case.refresh_from_db()
    assert use_case.status == UseCaseStatus.REJECTED
