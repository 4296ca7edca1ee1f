"""The CoSIA demo is idempotent and usable: two vintages, the demo zone, moderators, use cases."""

import pytest

from communs.core.models import RoleGrant
from communs.cosia import demo, services
from communs.cosia.models import Coverage, UseCase, Zone


@pytest.fixture
def small_demo(monkeypatch):
    # The real demo is 4000 px square; 400 px keeps the test fast with the same code path.
    original = demo.demo_dataset
    monkeypatch.setattr(demo, "demo_dataset", lambda out, seed: original(out, seed=seed, size=400))


def test_demo_twice_creates_nothing_more(departement_35, cosia_data, small_demo, make_user):
    make_user("agent-35")
    demo.load_demo()
    counts = (Coverage.objects.count(), Zone.objects.count(), UseCase.objects.count(), RoleGrant.objects.count())
    assert demo.load_demo() == {"created": 0}
    assert counts == (2, 1, 3, 1)
    assert (
        Coverage.objects.count(),
        Zone.objects.count(),
        UseCase.objects.count(),
        RoleGrant.objects.count(),
    ) == counts
    stats = services.statistics(services.resolve_territory("demo"))
    assert stats["vintage"] == 2024 and stats["total_ha"] > 0
