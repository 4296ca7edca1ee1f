"""`communs jobs list | follow | run`: background jobs from the command line, with rich progress bars."""

import json as json_module
import time
import uuid
from typing import Annotated

import typer
from django_typer.management import TyperCommand, command

from communs.core.cli import EXIT_INPUT_ERROR, EXIT_NOT_FOUND, fail, print_json, stderr
from communs.core.jobs import execute_job, registered_kinds
from communs.core.models import Job, JobState

POLL_SECONDS = 0.5


def _job_payload(job: Job) -> dict:
    return {
        "id": str(job.pk),
        "kind": job.kind,
        "state": job.state,
        "percent": job.percent,
        "message": job.message,
        "result": job.result,
        "error": job.error,
    }


def _parse_params(pairs: list[str]) -> dict:
    params = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        if not sep or not key:
            fail(f"Paramètre « {pair} » invalide : attendu CLE=VALEUR.", EXIT_INPUT_ERROR)
        try:
            params[key] = json_module.loads(raw)
        except ValueError:
            params[key] = raw
    return params


def _show_progress(job_id, *, wait: bool) -> Job:
    """Draw the job's progress until it finishes (wait=True) or once."""
    from rich.progress import BarColumn, Progress, TextColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>5.1f} %"),
        TextColumn("{task.fields[message]}"),
        console=stderr,
    ) as progress:
        job = Job.objects.get(pk=job_id)
        bar = progress.add_task(job.label, total=100, message=job.message)
        while True:
            job.refresh_from_db()
            progress.update(bar, completed=job.percent, message=job.message)
            if job.is_finished or not wait:
                return job
            time.sleep(POLL_SECONDS)


class Command(TyperCommand):
    help = "Tâches de fond : lister, suivre, lancer."

    @command(name="list", help="Les dernières tâches.")
    def list_jobs(
        self,
        limit: Annotated[int, typer.Option(help="Nombre de tâches.")] = 20,
        json: Annotated[bool, typer.Option("--json", help="Sortie JSON.")] = False,
    ):
        jobs = [_job_payload(job) for job in Job.objects.all()[:limit]]
        if json:
            print_json(jobs)
            return
        for job in jobs:
            self.stdout.write(f"{job['id']}  {job['state']:<9} {job['percent']:>5.1f} %  {job['kind']}")

    @command(help="Suit l'avancement d'une tâche jusqu'à sa fin.")
    def follow(self, job_id: Annotated[str, typer.Argument(help="Identifiant de la tâche.")]):
        try:
            job = _show_progress(uuid.UUID(job_id), wait=True)
        except (ValueError, Job.DoesNotExist):
            fail(f"Tâche introuvable : {job_id}", EXIT_NOT_FOUND)
        if job.state == JobState.FAILED:
            fail(job.error)

    @command(help="Lance une tâche maintenant, dans ce processus (sans travailleur).")
    def run(
        self,
        kind: Annotated[str, typer.Argument(help="Type de tâche, par exemple territoires.load.")],
        param: Annotated[
            list[str] | None, typer.Option("--param", help="Paramètre CLE=VALEUR (VALEUR en JSON si possible).")
        ] = None,
        json: Annotated[bool, typer.Option("--json", help="Affiche le résultat en JSON.")] = False,
    ):
        if kind not in registered_kinds():
            known = ", ".join(sorted(registered_kinds()))
            fail(f"Type de tâche inconnu : {kind}. Types connus : {known}.", EXIT_INPUT_ERROR)
        job = Job.objects.create(kind=kind, label=registered_kinds()[kind], params=_parse_params(param or []))
        job = execute_job(str(job.pk))
        if json:
            print_json(_job_payload(job))
        else:
            _show_progress(job.pk, wait=False)
        if job.state == JobState.FAILED:
            fail(job.error)
