"""SIRANo in a real browser: request form, administration queue, project page and public list (axe-core)."""

from datetime import date

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.browser.axe import assert_no_serious_axe_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def sirano_data(db, make_user):
    from communs.sirano import services
    from communs.sirano.engine.identifiers import ProjectKey
    from communs.sirano.models import Tranche, TrancheState

    services.ensure_programmes()
    rennes = services.upsert_establishment("350000741", "CHU de Rennes", "35238")
    admin = make_user("dgos", grants=[("sirano", "gestionnaire", "national", "")], password=None)
    member = make_user("drci-rennes", password=None)
    services.add_member(member, rennes)
    project = services.create_project(
        ProjectKey("PHRC-N", 2019, 123),
        establishment=rennes,
        award_cents=50_000_000,
        raw_identifiers=["PHRC-N 2019 / 19-0123"],
        planned={"premiere_inclusion": date(2020, 6, 1)},
        acronym="STROKE",
        title="Anticoagulation après AVC",
        notified_on=date(2019, 12, 15),
    )
    Tranche.objects.filter(project=project, rank=1).update(state=TrancheState.SUBMITTED)
    return {"admin": admin, "member": member, "project": project}


def login(page, client, live_server, user):
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def test_public_list_passes_axe(page, sirano_data):
    page.goto("/sirano/projets/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Projets de recherche financés")
    expect(page.get_by_role("link", name="PHRC-N-2019-0123")).to_be_visible()
    assert_no_serious_axe_violations(page)


def test_project_page_passes_axe(page, client, live_server, sirano_data):
    login(page, client, live_server, sirano_data["member"])
    page.goto("/sirano/projets/PHRC-N-2019-0123/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("STROKE")
    expect(page.get_by_text("Résultats non publiés dans un registre")).to_be_visible()
    assert_no_serious_axe_violations(page)


def test_request_form_passes_axe(page, client, live_server, sirano_data):
    login(page, client, live_server, sirano_data["member"])
    tranche = sirano_data["project"].tranches.get(rank=2)
    page.goto(f"/sirano/tranches/{tranche.pk}/demande/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Demande de la tranche 2")
    expect(page.get_by_label("Attestation d'inclusion")).to_be_visible()
    assert_no_serious_axe_violations(page)


def test_administration_queue_passes_axe(page, client, live_server, sirano_data):
    login(page, client, live_server, sirano_data["admin"])
    page.goto("/sirano/administration/")
    expect(page.get_by_role("heading", level=1)).to_have_text("File des demandes de tranches")
    expect(page.get_by_role("rowheader").get_by_role("link", name="PHRC-N-2019-0123")).to_be_visible()
    assert_no_serious_axe_violations(page)
