"""Pages work under the real Content-Security-Policy, and the policy does block injected scripts.

Our scripts are same-origin files ('self'); the per-response nonce is what a page must carry for
an inline script. An injected inline script without it must not run.
"""

import pytest

from tests.browser.conftest import TIMEOUT_MS, VIEWPORT

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path", ["/", "/connexion/", "/territoires/?q=rennes"])
def test_scripts_run_without_csp_violations(browser, live_server, path):
    context = browser.new_context(base_url=live_server.url, viewport=VIEWPORT, locale="fr-FR")  # CSP enforced
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        console = []
        page.on("console", lambda message: console.append(message.text))
        page.goto(path)
        page.wait_for_load_state("networkidle")
        violations = [text for text in console if "Content Security Policy" in text]
        assert violations == []
        assert page.evaluate("typeof window.htmx") == "object"  # our nonce'd script ran
        assert page.evaluate("document.documentElement.getAttribute('data-fr-js')") == "true"  # DSFR's module ran
        injected_ran = page.evaluate(
            """() => {
                const script = document.createElement("script");
                script.textContent = "window.__injected = true";
                document.body.appendChild(script);
                return window.__injected === true;
            }"""
        )
        assert injected_ran is False
    finally:
        context.close()


def test_api_docs_render_under_the_csp(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport=VIEWPORT, locale="fr-FR")
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        console = []
        page.on("console", lambda message: console.append(message.text))
        page.goto("/api/docs")
        # The server-rendered documentation (site/api_docs.py) lists every operation of our OpenAPI.
        paths = page.locator("article h3 code").all_inner_texts()
        assert any("/api/territoires/communes" in path for path in paths)
        assert [text for text in console if "Content Security Policy" in text] == []
    finally:
        context.close()
