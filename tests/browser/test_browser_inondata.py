"""Inondata in a real browser: the three.js viewer on WebGL (SwiftShader), the time slider, tables, axe-core."""

import json

import pytest
from django.conf import settings
from playwright.sync_api import expect

from communs.core.numbers import format_number
from tests.browser.axe import assert_no_serious_axe_violations
from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS, require_chromium
from tests.inondata.fixtures import agent, demo_scenarios, inondata_data  # noqa: F401 (fixtures, used by name)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("inondata_data", "agent", "demo_scenarios")]


def _scenarios():
    from communs.inondata.models import Scenario

    return list(Scenario.objects.order_by("pk"))


# three.js (2 MB) and a software-rendered scene: slow on a loaded 2-CPU machine, hence a generous wait.
VIEWER_TIMEOUT_MS = 60_000
# WebGL without a GPU: Chromium's software renderer (SwiftShader through ANGLE). `--disable-gpu`
# from the shared flags is dropped, since it would leave no WebGL at all.
WEBGL_ARGS = [arg for arg in CHROMIUM_ARGS if arg != "--disable-gpu"] + [
    "--use-angle=swiftshader",
    "--enable-unsafe-swiftshader",
]


@pytest.fixture(scope="module")
def browser():
    """Like tests/browser/conftest.py's, with WebGL enabled (see WEBGL_ARGS)."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as env, sync_playwright() as playwright:
        env.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=WEBGL_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


def test_viewer_loads_the_slider_changes_frames_and_the_table_matches_the_summary(page):
    scenario = _scenarios()[0]
    frames = scenario.summary["frames"]
    page.goto(f"/inondata/scenarios/{scenario.pk}/")
    viewer = page.locator("#inondata-viewer-0")
    expect(viewer).to_have_attribute("data-ready", "true", timeout=VIEWER_TIMEOUT_MS)
    assert (
        page.evaluate("() => !!document.querySelector('#inondata-viewer-0 canvas').getContext('webgl2')") is not None
    )
    expect(viewer).to_have_attribute("data-frame", "0")

    rows = page.locator(".inondata-frames tbody tr")
    expect(rows).to_have_count(len(frames))
    for k, frame in enumerate(frames):
        cells = rows.nth(k).locator("th, td").all_inner_texts()
        assert cells[:5] == [
            format_number(frame["t"]),
            format_number(frame["level"], 2),
            format_number(frame["wet_area_m2"]),
            format_number(frame["volume_m3"]),
            format_number(frame["max_depth_m"], 2),
        ]
        assert cells[5:10] == [format_number(v) for v in frame["buildings"].values()]

    slider = page.get_by_label("Curseur du temps (glissez ou utilisez les flèches)")
    slider.focus()
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    expect(viewer).to_have_attribute("data-frame", "4", timeout=VIEWER_TIMEOUT_MS)
    expect(page.locator(".inondata-map__depth")).to_have_attribute(
        "href", f"/inondata/scenarios/{scenario.pk}/fichiers/profondeur-004.png"
    )
    expect(rows.nth(4)).to_have_attribute("aria-current", "true")
    expect(page.locator("#inondata-frame-label")).to_contain_text("niveau 15,60 m")
    # The pixels under the viewer changed: the water rose.
    assert page.evaluate("() => document.body.dataset.inondataFrame") == "4"
    assert_no_serious_axe_violations(page)


def test_without_javascript_the_frame_form_gives_the_same_tables(browser, live_server):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        scenario = _scenarios()[0]
        page.goto(f"/inondata/scenarios/{scenario.pk}/")
        page.get_by_label("Instant de l'hydrogramme").select_option("4")
        page.get_by_role("button", name="Afficher cet instant").click()
        expect(page.locator(".inondata-frames tbody tr").nth(4)).to_have_attribute("aria-current", "true")
        caption = page.locator(".inondata-buildings caption")
        expect(caption).to_contain_text(f"{scenario.summary['frames'][4]['buildings_affected']} sur")
    finally:
        context.close()


def test_comparison_home_and_editor_pass_axe(page, live_server, client, django_user_model):
    first, second = _scenarios()
    ddt_agent = django_user_model.objects.get(username="agent-ddt")
    page.goto(f"/inondata/scenarios/{first.pk}/?comparer={second.pk}&frame=3")
    expect(page.locator("#inondata-viewer-1")).to_have_attribute("data-ready", "true", timeout=VIEWER_TIMEOUT_MS)
    expect(page.locator("#inondata-viewer-1")).to_have_attribute("data-frame", "3")
    assert_no_serious_axe_violations(page)
    page.goto("/inondata/")
    assert_no_serious_axe_violations(page)
    client.force_login(ddt_agent)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    page.goto("/inondata/scenarios/nouveau/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Nouveau scénario")
    assert_no_serious_axe_violations(page)
    page.goto(f"/inondata/scenarios/{first.pk}/")
    page.get_by_role("button", name="Créer un lien de lecture seule (réunion avec les élus)").click()
    link = page.locator(".fr-alert--success, .fr-alert").first.inner_text().split(" : ", 1)[1].strip()
    page.context.clear_cookies()
    page.goto(link)
    expect(page.get_by_text("Lien de partage — lecture seule")).to_be_visible()
    expect(page.locator("#inondata-viewer-0")).to_have_attribute("data-ready", "true", timeout=VIEWER_TIMEOUT_MS)
    assert json.loads(page.locator("#inondata-viewers").inner_text())[0]["scene"].startswith("/inondata/partage/")
    assert_no_serious_axe_violations(page)
