"""Back-office: read-only views of what the analysis produced (the DSN files own the rows).

Salariés (nominative) are deliberately not registered: names are read through the audited pages.
"""

from django.contrib import admin

from communs.champollion.models import Classement, Constat, DsnFile, Etablissement, PosteFusion
from communs.core.admin_base import BaseModelAdmin, ReadOnlyModelAdmin


@admin.register(Etablissement)
class EtablissementAdmin(ReadOnlyModelAdmin):
    list_display = ("siret", "name", "naf", "departement", "last_month")
    search_fields = ("siret", "name")
    list_filter = ("departement",)


@admin.register(Constat)
class ConstatAdmin(ReadOnlyModelAdmin):
    list_display = ("rule", "status", "etablissement", "article", "first_legal_day")
    list_filter = ("rule", "status")
    search_fields = ("etablissement__siret",)
    list_select_related = ("etablissement",)


@admin.register(Classement)
class ClassementAdmin(ReadOnlyModelAdmin):
    list_display = ("algorithm_version", "data_month", "created_at")


@admin.register(DsnFile)
class DsnFileAdmin(ReadOnlyModelAdmin):
    list_display = ("name", "sha256", "size", "imported_at")
    search_fields = ("name", "sha256")


@admin.register(PosteFusion)
class PosteFusionAdmin(BaseModelAdmin):
    list_display = ("etablissement", "source", "target", "created_by", "created_at")
    search_fields = ("etablissement__siret", "source", "target")
