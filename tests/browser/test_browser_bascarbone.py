"""État bas carbone in a real browser: the entry form, the dashboard and the import report pass axe-core."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from communs.bascarbone import services
from communs.bascarbone.engine.inventory import ActivityLine
from tests.bascarbone.factories import CorrespondentFactory, build_tree
from tests.bascarbone.paths import DATA
from tests.browser.axe import assert_no_serious_axe_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def spe_page(page, make_user, live_server):
    """A correspondent of préfecture 35, logged in through a session cookie."""
    tree = build_tree()
    user = make_user("spe-35")
    CorrespondentFactory(user=user, entity=tree["prefecture-35"])
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page.spe = user
    page.tree = tree
    return page


def test_entry_form_passes_axe_and_records_a_line(spe_page):
    page = spe_page
    page.goto("/bascarbone/entites/prefecture-35/2025/saisie/?poste=1.2")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Saisie des données d'activité")
    assert_no_serious_axe_violations(page)
    page.get_by_label("Facteur d'émission").select_option("gazole-routier")
    page.get_by_label("Quantité").fill("1000")
    page.get_by_label("Unité").fill("L")
    page.get_by_label("Libellé").fill("Flotte de la préfecture")
    page.get_by_role("button", name="Enregistrer la donnée").click()
    expect(page.locator("table")).to_contain_text("Flotte de la préfecture")
    assert_no_serious_axe_violations(page)


def test_dashboard_passes_axe(spe_page):
    page = spe_page
    inventory = services.get_or_create_inventory(page.spe, page.tree["prefecture-35"], 2025)
    services.add_activity(page.spe, inventory, ActivityLine("1.2", "gazole-routier", 1000, "L"))
    services.add_activity(page.spe, inventory, ActivityLine("2.1", "electricite-france", 10000, "kWh"))
    page.goto("/bascarbone/entites/prefecture-35/2025/")
    expect(page.locator("#total")).to_contain_text("tCO2e")
    expect(page.get_by_role("img", name="Émissions par poste BEGES, en tCO2e")).to_be_visible()
    assert_no_serious_axe_violations(page)


def test_import_report_passes_axe(spe_page):
    page = spe_page
    page.goto("/bascarbone/entites/prefecture-35/2025/import/")
    assert_no_serious_axe_violations(page)
    page.get_by_label("Fichier d'activités").set_input_files(str(DATA / "cartes_carburant.csv"))
    page.get_by_role("button", name="Importer").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rapport d'import")
    expect(page.locator("table")).to_contain_text("Kérosène")
    assert_no_serious_axe_violations(page)
