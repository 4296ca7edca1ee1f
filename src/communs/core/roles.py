"""Granting and revoking roles. Each change of who may see what is itself audited."""

from django.contrib.auth.models import Group
from django.db import transaction

from communs.core.audit import record_event
from communs.core.models import RoleGrant, ScopeLevel, validate_scope


def group_name(service: str, role: str) -> str:
    """The Django group that carries a role's model permissions, e.g. `champollion:inspecteur`."""
    return f"{service}:{role}"


def _territory(level: str, code: str) -> dict[str, str]:
    return {level: code} if level != ScopeLevel.NATIONAL else {}


@transaction.atomic
def grant_role(user, service: str, role: str, level: str, code: str = "", *, granted_by=None, reason: str = ""):
    """Give `user` the role over a territory; idempotent. Returns the RoleGrant."""
    validate_scope(level, code)
    grant, created = RoleGrant.objects.get_or_create(
        user=user,
        service=service,
        role=role,
        scope_level=level,
        scope_code=code,
        defaults={"granted_by": granted_by, "reason": reason},
    )
    group, _ = Group.objects.get_or_create(name=group_name(service, role))
    user.groups.add(group)
    if created:
        record_event(
            granted_by, "core.role.grant", service=service, obj=grant, reason=reason, **_territory(level, code)
        )
    return grant


@transaction.atomic
def revoke_role(grant: RoleGrant, *, revoked_by=None, reason: str = "") -> None:
    user, service, role = grant.user, grant.service, grant.role
    record_event(
        revoked_by,
        "core.role.revoke",
        service=service,
        obj=grant,
        reason=reason,
        **_territory(grant.scope_level, grant.scope_code),
    )
    grant.delete()
    if not RoleGrant.objects.filter(user=user, service=service, role=role).exists():
        user.groups.remove(*Group.objects.filter(name=group_name(service, role)))
