"""Jobs through the database backend and `communs db_worker`, and the `communs jobs` CLI."""

import json

import pytest
from django.core.management import call_command
from django.test import override_settings

from communs.core.jobs import job_kind, start_job
from communs.core.models import Job, JobState

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@job_kind("tests.count", "Comptage de test")
def _count_job(report, up_to):
    for index in range(1, up_to + 1):
        report(100 * index / up_to, f"{index}/{up_to}")
    return {"counted": up_to}


@job_kind("tests.broken", "Tâche en échec")
def _broken_job(report):
    raise RuntimeError("fichier.csv, ligne 7 : colonne « quantite » vide")


@override_settings(TASKS=DATABASE_TASKS)
def test_database_backend_queues_the_job_until_the_worker_runs_it(django_capture_on_commit_callbacks, monkeypatch):
    from django_tasks_db.models import DBTaskResult

    # The worker drops stale connections between tasks; inside the test's transaction that would
    # close the very connection holding the test data (PostgreSQL), so keep it for this test.
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)

    with django_capture_on_commit_callbacks(execute=True):
        job = start_job("tests.count", up_to=4)
    assert DBTaskResult.objects.count() == 1  # queued in the database, not run
    assert Job.objects.get(pk=job.pk).state == JobState.PENDING
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    job.refresh_from_db()
    assert (job.state, job.percent, job.result) == (JobState.SUCCEEDED, 100.0, {"counted": 4})


def test_jobs_run_prints_the_result_as_json(capsys):
    call_command("jobs", "run", "tests.count", "--param", "up_to=3", "--json")
    payload = json.loads(capsys.readouterr().out)
    assert (payload["state"], payload["percent"], payload["result"]) == ("succeeded", 100.0, {"counted": 3})


def test_jobs_run_refuses_a_malformed_parameter(capsys):
    with pytest.raises(SystemExit) as exit_info:
        call_command("jobs", "run", "tests.count", "--param", "up_to")
    assert exit_info.value.code == 1
    assert "CLE=VALEUR" in capsys.readouterr().err


def test_jobs_run_fails_with_the_error_and_a_non_zero_code(capsys):
    with pytest.raises(SystemExit) as exit_info:
        call_command("jobs", "run", "tests.broken")
    assert exit_info.value.code == 1
    assert "ligne 7" in capsys.readouterr().err


def test_jobs_run_refuses_an_unknown_kind(capsys):
    with pytest.raises(SystemExit) as exit_info:
        call_command("jobs", "run", "tests.nope")
    assert exit_info.value.code == 1
    assert "tests.count" in capsys.readouterr().err  # lists the known kinds


def test_jobs_follow_and_list(capsys):
    job = Job.objects.create(kind="tests.count", label="Comptage", state=JobState.SUCCEEDED, percent=100)
    call_command("jobs", "follow", str(job.pk))
    call_command("jobs", "list", "--json")
    listed = json.loads(capsys.readouterr().out)
    assert listed[0]["id"] == str(job.pk)
    with pytest.raises(SystemExit) as exit_info:
        call_command("jobs", "follow", "00000000-0000-0000-0000-000000000000")
    assert exit_info.value.code == 2
