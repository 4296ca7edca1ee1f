"""Back-office of Inondata: scenarios are computed objects, read-only here."""

from django.contrib import admin

from communs.core.admin_base import ReadOnlyModelAdmin
from communs.inondata.models import Scenario


@admin.register(Scenario)
class ScenarioAdmin(ReadOnlyModelAdmin):
    list_display = ("name", "commune", "terrain_source", "status", "owner", "created_at")
    list_filter = ("status", "terrain_source", "is_public")
    search_fields = ("name", "commune", "area_label", "owner__username")
