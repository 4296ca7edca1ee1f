"""Back-office of Nomad: spaces and rules are edited here; declarations, bookings and the canteen history
are read-only (they change through `services.py`, which audits and keeps bookings: cancelled, never deleted)."""

from django.contrib import admin

from communs.core.admin_base import BaseModelAdmin, ReadOnlyModelAdmin
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


@admin.register(Organisation)
class OrganisationAdmin(BaseModelAdmin):
    list_display = ("name", "telework_weekly_cap", "release_hour", "booking_horizon_days")


@admin.register(Agent)
class AgentAdmin(BaseModelAdmin):
    list_display = ("user", "organisation", "is_guest", "guest_expires")
    list_filter = ("organisation", "is_guest")
    raw_id_fields = ("user", "invited_by")


@admin.register(Site)
class SiteAdmin(BaseModelAdmin):
    list_display = ("name", "organisation", "commune", "departement")


@admin.register(Building)
class BuildingAdmin(BaseModelAdmin):
    list_display = ("name", "site")


@admin.register(Floor)
class FloorAdmin(BaseModelAdmin):
    list_display = ("name", "building")


@admin.register(Zone)
class ZoneAdmin(BaseModelAdmin):
    list_display = ("name", "kind", "floor")
    list_filter = ("kind",)


@admin.register(Desk)
class DeskAdmin(BaseModelAdmin):
    list_display = ("code", "zone", "owner", "features", "active")
    search_fields = ("code",)
    raw_id_fields = ("owner",)


@admin.register(Declaration)
class DeclarationAdmin(ReadOnlyModelAdmin):
    list_display = ("user", "kind", "start", "rrule", "withdrawn_at")


@admin.register(DeclaredDay)
class DeclaredDayAdmin(ReadOnlyModelAdmin):
    list_display = ("user", "day", "kind", "active")


@admin.register(Booking)
class BookingAdmin(ReadOnlyModelAdmin):
    list_display = ("desk", "user", "day", "status", "checked_in_at")
    list_filter = ("status",)
    date_hierarchy = "day"


@admin.register(Favourite)
class FavouriteAdmin(ReadOnlyModelAdmin):
    list_display = ("user", "desk")


@admin.register(CanteenDay)
class CanteenDayAdmin(ReadOnlyModelAdmin):
    list_display = ("site", "day", "present", "meals")
