"""Nomad pages. Agents: my week, booking from the plan or the list, favourites, declarations, ICS, guests.
Managers: spaces and CSV import, QR codes, occupancy dashboard, catering forecast (with CSV exports)."""

import uuid
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from communs.core.downloads import table_download
from communs.nomad import charts, selectors, services
from communs.nomad.engine import ics
from communs.nomad.engine.forecast import WEEKDAYS
from communs.nomad.engine.spaces import SpacesFileError
from communs.nomad.forms import BookingForm, DeclarationForm, GuestForm, SpacesImportForm
from communs.nomad.models import Booking, Declaration, Desk, Favourite, Floor, Site


def _date(text: str | None, default: date) -> date:
    try:
        return date.fromisoformat(text) if text else default
    except ValueError:
        return default


def _next_workday(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _nav(request) -> dict:
    return {
        "is_manager": services.is_manager(request.user),
        "is_catering": services.is_manager(request.user, services.CATERING),
    }


@login_required
def home(request):
    today = timezone.localdate()
    monday = selectors.monday_of(_date(request.GET.get("semaine"), today))
    week = selectors.my_week(request.user, monday)
    declarations = Declaration.objects.filter(user=request.user, withdrawn_at__isnull=True).order_by("-start")[:10]
    favourites = Favourite.objects.filter(user=request.user).select_related("desk__zone__floor__building")
    return render(
        request,
        "nomad/home.html",
        {
            "title": "Ma semaine",
            "week": week,
            "monday": monday,
            "previous": monday - timedelta(days=7),
            "next": monday + timedelta(days=7),
            "today": today,
            "declarations": declarations,
            "favourites": favourites,
            "form": DeclarationForm(initial={"start": _next_workday(today), "weeks": 1}),
            "agent": services.agent_of(request.user),
            **_nav(request),
        },
    )


@login_required
def reserver(request):
    if request.method == "POST":
        return _book(request)
    today = timezone.localdate()
    day = _date(request.GET.get("jour"), _next_workday(today))
    floors = list(
        Floor.objects.select_related("building__site").order_by("building__site__name", "building__name", "name")
    )
    if not floors:
        raise Http404("Aucun espace n'est encore décrit.")
    floor = next((f for f in floors if str(f.pk) == request.GET.get("etage")), None)
    if floor is None:
        own = Desk.objects.filter(owner=request.user).select_related("zone__floor").first()
        floor = own.zone.floor if own else floors[0]
    view = selectors.floor_view(request.user, floor, day, today=today)
    selected = request.GET.get("poste", "")
    mode = "liste" if request.GET.get("vue") == "liste" else "plan"
    return render(
        request,
        "nomad/reserver.html",
        {
            "title": f"Réserver un poste le {day.strftime('%d/%m/%Y')}",
            "view": view,
            "floors": floors,
            "day": day,
            "days": [
                _next_workday(today) + timedelta(days=n)
                for n in range(0, 14)
                if (_next_workday(today) + timedelta(days=n)).weekday() < 5
            ],
            "selected": selected,
            "mode": mode,
            "key": uuid.uuid4().hex,
            **_nav(request),
        },
    )


def _book(request):
    form = BookingForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choisissez un poste et un jour.")
        return redirect("nomad:reserver")
    desk = get_object_or_404(
        Desk.objects.select_related("zone__floor__building__site__organisation"), pk=form.cleaned_data["desk"]
    )
    day = form.cleaned_data["day"]
    weeks = form.cleaned_data.get("weeks") or 1
    back = f"{reverse('nomad:reserver')}?etage={desk.zone.floor_id}&jour={day.isoformat()}"
    if weeks > 1:
        try:
            result = services.book_series(request.user, desk, day, f"FREQ=WEEKLY;COUNT={weeks}")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(back)
        messages.success(request, f"{len(result.booked)} réservation(s) du poste {desk.code} enregistrée(s).")
        for _day, reason in result.refused:
            messages.warning(request, reason)
        return redirect(f"{reverse('nomad:home')}?semaine={day.isoformat()}")
    try:
        booking, created = services.book(request.user, desk, day, idempotency_key=form.cleaned_data["key"])
    except (services.Taken, services.NotBookable) as exc:
        messages.error(request, str(exc))
        return redirect(back)
    if created:
        messages.success(request, f"Poste {desk.code} réservé le {day.strftime('%d/%m/%Y')}.")
    return redirect(f"{reverse('nomad:home')}?semaine={day.isoformat()}")


@login_required
@require_POST
def declarer(request):
    form = DeclarationForm(request.POST)
    if form.is_valid():
        try:
            declaration = services.declare(
                request.user,
                form.cleaned_data["kind"],
                form.cleaned_data["start"],
                form.rrule(),
                form.cleaned_data["exdates"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            days = services.declaration_days(declaration)
            messages.success(
                request, f"Déclaration enregistrée : {len(days)} jour(s). Votre poste est proposé aux collègues."
            )
            return redirect(f"{reverse('nomad:home')}?semaine={form.cleaned_data['start'].isoformat()}")
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label} : {' '.join(errors)}")
    return redirect("nomad:home")


@login_required
@require_POST
def retirer(request, pk):
    declaration = get_object_or_404(Declaration, pk=pk, user=request.user)
    conflicts = services.withdraw(declaration, actor=request.user)
    messages.success(request, "Déclaration retirée.")
    for conflict in conflicts:
        others = ", ".join(desk.code for desk in conflict.alternatives) or "aucun autre poste libre sur l'étage"
        messages.warning(
            request,
            f"Votre poste est déjà réservé par un collègue le {conflict.booking.day.strftime('%d/%m/%Y')} : "
            f"la réservation est maintenue. Postes proposés : {others}.",
        )
    return redirect("nomad:home")


@login_required
@require_POST
def annuler(request, pk):
    booking = get_object_or_404(Booking, pk=pk, user=request.user)
    services.cancel(booking, actor=request.user)
    messages.success(request, f"Réservation du {booking.day.strftime('%d/%m/%Y')} annulée.")
    return redirect(f"{reverse('nomad:home')}?semaine={booking.day.isoformat()}")


@login_required
@require_POST
def favori(request, pk):
    desk = get_object_or_404(Desk, pk=pk)
    added = services.toggle_favourite(request.user, desk)
    messages.success(request, f"Poste {desk.code} {'ajouté aux' if added else 'retiré des'} favoris.")
    return (
        redirect(request.POST.get("next") or "nomad:home")
        if str(request.POST.get("next", "")).startswith("/nomad/")
        else redirect("nomad:home")
    )


def _where(desk: Desk) -> str:
    floor = desk.zone.floor
    return f"{floor.building.site.name}, {floor.building.name}, {floor.name}"


@login_required
def calendrier(request):
    bookings = Booking.objects.filter(
        user=request.user, day__gte=timezone.localdate() - timedelta(days=30)
    ).select_related("desk__zone__floor__building__site")
    events = [
        ics.Event(
            uid=f"nomad-{booking.pk}@communs",
            day=booking.day,
            summary=f"Poste {booking.desk.code}",
            location=_where(booking.desk),
            cancelled=booking.status != Booking.Status.ACTIVE,
        )
        for booking in bookings
    ]
    response = HttpResponse(ics.calendar(events, stamp=timezone.now()), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="nomad.ics"'
    return response


@login_required
def checkin(request, token):
    desk = get_object_or_404(Desk.objects.select_related("zone__floor__building__site"), qr_token=token)
    if request.method == "POST":
        try:
            services.check_in(request.user, token)
        except (services.Taken, services.NotBookable, ValidationError) as exc:
            messages.error(request, str(exc) if not isinstance(exc, ValidationError) else " ".join(exc.messages))
        else:
            messages.success(request, f"Présence validée au poste {desk.code}.")
            return redirect("nomad:home")
    return render(request, "nomad/checkin.html", {"title": f"Valider ma présence au poste {desk.code}", "desk": desk})


@login_required
def invites(request):
    agent = services.agent_of(request.user)
    if agent is None or agent.is_guest:
        raise PermissionDenied("Seuls les agents invitent des partenaires.")
    form = GuestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        username = f"invite-{uuid.uuid4().hex[:8]}"
        try:
            services.invite_guest(
                request.user,
                username=username,
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                company=data["company"],
                expires=data["expires"],
            )
        except ValidationError as exc:
            form.add_error("expires", exc)
        else:
            messages.success(request, f"Invitation créée : identifiant {username}, espaces de coworking seulement.")
            return redirect("nomad:invites")
    guests = request.user.nomad_guests.select_related("user").order_by("-guest_expires")
    return render(
        request,
        "nomad/invites.html",
        {"title": "Inviter un partenaire", "form": form, "guests": guests, **_nav(request)},
    )


# --- Managers -------------------------------------------------------------------------------------


def _managed_site(request, role=services.MANAGER) -> tuple[list[Site], Site]:
    sites = list(services.managed_sites(request.user, role).select_related("organisation"))
    if not sites:
        raise PermissionDenied("Page réservée aux gestionnaires de site.")
    site = next((s for s in sites if str(s.pk) == request.GET.get("site")), sites[0])
    return sites, site


@login_required
def gestion(request):
    sites, site = _managed_site(request)
    form = SpacesImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        raw = upload.read()
        text = raw.decode("utf-8") if _utf8(raw) else raw.decode("latin-1")
        try:
            result = services.import_spaces(
                text, actor=request.user, organisation=site.organisation, commune=site.commune
            )
        except SpacesFileError as exc:
            form.add_error("file", f"« {upload.name} », {exc}")
    floors = [
        (
            floor,
            Desk.objects.filter(zone__floor=floor).count(),
            Desk.objects.filter(zone__floor=floor, owner__isnull=False).count(),
        )
        for floor in selectors.floors_of(site)
    ]
    return render(
        request,
        "nomad/gestion.html",
        {
            "title": "Gestion des espaces",
            "sites": sites,
            "site": site,
            "floors": floors,
            "form": form,
            "result": result,
            **_nav(request),
        },
    )


def _utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


@login_required
def qr_codes(request, pk):
    site = get_object_or_404(Site, pk=pk)
    services.require_site(request.user, site)
    desks = Desk.objects.filter(zone__floor__building__site=site).select_related("zone__floor__building")
    return render(
        request, "nomad/qr_codes.html", {"title": f"QR codes des postes — {site.name}", "site": site, "desks": desks}
    )


@login_required
def qr_svg(request, pk):
    import segno

    desk = get_object_or_404(Desk.objects.select_related("zone__floor__building__site"), pk=pk)
    services.require_site(request.user, desk.zone.floor.building.site)
    url = request.build_absolute_uri(reverse("nomad:checkin", args=[desk.qr_token]))
    svg = segno.make(url, error="m").svg_inline(scale=4, title=f"QR code du poste {desk.code}")
    return HttpResponse(svg, content_type="image/svg+xml")


@login_required
def occupation(request):
    sites, site = _managed_site(request)
    today = timezone.localdate()
    end = _date(request.GET.get("au"), today)
    start = _date(request.GET.get("du"), end - timedelta(days=27))
    if (end - start).days > 366 or end < start:
        start = end - timedelta(days=27)
    rows, hidden = selectors.occupancy(site, start, end, today=today)
    if request.GET.get("format") == "csv":
        return table_download(
            ["jour", "etage", "capacite", "reserves", "valides", "absents", "postes_liberes"],
            [(day, o.label, o.capacity, o.booked, o.checked_in, o.no_shows, o.freed) for day, o in rows],
            filename=f"nomad-occupation-{site.pk}-{start}-{end}",
            fmt="csv",
            sheet_title="Occupation",
        )
    chart = charts.occupancy_chart(rows)
    return render(
        request,
        "nomad/occupation.html",
        {
            "title": "Occupation des espaces",
            "sites": sites,
            "site": site,
            "rows": rows,
            "hidden": hidden,
            "start": start,
            "end": end,
            "chart": chart,
            **_nav(request),
        },
    )


@login_required
def restauration(request):
    sites, site = (
        _managed_site(request, services.CATERING)
        if services.is_manager(request.user, services.CATERING)
        else _managed_site(request)
    )
    today = timezone.localdate()
    start = _date(request.GET.get("du"), _next_workday(today + timedelta(days=1)))
    report = selectors.catering_forecast(site, start, 7, today=today)
    if request.GET.get("format") == "csv":
        return table_download(
            ["jour", "presence_attendue", "taux_restauration", "repas_prevus", "fourchette_basse", "fourchette_haute"],
            [(f.day, f.expected_present, round(f.ratio, 3), f.meals, f.low, f.high) for f, _, _ in report.days],
            filename=f"nomad-restauration-{site.pk}-{start}",
            fmt="csv",
            sheet_title="Prévision",
        )
    return render(
        request,
        "nomad/restauration.html",
        {
            "title": "Prévision de restauration",
            "sites": sites,
            "site": site,
            "report": report,
            "weekdays": WEEKDAYS,
            "chart": charts.catering_chart(report),
            **_nav(request),
        },
    )
