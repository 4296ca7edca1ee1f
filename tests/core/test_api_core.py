"""API root: personal tokens, consistent JSON errors, scoped audit log, OpenAPI document."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone
from openapi_spec_validator import validate

from communs.core.audit import record_event
from communs.core.models import ApiToken
from communs.core.tokens import create_token, revoke_token


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def auditor_35(make_user):
    user = make_user("auditrice-35", grants=[("core", "auditeur", "departement", "35")])
    user.user_permissions.add(Permission.objects.get(codename="view_auditevent"))
    return user


def test_token_is_stored_as_a_digest_only(make_user):
    token, clear = create_token(make_user(), "script")
    assert clear.startswith(f"cmn_{token.key_prefix}_")
    secret = clear.split("_", 2)[2]
    stored = ApiToken.objects.get(pk=token.pk)
    assert secret not in (stored.key_digest, stored.key_prefix, stored.name)
    assert len(stored.key_digest) == 64


def test_token_authenticates_as_its_owner(client, make_user):
    user = make_user("agent-api", grants=[("pilote", "agent", "departement", "35")])
    _, clear = create_token(user, "script")
    response = client.get("/api/me", **bearer(clear))
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "agent-api"
    assert body["grants"] == [{"service": "pilote", "role": "agent", "scope_level": "departement", "scope_code": "35"}]
    assert ApiToken.objects.get(user=user).last_used_at is not None


@pytest.mark.parametrize("case", ["revoked", "expired", "wrong-secret", "garbage", "inactive-owner", "none"])
def test_unusable_tokens_get_a_json_401(client, make_user, case):
    user = make_user()
    token, clear = create_token(user, "script")
    headers = bearer(clear)
    if case == "revoked":
        revoke_token(user, token)
    elif case == "expired":
        ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    elif case == "wrong-secret":
        headers = bearer(clear[:-4] + "AAAA")
    elif case == "garbage":
        headers = bearer("not-a-token")
    elif case == "inactive-owner":
        user.is_active = False
        user.save()
    elif case == "none":
        headers = {}
    response = client.get("/api/me", **headers)
    assert response.status_code == 401
    assert response.json() == {
        "error": {"code": "unauthenticated", "message": "Authentification requise (jeton ou session)."}
    }


def test_validation_errors_share_the_error_shape(client, make_user):
    client.force_login(make_user())
    response = client.get("/api/jobs/not-a-uuid")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"
    assert response.json()["error"]["details"]


def test_not_found_shares_the_error_shape(client, make_user):
    client.force_login(make_user())
    response = client.get("/api/jobs/00000000-0000-0000-0000-000000000000")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_auditor_of_35_asking_for_75_gets_403_and_no_data(client, auditor_35):
    record_event(None, "champollion.contrat.view", service="champollion", departement="75", object_id="paris")
    _, clear = create_token(auditor_35, "audit")
    response = client.get("/api/audit/events?departement=75", **bearer(clear))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert "paris" not in response.content.decode()


def test_auditor_of_35_sees_only_the_events_of_35(client, auditor_35):
    record_event(None, "champollion.contrat.view", service="champollion", departement="35", object_id="rennes")
    record_event(None, "champollion.contrat.view", service="champollion", departement="75", object_id="paris")
    record_event(None, "core.config.change", service="core", object_id="national")
    _, clear = create_token(auditor_35, "audit")
    response = client.get("/api/audit/events?service=champollion", **bearer(clear))
    assert response.status_code == 200
    assert [event["object_id"] for event in response.json()] == ["rennes"]
    response = client.get("/api/audit/events", **bearer(clear))
    assert "national" not in {event["object_id"] for event in response.json()}


def test_non_auditors_cannot_read_the_audit_log(client, make_user):
    client.force_login(make_user(grants=[("core", "agent", "national", "")]))
    assert client.get("/api/audit/events").status_code == 403


def test_session_auth_requires_csrf_on_unsafe_methods(make_user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user())
    assert client.get("/api/me").status_code == 200


def test_openapi_document_is_valid_openapi_3(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    validate(document)
    assert "/api/me" in document["paths"]


def test_api_docs_page_is_served(client):
    response = client.get("/api/docs")
    html = response.content.decode()
    assert response.status_code == 200
    # Our own page in the site's layout (French, no CDN script), listing every operation.
    assert '<html lang="fr"' in html and "cdn" not in html.lower()
    assert "Documentation de l&#x27;API" in html and "<code>/api/me</code>" in html
