"""The territorial search page and the reusable commune autocomplete, in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_no_serious_axe_violations
from tests.cosia.conftest import RASTERIO_AFFINE_WARNING
from tests.cosia.fixtures import cosia_data, demo_files  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("territoires_reference")]


def test_search_page_with_results_passes_axe(page):
    page.goto("/territoires/?q=rennes")
    expect(page.get_by_role("heading", level=1)).to_have_text("Référentiel territorial")
    expect(page.locator("tbody th").first).to_have_text("Rennes")
    assert_no_serious_axe_violations(page)


def test_autocomplete_suggests_while_typing_and_the_form_works_by_keyboard(page):
    page.goto("/territoires/")
    field = page.get_by_label("Rechercher une commune")
    field.press_sequentially("saint eti", delay=30)
    suggestion = page.locator("datalist option").first
    expect(suggestion).to_have_attribute("value", "Saint-Étienne (42218)")
    field.press("Enter")
    expect(page.locator("caption")).to_contain_text("saint eti")
    expect(page.locator("tbody th").first).to_have_text("Saint-Étienne")


@pytest.fixture
def rennes_with_panels(territoires_reference, tmp_path, request, django_capture_on_commit_callbacks):
    """Rennes computed by Estim'Action, then its contour and CoSIA statistics (tests/territoires)."""
    from tests.estimaction.files import import_and_compute_rennes
    from tests.territoires import synthesis_data

    request.getfixturevalue("cosia_data")
    import_and_compute_rennes(tmp_path)
    synthesis_data.cosia_statistics_of_rennes(
        request.getfixturevalue("demo_files"), django_capture_on_commit_callbacks
    )


@pytest.mark.filterwarnings(RASTERIO_AFFINE_WARNING)
def test_territory_page_and_comparison_pass_axe_and_work_by_keyboard(page, rennes_with_panels):
    page.goto("/territoires/?q=rennes")
    link = page.get_by_role("link", name="Rennes", exact=True).first
    link.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rennes")
    expect(page.get_by_role("heading", name="CoSIA : couverture du sol")).to_be_visible()
    expect(page.get_by_role("heading", name="Estim'Action : bruit, air et santé")).to_be_visible()
    expect(page.get_by_role("img", name="Contour de Rennes et de ses voisins")).to_be_visible()
    assert_no_serious_axe_violations(page)
    # The summary's links lead to each panel; the chart's table opens by keyboard.
    summary = page.get_by_role("link", name="Estim'Action : bruit, air et santé", exact=True)
    summary.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#panneau-estimaction$"))
    # Compare with another territory, keyboard only: the département is proposed; type the région instead.
    level = page.get_by_label("Niveau")
    level.focus()
    level.select_option("region")
    code = page.get_by_label("Code")
    code.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("53")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Comparer Rennes et Bretagne")
    page.goto("/territoires/commune/35238/comparer/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Comparer Rennes et Ille-et-Vilaine")
    expect(page.get_by_role("heading", name="Estim'Action : bruit, air et santé")).to_be_visible()
    assert_no_serious_axe_violations(page)
