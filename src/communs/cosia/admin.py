"""Back-office of CoSIA: the raster index and the download log are read-only; use cases are editable."""

from django.contrib import admin

from communs.core.admin_base import BaseModelAdmin, ReadOnlyModelAdmin
from communs.cosia.models import Coverage, Download, Export, UseCase, Zone


@admin.register(Coverage)
class CoverageAdmin(ReadOnlyModelAdmin):
    list_display = ("source_name", "departement", "vintage", "width", "height", "ingested_at")
    list_filter = ("vintage",)
    search_fields = ("source_name", "sha256", "departement__code")


@admin.register(Zone)
class ZoneAdmin(ReadOnlyModelAdmin):
    list_display = ("code", "name", "departement", "area_ha")
    search_fields = ("code", "name")


@admin.register(Export)
class ExportAdmin(ReadOnlyModelAdmin):
    list_display = ("territory_label", "vintage", "format", "user", "created_at", "size_bytes")
    list_filter = ("format", "vintage")
    search_fields = ("territory_code", "territory_label", "user__username")


@admin.register(Download)
class DownloadAdmin(ReadOnlyModelAdmin):
    list_display = ("export", "user", "at")
    search_fields = ("user__username", "export__territory_code")


@admin.register(UseCase)
class UseCaseAdmin(BaseModelAdmin):
    list_display = ("title", "territory_label", "theme", "status", "created_at")
    list_filter = ("status", "theme")
    search_fields = ("title", "territory_label")
