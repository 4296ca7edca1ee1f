"""Écosphères in a real browser: search, dataset, bouquet, bouquet editor and harvest report (axe-core)."""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.browser.axe import assert_no_serious_axe_violations
from tests.ecospheres.builders import DCAT_PREFIXES, dcat_dataset

pytestmark = pytest.mark.browser


@pytest.fixture
def eco_data(db, make_user, tmp_path, territoires_reference):
    from communs.ecospheres import services
    from communs.ecospheres.engine import bouquets as rules
    from communs.ecospheres.models import Dataset

    path = tmp_path / "cat.ttl"
    path.write_text(
        DCAT_PREFIXES
        + dcat_dataset(
            "https://d.example.org/d/eau-1", "EAU-1", "Qualité de l'eau distribuée", description="Potabilité."
        )
        + dcat_dataset("https://d.example.org/d/zan-1", "ZAN-1", "Consommation d'espaces", publisher="Cerema"),
        encoding="utf-8",
    )
    admin = make_user("admin-eco", is_superuser=True, password=None)
    source = services.add_source(admin, name="Catalogue test", kind="dcat", url=str(path))
    services.run_harvest(source, user=admin)
    bouquet = services.create_bouquet(admin, title="Eau potable", use_case="Suivi", level="departement", code="35")
    services.add_item(admin, bouquet, purpose="Contrôle", dataset=Dataset.objects.get(identifier="eau-1"))
    services.add_item(admin, bouquet, title="Captages", purpose="Localiser", availability=rules.MISSING)
    services.set_status(admin, bouquet, "publié")
    return {"admin": admin, "bouquet": bouquet, "run": source.runs.first()}


@pytest.fixture
def logged_page(page, client, live_server, eco_data):
    client.force_login(eco_data["admin"])
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return page


def test_pages_pass_axe(logged_page, eco_data):
    from communs.ecospheres.models import Dataset

    logged_page.goto("/ecospheres/?q=eau+potable")
    expect(logged_page.get_by_role("link", name="Qualité de l'eau distribuée")).to_be_visible()
    assert_no_serious_axe_violations(logged_page)
    logged_page.goto(f"/ecospheres/jeux/{Dataset.objects.get(identifier='eau-1').slug}/")
    expect(logged_page.get_by_role("heading", level=1)).to_have_text("Qualité de l'eau distribuée")
    assert_no_serious_axe_violations(logged_page)
    slug = eco_data["bouquet"].slug
    logged_page.goto(f"/ecospheres/bouquets/{slug}/")
    expect(logged_page.get_by_role("heading", level=1)).to_have_text("Eau potable")
    assert_no_serious_axe_violations(logged_page)
    logged_page.goto(f"/ecospheres/bouquets/{slug}/edition/")
    assert_no_serious_axe_violations(logged_page)
    logged_page.goto(f"/ecospheres/moissonnages/{eco_data['run'].pk}/")
    expect(logged_page.get_by_role("heading", level=1)).to_contain_text("Rapport de moissonnage")
    assert_no_serious_axe_violations(logged_page)
