"""Granting and revoking roles. Each change of who may see what is itself audited."""

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction

from communs.core.audit import record_event
from communs.core.models import RoleGrant, ScopeLevel

SCOPE_CODE_LENGTHS = {
    ScopeLevel.NATIONAL: {0},
    ScopeLevel.REGION: {2},
    ScopeLevel.DEPARTEMENT: {2, 3},  # 2A, 2B, 971…
    ScopeLevel.COMMUNE: {5},
}


def group_name(service: str, role: str) -> str:
    """The Django group that carries a role's model permissions, e.g. `champollion:inspecteur`."""
    return f"{service}:{role}"


def validate_scope(level: str, code: str) -> None:
    if level not in ScopeLevel.values:
        raise ValidationError(f"Niveau territorial inconnu : {level!r}.")
    if len(code) not in SCOPE_CODE_LENGTHS[ScopeLevel(level)]:
        raise ValidationError(f"Code {code!r} invalide pour le niveau {ScopeLevel(level).label.lower()}.")


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
