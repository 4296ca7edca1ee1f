"""Nomad: the API router, mounted at /api/nomad/ (token or session).

`POST /bookings` answers 201 with the booking, 200 when the same idempotency key was already used,
409 `taken` when the desk or the person already has a booking that day, 422 when the desk is not
bookable that day (owner present, zone closed to guests)."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from ninja import Router, Status
from ninja.errors import HttpError

from communs.core.api_auth import token_or_session
from communs.nomad import selectors, services
from communs.nomad.models import Booking, Desk, Site
from communs.nomad.schemas import (
    AvailabilityOut,
    BookingIn,
    BookingOut,
    DeclarationIn,
    DeclarationOut,
    ForecastOut,
)

router = Router(tags=["Nomad"], auth=token_or_session)


def _out(booking: Booking) -> dict:
    return {
        "id": booking.pk,
        "desk": booking.desk.code,
        "date": booking.day,
        "status": booking.status,
        "user": booking.user.get_username(),
        "checked_in": booking.checked_in_at is not None,
    }


def _desk(code: str) -> Desk:
    return get_object_or_404(Desk.objects.select_related("zone__floor__building__site__organisation"), code=code)


@router.post(
    "/bookings",
    response={200: BookingOut, 201: BookingOut},
    summary="Réserver un poste pour un jour (clé d'idempotence facultative)",
)
def create_booking(request, payload: BookingIn):
    desk = _desk(payload.desk)
    try:
        booking, created = services.book(request.auth, desk, payload.date, idempotency_key=payload.idempotency_key)
    except services.Taken as exc:
        raise HttpError(409, str(exc)) from None
    except services.NotBookable as exc:
        raise HttpError(422, str(exc)) from None
    return Status(201 if created else 200, _out(booking))


@router.get("/bookings", response=list[BookingOut], summary="Mes réservations actives à partir d'une date")
def my_bookings(request, since: date | None = None):
    rows = Booking.objects.filter(user=request.auth, status=Booking.Status.ACTIVE).select_related("desk", "user")
    if since:
        rows = rows.filter(day__gte=since)
    return [_out(row) for row in rows.order_by("day")[:500]]


@router.post(
    "/bookings/{booking_id}/cancel", response=BookingOut, summary="Annuler une réservation (jamais supprimée)"
)
def cancel_booking(request, booking_id: int):
    booking = get_object_or_404(Booking.objects.select_related("desk", "user"), pk=booking_id)
    try:
        services.cancel(booking, actor=request.auth)
    except PermissionDenied as exc:
        raise HttpError(403, str(exc)) from None
    return _out(booking)


@router.get("/desks/{code}/availability", response=list[AvailabilityOut], summary="Disponibilité d'un poste")
def availability(request, code: str, start: date, end: date):
    try:
        return services.availability(_desk(code), start, end, user=request.auth)
    except ValidationError as exc:
        raise HttpError(400, " ".join(exc.messages)) from None


@router.post(
    "/declarations", response={201: DeclarationOut}, summary="Déclarer télétravail ou absence (RRULE, EXDATE)"
)
def declare(request, payload: DeclarationIn):
    try:
        declaration = services.declare(request.auth, payload.kind, payload.start, payload.rrule, payload.exdates)
    except ValidationError as exc:
        raise HttpError(422, " ".join(exc.messages)) from None
    return Status(201, {"id": declaration.pk, "dates": services.declaration_days(declaration)})


@router.get("/sites/{site_id}/catering", response=list[ForecastOut], summary="Prévision des repas (5 jours ouvrés)")
def catering(request, site_id: int, start: date):
    site = get_object_or_404(Site, pk=site_id)
    if not (
        services.managed_sites(request.auth).filter(pk=site.pk).exists()
        or services.managed_sites(request.auth, services.CATERING).filter(pk=site.pk).exists()
    ):
        raise HttpError(403, "Vous ne gérez pas ce site.")
    report = selectors.catering_forecast(site, start, 7)
    return [
        {
            "date": f.day,
            "expected_present": f.expected_present,
            "ratio": round(f.ratio, 4),
            "meals": f.meals,
            "low": f.low,
            "high": f.high,
        }
        for f, _, _ in report.days
    ]
