"""Nomad use cases: spaces import, declarations, bookings, check-in and release, guests, favourites.

Every write runs in a transaction and is audited. **No double booking** is not checked here before an
insert: the insert itself runs in a transaction and the database's partial unique indexes refuse a
second active booking for the same desk and day or the same person and day; the `IntegrityError`
becomes `Taken`. A booking request may carry an idempotency key: the same key from the same person
returns the booking it already made.
"""

import time
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone

from communs.core.audit import record_event
from communs.core.scopes import complete_territory, scope_for
from communs.nomad.engine import recurrence, rules
from communs.nomad.engine.spaces import Rejected, read_spaces
from communs.nomad.models import (
    Agent,
    Booking,
    Building,
    CanteenDay,
    Declaration,
    DeclaredDay,
    Desk,
    Favourite,
    Floor,
    Organisation,
    Site,
    Zone,
)

SERVICE = "nomad"
MANAGER = "gestionnaire"
CATERING = "restauration"
ROLES = {
    MANAGER: "Gestionnaire de site (espaces, import, occupation)",
    CATERING: "Responsable de la restauration (prévision des repas)",
}
DEFAULT_CAP = 3
GUEST_MAX_DAYS = 90
LOCK_RETRIES = 30  # SQLite answers "locked" to a writer that meets another; PostgreSQL never does


class Taken(Exception):
    """The desk (`what == "desk"`) or the person (`what == "person"`) already has a booking that day."""

    def __init__(self, what: str, day: date):
        self.what, self.day = what, day
        message = "Ce poste est déjà réservé" if what == "desk" else "Vous avez déjà une réservation"
        super().__init__(f"{message} le {day.strftime('%d/%m/%Y')}.")


class NotBookable(Exception):
    def __init__(self, verdict: rules.Verdict, day: date):
        self.verdict, self.day = verdict, day
        super().__init__(f"Poste non réservable le {day.strftime('%d/%m/%Y')} : {verdict.reason}.")


# --- Who is who ---------------------------------------------------------------------------------


def default_organisation() -> Organisation:
    organisation = Organisation.objects.order_by("pk").first()
    if organisation is None:
        organisation, _ = Organisation.objects.get_or_create(slug="defaut", defaults={"name": "Organisation"})
    return organisation


def agent_of(user) -> Agent | None:
    if not (user and user.is_authenticated):
        return None
    try:
        return user.nomad_agent
    except Agent.DoesNotExist:
        return None


def organisation_of(user) -> Organisation | None:
    agent = agent_of(user)
    return agent.organisation if agent else None


def person_of(user) -> rules.Person:
    agent = agent_of(user)
    if agent and agent.is_guest:
        return rules.Person(is_guest=True, guest_expires=agent.guest_expires)
    return rules.Person()


def managed_sites(user, role: str = MANAGER):
    if not (user and user.is_authenticated):
        return Site.objects.none()
    if user.is_superuser:
        return Site.objects.all()
    scope = scope_for(user, SERVICE, roles=[role])
    return scope.filter(Site.objects.all(), region="region", departement="departement", commune="commune")


def require_site(user, site: Site, role: str = MANAGER) -> None:
    if not managed_sites(user, role).filter(pk=site.pk).exists():
        raise PermissionDenied(f"Vous ne gérez pas le site « {site.name} ».")


def is_manager(user, role: str = MANAGER) -> bool:
    return managed_sites(user, role).exists()


def _audit_territory(site: Site) -> dict:
    return {"region": site.region, "departement": site.departement, "commune": site.commune}


def _territory_of(commune: str) -> tuple[str, str, str]:
    """Région, département, commune of a site; the département follows from the INSEE code when the
    territorial reference is not loaded (97x for overseas, 2A/2B for Corsica come out of the prefix)."""
    region, departement, commune = complete_territory(None, None, commune or None)
    if commune and not departement:
        departement = commune[:3] if commune.startswith("97") else commune[:2]
    return region, departement, commune


# --- Spaces ---------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    desks: int = 0
    created: int = 0
    updated: int = 0
    rejected: list[Rejected] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "desks": self.desks,
            "created": self.created,
            "updated": self.updated,
            "rejected": [item.as_dict() for item in self.rejected],
        }


def import_spaces(text: str, *, actor=None, organisation: Organisation | None = None, commune: str = ""):
    """Create or update sites → desks from the spaces file; idempotent. Raises SpacesFileError on a bad header.

    A site created here belongs to `organisation` (or the only/first one); a site the actor does not
    manage is refused line by line when the actor is given."""
    rows, rejected = read_spaces(text)
    result = ImportResult(rejected=list(rejected))
    User = get_user_model()
    owners = {
        user.username: user for user in User.objects.filter(username__in={row.owner for row in rows if row.owner})
    }
    organisation = organisation or default_organisation()
    allowed = None if actor is None else set(managed_sites(actor).values_list("name", flat=True))
    with transaction.atomic():
        sites, buildings, floors, zones = {}, {}, {}, {}
        for row in rows:
            if row.owner and row.owner not in owners:
                result.rejected.append(Rejected(row.line, "owner", f"utilisateur « {row.owner} » inconnu"))
                continue
            if allowed is not None and row.site not in allowed:
                result.rejected.append(Rejected(row.line, "site", f"site « {row.site} » hors de votre gestion"))
                continue
            if row.site not in sites:
                region, departement, commune_code = _territory_of(commune)
                sites[row.site], _ = Site.objects.get_or_create(
                    name=row.site,
                    defaults={
                        "organisation": organisation,
                        "commune": commune_code,
                        "departement": departement,
                        "region": region,
                    },
                )
            site = sites[row.site]
            key = (site.pk, row.building)
            if key not in buildings:
                buildings[key], _ = Building.objects.get_or_create(site=site, name=row.building)
            key = (buildings[key].pk, row.floor)
            if key not in floors:
                floors[key], _ = Floor.objects.get_or_create(
                    building=buildings[(site.pk, row.building)], name=row.floor
                )
            floor = floors[key]
            key = (floor.pk, row.zone)
            if key not in zones:
                zones[key], created = Zone.objects.get_or_create(
                    floor=floor, name=row.zone, defaults={"kind": row.zone_kind}
                )
                if not created and zones[key].kind != row.zone_kind:
                    zones[key].kind = row.zone_kind
                    zones[key].save(update_fields=["kind"])
            zone = zones[key]
            wanted = {"zone": zone, "owner": owners.get(row.owner), "features": "|".join(row.features)}
            desk = Desk.objects.filter(code=row.desk).first()
            result.desks += 1
            if desk is None:
                Desk.objects.create(code=row.desk, **wanted)
                result.created += 1
            elif any(getattr(desk, name) != value for name, value in wanted.items()):
                for name, value in wanted.items():
                    setattr(desk, name, value)
                desk.save(update_fields=list(wanted))
                result.updated += 1
        result.rejected.sort(key=lambda item: item.line)
        record_event(
            actor,
            "nomad.spaces.import",
            service=SERVICE,
            metadata={k: v for k, v in result.as_dict().items() if k != "rejected"}
            | {"rejected": len(result.rejected)},
        )
    return result


# --- Declarations ---------------------------------------------------------------------------------


def weekly_cap(user) -> int:
    organisation = organisation_of(user)
    return organisation.telework_weekly_cap if organisation else DEFAULT_CAP


def declare(user, kind: str, start: date, rrule: str = "", exdates=(), *, actor=None) -> Declaration:
    """Declare telework or absence days; refused (ValidationError) beyond the weekly cap."""
    if kind not in Declaration.Kind.values:
        raise ValidationError(f"kind « {kind} » : attendu teletravail ou absence.")
    try:
        excluded = recurrence.parse_exdates(exdates)
        days = recurrence.expand(rrule, start, excluded)
    except recurrence.RecurrenceError as exc:
        raise ValidationError(str(exc)) from None
    if not days:
        raise ValidationError("La déclaration ne donne aucune date (règle et exclusions).")
    with transaction.atomic():
        # Serialises a person's declarations on PostgreSQL (SQLite's immediate transactions already do).
        list(Agent.objects.select_for_update().filter(user=user))
        taken = set(DeclaredDay.objects.filter(user=user, active=True, day__in=days).values_list("day", flat=True))
        if taken:
            shown = ", ".join(day.strftime("%d/%m/%Y") for day in sorted(taken)[:5])
            raise ValidationError(f"Jour(s) déjà déclaré(s) : {shown}.")
        if kind == Declaration.Kind.TELEWORK:
            cap = weekly_cap(user)
            first, last = days[0] - timedelta(days=7), days[-1] + timedelta(days=7)
            existing = DeclaredDay.objects.filter(
                user=user, active=True, kind=Declaration.Kind.TELEWORK, day__range=(first, last)
            ).values_list("day", flat=True)
            over = recurrence.weeks_over_cap(existing, days, cap)
            if over:
                (year, week), total = next(iter(over.items()))
                raise ValidationError(
                    f"Plafond de télétravail dépassé : {total} jours la semaine {week} de {year} "
                    f"(au plus {cap} par semaine selon les règles en vigueur)."
                )
        declaration = Declaration.objects.create(
            user=user,
            kind=kind,
            start=start,
            rrule=rrule or "",
            exdates=",".join(day.isoformat() for day in excluded),
        )
        DeclaredDay.objects.bulk_create(
            DeclaredDay(declaration=declaration, user=user, day=day, kind=kind) for day in days
        )
        record_event(
            actor or user,
            "nomad.declaration.create",
            service=SERVICE,
            obj=declaration,
            metadata={"kind": kind, "days": len(days)},
        )
    return declaration


def declaration_days(declaration: Declaration) -> list[date]:
    return list(declaration.days.filter(active=True).values_list("day", flat=True))


@dataclass
class Conflict:
    booking: Booking
    alternatives: list[Desk]


def withdraw(declaration: Declaration, *, actor) -> list[Conflict]:
    """Withdraw a declaration. Bookings others made on the owner's desk stand: the owner is offered other desks."""
    if actor != declaration.user and not actor.is_superuser:
        raise PermissionDenied("Seul l'auteur d'une déclaration peut la retirer.")
    with transaction.atomic():
        days = [d for d in declaration_days(declaration) if d >= timezone.localdate()]
        declaration.days.update(active=False)
        declaration.withdrawn_at = timezone.now()
        declaration.save(update_fields=["withdrawn_at"])
        record_event(actor, "nomad.declaration.withdraw", service=SERVICE, obj=declaration)
    standing = (
        Booking.objects.filter(desk__owner=declaration.user, day__in=days, status=Booking.Status.ACTIVE)
        .exclude(user=declaration.user)
        .select_related("desk__zone__floor")
    )
    conflicts = []
    for booking in standing:
        alternatives = [
            desk
            for desk in Desk.objects.filter(zone__floor=booking.desk.zone.floor, active=True).select_related("zone")
            if desk.pk != booking.desk_id and desk_verdict(declaration.user, desk, booking.day).bookable
        ][:3]
        conflicts.append(Conflict(booking, alternatives))
    return conflicts


# --- Bookability ----------------------------------------------------------------------------------


def owner_away(owner_id: int | None, days) -> dict[date, str]:
    if owner_id is None:
        return {}
    return dict(
        DeclaredDay.objects.filter(user_id=owner_id, active=True, day__in=list(days)).values_list("day", "kind")
    )


def desk_verdict(user, desk: Desk, day: date, *, today: date | None = None, booked: bool = False) -> rules.Verdict:
    today = today or timezone.localdate()
    organisation = desk.zone.floor.building.site.organisation
    away = owner_away(desk.owner_id, [day]).get(day)
    state = rules.DeskDay(
        day=day,
        active=desk.active,
        zone_kind=desk.zone.kind,
        has_owner=desk.owner_id is not None,
        is_owner=bool(user is not None and desk.owner_id == getattr(user, "pk", None)),
        owner_away=away,
        booked=booked,
    )
    person = person_of(user) if user is not None else rules.Person()
    return rules.verdict(state, person, today=today, horizon_days=organisation.booking_horizon_days)


def availability(desk: Desk, start: date, end: date, *, user=None, today: date | None = None) -> list[dict]:
    if end < start:
        raise ValidationError("--to doit suivre --from.")
    if (end - start).days > 366:
        raise ValidationError("Période trop longue (un an au plus).")
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    booked = set(
        Booking.objects.filter(desk=desk, day__in=days, status=Booking.Status.ACTIVE).values_list("day", flat=True)
    )
    away = owner_away(desk.owner_id, days)
    today = today or timezone.localdate()
    organisation = desk.zone.floor.building.site.organisation
    person = person_of(user) if user is not None else rules.Person()
    result = []
    for day in days:
        state = rules.DeskDay(
            day=day,
            active=desk.active,
            zone_kind=desk.zone.kind,
            has_owner=desk.owner_id is not None,
            is_owner=bool(user is not None and desk.owner_id == user.pk),
            owner_away=away.get(day),
            booked=day in booked,
        )
        verdict = rules.verdict(state, person, today=today, horizon_days=organisation.booking_horizon_days)
        result.append({"date": day.isoformat(), "bookable": verdict.bookable, "reason": verdict.reason})
    return result


# --- Bookings -------------------------------------------------------------------------------------


def _is_lock_error(exc: OperationalError) -> bool:
    return "locked" in str(exc).lower()


def book(
    user, desk: Desk, day: date, *, idempotency_key: str = "", series: str = "", today: date | None = None
) -> tuple[Booking, bool]:
    """Book `desk` for `user` on `day` → (booking, created). Raises NotBookable or Taken.

    The rules are checked first (owner present, zone closed to guests…); uniqueness is left to the
    database: the insert runs in its own transaction and the partial unique indexes decide."""
    key = (idempotency_key or "")[:80]
    if key:
        existing = Booking.objects.filter(user=user, idempotency_key=key).first()
        if existing is not None:
            return existing, False
    verdict = desk_verdict(user, desk, day, today=today)
    if not verdict.bookable:
        raise NotBookable(verdict, day)
    site = desk.zone.floor.building.site
    for attempt in range(LOCK_RETRIES):
        try:
            with transaction.atomic():
                booking = Booking.objects.create(desk=desk, user=user, day=day, idempotency_key=key, series=series)
                record_event(
                    user,
                    "nomad.booking.create",
                    service=SERVICE,
                    obj=booking,
                    metadata={"reason": verdict.code},
                    **_audit_territory(site),
                )
            return booking, True
        except IntegrityError:
            if key:
                existing = Booking.objects.filter(user=user, idempotency_key=key).first()
                if existing is not None:
                    return existing, False
            if Booking.objects.filter(user=user, day=day, status=Booking.Status.ACTIVE).exists():
                raise Taken("person", day) from None
            raise Taken("desk", day) from None
        except OperationalError as exc:
            if not _is_lock_error(exc) or attempt == LOCK_RETRIES - 1:
                raise
            time.sleep(min(0.05 * (attempt + 1), 0.5))  # up to about 12 s in all under heavy contention
    raise AssertionError("unreachable")


@dataclass
class SeriesResult:
    series: str
    booked: list[Booking]
    refused: list[tuple[date, str]]


def book_series(user, desk: Desk, start: date, rrule: str, exdates=()) -> SeriesResult:
    """Recurring booking: every date of the rule is booked on its own; the refused ones are listed."""
    try:
        days = recurrence.expand(rrule, start, recurrence.parse_exdates(exdates))
    except recurrence.RecurrenceError as exc:
        raise ValidationError(str(exc)) from None
    result = SeriesResult(uuid.uuid4().hex, [], [])
    for day in days:
        try:
            booking, _ = book(user, desk, day, series=result.series)
            result.booked.append(booking)
        except (Taken, NotBookable) as exc:
            result.refused.append((day, str(exc)))
    return result


def cancel(booking: Booking, *, actor) -> Booking:
    if actor != booking.user and not actor.is_superuser:
        raise PermissionDenied("Seule la personne qui a réservé peut annuler.")
    with transaction.atomic():
        updated = Booking.objects.filter(pk=booking.pk, status=Booking.Status.ACTIVE).update(
            status=Booking.Status.CANCELLED, ended_at=timezone.now()
        )
        if updated:
            record_event(actor, "nomad.booking.cancel", service=SERVICE, obj=booking)
    booking.refresh_from_db()
    return booking


def check_in(user, token: str, *, now: datetime | None = None) -> Booking:
    """Check in at the desk whose QR code was scanned; books it on the spot when it is free today."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    desk = Desk.objects.select_related("zone__floor__building__site__organisation").filter(qr_token=token).first()
    if desk is None:
        raise ValidationError("QR code inconnu.")
    booking = Booking.objects.filter(user=user, desk=desk, day=today, status=Booking.Status.ACTIVE).first()
    if booking is None:
        booking, _ = book(user, desk, today, today=today)
    if booking.checked_in_at is None:
        with transaction.atomic():
            Booking.objects.filter(pk=booking.pk).update(checked_in_at=now)
            record_event(user, "nomad.booking.checkin", service=SERVICE, obj=booking)
        booking.refresh_from_db()
    return booking


def release_unchecked(*, now: datetime | None = None, actor=None) -> int:
    """Release today's bookings not checked in once the organisation's release hour has passed."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    released = 0
    for organisation in Organisation.objects.all():
        if local.hour < organisation.release_hour:
            continue
        with transaction.atomic():
            pending = Booking.objects.filter(
                day=local.date(),
                status=Booking.Status.ACTIVE,
                checked_in_at__isnull=True,
                desk__zone__floor__building__site__organisation=organisation,
            )
            count = pending.update(status=Booking.Status.RELEASED, ended_at=now)
            if count:
                record_event(
                    actor,
                    "nomad.booking.release",
                    service=SERVICE,
                    obj=organisation,
                    metadata={"day": local.date().isoformat(), "released": count},
                )
        released += count
    return released


# --- Favourites and guests ------------------------------------------------------------------------


def toggle_favourite(user, desk: Desk) -> bool:
    with transaction.atomic():
        deleted, _ = Favourite.objects.filter(user=user, desk=desk).delete()
        if not deleted:
            Favourite.objects.create(user=user, desk=desk)
    return not deleted


def invite_guest(inviter, *, username: str, first_name: str, last_name: str, email: str, company: str, expires: date):
    """An agent invites a partner: a guest account restricted to coworking zones until `expires`."""
    agent = agent_of(inviter)
    if agent is None or agent.is_guest:
        raise PermissionDenied("Seul un agent peut inviter un partenaire.")
    today = timezone.localdate()
    if expires < today or (expires - today).days > GUEST_MAX_DAYS:
        raise ValidationError(f"L'invitation doit expirer dans les {GUEST_MAX_DAYS} jours.")
    User = get_user_model()
    with transaction.atomic():
        if User.objects.filter(username=username).exists():
            raise ValidationError(f"L'identifiant « {username} » existe déjà.")
        guest = User.objects.create_user(
            username=username, first_name=first_name, last_name=last_name, email=email, password=None
        )
        Agent.objects.create(
            user=guest,
            organisation=agent.organisation,
            is_guest=True,
            guest_company=company,
            guest_expires=expires,
            invited_by=inviter,
        )
        record_event(inviter, "nomad.guest.invite", service=SERVICE, obj=guest, metadata={"expires": str(expires)})
    return guest


def record_canteen_day(site: Site, day: date, present: int, meals: int, *, actor=None) -> CanteenDay:
    if present < 0 or meals < 0:
        raise ValidationError("Les effectifs et les repas sont des nombres positifs.")
    with transaction.atomic():
        row, _ = CanteenDay.objects.update_or_create(site=site, day=day, defaults={"present": present, "meals": meals})
        record_event(actor, "nomad.canteen.record", service=SERVICE, obj=row, **_audit_territory(site))
    return row
