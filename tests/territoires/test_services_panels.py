"""The panel protocol: registration, levels, charts, and a failing panel left out of the page."""

import pytest
from django.contrib.auth.models import AnonymousUser

from communs.territoires import panels, synthesis
from communs.territoires.panels import Figure, PanelChart, PanelData, TerritoryPanel, TerritoryRef

RENNES = TerritoryRef("commune", "35238", "Rennes", departement="35", region="53")


def test_every_existing_service_registers_its_panel():
    services = {panel.service: panel for panel in panels.registered_panels()}
    assert {"bascarbone", "champollion", "cosia", "estimaction", "pilote"} <= set(services)
    assert not services["champollion"].public and not services["bascarbone"].public
    assert [p.service for p in panels.registered_panels("region")] == sorted(
        p.service for p in services.values() if "region" in p.levels
    )


def test_unknown_levels_and_mismatched_charts_are_refused():
    with pytest.raises(ValueError, match="canton"):
        panels.register_panel(TerritoryPanel("x", "X", ("canton",), lambda territory, user: None))
    with pytest.raises(ValueError, match="2 categories, 1 values"):
        PanelChart("T", ("a", "b"), (1,), x_label="x", y_label="y")


def test_a_failing_panel_is_left_out_and_logged(monkeypatch, caplog, db):
    def broken(territory, user):
        raise RuntimeError("panne")

    def empty(territory, user):
        return PanelData(figures=[], source="s", as_of=None, link="/")

    def fine(territory, user):
        return PanelData(figures=[Figure("Un", 1)], source="s", as_of=None, link="/")

    def secret(territory, user):
        raise AssertionError("a non-public panel is never asked for an anonymous visitor")

    registry = {
        "a-broken": TerritoryPanel("a-broken", "A", ("commune",), broken),
        "b-empty": TerritoryPanel("b-empty", "B", ("commune",), empty),
        "c-fine": TerritoryPanel("c-fine", "C", ("commune",), fine),
        "d-secret": TerritoryPanel("d-secret", "D", ("commune",), secret, public=False),
    }
    monkeypatch.setattr(panels, "_PANELS", registry)
    shown = synthesis.shown_panels(RENNES, AnonymousUser())
    assert [s.panel.service for s in shown] == ["c-fine"]
    assert "territory panel a-broken failed" in caplog.text


def test_charts_are_drawn_by_the_core_component_and_merged_for_comparison():
    from communs.core.charts import BarChart, Series
    from communs.territoires.comparison import merged_chart
    from communs.territoires.templatetags.territoires_panels import panel_chart

    described = PanelChart("Parts", ("Bâti", "Eau"), (60.0, 40.0), x_label="Classe", y_label="Part (%)", unit="%")
    drawn = panel_chart(described, "c1")
    assert drawn["chart"].horizontal and drawn["chart"].chart_id == "c1"
    assert [row["cells"] for row in drawn["table"]["rows"]] == [["60"], ["40"]]
    ready = BarChart("Prêt", ["a"], [Series("s", [1])], x_label="x", y_label="y", chart_id="c2")
    assert panel_chart(ready, "ignored")["chart"] is ready  # a ready core chart is drawn as given
    other = PanelChart("Parts", ("Eau", "Forêt"), (10.0, 90.0), x_label="Classe", y_label="Part (%)", unit="%")
    merged = merged_chart(described, other, ("Rennes", "Ille-et-Vilaine"))
    # One chart over the union of categories, a series per territory: both on one scale.
    assert merged["categories"] == ["Bâti", "Eau", "Forêt"]
    assert merged["series"] == [("Rennes", [60.0, 40.0, None]), ("Ille-et-Vilaine", [None, 10.0, 90.0])]
    assert merged_chart(ready, None, ("a", "b")) is None
