"""The demo loads through the normal services and is idempotent."""

import pytest

from communs.core.models import RoleGrant
from communs.estimaction import demo
from communs.estimaction.models import Dataset, TerritoryResult


@pytest.mark.usefixtures("territoires_reference")
def test_demo_twice_creates_nothing_new(tmp_path, settings, monkeypatch):
    from communs.core.demo import load_demo as load_accounts

    settings.DATA_DIR = tmp_path
    # Two communes keep the test short; the full demo is timed in bench/estimaction/bench_dashboard.py.
    monkeypatch.setattr(demo, "COMMUNES", {code: demo.COMMUNES[code] for code in ("35238", "35051")})
    monkeypatch.setattr(demo, "TERRITORIES", [("commune", "35238"), ("commune", "35051")])
    monkeypatch.setattr(demo, "ROAD_SECTIONS", 20)
    load_accounts()
    first = demo.load_demo()
    assert first["imported"] == 5 and first["computed"] == 2
    counts = (
        Dataset.objects.count(),
        TerritoryResult.objects.count(),
        RoleGrant.objects.filter(service="estimaction").count(),
    )
    assert demo.load_demo() == {"imported": 0, "computed": 0, "superseded": 0}
    assert counts == (
        Dataset.objects.count(),
        TerritoryResult.objects.count(),
        RoleGrant.objects.filter(service="estimaction").count(),
    )
    rennes = TerritoryResult.objects.get(code="35238")
    # Population conserved in the stored result, and both pollutants sampled
    assert sum(rennes.exposure["lden"].values()) == pytest.approx(rennes.total_population)
    assert rennes.air["pm25"] and rennes.air["no2"]
    # The demo railway (Rennes → Bruz) has its own map: Rennes has people in rail bands, apart from road.
    assert set(rennes.exposure["sources"]) == {"road", "rail"}  # PostgreSQL's jsonb does not keep key order
    assert sum(v for k, v in rennes.exposure["sources"]["rail"]["lden"].items() if not k.startswith("<")) > 0
