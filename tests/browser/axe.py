"""Accessibility checks with axe-core, for the browser tests of every service.

The RGAA (the French public-sector accessibility standard, which follows WCAG 2.1 level AA) cannot be
checked by a machine alone, but axe-core finds the violations a machine can prove. A test fails when a
page has a violation of impact "serious" or "critical" among the WCAG 2.0/2.1 A and AA rules.

axe-core is vendored under `tests/browser/vendor/` (no CDN at run time). The site's Content-Security-Policy
only runs scripts carrying the response's nonce, and Playwright injects `add_script_tag(path=...)` as an
inline script, so pages checked here must come from a context opened with `bypass_csp=True` (the `page`
fixture of `tests/browser/conftest.py` does).
"""

from pathlib import Path

AXE_VERSION = "4.14.1"
AXE_SCRIPT = Path(__file__).parent / "vendor" / f"axe-core-{AXE_VERSION}" / "axe.min.js"

WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
BLOCKING_IMPACTS = frozenset({"serious", "critical"})

_RUN_AXE = """
async (tags) => {
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return results.violations.map((violation) => ({
    id: violation.id,
    impact: violation.impact,
    help: violation.help,
    helpUrl: violation.helpUrl,
    targets: violation.nodes.map((node) => node.target.join(" ")),
  }));
}
"""


def axe_violations(page, tags=WCAG_TAGS) -> list[dict]:
    """Run axe-core on the page as it is now and return every violation (all impacts).

    Waits for the document to be parsed first: right after a click on a link the new page may be
    committed with no <head> yet, and injecting axe-core there fails."""
    page.wait_for_load_state("domcontentloaded")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_SCRIPT))
    return page.evaluate(_RUN_AXE, list(tags))


def format_violations(violations: list[dict]) -> str:
    """One readable block per violation: rule id, impact, help text, then the CSS selectors of the nodes."""
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} <{violation['helpUrl']}>")
        lines.extend(f"    {target}" for target in violation["targets"])
    return "\n".join(lines)


def assert_no_serious_axe_violations(page, tags=WCAG_TAGS) -> list[dict]:
    """Fail when axe-core finds a serious or critical WCAG A/AA violation; return the minor and moderate ones."""
    violations = axe_violations(page, tags)
    blocking = [violation for violation in violations if violation["impact"] in BLOCKING_IMPACTS]
    if blocking:
        raise AssertionError(
            f"axe-core {AXE_VERSION} found {len(blocking)} serious or critical violation(s) on {page.url}:\n"
            + format_violations(blocking)
        )
    return violations
