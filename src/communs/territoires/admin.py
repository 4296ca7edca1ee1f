"""Back-office views of the reference: read-only, since `communs territoires load` owns the rows."""

from django.contrib import admin

from communs.core.admin_base import ReadOnlyModelAdmin
from communs.territoires.models import Commune, Contour, Departement, Epci, Region


@admin.register(Region)
class RegionAdmin(ReadOnlyModelAdmin):
    list_display = ("code", "nom")
    search_fields = ("code", "nom")


@admin.register(Departement)
class DepartementAdmin(ReadOnlyModelAdmin):
    list_display = ("code", "nom", "region")
    list_select_related = ("region",)
    search_fields = ("code", "nom")


@admin.register(Epci)
class EpciAdmin(ReadOnlyModelAdmin):
    list_display = ("code", "nom", "type", "population")
    list_filter = ("type",)
    search_fields = ("code", "nom")


@admin.register(Commune)
class CommuneAdmin(ReadOnlyModelAdmin):
    list_display = ("code", "nom", "kind", "departement", "epci", "population")
    list_filter = ("kind", "region")
    list_select_related = ("departement", "epci")
    search_fields = ("code", "nom", "postcodes")


@admin.register(Contour)
class ContourAdmin(ReadOnlyModelAdmin):
    list_display = ("level", "code", "source", "tolerance_m", "imported_at")
    list_filter = ("level",)
    search_fields = ("code",)
    exclude = ("geometry",)  # megabytes of coordinates help no one in a form
