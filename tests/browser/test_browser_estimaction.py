"""Estim'Action dashboard and method page in a real browser, checked with axe-core."""

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_no_serious_axe_violations
from tests.estimaction import files

pytestmark = [pytest.mark.browser]


@pytest.fixture
def rennes(territoires_reference, tmp_path):
    return files.import_and_compute_rennes(tmp_path)


@pytest.fixture
def rennes_with_rail(rennes, tmp_path):
    """Rennes with a rail map besides the road map, so the dashboard has two source blocks."""
    return files.add_rail_map_and_recompute_rennes(tmp_path)


def test_dashboard_passes_axe_and_switches_thresholds_by_keyboard(page, rennes_with_rail):
    page.goto("/estimaction/commune/35238/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Rennes")
    expect(page.get_by_role("img", name="Route : population par bande, Lden (jour-soir-nuit)")).to_be_visible()
    expect(page.get_by_role("img", name="Voie ferrée : population par bande, Lden (jour-soir-nuit)")).to_be_visible()
    expect(page.get_by_role("heading", name="Impacts sanitaires potentiels du bruit, par source")).to_be_visible()
    assert_no_serious_axe_violations(page)
    page.get_by_label("Seuils de comparaison").select_option("regulatory")
    page.get_by_role("button", name="Appliquer").press("Enter")
    expect(page.get_by_role("heading", name="Population au-delà des valeurs limites réglementaires")).to_be_visible()


def test_method_page_passes_axe(page):
    page.goto("/estimaction/methode/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Méthode d'Estim'Action")
    assert_no_serious_axe_violations(page)


def test_search_to_dashboard(page, rennes):
    page.goto("/estimaction/")
    page.get_by_label("Rechercher un territoire").fill("rennes")
    page.get_by_label("Rechercher un territoire").press("Enter")
    page.get_by_role("link", name="Rennes", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rennes")
    assert_no_serious_axe_violations(page)
