"""Staff refresh the reference as a background job and follow its progress page."""

import pytest
from django.contrib.auth.models import Permission

from communs.core.models import Job, JobState

pytestmark = pytest.mark.usefixtures("territoires_reference")


def test_staff_reload_runs_as_a_job_and_shows_its_progress(client, make_user, django_capture_on_commit_callbacks):
    staff = make_user("gestionnaire", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="add_commune"))
    client.force_login(staff)
    assert "Mettre à jour le référentiel" in client.get("/territoires/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/territoires/mise-a-jour/")
    job = Job.objects.get(kind="territoires.load")
    assert response.status_code == 302 and response.url == f"/taches/{job.pk}/"
    assert (job.state, job.percent, job.owner) == (JobState.SUCCEEDED, 100.0, staff)
    assert job.result["communes"]["created"] == 0  # the reference was already loaded: nothing to write
    page = client.get(response.url).content.decode()
    assert "Mise à jour du référentiel territorial" in page and "Terminé" in page


def test_others_cannot_reload(client, make_user):
    client.force_login(make_user("agent"))
    assert "Mettre à jour le référentiel" not in client.get("/territoires/").content.decode()
    assert client.post("/territoires/mise-a-jour/").status_code == 403
    assert client.get("/territoires/mise-a-jour/").status_code == 405
    assert not Job.objects.exists()
