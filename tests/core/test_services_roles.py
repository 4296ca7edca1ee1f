"""Role grants: validated scope codes, Django groups per service role, every change audited."""

import pytest
from django.core.exceptions import ValidationError

from communs.core.models import AuditEvent, RoleGrant
from communs.core.roles import grant_role, revoke_role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("level", "code", "valid"),
    [
        ("national", "", True),
        ("national", "35", False),
        ("region", "53", True),
        ("region", "", False),
        ("departement", "35", True),
        ("departement", "2A", True),
        ("departement", "971", True),
        ("departement", "35238", False),
        ("commune", "35238", True),
        ("commune", "35", False),
        ("canton", "35", False),
    ],
)
def test_scope_codes_are_validated(make_user, level, code, valid):
    user = make_user()
    if valid:
        assert grant_role(user, "pilote", "agent", level, code).scope_code == code
    else:
        with pytest.raises(ValidationError):
            grant_role(user, "pilote", "agent", level, code)


def test_grant_is_idempotent_adds_the_group_and_is_audited(make_user):
    admin, agent = make_user("admin"), make_user("agent")
    first = grant_role(agent, "pilote", "editeur", "departement", "35", granted_by=admin, reason="arrivée")
    again = grant_role(agent, "pilote", "editeur", "departement", "35", granted_by=admin)
    assert first.pk == again.pk
    assert list(agent.groups.values_list("name", flat=True)) == ["pilote:editeur"]
    event = AuditEvent.objects.get(action="core.role.grant")
    assert (event.actor, event.departement, event.reason, event.service) == (admin, "35", "arrivée", "pilote")


def test_revoke_keeps_the_group_while_another_grant_needs_it(make_user):
    agent = make_user("agent")
    g35 = grant_role(agent, "pilote", "editeur", "departement", "35")
    g29 = grant_role(agent, "pilote", "editeur", "departement", "29")
    revoke_role(g35)
    assert agent.groups.filter(name="pilote:editeur").exists()
    revoke_role(g29)
    assert not agent.groups.filter(name="pilote:editeur").exists()
    assert AuditEvent.objects.filter(action="core.role.revoke").count() == 2


def test_admin_adds_and_removes_grants_through_the_audited_service(client, make_user):
    admin = make_user("admin", is_staff=True, is_superuser=True)
    agent = make_user("agent")
    client.force_login(admin)
    response = client.post(
        "/admin/core/rolegrant/add/",
        {"user": agent.pk, "service": "pilote", "role": "editeur", "scope_level": "departement", "scope_code": "35"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    grant = RoleGrant.objects.get(user=agent)
    assert AuditEvent.objects.filter(action="core.role.grant", actor=admin, object_id=str(grant.pk)).exists()
    assert b'name="_save"' not in client.get(f"/admin/core/rolegrant/{grant.pk}/change/").content  # no editing
    bad = client.post(
        "/admin/core/rolegrant/add/",
        {"user": agent.pk, "service": "pilote", "role": "editeur", "scope_level": "commune", "scope_code": "35"},
    )
    assert bad.status_code == 200 and "invalide pour le niveau commune" in bad.content.decode()
    client.post(f"/admin/core/rolegrant/{grant.pk}/delete/", {"post": "yes"})
    assert not RoleGrant.objects.exists()
    assert AuditEvent.objects.filter(action="core.role.revoke", actor=admin).exists()
