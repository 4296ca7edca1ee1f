"""The audit log is append-only: through the ORM, the admin, the API and the database itself."""

import pytest
from django.db import DatabaseError, connection, transaction

from communs.core.audit import record_event
from communs.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(make_user):
    actor = make_user("inspectrice")
    return record_event(
        actor, "champollion.contrat.view", service="champollion", object_id="42", departement="35", reason="contrôle"
    )


def test_record_event_keeps_actor_and_territory(event):
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.actor_label, stored.action, stored.departement, stored.reason) == (
        "inspectrice",
        "champollion.contrat.view",
        "35",
        "contrôle",
    )


def test_anonymous_actor_is_labelled():
    assert record_event(None, "core.test", service="core").actor_label == "anonyme"


def test_orm_refuses_changes(event):
    event.reason = "autre"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(reason="autre")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).reason == "contrôle"


def test_database_refuses_update_statements(event):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET reason = 'falsifié'")
    assert AuditEvent.objects.get(pk=event.pk).reason == "contrôle"


def test_admin_shows_events_read_only(client, make_user, event):
    client.force_login(make_user("support", is_staff=True, is_superuser=True))
    change_url = f"/admin/core/auditevent/{event.pk}/change/"
    page = client.get(change_url)
    assert page.status_code == 200
    assert b'name="_save"' not in page.content  # view-only page, no save button
    assert client.post(change_url, {"reason": "falsifié"}).status_code == 403
    assert client.post(f"/admin/core/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.get("/admin/core/auditevent/add/").status_code == 403
    assert AuditEvent.objects.get(pk=event.pk).reason == "contrôle"


def test_api_has_no_way_to_change_events(client, make_user, event):
    client.force_login(make_user("support", is_superuser=True))
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)("/api/audit/events", content_type="application/json")
        assert response.status_code == 405, method
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.usefixtures("territoires_reference")
def test_overseas_collectivity_territory_fits(make_user):
    # Saint-Pierre (97502) lies in the collectivité 975, which the reference lists as département
    # and région 975: a three-character région code.
    event = record_event(make_user(), "core.test", service="core", commune="97502")
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.region, stored.departement, stored.commune) == ("975", "975", "97502")
