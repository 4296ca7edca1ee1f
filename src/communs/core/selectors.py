"""Read queries of the platform, used by views, the API and other apps."""

from django.db.models import QuerySet

from communs.core.models import AuditEvent, Job, RoleGrant


def grants_of(user) -> QuerySet:
    return RoleGrant.objects.filter(user=user).order_by("service", "role", "scope_level", "scope_code").values(
        "service", "role", "scope_level", "scope_code"
    )


def jobs_visible_to(user) -> QuerySet:
    """A user sees their own jobs; staff see all of them."""
    jobs = Job.objects.all()
    return jobs if user.is_staff else jobs.filter(owner=user)


def audit_events_for(*, service: str | None = None) -> QuerySet:
    events = AuditEvent.objects.all()
    return events.filter(service=service) if service else events
