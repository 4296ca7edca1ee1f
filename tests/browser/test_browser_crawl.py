"""Every page, as every demo role: crawled from the portal and checked, not only the pages a test names.

With the demo data of every app loaded, each role (anonymous, then each account of
`communs.core.demo`) starts at the portal and at /api/docs and follows the site's links breadth
first, one page of each kind (identifiers blanked: /estimaction/commune/35238/ and …/29019/ are one
kind), at most `COMMUNS_CRAWL_MAX_PER_SECTION` pages per first path segment (default 3: every service
gets its turn) and `COMMUNS_CRAWL_MAX_PAGES` pages per role (default 25; it runs twice in CI).
Skipped: logout, the Django admin, downloads and exports, the JSON API (see `tests/browser/crawl.py`).

On every page: no 5xx, no JavaScript error or console error, axe-core zero serious or critical
violations, no localised number in a machine attribute, charts with axes, table and drawn marks,
no visible snake_case identifier. A full-page screenshot of each page goes to
`var/screenshots/<role>/` so that a person can look at all pages in one folder (`make screenshots`).
"""

import io
import os
import re
import shutil
from collections import deque
from pathlib import Path

import pytest
from django.core.management import call_command
from django.template import Context, Template
from django.test import Client
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from communs.core.charts import BarChart, Series
from communs.core.demo import DEMO_ACCOUNTS
from tests.browser.axe import BLOCKING_IMPACTS, axe_violations, format_violations
from tests.browser.crawl import followable, page_links, page_problems, pattern_of, same_site_paths

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "var" / "screenshots"
MAX_PAGES = int(os.environ.get("COMMUNS_CRAWL_MAX_PAGES", "25"))
MAX_PER_SECTION = int(os.environ.get("COMMUNS_CRAWL_MAX_PER_SECTION", "3"))
SEEDS = ("/", "/api/docs")
ANONYMOUS = "anonyme"
ROLES = (ANONYMOUS, *(account.username for account in DEMO_ACCOUNTS))


def _screenshot_name(path: str) -> str:
    return (re.sub(r"[^a-zA-Z0-9]+", "-", path).strip("-") or "accueil") + ".png"


def _log_in(context, username: str, origin: str) -> None:
    """Log the browser in as a demo account through a real session (the login form itself is
    tested by test_browser_core)."""
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    cookie = client.cookies["sessionid"]
    context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": origin}])


def crawl(context, origin: str, role: str) -> tuple[list[str], list[str]]:
    """Visit and check the pages one role reaches; return (pages visited, problems found)."""
    folder = SCREENSHOTS / role
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    page = context.new_page()
    console: list[str] = []

    def on_console(message) -> None:
        if message.type != "error":
            return
        url = (message.location or {}).get("url", "")
        if message.text.startswith("Failed to load resource") and (
            # The page's own status is checked on its response (a 403 page is a page); the test
            # machine reaches no other host (CoSIA's basemap): neither is a console error of ours.
            url.split("?")[0] == page.url.split("?")[0] or not url.startswith(origin)
        ):
            return
        console.append(f"{message.text} ({url})" if url else message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: console.append(f"page error: {error}"))
    queue = deque(SEEDS)
    seen = {pattern_of(path) for path in SEEDS}
    visited, problems = [], []
    per_section: dict[str, int] = {}  # pages queued per service, so that every service gets its turn
    while queue and len(visited) < MAX_PAGES:
        path = queue.popleft()
        console.clear()
        response = page.goto(path, wait_until="load")
        final = re.sub(r"^https?://[^/]+", "", page.url).split("?")[0]
        seen.add(pattern_of(final))
        visited.append(path)
        where = f"[{role}] {path}"
        if response is None or response.status >= 500:
            problems.append(f"{where}: HTTP {response.status if response else 'no response'}")
            continue
        try:
            page.screenshot(path=str(folder / _screenshot_name(path)), full_page=True, animations="disabled")
        except PlaywrightTimeoutError:
            # A slow machine, not a defect of the page: say so, and check the page all the same.
            print(f"{where}: full-page screenshot timed out")  # noqa: T201
        blocking = [v for v in axe_violations(page) if v["impact"] in BLOCKING_IMPACTS]
        if blocking:
            problems.append(f"{where}: axe-core\n{format_violations(blocking)}")
        problems.extend(f"{where}: {problem}" for problem in page_problems(page))
        problems.extend(f"{where}: console error: {message}" for message in console)
        for link in same_site_paths(page_links(page), origin):
            section = link.strip("/").split("/")[0]
            if followable(link) and pattern_of(link) not in seen and per_section.get(section, 0) < MAX_PER_SECTION:
                seen.add(pattern_of(link))
                per_section[section] = per_section.get(section, 0) + 1
                queue.append(link)
    page.close()
    return visited, problems


def test_every_page_as_every_demo_role(browser, live_server):
    call_command("demo", stdout=io.StringIO())
    report, problems = [], []
    for role in ROLES:
        context = browser.new_context(
            base_url=live_server.url, bypass_csp=True, viewport={"width": 1280, "height": 900}, locale="fr-FR"
        )
        context.set_default_timeout(30_000)
        try:
            if role != ANONYMOUS:
                _log_in(context, role, live_server.url)
            visited, found = crawl(context, live_server.url, role)
        finally:
            context.close()
        report.append(f"{role}: {len(visited)} pages")
        problems.extend(found)
    print("\n".join(report))  # noqa: T201 - the crawl's coverage in the test output
    assert all(int(line.split(": ")[1].split()[0]) >= 3 for line in report), report
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)


def _chart_html() -> str:
    chart = BarChart(
        title="Population par bande",
        categories=["55-60 dB", "60-65 dB"],
        series=[Series("Habitants", [380.0, 120.5])],
        x_label="Bande",
        y_label="Habitants",
        horizontal=True,
    )
    body = Template("{% load communs_charts %}{% chart c %}").render(Context({"c": chart}))
    return f'<!DOCTYPE html><html lang="fr"><head><title>t</title></head><body><main>{body}</main></body></html>'


def test_the_checks_pass_a_chart_of_the_suite(page):
    page.set_content(_chart_html())
    assert page_problems(page) == []


def test_a_bar_width_written_with_a_comma_fails_the_checks(page):
    """The Estim'Action bug: French localisation applied to an SVG length. The browser rejects
    "380,0", draws nothing, and the crawl's checks say so twice."""
    page.set_content(_chart_html())
    page.eval_on_selector(".communs-chart__mark", "rect => rect.setAttribute('width', '380,0')")
    problems = page_problems(page)
    assert any('width="380,0" is not a machine number' in p for p in problems), problems
    assert any("is drawn with no size" in p for p in problems), problems


def test_a_visible_code_identifier_fails_the_checks(page):
    page.set_content(
        '<html lang="fr"><body><p>Pondérations : precarity_rate 15, voir fichier cartes_carburant.csv,'
        " écrire à jean_dupont@example.org</p><p><code>delai_carence</code></p></body></html>"
    )
    problems = page_problems(page)
    assert len(problems) == 1 and problems[0].startswith('visible code identifier "precarity_rate"'), problems
