"""Scenario creation, the job, visibility, share tokens, idempotent demo, territory panel."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from communs.core.models import AuditEvent
from communs.inondata import selectors, services
from communs.inondata.demo import load_demo
from communs.inondata.engine.synthetic import hydrograph_csv
from communs.inondata.models import Scenario, ScenarioStatus

DATA = {
    "name": "Test",
    "terrain_source": "demo",
    "seed_source": "demo",
    "hydrograph": hydrograph_csv(),
    "connectivity": 8,
}


def test_an_agent_creates_and_runs_a_scenario_as_a_job(agent, inondata_data, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        scenario = services.create_scenario(agent, dict(DATA))
    scenario.refresh_from_db()
    assert scenario.status == ScenarioStatus.DONE and scenario.job.state == "succeeded"
    assert [f["level"] for f in scenario.summary["frames"]][:2] == [12.0, 13.2]
    assert scenario.summary["connectivity"] == 8
    assert services.output_file(scenario, "profondeurs.tif") is not None
    assert services.output_file(scenario, "../etc") is None
    assert AuditEvent.objects.filter(action="inondata.scenario.create").count() == 1
    assert scenario in selectors.visible_scenarios(agent)


def test_creation_needs_a_role_and_a_valid_hydrograph(agent, db, django_user_model, inondata_data):
    stranger = django_user_model.objects.create_user("passant")
    with pytest.raises(PermissionDenied):
        services.create_scenario(stranger, dict(DATA))
    with pytest.raises(ValidationError, match="ligne 2"):
        services.create_scenario(agent, {**DATA, "hydrograph": "t,level\n0,inf\n"}, start=False)
    assert not Scenario.objects.exists()


def test_private_scenarios_are_hidden_and_share_tokens_open_one_read_only(agent, db, django_user_model):
    scenario = Scenario.objects.create(
        name="Privé", terrain_source="demo", seed_source="demo", hydrograph="t,level\n0,1\n", owner=agent
    )
    other = django_user_model.objects.create_user("autre")
    assert scenario not in selectors.visible_scenarios(other)
    token = services.share_token(scenario, agent)
    assert services.scenario_from_token(token) == scenario
    assert services.scenario_from_token(token + "x") is None
    assert AuditEvent.objects.filter(action="inondata.scenario.share").exists()


def test_demo_is_idempotent_and_public(demo_scenarios):
    assert len(demo_scenarios) == 2 and all(s.status == ScenarioStatus.DONE for s in demo_scenarios)
    assert load_demo() == {"computed": 0}
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    assert selectors.visible_scenarios(anonymous).count() == 2
    strong, medium = demo_scenarios[1], demo_scenarios[0]
    peak = max(f["wet_area_m2"] for f in medium.summary["frames"])
    assert max(f["wet_area_m2"] for f in strong.summary["frames"]) > peak


def test_territory_panel_reports_buildings_by_class(demo_scenarios, agent):
    from communs.inondata.panel import panel_figures
    from communs.territoires.panels import TerritoryRef, registered_panels

    assert any(p.service == "inondata" for p in registered_panels("commune"))
    Scenario.objects.filter(pk=demo_scenarios[0].pk).update(commune="35238", departement="35", region="53")
    data = panel_figures(TerritoryRef("commune", "35238", "Rennes"), agent)
    figures = {f.key: f.value for f in data.figures}
    peak = max(demo_scenarios[0].summary["frames"], key=lambda f: f["level"])
    assert figures["buildings_1-2"] == peak["buildings"]["1-2"]
    assert panel_figures(TerritoryRef("commune", "75056", "Paris"), agent) is None
