"""The 403 page and the audit admin's title (issue 24, row 11); anonymous unsafe API calls (row 10)."""

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_403_page_is_french_dsfr_and_says_why(client, make_user):
    client.force_login(make_user("agent-sans-role"))
    response = client.post("/pilote/recalcul/")
    assert response.status_code == 403
    html = response.content.decode()
    assert '<html lang="fr"' in html and "fr-header" in html  # under core/base.html and the DSFR
    assert "<title>Accès refusé — " in html and "<h1>Accès refusé</h1>" in html
    assert "Réservé à l&#x27;administration centrale." in html
    assert "403 Forbidden" not in html


def test_403_without_a_message_gives_a_french_reason(rf, make_user):
    from django.core.exceptions import PermissionDenied

    from communs.core.views import permission_denied

    request = rf.get("/")
    request.user = make_user("x")
    request.csp_nonce = "nonce"  # set by the CSP middleware on every real request
    html = permission_denied(request, PermissionDenied()).content.decode()
    assert "rôle ou le périmètre territorial" in html


def test_audit_admin_title_is_plain_text(client, make_user):
    client.force_login(make_user("root", is_superuser=True, is_staff=True))
    html = client.get("/admin/core/auditevent/").content.decode()
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert "<" not in title and "&lt;" not in title and "Journal d&#x27;audit" in title
    assert 'href="/journal/export.csv"' in html or "Exporter en CSV" in html


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/pilote/valeurs", {"indicateur": "x", "territoire": "NAT-FR", "date": "2026-01-01", "valeur": 1}),
        ("/api/cosia/exports", {"territory": "demo"}),
    ],
)
def test_anonymous_unsafe_api_calls_answer_401(path, body):
    response = Client(enforce_csrf_checks=True).post(path, body, content_type="application/json")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def test_signed_in_session_without_csrf_token_is_still_refused(make_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("agent"))
    response = client.post("/api/cosia/exports", {"territory": "demo"}, content_type="application/json")
    assert response.status_code == 403
