"""Nomad's box on the territory page: aggregate desk occupancy of the sites in a territory (≥ 5 people)."""

from datetime import timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from communs.nomad.engine.occupancy import MIN_PEOPLE
from communs.territoires.panels import Figure, PanelData, TerritoryPanel, register_panel

WEEKS = 4


def figures(territory, user):
    from communs.nomad.models import Booking, Desk, Site

    field = {"commune": "commune", "departement": "departement", "region": "region"}.get(territory.level)
    if field is None:
        return None
    sites = Site.objects.filter(**{field: territory.code})
    if not sites.exists():
        return None
    today = timezone.localdate()
    start = today - timedelta(weeks=WEEKS)
    bookings = Booking.objects.filter(
        desk__zone__floor__building__site__in=sites, day__range=(start, today - timedelta(days=1))
    ).exclude(status=Booking.Status.CANCELLED)
    totals = bookings.aggregate(
        booked=Count("pk"),
        people=Count("user", distinct=True),
        days=Count("day", distinct=True),
        checked=Count("pk", filter=Q(checked_in_at__isnull=False)),
    )
    if totals["people"] < MIN_PEOPLE or not totals["days"]:
        return None
    capacity = Desk.objects.filter(zone__floor__building__site__in=sites, active=True).count()
    per_day = totals["booked"] / totals["days"]
    return PanelData(
        figures=[
            Figure("Sites", sites.count(), key="sites"),
            Figure("Postes", capacity, unit="postes", key="desks"),
            Figure("Réservations par jour ouvré (moyenne)", round(per_day, 1), decimals=1, key="bookings_per_day"),
            Figure(
                "Taux d'occupation réservé",
                round(100 * per_day / capacity, 1) if capacity else None,
                unit="%",
                decimals=1,
                key="occupancy_rate",
            ),
        ],
        source=f"Nomad, réservations des {WEEKS} dernières semaines (agrégats d'au moins {MIN_PEOPLE} personnes)",
        as_of=today,
        link=reverse("nomad:home"),
    )


def register():
    register_panel(
        TerritoryPanel(
            service="nomad",
            title="Occupation des postes de travail",
            levels=("commune", "departement", "region"),
            figures=figures,
            public=False,
        )
    )
