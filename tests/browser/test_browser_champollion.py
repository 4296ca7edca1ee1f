"""Champollion in a real browser: establishment page and targeting list pass axe-core; a user scoped
to another département gets no nominative data (HTML and API); access to names is audited."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from communs.core.models import AuditEvent
from tests.browser.axe import assert_no_serious_axe_violations
from tests.champollion.dsn_fixtures import CARENCE_SIRET
from tests.champollion.fixtures import champollion_data_dir, imported  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("imported")]


def login(browser_context, live_server, user):
    client = Client()
    client.force_login(user)
    browser_context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_establishment_page_in_scope_passes_axe_and_is_audited(page, browser_context, live_server, make_user):
    user = make_user("insp35", grants=[("champollion", "inspecteur", "departement", "35")])
    login(browser_context, live_server, user)
    page.goto(f"/champollion/etablissements/{CARENCE_SIRET}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("LOGISTIQUE DE BRETAGNE")
    expect(page.get_by_role("cell", name="MARTIN JULIE")).to_be_visible()
    expect(page.locator("table").filter(has_text="Constats des règles")).to_contain_text("15/05/2024")
    assert_no_serious_axe_violations(page)
    assert AuditEvent.objects.filter(action="champollion.contrat.view", actor=user, departement="35").exists()


def test_targeting_list_passes_axe(page, browser_context, live_server, make_user):
    login(browser_context, live_server, make_user("resp53", grants=[("champollion", "responsable", "region", "53")]))
    page.goto("/champollion/ciblage/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ciblage des contrôles")
    expect(page.locator("tbody tr")).to_have_count(1)  # Bretagne: the Rennes establishment only
    assert_no_serious_axe_violations(page)


def test_other_departement_gets_no_nominative_data(page, browser_context, live_server, make_user):
    user = make_user("insp44", grants=[("champollion", "inspecteur", "departement", "44")])
    login(browser_context, live_server, user)
    page.goto(f"/champollion/etablissements/{CARENCE_SIRET}/")
    expect(page.get_by_text("ne sont visibles que des agents")).to_be_visible()
    html = page.content()
    assert "MARTIN" not in html and "DURAND" not in html and "LEROY" not in html
    assert_no_serious_axe_violations(page)
    api = page.request.get(f"/api/champollion/etablissements/{CARENCE_SIRET}/contrats")
    assert api.status == 403
    assert "MARTIN" not in api.text()
    assert not AuditEvent.objects.filter(action__startswith="champollion.contrat", actor=user).exists()
