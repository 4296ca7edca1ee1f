"""Platform pages: portal, statements, health, login and brute-force protection, tokens, audit export."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils.html import escape

from communs.core.audit import record_event
from communs.core.catalogue import SERVICES
from communs.core.models import ApiToken, AuditEvent

pytestmark = pytest.mark.django_db


def test_portal_lists_the_thirteen_services(client):
    page = client.get("/").content.decode()
    assert len(SERVICES) == 13
    for entry in SERVICES:
        assert f'id="service-{entry.slug}"' in page
        assert escape(entry.name) in page
        assert escape(entry.users) in page
    assert page.count("En construction") + page.count("Disponible") == 13
    assert '<html lang="fr"' in page


def test_every_card_leads_to_a_page(client):
    for entry in SERVICES:
        response = client.get(f"/services/{entry.slug}/", follow=True)
        assert response.status_code == 200
        assert escape(entry.name) in response.content.decode()
    assert client.get("/services/inconnu/").status_code == 404


def test_accessibility_statement_has_the_rgaa_sections(client):
    page = client.get("/accessibilite/").content.decode()
    for heading in (
        "État de conformité",
        "Résultats des tests",
        "Pages testées",
        "Retour d'information",
        "Voies de recours",
    ):
        assert heading in page
    assert "RGAA" in page and "non conforme" in page


def test_legal_notice(client):
    assert "Mentions légales" in client.get("/mentions-legales/").content.decode()


def test_healthz_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_a_broken_database(client, monkeypatch):
    from django.db import connection

    def broken_cursor(*args, **kwargs):
        raise connection.Database.OperationalError("down")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "error"


def test_security_headers_and_csp_nonce(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    assert f'nonce="{nonce}"' in response.content.decode()
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response.headers["Permissions-Policy"]


def test_login_with_password_then_logout(client, make_user):
    make_user("agent", first_name="Maëlle", password="un-mot-de-passe-long")
    response = client.post("/connexion/", {"username": "agent", "password": "un-mot-de-passe-long"}, follow=True)
    assert response.status_code == 200
    assert "Maëlle" in response.content.decode()
    assert client.get("/deconnexion/").status_code == 405  # logging out changes state: POST only
    client.post("/deconnexion/")
    assert "Se connecter" in client.get("/").content.decode()


def test_wrong_password_is_explained(client, make_user):
    make_user("agent")
    page = client.post("/connexion/", {"username": "agent", "password": "faux"}).content.decode()
    assert "Identifiant ou mot de passe incorrect" in page


def test_brute_force_is_locked_out_after_five_failures(client, make_user):
    make_user("cible", password="le-bon-mot-de-passe")
    for _ in range(5):
        client.post("/connexion/", {"username": "cible", "password": "mauvais"})
    response = client.post("/connexion/", {"username": "cible", "password": "le-bon-mot-de-passe"})
    assert response.status_code == 429
    assert "Connexion temporairement bloquée" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_form_is_csrf_protected(make_user):
    from django.test import Client

    make_user("agent", password="un-mot-de-passe-long")
    client = Client(enforce_csrf_checks=True)
    response = client.post("/connexion/", {"username": "agent", "password": "un-mot-de-passe-long"})
    assert response.status_code == 403


def test_tokens_page_shows_the_secret_once_then_revokes(client, make_user):
    user = make_user()
    client.force_login(user)
    page = client.post("/compte/jetons/", {"name": "tableur", "expires_in_days": "30"}).content.decode()
    secret = re.search(r'id="new-token">(cmn_[^<]+)<', page).group(1)
    script = Client()  # no session: the token alone authenticates
    assert script.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200
    assert secret not in client.get("/compte/jetons/").content.decode()
    token = ApiToken.objects.get(user=user)
    client.post(f"/compte/jetons/{token.pk}/revoquer/")
    assert script.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
    assert AuditEvent.objects.filter(action="core.token.revoke", object_id=str(token.pk)).exists()


def test_nobody_revokes_someone_elses_token(client, make_user):
    from communs.core.tokens import create_token

    token, _ = create_token(make_user("alice"), "a")
    client.force_login(make_user("bob"))
    assert client.post(f"/compte/jetons/{token.pk}/revoquer/").status_code == 404


@pytest.fixture
def auditor(make_user):
    user = make_user("auditeur", grants=[("core", "auditeur", "departement", "35")])
    user.user_permissions.add(Permission.objects.get(codename="view_auditevent"))
    return user


def test_audit_export_is_scoped_and_itself_audited(client, auditor):
    record_event(None, "champollion.contrat.view", service="champollion", departement="35", object_id="rennes")
    record_event(None, "champollion.contrat.view", service="champollion", departement="75", object_id="paris")
    client.force_login(auditor)
    response = client.get("/audit/export.csv?service=champollion")
    assert response.status_code == 200
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0].startswith("id,at,actor_label,service,action")
    assert len(lines) == 2 and ",rennes," in lines[1]
    assert AuditEvent.objects.filter(action="core.audit.export", actor=auditor).exists()
    assert client.get("/audit/export.csv?departement=75").status_code == 403


def test_audit_export_is_refused_to_non_auditors(client, make_user):
    client.force_login(make_user())
    assert client.get("/audit/export.csv").status_code == 403
