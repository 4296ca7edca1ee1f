"""Nomad in a real browser: axe-core on the agent's pages, the plan's list view and the manager's dashboard;
the plan used with the keyboard; the booking page's weight and its EcoIndex (ecoindex-compute).

Transferred bytes: the live test server sends static files uncompressed, while production serves
WhiteNoise's precompressed copies (CompressedManifestStaticFilesStorage). Text responses (HTML, CSS, JS,
SVG) are therefore counted at their gzip size, images and fonts as they are."""

import asyncio
import gzip
import re
import warnings
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.axe import assert_no_serious_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SPACES = "site,building,floor,zone,zone_kind,desk,owner,features\n" + "".join(
    f"Cité administrative,Bâtiment A,Étage 1,{zone},{kind},A1-{n:02d},{owner},double écran\n"
    for n, zone, kind, owner in [
        *[(n, "Pôle achats", "equipe", "agent" if n == 1 else ("titulaire" if n == 2 else "")) for n in range(1, 17)],
        *[(n, "Coworking", "coworking", "") for n in range(17, 33)],
    ]
)
TEXT_TYPES = ("text/", "javascript", "json", "svg", "xml")


@pytest.fixture
def nomad_data(db, make_user):
    from communs.core.roles import grant_role
    from communs.nomad import services
    from communs.nomad.models import Agent, Booking, Desk, Organisation

    organisation = Organisation.objects.create(slug="org", name="Ministère")
    agent, owner, manager = make_user("agent", password=None), make_user("titulaire"), make_user("gestion")
    for user in (agent, owner, manager):
        Agent.objects.create(user=user, organisation=organisation)
    services.import_spaces(SPACES, organisation=organisation, commune="35238")
    grant_role(manager, "nomad", "gestionnaire", "departement", "35")
    today = timezone.localdate()
    day = today + timedelta(days=(1 - today.weekday()) % 7 + 7)  # a Tuesday next week or the one after
    services.declare(owner, "teletravail", day)
    yesterday = today - timedelta(days=1)
    for n in range(6):  # six people yesterday on the floor: shown in the dashboard
        person = make_user(f"p{n}")
        Booking.objects.create(desk=Desk.objects.get(code=f"A1-{17 + n}"), user=person, day=yesterday)
    return {"agent": agent, "manager": manager, "day": day}


def login(page, client, live_server, user):
    page.set_default_navigation_timeout(60_000)  # the first page of a module compiles templates and statics
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return page


def test_my_week_and_booking_plan_pass_axe_and_book_with_the_keyboard(page, client, live_server, nomad_data):
    login(page, client, live_server, nomad_data["agent"])
    page.goto("/nomad/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ma semaine")
    assert_no_serious_axe_violations(page)
    day = nomad_data["day"].isoformat()
    page.goto(f"/nomad/reserver/?jour={day}")
    assert_no_serious_axe_violations(page)
    # The desk freed by its owner's telework is a link of the plan, reached with the keyboard.
    link = page.get_by_role("link", name="Poste A1-02, libre : titulaire en télétravail, zone Pôle achats")
    link.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("radio", name=re.compile(r"^A1-02 "))).to_be_checked()
    page.get_by_role("button", name="Réserver le poste choisi").press("Enter")
    expect(page.get_by_text("Poste A1-02 réservé")).to_be_visible()
    assert_no_serious_axe_violations(page)
    page.goto(f"/nomad/reserver/?jour={day}&vue=liste")
    expect(page.get_by_role("radio", name=re.compile(r"^A1-01 "))).to_be_disabled()  # the agent's own desk
    assert_no_serious_axe_violations(page)


def test_manager_dashboard_and_forecast_pass_axe(page, client, live_server, nomad_data):
    login(page, client, live_server, nomad_data["manager"])
    page.goto("/nomad/gestion/occupation/")
    expect(
        page.get_by_role("img", name=re.compile(r"^Postes réservés et présences validées par jour"))
    ).to_be_visible()
    expect(page.get_by_role("table", name="Occupation par jour et par étage")).to_contain_text("Bâtiment A — Étage 1")
    assert_no_serious_axe_violations(page)
    page.goto("/nomad/gestion/restauration/")
    expect(page.get_by_role("table", name="Prévision des repas par jour")).to_contain_text("Repas prévus")
    assert_no_serious_axe_violations(page)
    page.goto("/nomad/gestion/")
    assert_no_serious_axe_violations(page)


def test_booking_page_weight_and_ecoindex(page, client, live_server, nomad_data):
    from ecoindex.compute import compute_ecoindex

    login(page, client, live_server, nomad_data["agent"])
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(f"/nomad/reserver/?jour={nomad_data['day'].isoformat()}", wait_until="networkidle")
    nodes = page.evaluate("document.getElementsByTagName('*').length")
    transferred = 0
    for response in responses:
        body = response.body() if response.status < 300 else b""
        kind = response.headers.get("content-type", "")
        transferred += len(gzip.compress(body)) if any(t in kind for t in TEXT_TYPES) else len(body)
        transferred += sum(len(k) + len(v) + 4 for k, v in response.headers.items())

    def ecoindex_of():
        # ecoindex-compute 5.10's compute_ecoindex warns about its own deprecated alias, which it calls.
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "Use compute_ecoindex instead", DeprecationWarning)
            return asyncio.run(compute_ecoindex(nodes=nodes, size=transferred / 1024, requests=len(responses)))

    # compute_ecoindex is a coroutine; Playwright's loop runs in this thread, so it gets a thread of its own.
    with ThreadPoolExecutor(1) as pool:
        ecoindex = pool.submit(ecoindex_of).result()
    print(f"booking page: {nodes} nodes, {len(responses)} requests, {transferred} bytes, EcoIndex {ecoindex}")  # noqa: T201
    assert nodes <= 600
    assert len(responses) <= 40
    assert transferred <= 1_000_000
    assert str(getattr(ecoindex.grade, "value", ecoindex.grade)) in ("A", "B"), ecoindex
