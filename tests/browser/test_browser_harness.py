"""The browser-test harness itself: the missing-browser rule, and axe-core really finding violations."""

import pytest

from tests.browser.axe import AXE_SCRIPT, assert_no_serious_axe_violations
from tests.browser.chromium import require_chromium


def test_missing_chromium_skips_outside_ci(tmp_path):
    with pytest.raises(pytest.skip.Exception, match="apt-get install -y chromium"):
        require_chromium(tmp_path / "chromium", environ={})


def test_missing_chromium_fails_under_ci(tmp_path):
    with pytest.raises(pytest.fail.Exception, match="CI must run the browser tests"):
        require_chromium(tmp_path / "chromium", environ={"CI": "true"})


def test_present_chromium_neither_skips_nor_fails(tmp_path):
    chromium = tmp_path / "chromium"
    chromium.touch()
    require_chromium(chromium, environ={"CI": "true"})


def test_vendored_axe_is_the_announced_version():
    assert AXE_SCRIPT.read_text(encoding="utf-8").startswith("/*! axe v4.14.1")


@pytest.mark.browser
def test_axe_reports_serious_violations_with_rule_impact_and_target(page):
    # An image without a text alternative and a nameless button: two critical WCAG A failures.
    page.set_content(
        '<!doctype html><html lang="fr"><head><title>Essai</title></head>'
        '<body><main><h1>Essai</h1><img src="data:," id="no-alt"><button id="no-name"></button></main></body></html>'
    )
    with pytest.raises(AssertionError) as failure:
        assert_no_serious_axe_violations(page)
    message = str(failure.value)
    assert "- image-alt (critical):" in message
    assert "#no-alt" in message
    assert "- button-name (critical):" in message
    assert "#no-name" in message
