"""Read queries of the platform, used by views, the API and other apps."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from communs.core.models import AuditEvent, Job, RoleGrant
from communs.core.scopes import require_scope, scope_for


def grants_of(user) -> QuerySet:
    return (
        RoleGrant.objects.filter(user=user)
        .order_by("service", "role", "scope_level", "scope_code")
        .values("service", "role", "scope_level", "scope_code")
    )


def jobs_visible_to(user) -> QuerySet:
    """A user sees their own jobs; staff see all of them."""
    jobs = Job.objects.all()
    return jobs if user.is_staff else jobs.filter(owner=user)


def audit_events_visible_to(
    user,
    *,
    service: str | None = None,
    region: str | None = None,
    departement: str | None = None,
    commune: str | None = None,
) -> QuerySet:
    """The audit log as `user` may read it: auditors only, within their territorial scope.

    Asking for a territory outside the scope is refused (PermissionDenied), never answered
    with someone else's data.
    """
    if not user.has_perm("core.view_auditevent"):
        raise PermissionDenied("Le journal d'audit est réservé aux auditeurs.")
    if region or departement or commune:
        scope = require_scope(user, "core", region=region, departement=departement, commune=commune)
    else:
        scope = scope_for(user, "core")
    events = scope.filter(AuditEvent.objects.all(), region="region", departement="departement", commune="commune")
    if service:
        events = events.filter(service=service)
    for field, code in (("region", region), ("departement", departement), ("commune", commune)):
        if code:
            events = events.filter(**{field: code})
    return events
