"""Nomad use cases against the database: declarations and the cap, bookings and their rules, the partial
unique indexes, idempotency, withdrawal, guests, check-in and release, spaces import, occupancy, catering."""

from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from communs.nomad import selectors, services
from communs.nomad.models import Booking, CanteenDay, DeclaredDay, Desk, Site
from tests.nomad.conftest import SPACES, tuesday_after


def test_acceptance_weekly_tuesday_telework_with_an_exdate(nomad, desk):
    first = tuesday_after(timezone.localdate())
    third = first + timedelta(weeks=2)
    declaration = services.declare(nomad["owner"], "teletravail", first, "FREQ=WEEKLY;BYDAY=TU;COUNT=4", [third])
    tuesdays = [first + timedelta(weeks=n) for n in range(4)]
    assert services.declaration_days(declaration) == [tuesdays[0], tuesdays[1], tuesdays[3]]
    rows = services.availability(desk("A1-01"), first, first + timedelta(weeks=3))
    bookable = [date.fromisoformat(row["date"]) for row in rows if row["bookable"]]
    assert bookable == [tuesdays[0], tuesdays[1], tuesdays[3]]
    assert {row["reason"] for row in rows if row["bookable"]} == {"titulaire en télétravail"}
    with pytest.raises(services.NotBookable, match="titulaire présent"):
        services.book(nomad["alice"], desk("A1-01"), first + timedelta(days=1))  # the Wednesday
    with pytest.raises(services.NotBookable, match="titulaire présent"):
        services.book(nomad["alice"], desk("A1-01"), third)
    booking, created = services.book(nomad["alice"], desk("A1-01"), tuesdays[3])
    assert created and booking.status == Booking.Status.ACTIVE


def test_weekly_cap_refuses_a_fourth_day_and_is_configurable(nomad):
    monday = tuesday_after(timezone.localdate()) - timedelta(days=1)
    services.declare(nomad["alice"], "teletravail", monday, "FREQ=DAILY;COUNT=3")
    with pytest.raises(ValidationError, match="Plafond de télétravail dépassé : 4 jours"):
        services.declare(nomad["alice"], "teletravail", monday + timedelta(days=3))
    services.declare(nomad["alice"], "absence", monday + timedelta(days=3))  # absences are not capped
    nomad["organisation"].telework_weekly_cap = 4
    nomad["organisation"].save()
    nomad["bob"].refresh_from_db()
    services.declare(nomad["bob"], "teletravail", monday, "FREQ=DAILY;COUNT=4")
    with pytest.raises(ValidationError, match="déjà déclaré"):
        services.declare(nomad["bob"], "absence", monday)


def test_database_refuses_a_second_active_booking_per_desk_and_per_person(nomad, desk):
    day = tuesday_after(timezone.localdate())
    Booking.objects.create(desk=desk("A1-02"), user=nomad["alice"], day=day)
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(desk=desk("A1-02"), user=nomad["bob"], day=day)
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(desk=desk("A1-03"), user=nomad["alice"], day=day)
    # A cancelled booking frees the desk: the index only covers active rows.
    Booking.objects.filter(user=nomad["alice"]).update(status=Booking.Status.CANCELLED)
    Booking.objects.create(desk=desk("A1-02"), user=nomad["bob"], day=day)


def test_taken_person_taken_desk_idempotency_and_cancel_keeps_the_row(nomad, desk):
    day = tuesday_after(timezone.localdate())
    booking, created = services.book(nomad["alice"], desk("A1-02"), day, idempotency_key="k-1")
    again, created_again = services.book(nomad["alice"], desk("A1-02"), day, idempotency_key="k-1")
    assert created and not created_again and again.pk == booking.pk
    with pytest.raises(services.Taken) as taken:
        services.book(nomad["bob"], desk("A1-02"), day)
    assert taken.value.what == "desk"
    with pytest.raises(services.Taken) as taken:
        services.book(nomad["alice"], desk("A1-03"), day)
    assert taken.value.what == "person"
    services.cancel(booking, actor=nomad["alice"])
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.CANCELLED  # cancelled, not deleted
    services.book(nomad["bob"], desk("A1-02"), day)
    assert Booking.objects.filter(day=day).count() == 2


def test_withdrawn_declaration_keeps_the_colleagues_booking_and_offers_other_desks(nomad, desk):
    day = tuesday_after(timezone.localdate())
    declaration = services.declare(nomad["owner"], "teletravail", day)
    booking, _ = services.book(nomad["alice"], desk("A1-01"), day)
    conflicts = services.withdraw(declaration, actor=nomad["owner"])
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.ACTIVE
    assert [c.booking.pk for c in conflicts] == [booking.pk]
    assert [d.code for d in conflicts[0].alternatives] == ["A1-02", "A1-03"]
    assert not DeclaredDay.objects.filter(declaration=declaration, active=True).exists()


def test_guests_book_coworking_only_and_not_after_expiry(nomad, desk):
    today = timezone.localdate()
    guest = services.invite_guest(
        nomad["alice"],
        username="invite-1",
        first_name="Paul",
        last_name="Partenaire",
        email="paul@example.org",
        company="Bureau d'études",
        expires=today + timedelta(days=10),
    )
    with pytest.raises(services.NotBookable, match="zone réservée"):
        services.book(guest, desk("A1-02"), today + timedelta(days=1))
    services.book(guest, desk("B0-01"), today + timedelta(days=1))
    with pytest.raises(services.NotBookable, match="invitation expirée"):
        services.book(guest, desk("B0-01"), today + timedelta(days=11))
    with pytest.raises(ValidationError, match="90 jours"):
        services.invite_guest(
            nomad["alice"],
            username="x",
            first_name="",
            last_name="",
            email="x@example.org",
            company="",
            expires=today + timedelta(days=91),
        )


def test_check_in_by_qr_token_and_automatic_release(nomad, desk):
    today = timezone.localdate()
    services.book(nomad["alice"], desk("A1-02"), today)
    services.book(nomad["bob"], desk("A1-03"), today)
    morning = timezone.make_aware(datetime.combine(today, datetime.min.time()).replace(hour=8))
    booking = services.check_in(nomad["alice"], desk("A1-02").qr_token, now=morning)
    assert booking.checked_in_at == morning
    assert services.release_unchecked(now=morning) == 0  # before 10 h, nothing is released
    assert services.release_unchecked(now=morning.replace(hour=10, minute=1)) == 1
    assert Booking.objects.get(user=nomad["bob"], day=today).status == Booking.Status.RELEASED
    # The released desk can be taken again (walk-in through its QR code books and checks in).
    walk_in = services.check_in(nomad["manager"], desk("A1-03").qr_token, now=morning.replace(hour=11))
    assert walk_in.user == nomad["manager"] and walk_in.checked_in_at is not None


def test_spaces_import_is_idempotent_and_locates_unknown_owners(nomad):
    result = services.import_spaces(SPACES, organisation=nomad["organisation"])
    assert result.as_dict() == {"desks": 5, "created": 0, "updated": 0, "rejected": []}
    moved = (
        SPACES.replace("A1-02,,", "A1-02,bob,") + "Site test,Bâtiment A,Étage 1,Équipe achats,equipe,A1-09,nobody,\n"
    )
    result = services.import_spaces(moved, organisation=nomad["organisation"])
    assert (result.desks, result.created, result.updated) == (5, 0, 1)
    assert [r.as_dict() for r in result.rejected] == [
        {"line": 7, "field": "owner", "message": "utilisateur « nobody » inconnu"}
    ]
    assert Desk.objects.get(code="A1-02").owner == nomad["bob"]
    site = Site.objects.get()
    assert (site.commune, site.departement) == ("35238", "35")


def test_occupancy_hides_floors_under_five_people(nomad, make_user, desk):
    from communs.nomad.engine.occupancy import MIN_PEOPLE

    day = timezone.localdate() - timedelta(days=1)
    site = Site.objects.get()
    extra = [make_user(f"agent-{n}") for n in range(6)]
    cowork = [desk("B0-01"), desk("B0-02")] + [
        Desk.objects.create(zone=desk("B0-01").zone, code=f"B0-{n:02d}") for n in range(3, 7)
    ]
    for person, target in zip(extra, cowork, strict=True):  # 6 people on the ground floor
        Booking.objects.create(desk=target, user=person, day=day, checked_in_at=timezone.now())
    Booking.objects.create(desk=desk("A1-02"), user=nomad["alice"], day=day)  # 1 person on floor 1
    rows, hidden = selectors.occupancy(site, day, day)
    assert hidden == 1 and len(rows) == 1 and rows[0][1].people >= MIN_PEOPLE
    occ = rows[0][1]
    assert (occ.capacity, occ.booked, occ.checked_in, occ.no_shows) == (6, 6, 6, 0)


def test_catering_forecast_hundred_agents_uptake_0_6_on_tuesdays(nomad, make_user):
    """100 agents own desks on two floors; 27 telework on the target Tuesday; history: uptake 0.6 on Tuesdays."""
    from communs.nomad.models import Building, Floor, Zone

    site = Site.objects.get()
    building = Building.objects.create(site=site, name="Tour")
    big = Zone.objects.create(floor=Floor.objects.create(building=building, name="Étage 5"), name="Z5")
    small = Zone.objects.create(floor=Floor.objects.create(building=building, name="Étage 6"), name="Z6")
    users = [make_user(f"a{n:03d}") for n in range(100)]
    for n, user in enumerate(users):
        Desk.objects.create(zone=small if n < 4 else big, code=f"T-{n:03d}", owner=user)
    today = timezone.localdate()
    target = tuesday_after(today)
    for user in users[4:31]:  # 27 teleworkers, none on the small floor
        services.declare(user, "teletravail", target)
    for weeks in range(1, 9):
        past_tuesday = target - timedelta(weeks=weeks + 1)
        CanteenDay.objects.create(
            site=site, day=past_tuesday, present=100 - 5 * weeks, meals=round(0.6 * (100 - 5 * weeks))
        )
    report = selectors.catering_forecast(site, target, 1, today=today)
    forecast, floors, hidden = report.days[0]
    # Present: 100 owners − 27 teleworkers + the fixture owner of A1-01 (owner) = 74.
    assert forecast.expected_present == 74
    assert forecast.meals == round(0.6 * 74) == 44
    # Per floor: Étage 5 has 96 − 27 = 69; Étage 6 (4 people) and Étage 1 (1 person) are suppressed.
    assert floors == [("Tour — Étage 5", 69)] and hidden == 2
    assert report.mape == 0.0  # the replayed Tuesdays were exactly at 0.6


def test_territory_panel_shows_aggregates_of_five_people_or_more(nomad, make_user, desk):
    from communs.nomad.panels import figures
    from communs.territoires.panels import TerritoryRef

    rennes = TerritoryRef("commune", "35238", "Rennes", departement="35")
    day = timezone.localdate() - timedelta(days=2)
    people = [make_user(f"panel-{n}") for n in range(5)]
    Booking.objects.create(desk=desk("B0-01"), user=people[0], day=day)
    assert figures(rennes, nomad["manager"]) is None  # one person: nothing shown
    for n, (person, code) in enumerate(zip(people[1:], ("B0-02", "A1-01", "A1-02", "A1-03"), strict=True), 1):
        Booking.objects.create(desk=desk(code), user=person, day=day - timedelta(days=n % 2))
    data = figures(rennes, nomad["manager"])
    values = {figure.key: figure.value for figure in data.figures}
    assert values["sites"] == 1 and values["desks"] == 5
    assert values["bookings_per_day"] == 2.5  # 5 bookings over 2 distinct days
    assert figures(TerritoryRef("commune", "29019", "Brest"), nomad["manager"]) is None
