"""The single way to write the audit log.

Call `record_event` wherever nominative data is read or an official figure changes. It
writes in the caller's transaction, so a change that rolls back leaves no false trace.
"""

import math

from django.db import models

from communs.core.models import AuditEvent
from communs.core.scopes import complete_territory


def record_event(
    actor,
    action: str,
    *,
    service: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    region: str = "",
    departement: str = "",
    commune: str = "",
    reason: str = "",
    metadata: dict | None = None,
) -> AuditEvent:
    """Append one event. `action` is `<service>.<object>.<verb>`, e.g. `champollion.contrat.view`.

    Give the territory of the object at the levels you know (INSEE codes): the log is then
    scoped like the data itself, so a departmental auditor sees the accesses to their département.
    """
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:255]
    region, departement, commune = complete_territory(region, departement, commune)
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if authenticated else None,
        actor_label=actor.get_username() if authenticated else "anonyme",
        service=service,
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr,
        region=region,
        departement=departement,
        commune=commune,
        reason=reason,
        metadata=_json_safe(metadata or {}),
    )


def _json_safe(value):
    """Metadata as strict JSON: a non-finite float (which `json.dumps` writes as the invalid `Infinity`,
    refused by PostgreSQL and SQLite's JSON check) is kept as its text, so the event is still written."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {key: _json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(item) for item in value]
    return value
