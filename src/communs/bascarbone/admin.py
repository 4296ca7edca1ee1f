"""Back-office of État bas carbone."""

from django.contrib import admin

from communs.bascarbone.models import (
    Action,
    Activity,
    ActivityImport,
    Correspondent,
    Entity,
    Factor,
    FactorBase,
    Inventory,
)
from communs.core.admin_base import BaseModelAdmin, ReadOnlyModelAdmin


@admin.register(FactorBase)
class FactorBaseAdmin(ReadOnlyModelAdmin):
    list_display = ("version", "source", "is_starter", "created_at")
    search_fields = ("version",)


@admin.register(Factor)
class FactorAdmin(ReadOnlyModelAdmin):
    list_display = ("factor_id", "name", "unit", "total", "uncertainty", "base")
    list_filter = ("base",)
    search_fields = ("factor_id", "name")


@admin.register(Entity)
class EntityAdmin(BaseModelAdmin):
    list_display = ("code", "name", "kind", "region", "departement")
    list_filter = ("kind",)
    search_fields = ("code", "name")
    filter_horizontal = ("parents",)


@admin.register(Correspondent)
class CorrespondentAdmin(BaseModelAdmin):
    list_display = ("user", "entity")
    search_fields = ("user__username", "entity__code")
    autocomplete_fields = ("entity",)


@admin.register(Inventory)
class InventoryAdmin(BaseModelAdmin):
    list_display = ("entity", "year", "factor_base", "gwp_set")
    search_fields = ("entity__code", "entity__name")


@admin.register(ActivityImport)
class ActivityImportAdmin(ReadOnlyModelAdmin):
    list_display = ("filename", "inventory", "format", "status", "rows", "imported", "created_at")


@admin.register(Activity)
class ActivityAdmin(ReadOnlyModelAdmin):
    list_display = ("inventory", "post", "factor_id", "quantity", "unit", "label")
    search_fields = ("factor_id", "label")


@admin.register(Action)
class ActionAdmin(BaseModelAdmin):
    list_display = ("title", "entity", "post", "reduction_tco2e", "due_year", "status")
