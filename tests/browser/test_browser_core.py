"""The site shell in a real browser: accessibility of the public pages, keyboard navigation, login."""

import os
import re
import tempfile
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from communs.core.catalogue import SERVICES
from tests.browser.axe import assert_no_serious_axe_violations

pytestmark = pytest.mark.browser

MAX_TAB_PRESSES = 200

# What a keyboard user has in focus after each Tab: enough to tell elements apart and find their card.
_FOCUSED = """
() => {
  const element = document.activeElement;
  if (!element || element === document.body) return null;
  const card = element.closest("[id^='service-']");
  return {
    tag: element.tagName.toLowerCase(),
    id: element.id,
    href: element.getAttribute("href"),
    text: (element.innerText || element.value || "").trim(),
    card: card ? card.id : null,
    inContent: Boolean(element.closest("#content")),
  };
}
"""


def tab_through(page, limit=MAX_TAB_PRESSES) -> list[dict]:
    """Press Tab from the top of the page until focus leaves the document or comes back to the first stop."""
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(_FOCUSED)
        if focused is None or (stops and focused == stops[0]):
            break
        stops.append(focused)
    return stops


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/", "Communs, les services numériques publics des administrations"),
        ("/connexion/", "Se connecter à Communs"),
        ("/accessibilite/", None),
        ("/mentions-legales/", None),
        (f"/services/{SERVICES[0].slug}/", SERVICES[0].name),
    ],
)
def test_public_page_has_no_serious_axe_violation(page, path, heading):
    response = page.goto(path)
    assert response.status == 200
    h1 = page.locator("h1")
    expect(h1).to_have_count(1)
    if heading:
        expect(h1).to_have_text(heading)
    assert_no_serious_axe_violations(page)


def test_portal_shows_one_card_per_service(page):
    page.goto("/")
    for service in SERVICES:
        card = page.locator(f"#service-{service.slug}")
        expect(card).to_be_visible()
        expect(card.get_by_role("heading", level=3)).to_have_text(service.name)
    expect(page.locator("[id^='service-']")).to_have_count(len(SERVICES))
    assert len(SERVICES) == 13


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_content(page):
    page.goto("/")
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Contenu", exact=True)
    expect(skip_link).to_be_focused()
    expect(skip_link).to_have_attribute("href", "#content")

    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#content$"))
    assert page.evaluate("() => document.querySelector(':target')?.id") == "content"
    # Chromium moves the sequential focus starting point to the target: the next Tab stop is the first
    # link of the main content (the first service card), not the header.
    page.keyboard.press("Tab")
    focused = page.evaluate(_FOCUSED)
    assert focused["inContent"], f"after the skip link, Tab went to {focused}"
    assert focused["card"] == f"service-{SERVICES[0].slug}"


def _card_link_href(service) -> str:
    """An open service's card leads to the service; a card of a service under construction to its presentation."""
    return service.url or reverse("core:service", args=[service.slug])


def test_keyboard_alone_reaches_every_service_card(page):
    page.goto("/")
    stops = tab_through(page)
    assert len(stops) < MAX_TAB_PRESSES, "Tab never came back to the start: focus trap?"
    card_stops = [stop for stop in stops if stop["card"]]

    # One Tab stop per card (fr-enlarge-link makes the title link cover the card), in the portal's order.
    assert [stop["card"] for stop in card_stops] == [f"service-{service.slug}" for service in SERVICES]
    for stop, service in zip(card_stops, SERVICES, strict=True):
        assert (stop["tag"], stop["text"], stop["href"]) == ("a", service.name, _card_link_href(service))


def test_enter_on_a_focused_card_opens_the_service(page):
    service = SERVICES[0]
    page.goto("/")
    page.locator(f"#service-{service.slug} a").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(_card_link_href(service)) + "$"))
    expect(page.locator("h1")).to_have_text(service.name)


def test_keyboard_login_lands_on_portal_with_the_user_name(page, make_user):
    make_user("claire.dupont", first_name="Claire", last_name="Dupont", password="mot-de-passe-solide-42")
    page.goto("/connexion/")
    # Type once the DSFR's script has set the page up, as a person would after it appears.
    page.wait_for_function("document.documentElement.getAttribute('data-fr-js') === 'true'")
    expect(
        page.get_by_role("textbox", name="Identifiant", exact=True)
    ).to_be_focused()  # autofocus: the user types straight away
    page.keyboard.type("claire.dupont")
    page.keyboard.press("Tab")
    focused = page.evaluate(_FOCUSED)
    assert focused and focused["id"] == "id_password", f"Tab from the username went to {focused}"
    page.keyboard.type("mot-de-passe-solide-42")
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/$"))
    expect(page.locator("h1")).to_have_text("Communs, les services numériques publics des administrations")
    expect(page.get_by_role("link", name="Claire Dupont")).to_be_visible()
    assert_no_serious_axe_violations(page)


def test_portal_renders_with_the_dsfr_styles(page):
    page.goto("/")
    # The DSFR stylesheet and its fonts loaded (served by the live server from the app folders).
    assert "Marianne" in page.evaluate("() => getComputedStyle(document.body).fontFamily")
    assert page.evaluate("() => document.fonts.check('1rem Marianne')")
    # For a human look: the portal as a keyboard-less visitor sees it (COMMUNS_SCREENSHOT_DIR, default /tmp).
    screenshot_dir = Path(os.environ.get("COMMUNS_SCREENSHOT_DIR", tempfile.gettempdir()))
    page.screenshot(path=screenshot_dir / "portal.png", full_page=True)


def test_403_page_says_why_in_french_without_axe_violation(page, make_user, live_server):
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(make_user("agent-sans-role"))
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    response = page.goto("/audit/export.csv")
    assert response.status == 403
    expect(page.locator("h1")).to_have_text("Accès refusé")
    expect(page.locator(".fr-alert")).to_contain_text("Motif")
    assert_no_serious_axe_violations(page)
