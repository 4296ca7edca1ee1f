"""SOS Ponts in a real browser, keyboard only: the question form (with live suggestions), the expert
inbox, a published answer and a resource sheet pass axe-core."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from communs.sosponts import services
from tests.browser.axe import assert_no_serious_axe_violations
from tests.sosponts.helpers import ask, people_fixture  # noqa: F401 - the `people` fixture

pytestmark = pytest.mark.browser


def _login(page, live_server, user):
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


def test_mayor_asks_with_the_keyboard_and_sees_suggestions_and_the_safety_message(page, live_server, people):
    services.save_sheet(
        people["expert"],
        slug="vegetation",
        title="Végétation sur les ouvrages en maçonnerie",
        summary="Arbustes",
        body="Lierre.",
    )
    _login(page, live_server, people["mayor"])
    page.goto("/sosponts/question/nouvelle/")
    assert_no_serious_axe_violations(page)
    page.get_by_label("Votre question en une phrase").focus()
    page.keyboard.type("Végétation sur notre pont en pierre")
    expect(page.locator("#suggestions")).to_contain_text("Végétation sur les ouvrages en maçonnerie", timeout=15_000)
    page.keyboard.press("Tab")
    page.keyboard.type("la pile a été affouillée après la crue")
    assert_no_serious_axe_violations(page)
    page.get_by_role("button", name="Envoyer ma question").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Question urgente")).to_be_visible()
    expect(page.locator("main")).to_contain_text("L2212-2")
    assert_no_serious_axe_violations(page)


def test_expert_inbox_published_answer_and_sheet_pass_axe(page, live_server, people):
    question, _ = ask(people["mayor"], title="La pile a été affouillée", body="après la crue")
    sheet = services.save_sheet(
        people["expert"], slug="police", title="Pouvoirs de police du maire", summary="s", body="b"
    )
    _login(page, live_server, people["expert"])
    page.goto("/sosponts/experts/")
    expect(page.get_by_role("link", name="La pile a été affouillée")).to_be_visible()
    assert_no_serious_axe_violations(page)
    page.get_by_role("link", name="La pile a été affouillée").click()
    assert_no_serious_axe_violations(page)
    services.answer_question(
        people["expert"],
        question,
        quoi="Limiter le tonnage",
        quand="Tout de suite",
        comment="Arrêté",
        par_qui="Le maire",
        sheets=[sheet],
        publish=True,
        public_title="Pile affouillée après une crue",
        public_body="Un trou sous la pile.",
    )
    page.goto(f"/sosponts/base/{question.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Pile affouillée après une crue")
    assert_no_serious_axe_violations(page)
    page.goto("/sosponts/fiches/police/")
    assert_no_serious_axe_violations(page)
    page.goto("/sosponts/tableau-de-bord/")
    assert_no_serious_axe_violations(page)
