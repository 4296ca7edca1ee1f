"""The CoSIA map page in a real browser: tiles, legend, statistics panel, axe-core; offline base map."""

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_no_serious_axe_violations
from tests.cosia.conftest import RASTERIO_AFFINE_WARNING
from tests.cosia.fixtures import cosia_data, demo_files, departement_35, ingested  # noqa: F401 (fixtures)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("ingested"),
    pytest.mark.filterwarnings(RASTERIO_AFFINE_WARNING),
]


def _offline(page):
    """No network beyond the live server: the IGN base map requests fail, as they would offline."""
    page.route("https://data.geopf.fr/**", lambda route: route.abort())


def _tile_responses(page) -> list:
    responses = []
    page.on("response", lambda r: responses.append(r) if "/cosia/tuiles/" in r.url else None)
    return responses


def test_map_page_loads_tiles_legend_and_statistics_and_passes_axe(page):
    _offline(page)
    tiles = _tile_responses(page)
    page.goto("/cosia/?territoire=demo&millesime=2024")
    expect(page.get_by_role("heading", level=1)).to_contain_text("CoSIA")
    expect(page.locator("#cosia-map")).to_have_attribute("data-cosia-tiles", "loaded")
    assert any(r.status == 200 and r.headers["content-type"] == "image/png" for r in tiles)
    expect(page.locator("[data-class-toggle]")).to_have_count(17)
    expect(page.get_by_role("table", name="Surface et part de chaque classe")).to_be_visible()
    expect(page.locator("#stats-table tbody tr")).to_have_count(17)
    assert_no_serious_axe_violations(page)
    # Legend toggle by keyboard: the overlay is requested again without Bâtiment (code 1).
    with page.expect_response(lambda r: "masquer=1" in r.url and r.status == 200):
        page.get_by_label("Bâtiment").focus()
        page.keyboard.press("Space")


def test_map_works_under_the_real_csp_and_the_form_by_keyboard(browser, live_server):
    """Without bypass_csp: the MapLibre CSP build and its static worker run under the site's CSP."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)
    try:
        _offline(page)
        page.goto("/cosia/")
        field = page.get_by_label("Territoire")
        field.fill("demo")
        field.press("Enter")
        expect(page.locator("#stats-table caption")).to_contain_text("Commune de démonstration")
        expect(page.locator("#cosia-map")).to_have_attribute("data-cosia-tiles", "loaded")
    finally:
        context.close()
    assert not errors


def test_failed_tiles_are_announced_and_do_not_break_the_legend_toggles(page):
    """A tile the server fails on (here one in three) is said under the map; toggling a class
    afterwards must not crash the renderer (MapLibre 5.24 did, through setTiles(): issue #7775)."""
    _offline(page)
    failed = []

    def fail_some(route):
        x, y = route.request.url.split("?")[0].rsplit("/", 2)[-2:]
        if (int(x) + int(y.removesuffix(".png"))) % 3 == 0:
            failed.append(route.request.url)
            route.fulfill(status=500, body="Erreur serveur")
        else:
            route.continue_()

    page.route("**/cosia/tuiles/**", fail_some)
    page.goto("/cosia/?territoire=demo&millesime=2024")
    status = page.locator("#cosia-tile-errors")
    expect(status).to_be_visible()
    expect(status).to_contain_text("n'ont pas pu être chargées")
    assert failed
    with page.expect_response(lambda r: "masquer=1" in r.url and r.status == 200):
        page.get_by_label("Bâtiment").focus()
        page.keyboard.press("Space")
    # The page fixture then fails the test on any JavaScript error the renderer threw.


def test_product_page_gives_the_wmts_address_and_passes_axe(page):
    _offline(page)
    page.goto("/cosia/")
    page.get_by_role("link", name="Ajouter cette carte à votre SIG (flux WMTS pour QGIS, ArcGIS)").click()
    expect(page.get_by_role("heading", name="Utiliser les tuiles dans un SIG (WMTS)")).to_be_visible()
    address = page.locator("#wmts-url").inner_text()
    assert address.endswith("/cosia/wmts/1.0.0/WMTSCapabilities.xml")
    response = page.request.get(address)
    assert response.ok and "<ows:Identifier>cosia-2024</ows:Identifier>" in response.text()
    assert_no_serious_axe_violations(page)
