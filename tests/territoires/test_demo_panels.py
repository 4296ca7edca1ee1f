"""In the demo, Rennes' CoSIA panel appears once its contour is imported: the CoSIA demo then
queues Rennes' statistics (once per vintage) and the territory page reads their stored result."""

import pytest
from django.urls import reverse

from communs.core.models import Job
from communs.cosia import demo
from communs.territoires.services import import_contours
from tests.territoires.synthesis_data import MINI_CONTOURS


@pytest.fixture
def small_demo(monkeypatch):
    # The real demo is 4000 px square; 400 px keeps the test fast with the same code path.
    original = demo.demo_dataset
    monkeypatch.setattr(demo, "demo_dataset", lambda out, seed: original(out, seed=seed, size=400))


def test_the_cosia_demo_computes_rennes_once_its_contour_is_imported(
    client, territoires_reference, request, small_demo, django_capture_on_commit_callbacks
):
    request.getfixturevalue("cosia_data")
    url = reverse("territoires:territory", kwargs={"level": "commune", "code": "35238"})
    demo.load_demo()
    assert not Job.objects.filter(kind="cosia.stats").exists()  # no contour, nothing to measure
    import_contours(MINI_CONTOURS, level="commune")
    with django_capture_on_commit_callbacks(execute=True):
        demo.load_demo()
    demo.load_demo()  # idempotent: nothing queued again
    assert sorted(Job.objects.filter(kind="cosia.stats").values_list("params__vintage", "state")) == [
        (2021, "succeeded"),
        (2024, "succeeded"),
    ]
    panels = {shown.panel.service: shown.data for shown in client.get(url).context["panels"]}
    assert panels["cosia"].source == "CoSIA (IGN), millésimes 2021, 2024"
    assert panels["cosia"].link == "/cosia/?territoire=35238&millesime=2024"
