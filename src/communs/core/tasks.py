"""The one django task that runs every registered job kind (see `communs.core.jobs`)."""

from django_tasks import task

from communs.core.jobs import execute_job


@task()
def run_job(job_id: str) -> str:
    return execute_job(job_id).state
