"""Core API: who am I, my scopes, job progress, and the audit log export for auditors."""

import uuid
from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from communs.core.api_auth import token_or_session
from communs.core.selectors import audit_events_visible_to, grants_of, jobs_visible_to

router = Router(tags=["socle"], auth=token_or_session)


class GrantOut(Schema):
    service: str
    role: str
    scope_level: str
    scope_code: str


class MeOut(Schema):
    username: str
    first_name: str
    last_name: str
    is_staff: bool
    grants: list[GrantOut]


class JobOut(Schema):
    id: uuid.UUID
    kind: str
    label: str
    state: str
    percent: float
    message: str
    result: dict | list | None
    error: str
    created_at: datetime
    finished_at: datetime | None


class AuditEventOut(Schema):
    id: int
    at: datetime
    actor_label: str
    service: str
    action: str
    object_type: str
    object_id: str
    object_repr: str
    region: str
    departement: str
    commune: str
    reason: str


@router.get("/me", response=MeOut, summary="Mon compte et mes habilitations")
def me(request):
    user = request.user
    return {
        "username": user.get_username(),
        "first_name": user.first_name,
        "last_name": user.last_name,
        "is_staff": user.is_staff,
        "grants": list(grants_of(user)),
    }


@router.get("/jobs/{job_id}", response=JobOut, summary="Avancement d'une tâche de fond")
def job_status(request, job_id: uuid.UUID):
    return get_object_or_404(jobs_visible_to(request.user), pk=job_id)


@router.get("/audit/events", response=list[AuditEventOut], summary="Journal d'audit (lecture seule)")
def audit_events(
    request,
    service: str | None = None,
    region: str | None = None,
    departement: str | None = None,
    commune: str | None = None,
    limit: int = 200,
):
    """Auditors only, within their territorial scope; a territory outside it answers 403."""
    events = audit_events_visible_to(
        request.user, service=service, region=region, departement=departement, commune=commune
    )
    return list(events[: min(max(limit, 1), 5000)])
