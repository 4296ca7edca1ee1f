"""Browser-test harness: Playwright (from PyPI) driving Debian's Chromium against pytest-django's live server.

Fixtures for every service's browser tests:
- `browser`: one headless Chromium per test module, from /usr/bin/chromium. Playwright's
  own browser downloads are never used: this machine and CI reach no download host.
- `page`: a fresh browser context and page per test, with `base_url` set to the live server, so tests call
  `page.goto("/connexion/")`. The context bypasses the Content-Security-Policy so axe-core can be injected.

When /usr/bin/chromium is missing the tests are skipped with the reason, except under CI (the `CI`
environment variable is set), where a missing browser is an installation bug and fails the run.

Mark browser tests `@pytest.mark.browser`; check pages with `tests.browser.axe.assert_no_serious_axe_violations`.
"""

import pytest

from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS, require_chromium

VIEWPORT = {"width": 1280, "height": 800}
TIMEOUT_MS = 15_000


@pytest.fixture(scope="session", autouse=True)
def _live_server_static_root(tmp_path_factory):
    """An empty STATIC_ROOT for the live server.

    The live server serves /static/ from the app folders itself (Django's StaticFilesHandler, ahead of the
    middleware), so no collectstatic is needed; but WhiteNoise warns when STATIC_ROOT does not exist yet,
    which `filterwarnings = error` turns into an error on a fresh clone.
    """
    from django.test import override_settings

    with override_settings(STATIC_ROOT=str(tmp_path_factory.mktemp("staticfiles"))):
        yield


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module (and xdist worker).

    While Playwright's sync API is started, its asyncio loop counts as running in the test thread, so Django
    refuses ORM calls (SynchronousOnlyOperation), the test database flush included. DJANGO_ALLOW_ASYNC_UNSAFE
    lifts that, but only for as long as Playwright runs: set for the whole session, it would leak into every
    later test and subprocess of the worker (`communs check --deploy` rejects it as async.E001). Hence the
    module scope rather than the session.
    """
    require_chromium()
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as env, sync_playwright() as playwright:
        env.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def browser_context(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url,
        bypass_csp=True,
        viewport=VIEWPORT,
        locale="fr-FR",
        timezone_id="Europe/Paris",
    )
    context.set_default_timeout(TIMEOUT_MS)
    try:
        yield context
    finally:
        context.close()


@pytest.fixture
def page(browser_context):
    page = browser_context.new_page()
    page_errors = []
    page.on("pageerror", lambda error: page_errors.append(error))
    yield page
    # A JavaScript error on a page is a bug, even when the test's own assertions passed.
    assert not page_errors, f"JavaScript errors on {page.url}: {page_errors}"
