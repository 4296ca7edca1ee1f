"""PILOTE in a real browser: dashboard, a chantier page with its map, the entry form (axe-core, keyboard)."""

from datetime import date

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.browser.axe import assert_no_serious_axe_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def pilote_data(db, make_user):
    from communs.pilote import services
    from communs.pilote.models import Chantier, Indicator, Ministere

    ministere = Ministere.objects.create(code="LOG", nom="Ministère du Logement")
    chantier = Chantier.objects.create(
        code="renovation", nom="Rénovation énergétique", ministere=ministere, axe="Écologie"
    )
    indicator = Indicator.objects.create(
        code="logements",
        chantier=chantier,
        nom="Logements rénovés",
        unite="logements",
        weight_nat=1,
        weight_reg=1,
        weight_dept=1,
        entry=Indicator.Entry.LOCAL,
        source="ANAH",
        methode="Dossiers soldés",
    )
    central = make_user("centrale-log", password=None)
    ministere.agents.add(central)
    for position, code in enumerate(("35", "22", "29", "56", "31")):
        territory = f"DEPT-{code}"
        services.save_value(central, indicator, territory, date(2026, 1, 1), "vi", 0)
        services.save_value(central, indicator, territory, date(2027, 12, 31), "vc", 100)
        services.save_value(central, indicator, territory, date(2026, 5, 31), "va", 45 + 10 * position)
    services.save_value(central, indicator, "DEPT-35", date(2026, 4, 30), "va", 40)
    agent = make_user("agent-35", grants=[("pilote", "contributeur", "departement", "35")], password=None)
    return {"central": central, "agent": agent}


@pytest.fixture
def logged_page(page, client, live_server, pilote_data):
    client.force_login(pilote_data["agent"])
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return page


def test_dashboard_passes_axe(logged_page):
    logged_page.goto("/pilote/?territoire=DEPT-35")
    expect(logged_page.get_by_role("heading", level=1)).to_have_text("Tableau de bord PILOTE")
    expect(logged_page.get_by_role("link", name="Rénovation énergétique")).to_be_visible()
    assert_no_serious_axe_violations(logged_page)


def test_chantier_page_with_its_map_passes_axe(logged_page):
    logged_page.goto("/pilote/chantier/renovation/?territoire=DEPT-35")
    expect(logged_page.get_by_role("heading", level=1)).to_have_text("Rénovation énergétique")
    expect(logged_page.get_by_role("img", name="Cartogramme des départements")).to_be_visible()
    expect(logged_page.locator("svg.pilote-map rect")).to_have_count(101)
    expect(logged_page.get_by_role("row", name="Ille-et-Vilaine (35) 45,0 %")).to_be_visible()
    assert_no_serious_axe_violations(logged_page)


def test_entry_form_by_keyboard_passes_axe(logged_page):
    logged_page.goto("/pilote/saisie/?indicateur=logements&territoire=DEPT-35")
    expect(logged_page.get_by_role("heading", level=1)).to_have_text("Saisie des valeurs")
    assert_no_serious_axe_violations(logged_page)
    logged_page.get_by_label("Date de la valeur").fill("2026-06-30")
    value = logged_page.locator("#id_valeur-valeur")
    value.fill("60")
    value.press("Enter")
    expect(logged_page.get_by_role("heading", level=1)).to_contain_text("Logements rénovés")
    # An indicator value of 60 reads "60" (communs_numbers.valeur drops trailing zeros).
    expect(logged_page.locator("table").first).to_contain_text("30/06/202660")
    assert_no_serious_axe_violations(logged_page)


def test_entry_outside_the_departement_is_refused(logged_page):
    logged_page.goto("/pilote/saisie/?indicateur=logements&territoire=DEPT-22")
    logged_page.get_by_label("Date de la valeur").fill("2026-06-30")
    logged_page.locator("#id_valeur-valeur").fill("60")
    logged_page.get_by_role("button", name="Enregistrer la valeur").click()
    expect(logged_page.get_by_role("alert")).to_contain_text("hors de votre périmètre")
