"""Recens'smart in a real browser: the 2022 census for a household of three (links included),
the RGAA error pattern, warnings, save and resume, and axe-core on every page type."""

import json

import pytest
from playwright.sync_api import expect

from communs.recensmart import services
from communs.recensmart.engine.runtime import answer_form
from tests.browser.axe import assert_no_serious_axe_violations
from tests.recensmart.factories import DESIGNER, campaign
from tests.recensmart.helpers import DATA, MENAGE, needs_shared, shared

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _axe_clean(page):
    """Zero violations at levels A/AA, whatever their impact."""
    assert assert_no_serious_axe_violations(page) == []


def _unit(make_user, path=MENAGE):
    designer = make_user("concepteur", grants=DESIGNER)
    camp = campaign(designer, path=path)
    unit, code = services.create_unit(camp, "L1")
    return unit, code, designer


def _enter(page, code):
    page.goto("/recensmart/")
    page.get_by_label("Code d'accès").fill(code)
    page.get_by_role("button", name="Accéder au questionnaire").click()


def _click_and_wait(page, button):
    """Click a submit button and wait for the next page: each page render signs a new `shown`
    stamp, so a changed stamp (or the review page) means the browser shows the server's answer."""
    old = page.locator("input[name=shown]").get_attribute("value")
    button.click()
    page.wait_for_function(
        "old => location.pathname.includes('relecture')"
        " || (document.querySelector('input[name=shown]') || {}).value !== old",
        arg=old,
    )


_SET_FIELDS = """
(fields) => {
  const missing = [];
  for (const [name, value] of Object.entries(fields)) {
    const controls = document.querySelectorAll(`[name="${name}"]`);
    if (!controls.length) { missing.push(name); continue; }
    for (const control of controls) {
      if (control.type === "radio") control.checked = control.value === value;
      else if (control.type === "checkbox") control.checked = true;
      else control.value = value;
    }
  }
  return missing;
}
"""


def _fill(page, engine, unit, answers):
    """Fill the current page from `answers` as a respondent would, using the engine only to know
    which value goes in which field (the same mapping `simulate` uses)."""
    unit.refresh_from_db()
    key = page.locator("input[name=page]").get_attribute("value")
    screen = engine.screen(unit.data, key)
    form = answer_form(engine, screen, answers, unit.data)
    if screen.kind == "roster":
        wanted = int(form[f"__rows__{screen.container.id}"][0])
        while page.locator(f"input[name=__rows__{screen.container.id}]").get_attribute("value") != str(wanted):
            _click_and_wait(page, page.get_by_role("button", name="Ajouter une personne"))
    fields = {name: values[0] for name, values in form.items() if not name.startswith("__rows__")}
    # One round trip per page: set the controls as a respondent's clicks and typing would.
    missing = page.evaluate(_SET_FIELDS, fields)
    assert missing == [], f"page {key}: no control for {missing}"
    return key, screen


def _continue(page):
    _click_and_wait(page, page.get_by_role("button", name="Continuer", exact=True))
    if page.locator("#error-summary.fr-alert--warning").count():
        _click_and_wait(page, page.get_by_role("button", name="Continuer", exact=True))


@needs_shared
def test_census_household_of_three_end_to_end(page, make_user):
    unit, code, _ = _unit(make_user, shared("recensement.json"))
    engine = services.engine_for(unit.campaign.version)
    answers = json.loads((DATA / "recensement-menage-3.json").read_text(encoding="utf-8"))
    _enter(page, code)
    _axe_clean(page)
    checked_kinds = set()
    seen = []
    for _ in range(200):
        if "/relecture/" in page.url:
            break
        key, screen = _fill(page, engine, unit, answers)
        seen.append(key)
        kinds = {screen.kind} | {item.component.type for item in screen.items}
        if key == "16#2-1":
            # Paul → Anne answered "spouse" (1) two pages earlier: Anne → Paul comes pre-filled.
            expect(page.locator("select[name=LINKS]")).to_have_value("1")
        if kinds - checked_kinds:
            _axe_clean(page)
            checked_kinds |= kinds
        _continue(page)
    links = [k for k in seen if k.startswith("16#")]
    assert links == ["16#1-2", "16#1-3", "16#2-1", "16#2-3", "16#3-1", "16#3-2"], seen
    assert {"roster", "pairwise", "loop", "roundabout", "Radio", "Input", "CheckboxGroup", "Dropdown"} <= checked_kinds
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifiez vos réponses avant de les envoyer")
    _axe_clean(page)
    page.get_by_role("button", name="Envoyer mes réponses").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Merci, vos réponses ont été envoyées")
    _axe_clean(page)
    unit.refresh_from_db()
    assert unit.status == "COMPLETED"
    assert unit.data["PRENOM"] == ["Paul", "Anne", "Léa"]
    assert unit.data["LINKS"] == [[None, "1", "3"], ["1", None, "3"], ["2", "2", None]]


def test_error_pattern_warning_and_resume(page, make_user):
    unit, code, _ = _unit(make_user)
    _enter(page, code)
    _continue(page)  # sequence page
    page.get_by_label("Non").check(force=True)
    _continue(page)
    field = page.get_by_label("Combien de pièces")
    field.fill("25")
    page.get_by_role("button", name="Continuer", exact=True).click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Un logement compte au plus 20 pièces")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_attribute("aria-describedby", "q-NBPIECES-hint q-NBPIECES-error")
    expect(page.locator("#q-NBPIECES-error")).to_have_text("Un logement compte au plus 20 pièces d'habitation.")
    _axe_clean(page)
    summary.get_by_role("link").click()
    expect(field).to_be_focused()
    field.fill("12")
    page.get_by_role("button", name="Continuer", exact=True).click()
    expect(page.locator("#error-summary.fr-alert--warning")).to_contain_text("Plus de 10 pièces")
    _axe_clean(page)
    page.get_by_role("button", name="Continuer", exact=True).click()  # a WARN lets the second click through
    expect(page.locator("#progress-text")).to_contain_text("Page 4 sur")
    page.get_by_role("link", name="Enregistrer et reprendre plus tard").click()
    expect(page.get_by_role("button", name="Quitter le questionnaire")).to_be_visible()
    _axe_clean(page)
    page.get_by_role("button", name="Quitter le questionnaire").click()
    _enter(page, code)
    expect(page.locator("#progress-text")).to_contain_text("Page 4 sur")  # back where they stopped
    page.get_by_role("button", name="Page précédente").click()
    expect(page.get_by_label("Combien de pièces")).to_have_value("12")
    page.get_by_label("Combien de pièces").fill("13")
    page.get_by_role("button", name="Page précédente").click()  # a draft: 13 is kept
    page.get_by_role("button", name="Continuer", exact=True).click()
    expect(page.get_by_label("Combien de pièces")).to_have_value("13")
    page.get_by_label("Combien de pièces").fill("treize")
    page.get_by_role("button", name="Page précédente").click()  # not a number: not kept, and said
    expect(page.get_by_role("status").first).to_contain_text("réponse non enregistrée")
    _axe_clean(page)


def test_backoffice_pages_pass_axe(page, make_user, live_server):
    unit, code, designer = _unit(make_user)
    camp = unit.campaign
    page.context.add_cookies(_session_cookie(designer, live_server))
    for url in (
        "/recensmart/gestion/",
        f"/recensmart/gestion/versions/{camp.version.pk}/",
        f"/recensmart/gestion/versions/{camp.version.pk}/apercu/",
        f"/recensmart/gestion/campagnes/{camp.pk}/",
    ):
        page.goto(url)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        _axe_clean(page)


def _session_cookie(user, live_server):
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    return [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
