"""Who may book which desk on which day (no database): owners away, shared desks, guests, horizon."""

from datetime import date

from communs.nomad.engine.rules import COWORKING, TEAM, TELEWORK, DeskDay, Person, verdict

TODAY = date(2027, 1, 4)


def state(**changes):
    base = dict(day=date(2027, 1, 5), active=True, zone_kind=TEAM, has_owner=True, is_owner=False, owner_away=None)
    return DeskDay(**(base | changes))


def check(desk, person=None):
    return verdict(desk, person or Person(), today=TODAY, horizon_days=30)


def test_owned_desk_is_bookable_only_when_its_owner_is_away():
    assert check(state()).code == "owner_present"
    assert not check(state()).bookable
    result = check(state(owner_away=TELEWORK))
    assert result.bookable and result.reason == "titulaire en télétravail"
    assert check(state(has_owner=False)).code == "free"
    assert check(state(is_owner=True)).code == "own"


def test_closed_past_too_far_and_booked():
    assert check(state(active=False)).code == "closed"
    assert check(state(day=date(2027, 1, 3))).code == "past"
    assert check(state(day=date(2027, 2, 4), has_owner=False)).code == "too_far"  # 31 days > 30
    assert check(state(has_owner=False, booked=True)).code == "booked"


def test_guests_book_coworking_only_until_their_invitation_expires():
    guest = Person(is_guest=True, guest_expires=date(2027, 1, 10))
    assert check(state(has_owner=False), guest).code == "guest_zone"
    assert check(state(has_owner=False, zone_kind=COWORKING), guest).bookable
    late = state(has_owner=False, zone_kind=COWORKING, day=date(2027, 1, 11))
    assert check(late, guest).code == "guest_expired"
