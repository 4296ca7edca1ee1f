"""Background jobs with visible progress.

A job kind is a plain function `fn(report, **params) -> dict` registered with
`@job_kind("<service>.<verb>", "French label")`. `start_job` records a `Job` row and enqueues
it on the django tasks backend (database backend, run by `communs db_worker`; immediate in
tests). The function calls `report(percent, message)` as it goes; the web page polls the
row through the HTMX progress component and the CLI shows a rich progress bar.
"""

import logging
import traceback
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from communs.core.models import Job, JobState

logger = logging.getLogger(__name__)

Report = Callable[[float, str], None]
JobFunction = Callable[..., dict | None]

_registry: dict[str, tuple[JobFunction, str]] = {}


def job_kind(kind: str, label: str) -> Callable[[JobFunction], JobFunction]:
    """Register `fn` as the implementation of `kind`. Only registered kinds can be run."""

    def decorator(fn: JobFunction) -> JobFunction:
        _registry[kind] = (fn, label)
        return fn

    return decorator


def registered_kinds() -> dict[str, str]:
    return {kind: label for kind, (_, label) in _registry.items()}


def start_job(kind: str, *, owner=None, label: str = "", **params: Any) -> Job:
    """Record a job and enqueue it once the surrounding transaction commits."""
    if kind not in _registry:
        raise KeyError(f"Type de tâche inconnu : {kind}")
    job = Job.objects.create(kind=kind, label=label or _registry[kind][1], owner=owner, params=params)
    from communs.core.tasks import run_job  # the tasks module imports this one

    transaction.on_commit(lambda: run_job.enqueue(str(job.pk)))
    return job


def find_shared_job(kind: str, params: dict[str, Any], *, reuse_for: timedelta) -> Job | None:
    """The job of `kind` with exactly these `params` that is pending, running, or succeeded within
    `reuse_for`: an identical request waits on it instead of queueing the same work again."""
    recent = Job.objects.filter(
        kind=kind,
        state__in=[JobState.PENDING, JobState.RUNNING, JobState.SUCCEEDED],
        created_at__gte=timezone.now() - reuse_for,
    ).order_by("-created_at")
    # Params are compared in Python: JSON equality differs between SQLite and PostgreSQL.
    return next((job for job in recent[:200] if job.params == params), None)


def _progress_writer(job_id) -> Report:
    def report(percent: float, message: str = "") -> None:
        Job.objects.filter(pk=job_id).update(percent=max(0.0, min(100.0, float(percent))), message=message[:255])

    return report


def execute_job(job_id: str) -> Job:
    """Run a recorded job now, in this process (what the worker calls)."""
    job = Job.objects.get(pk=job_id)
    if job.is_finished:
        return job  # a retried task never runs a finished job twice
    fn, _ = _registry[job.kind]
    Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING, started_at=timezone.now())
    try:
        result = fn(_progress_writer(job.pk), **job.params)
    except Exception as exc:
        logger.exception("Job %s (%s) failed", job.pk, job.kind)
        Job.objects.filter(pk=job.pk).update(
            state=JobState.FAILED,
            error=f"{type(exc).__name__}: {exc}",
            message="Échec",
            finished_at=timezone.now(),
            result={"traceback": traceback.format_exc(limit=5)},
        )
    else:
        Job.objects.filter(pk=job.pk).update(
            state=JobState.SUCCEEDED, percent=100.0, message="Terminé", result=result, finished_at=timezone.now()
        )
    job.refresh_from_db()
    return job
