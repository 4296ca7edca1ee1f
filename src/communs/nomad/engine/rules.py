"""May this person book this desk on this day? The rules, without the database.

Uniqueness (one active booking per desk and day, one per person and day) is *not* checked here:
the database enforces it at insert time. These rules only say whether the desk is open to the
person that day: an owner away (telework or absence), a shared desk, a zone open to guests.
"""

from dataclasses import dataclass
from datetime import date

TEAM, COWORKING = "equipe", "coworking"
TELEWORK, ABSENCE = "teletravail", "absence"

REASONS = {
    "free": "poste partagé",
    "own": "votre poste attitré (inutile de le réserver)",
    TELEWORK: "titulaire en télétravail",
    ABSENCE: "titulaire absent",
    "owner_present": "titulaire présent",
    "closed": "poste fermé",
    "guest_zone": "zone réservée aux agents (invité : coworking uniquement)",
    "guest_expired": "invitation expirée",
    "past": "date passée",
    "too_far": "au-delà de l'horizon de réservation",
    "booked": "déjà réservé",
}


@dataclass(frozen=True)
class DeskDay:
    """What the database knows about a desk on a day, for one person."""

    day: date
    active: bool
    zone_kind: str
    has_owner: bool
    is_owner: bool
    owner_away: str | None  # TELEWORK, ABSENCE or None
    booked: bool = False


@dataclass(frozen=True)
class Person:
    is_guest: bool = False
    guest_expires: date | None = None


@dataclass(frozen=True)
class Verdict:
    bookable: bool
    code: str

    @property
    def reason(self) -> str:
        return REASONS[self.code]


def verdict(desk: DeskDay, person: Person, *, today: date, horizon_days: int) -> Verdict:
    """The rule verdict for one desk, day and person; `booked` only informs (the DB decides)."""
    if not desk.active:
        return Verdict(False, "closed")
    if desk.day < today:
        return Verdict(False, "past")
    if (desk.day - today).days > horizon_days:
        return Verdict(False, "too_far")
    if person.is_guest:
        if person.guest_expires is None or desk.day > person.guest_expires:
            return Verdict(False, "guest_expired")
        if desk.zone_kind != COWORKING:
            return Verdict(False, "guest_zone")
    if desk.is_owner:
        return Verdict(False, "own")
    if desk.has_owner:
        if desk.owner_away is None:
            return Verdict(False, "owner_present")
        code = desk.owner_away
    else:
        code = "free"
    if desk.booked:
        return Verdict(False, "booked")
    return Verdict(True, code)
