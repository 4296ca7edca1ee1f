"""Nomad API schemas."""

from datetime import date

from ninja import Schema


class BookingIn(Schema):
    desk: str
    date: date
    idempotency_key: str = ""


class BookingOut(Schema):
    id: int
    desk: str
    date: date
    status: str
    user: str
    checked_in: bool


class AvailabilityOut(Schema):
    date: date
    bookable: bool
    reason: str


class DeclarationIn(Schema):
    kind: str
    start: date
    rrule: str = ""
    exdates: list[date] = []


class DeclarationOut(Schema):
    id: int
    dates: list[date]


class ForecastOut(Schema):
    date: date
    expected_present: int
    ratio: float
    meals: int
    low: int
    high: int
