from django.contrib import admin

from communs.core.admin_base import BaseModelAdmin, ReadOnlyModelAdmin
from communs.estimaction.models import Dataset, TerritoryResult


@admin.register(Dataset)
class DatasetAdmin(BaseModelAdmin):
    list_display = ("name", "kind", "producer", "vintage", "coverage", "status", "imported_at")
    list_filter = ("kind", "status")
    search_fields = ("name", "producer", "coverage")


@admin.register(TerritoryResult)
class TerritoryResultAdmin(ReadOnlyModelAdmin):
    list_display = ("name", "level", "code", "total_population", "computed_at")
    list_filter = ("level",)
    search_fields = ("code", "name")
