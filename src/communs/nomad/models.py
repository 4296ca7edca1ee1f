"""Persistence of Nomad: organisations and their rules, sites down to desks, declarations, bookings,
favourites, guests and the canteen history the forecast learns from.

No double booking is the database's job: two partial unique indexes (one active booking per desk and
day, one per person and day) hold on SQLite and PostgreSQL alike. Bookings are cancelled or released,
never deleted. Rows are written only by `services.py`.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q

from communs.nomad.engine.rules import ABSENCE, COWORKING, TEAM, TELEWORK
from communs.territoires.mixins import TerritorialMixin


def _qr_token() -> str:
    return secrets.token_urlsafe(18)


class Organisation(models.Model):
    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField("nom", max_length=200)
    telework_weekly_cap = models.PositiveSmallIntegerField(
        "jours de télétravail par semaine au plus", default=3, help_text="Règle en vigueur (3 par défaut)"
    )
    release_hour = models.PositiveSmallIntegerField(
        "heure de libération automatique", default=10, help_text="Réservation non validée à cette heure : libérée"
    )
    booking_horizon_days = models.PositiveSmallIntegerField("horizon de réservation (jours)", default=60)
    catering_cutoff_hour = models.PositiveSmallIntegerField("heure limite de commande (veille)", default=14)

    class Meta:
        verbose_name = "organisation"
        ordering = ["name"]

    def __str__(self):
        return self.name


class Agent(models.Model):
    """A person's membership: which organisation's rules apply, and whether they are a guest."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="nomad_agent")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="agents")
    is_guest = models.BooleanField("invité", default=False)
    guest_company = models.CharField("structure de l'invité", max_length=200, blank=True)
    guest_expires = models.DateField("invitation valable jusqu'au", null=True, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="nomad_guests"
    )

    class Meta:
        verbose_name = "agent"
        constraints = [
            models.CheckConstraint(
                condition=Q(is_guest=False) | Q(guest_expires__isnull=False), name="nomad_guest_has_expiry"
            )
        ]

    def __str__(self):
        return str(self.user)


class Site(TerritorialMixin):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="sites")
    name = models.CharField("nom", max_length=100, unique=True)
    address = models.CharField("adresse", max_length=250, blank=True)

    class Meta:
        verbose_name = "site"
        ordering = ["name"]

    def __str__(self):
        return self.name


class Building(models.Model):
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="buildings")
    name = models.CharField("nom", max_length=100)

    class Meta:
        verbose_name = "bâtiment"
        ordering = ["site", "name"]
        constraints = [models.UniqueConstraint(fields=["site", "name"], name="nomad_building_unique")]

    def __str__(self):
        return f"{self.site} — {self.name}"


class Floor(models.Model):
    building = models.ForeignKey(Building, on_delete=models.CASCADE, related_name="floors")
    name = models.CharField("nom", max_length=100)

    class Meta:
        verbose_name = "étage"
        ordering = ["building", "name"]
        constraints = [models.UniqueConstraint(fields=["building", "name"], name="nomad_floor_unique")]

    def __str__(self):
        return f"{self.building} — {self.name}"


class Zone(models.Model):
    class Kind(models.TextChoices):
        TEAM = TEAM, "équipe"
        COWORKING = COWORKING, "coworking"

    floor = models.ForeignKey(Floor, on_delete=models.CASCADE, related_name="zones")
    name = models.CharField("nom", max_length=100)
    kind = models.CharField("type", max_length=12, choices=Kind.choices, default=Kind.TEAM)

    class Meta:
        verbose_name = "zone"
        ordering = ["floor", "name"]
        constraints = [models.UniqueConstraint(fields=["floor", "name"], name="nomad_zone_unique")]

    def __str__(self):
        return f"{self.name} ({self.get_kind_display()})"


class Desk(models.Model):
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="desks")
    code = models.CharField("poste", max_length=100, unique=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="nomad_desks",
        verbose_name="titulaire",
    )
    features = models.CharField(
        "équipements et accessibilité", max_length=300, blank=True, help_text="séparés par « | »"
    )
    active = models.BooleanField("ouvert", default=True)
    qr_token = models.CharField(max_length=40, unique=True, default=_qr_token, editable=False)

    class Meta:
        verbose_name = "poste"
        ordering = ["code"]

    def __str__(self):
        return self.code

    @property
    def feature_list(self) -> list[str]:
        return [f for f in self.features.split("|") if f]


class Declaration(models.Model):
    """An absence or telework declaration, one day or a recurrence (RRULE + EXDATE)."""

    class Kind(models.TextChoices):
        TELEWORK = TELEWORK, "télétravail"
        ABSENCE = ABSENCE, "absence"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="nomad_declarations")
    kind = models.CharField("nature", max_length=12, choices=Kind.choices)
    start = models.DateField("début")
    rrule = models.CharField("récurrence (RRULE)", max_length=300, blank=True)
    exdates = models.TextField("dates exclues (EXDATE)", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField("retirée le", null=True, blank=True)

    class Meta:
        verbose_name = "déclaration"
        ordering = ["-start"]

    def __str__(self):
        return f"{self.get_kind_display()} de {self.user} à partir du {self.start}"


class DeclaredDay(models.Model):
    """One expanded day of a declaration: what the booking rules and the cap read."""

    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="days")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(db_index=True)
    kind = models.CharField(max_length=12, choices=Declaration.Kind.choices)
    active = models.BooleanField(default=True)

    class Meta:
        verbose_name = "jour déclaré"
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], condition=Q(active=True), name="nomad_one_declaration_day")
        ]

    def __str__(self):
        return f"{self.user} {self.kind} {self.day}"


class Booking(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "réservée"
        CANCELLED = "annulee", "annulée"
        RELEASED = "liberee", "libérée (non validée à temps)"

    desk = models.ForeignKey(Desk, on_delete=models.PROTECT, related_name="bookings")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="nomad_bookings")
    day = models.DateField("jour")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    idempotency_key = models.CharField(max_length=80, blank=True)
    series = models.CharField("série récurrente", max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "réservation"
        ordering = ["day", "desk"]
        constraints = [
            models.UniqueConstraint(
                fields=["desk", "day"], condition=Q(status="active"), name="nomad_one_booking_per_desk_day"
            ),
            models.UniqueConstraint(
                fields=["user", "day"], condition=Q(status="active"), name="nomad_one_booking_per_person_day"
            ),
            models.UniqueConstraint(
                fields=["user", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="nomad_booking_idempotency",
            ),
        ]
        indexes = [models.Index(fields=["day", "status"], name="nomad_booking_day_status")]

    def __str__(self):
        return f"{self.desk} le {self.day} ({self.user})"


class Favourite(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="nomad_favourites")
    desk = models.ForeignKey(Desk, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = "favori"
        constraints = [models.UniqueConstraint(fields=["user", "desk"], name="nomad_favourite_unique")]

    def __str__(self):
        return f"{self.user} ★ {self.desk}"


class CanteenDay(models.Model):
    """What happened on a past day at a site's canteen: people present (checked in) and meals served."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="canteen_days")
    day = models.DateField()
    present = models.PositiveIntegerField("présents")
    meals = models.PositiveIntegerField("repas servis")

    class Meta:
        verbose_name = "journée de restauration"
        ordering = ["site", "day"]
        constraints = [
            models.UniqueConstraint(fields=["site", "day"], name="nomad_canteen_day_unique"),
        ]

    def __str__(self):
        return f"{self.site} {self.day}"
