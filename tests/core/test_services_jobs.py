"""Background jobs: progress recorded, result or error kept, shown by the progress component."""

import pytest

from communs.core.jobs import job_kind, start_job
from communs.core.models import Job, JobState

pytestmark = pytest.mark.django_db


@job_kind("tests.sum", "Somme de test")
def _sum_job(report, numbers):
    total = 0
    for index, number in enumerate(numbers, start=1):
        total += number
        report(100 * index / len(numbers), f"{index}/{len(numbers)}")
    return {"total": total}


@job_kind("tests.fail", "Échec de test")
def _failing_job(report):
    report(40, "à mi-chemin")
    raise ValueError("ligne 3 : valeur manquante")


def test_job_runs_after_commit_and_keeps_its_result(make_user, django_capture_on_commit_callbacks):
    owner = make_user()
    with django_capture_on_commit_callbacks(execute=True):
        job = start_job("tests.sum", owner=owner, numbers=[1, 2, 3, 4])
    job.refresh_from_db()
    assert (job.state, job.percent, job.result, job.label) == (
        JobState.SUCCEEDED,
        100.0,
        {"total": 10},
        "Somme de test",
    )
    assert job.started_at <= job.finished_at


def test_failed_job_keeps_the_error_and_its_progress(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = start_job("tests.fail")
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert job.percent == 40.0
    assert job.error == "ValueError: ligne 3 : valeur manquante"


def test_unknown_job_kind_is_refused():
    with pytest.raises(KeyError):
        start_job("tests.unknown")


def test_progress_component_polls_while_running_and_stops_when_finished(client, make_user):
    owner = make_user()
    client.force_login(owner)
    job = Job.objects.create(kind="tests.sum", label="Somme", owner=owner, state=JobState.RUNNING, percent=40)
    fragment = client.get(f"/taches/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in fragment
    assert 'value="40"' in fragment
    assert "<html" not in fragment  # HTMX gets the fragment only
    Job.objects.filter(pk=job.pk).update(state=JobState.SUCCEEDED, percent=100)
    page = client.get(f"/taches/{job.pk}/").content.decode()
    assert "<html" in page and "hx-trigger" not in page and "Terminé" in page


def test_other_users_cannot_see_a_job(client, make_user):
    job = Job.objects.create(kind="tests.sum", label="Somme", owner=make_user("alice"))
    client.force_login(make_user("bob"))
    assert client.get(f"/taches/{job.pk}/").status_code == 404
    assert client.get(f"/api/jobs/{job.pk}").status_code == 404
