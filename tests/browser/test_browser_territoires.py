"""The territorial search page and the reusable commune autocomplete, in a real browser."""

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_no_serious_axe_violations

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
