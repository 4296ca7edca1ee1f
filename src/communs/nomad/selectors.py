"""Nomad reads: my week, a floor's desks on a day, occupancy aggregates, the catering forecast."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from communs.nomad import services
from communs.nomad.engine import forecast as forecast_engine
from communs.nomad.engine import plan, rules
from communs.nomad.engine.occupancy import MIN_PEOPLE, Occupancy, suppressed
from communs.nomad.models import Booking, CanteenDay, DeclaredDay, Desk, Favourite, Floor, Site


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass
class WeekDay:
    day: date
    declaration: DeclaredDay | None
    booking: Booking | None
    own_desk: Desk | None


def my_week(user, monday: date) -> list[WeekDay]:
    days = [monday + timedelta(days=n) for n in range(5)]
    declared = {
        row.day: row
        for row in DeclaredDay.objects.filter(user=user, active=True, day__in=days).select_related("declaration")
    }
    bookings = {
        row.day: row
        for row in Booking.objects.filter(user=user, day__in=days, status=Booking.Status.ACTIVE).select_related(
            "desk__zone__floor__building__site"
        )
    }
    own = Desk.objects.filter(owner=user).select_related("zone__floor__building__site").first()
    return [WeekDay(day, declared.get(day), bookings.get(day), own) for day in days]


@dataclass
class DeskState:
    desk: Desk
    verdict: rules.Verdict
    mine: bool
    favourite: bool
    x: int = 0
    y: int = 0

    @property
    def short(self) -> str:
        """The plan's label: the code's last segment, a whole word of the link's accessible name."""
        return self.desk.code.rsplit("-", 1)[-1][:6]


@dataclass
class FloorView:
    floor: Floor
    day: date
    zones: list  # [(zone, box, [DeskState])]
    width: int
    height: int

    @property
    def free(self) -> int:
        return sum(1 for _, _, desks in self.zones for state in desks if state.verdict.bookable)


def floor_view(user, floor: Floor, day: date, *, today: date | None = None) -> FloorView:
    """Every desk of the floor with its verdict for `user` on `day`, placed on the plan (4 queries)."""
    today = today or timezone.localdate()
    organisation = floor.building.site.organisation
    desks = list(Desk.objects.filter(zone__floor=floor).select_related("zone").order_by("zone__name", "code"))
    owners = {desk.owner_id for desk in desks if desk.owner_id}
    away = dict(DeclaredDay.objects.filter(user_id__in=owners, day=day, active=True).values_list("user_id", "kind"))
    booked = dict(
        Booking.objects.filter(desk__zone__floor=floor, day=day, status=Booking.Status.ACTIVE).values_list(
            "desk_id", "user_id"
        )
    )
    favourites = set(Favourite.objects.filter(user=user).values_list("desk_id", flat=True))
    person = services.person_of(user)
    by_zone = defaultdict(list)
    zones = {}
    for desk in desks:
        state = rules.DeskDay(
            day=day,
            active=desk.active,
            zone_kind=desk.zone.kind,
            has_owner=desk.owner_id is not None,
            is_owner=desk.owner_id == user.pk,
            owner_away=away.get(desk.owner_id),
            booked=desk.pk in booked,
        )
        verdict = rules.verdict(state, person, today=today, horizon_days=organisation.booking_horizon_days)
        zones[desk.zone_id] = desk.zone
        by_zone[desk.zone_id].append(DeskState(desk, verdict, booked.get(desk.pk) == user.pk, desk.pk in favourites))
    boxes, placed, width, height = plan.layout([(zone_id, by_zone[zone_id]) for zone_id in by_zone])
    for item in placed:
        item.key.x, item.key.y = item.x, item.y
    return FloorView(floor, day, [(zones[box.key], box, by_zone[box.key]) for box in boxes], width, height)


def floors_of(site: Site):
    return Floor.objects.filter(building__site=site).select_related("building").order_by("building__name", "name")


# --- Occupancy ------------------------------------------------------------------------------------


def occupancy(site: Site, start: date, end: date, *, today: date | None = None):
    """Per day and floor: capacity, booked, checked in, no-shows, freed desks; rows under 5 people hidden.

    Returns (shown rows as (day, Occupancy), hidden count)."""
    today = today or timezone.localdate()
    floors = list(floors_of(site))
    capacity = dict(
        Desk.objects.filter(zone__floor__in=floors, active=True)
        .values_list("zone__floor")
        .annotate(n=Count("pk"))
        .values_list("zone__floor", "n")
    )
    stats = (
        Booking.objects.filter(desk__zone__floor__in=floors, day__range=(start, end))
        .exclude(status=Booking.Status.CANCELLED)
        .values("day", "desk__zone__floor")
        .annotate(
            booked=Count("pk"),
            people=Count("user", distinct=True),
            checked=Count("pk", filter=Q(checked_in_at__isnull=False)),
            released=Count("pk", filter=Q(status=Booking.Status.RELEASED)),
            pending_past=Count(
                "pk", filter=Q(status=Booking.Status.ACTIVE, checked_in_at__isnull=True, day__lt=today)
            ),
        )
    )
    owned = defaultdict(set)
    for desk_floor, owner in Desk.objects.filter(zone__floor__in=floors, owner__isnull=False).values_list(
        "zone__floor", "owner"
    ):
        owned[owner].add(desk_floor)
    freed = defaultdict(int)
    for day, owner in DeclaredDay.objects.filter(
        user_id__in=list(owned), active=True, day__range=(start, end)
    ).values_list("day", "user_id"):
        for desk_floor in owned[owner]:
            freed[(day, desk_floor)] += 1
    names = {floor.pk: f"{floor.building.name} — {floor.name}" for floor in floors}
    rows = []
    for row in stats:
        floor_id = row["desk__zone__floor"]
        rows.append(
            (
                row["day"],
                Occupancy(
                    label=names[floor_id],
                    capacity=capacity.get(floor_id, 0),
                    booked=row["booked"],
                    checked_in=row["checked"],
                    no_shows=row["released"] + row["pending_past"],
                    freed=freed[(row["day"], floor_id)],
                    people=row["people"],
                ),
            )
        )
    rows.sort(key=lambda item: (item[0], item[1].label))
    shown, hidden = suppressed([occ for _, occ in rows])
    keep = {id(occ) for occ in shown}
    return [(day, occ) for day, occ in rows if id(occ) in keep], hidden


# --- Catering -------------------------------------------------------------------------------------


def expected_presence(site: Site, day: date) -> tuple[int, list[tuple[str, int]]]:
    """People expected at the site on `day`: owners not declared away, plus everyone with a booking.

    Also per floor (building — floor, people), for the report's detail."""
    desks = Desk.objects.filter(zone__floor__building__site=site, active=True)
    owners = dict(desks.filter(owner__isnull=False).values_list("owner", "zone__floor"))
    away = set(
        DeclaredDay.objects.filter(user_id__in=list(owners), day=day, active=True).values_list("user_id", flat=True)
    )
    present = {owner: floor for owner, floor in owners.items() if owner not in away}
    for user_id, floor in Booking.objects.filter(
        desk__zone__floor__building__site=site, day=day, status=Booking.Status.ACTIVE
    ).values_list("user_id", "desk__zone__floor"):
        present[user_id] = floor
    per_floor = defaultdict(int)
    for floor in present.values():
        per_floor[floor] += 1
    names = {floor.pk: f"{floor.building.name} — {floor.name}" for floor in floors_of(site)}
    return len(present), sorted((names[floor], count) for floor, count in per_floor.items())


def canteen_history(site: Site, *, before: date, weeks: int = 26) -> list[forecast_engine.Day]:
    rows = CanteenDay.objects.filter(site=site, day__lt=before, day__gte=before - timedelta(weeks=weeks))
    return [forecast_engine.Day(row.day, row.present, row.meals) for row in rows.order_by("day")]


@dataclass
class CateringReport:
    site: Site
    days: list  # [(Forecast, [(floor label, people)] shown, hidden floors)]
    mape: float | None
    weeks: int
    history_days: int


def catering_forecast(site: Site, start: date, days: int = 5, *, today: date | None = None) -> CateringReport:
    today = today or timezone.localdate()
    history = canteen_history(site, before=today)
    rows = []
    for offset in range(days):
        day = start + timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        present, per_floor = expected_presence(site, day)
        shown = [(label, count) for label, count in per_floor if count >= MIN_PEOPLE]
        rows.append((forecast_engine.forecast(day, present, history), shown, len(per_floor) - len(shown)))
    return CateringReport(site, rows, forecast_engine.mape(history, weeks=4, today=today), 4, len(history))
