"""Back-office of PILOTE: the catalogue (ministries, chantiers, indicators) is edited here; figures,
their history and the computed results are read-only (figures change through `services.py` only,
so that history and audit stay complete)."""

from django.contrib import admin

from communs.core.admin_base import BaseModelAdmin, ReadOnlyModelAdmin
from communs.pilote.models import (
    AlertRecord,
    Chantier,
    Comment,
    ConsistencyIssue,
    ImportBatch,
    Indicator,
    Meteo,
    Ministere,
    Proposal,
    Value,
    ValueHistory,
)


@admin.register(Ministere)
class MinistereAdmin(BaseModelAdmin):
    list_display = ("code", "nom")
    search_fields = ("code", "nom")
    filter_horizontal = ("agents",)


@admin.register(Chantier)
class ChantierAdmin(BaseModelAdmin):
    list_display = ("code", "nom", "ministere", "axe", "statut")
    list_filter = ("ministere", "statut")
    search_fields = ("code", "nom")
    filter_horizontal = ("responsables",)


@admin.register(Indicator)
class IndicatorAdmin(BaseModelAdmin):
    list_display = ("code", "nom", "chantier", "direction", "aggregation", "entry", "published")
    list_filter = ("chantier__ministere", "entry", "published")
    search_fields = ("code", "nom")


@admin.register(Value)
class ValueAdmin(ReadOnlyModelAdmin):
    list_display = ("indicator", "territory", "date", "metric", "value", "updated_by", "updated_at")
    list_filter = ("metric", "level")
    search_fields = ("indicator__code", "territory")


@admin.register(ValueHistory)
class ValueHistoryAdmin(ReadOnlyModelAdmin):
    list_display = ("value", "previous", "new", "author", "changed_at", "origin")


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyModelAdmin):
    list_display = ("file_name", "mode", "author", "created_at", "rows_imported", "rows_rejected")


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyModelAdmin):
    list_display = ("indicator", "territory", "date", "proposed", "status", "author")
    list_filter = ("status",)


@admin.register(Meteo)
class MeteoAdmin(ReadOnlyModelAdmin):
    list_display = ("chantier", "territory", "period", "meteo")


@admin.register(Comment)
class CommentAdmin(ReadOnlyModelAdmin):
    list_display = ("chantier", "territory", "period", "kind", "author", "created_at")


@admin.register(AlertRecord)
class AlertAdmin(ReadOnlyModelAdmin):
    list_display = ("chantier", "indicator", "territory", "kind")
    list_filter = ("kind",)


@admin.register(ConsistencyIssue)
class ConsistencyIssueAdmin(ReadOnlyModelAdmin):
    list_display = ("indicator", "territory", "metric", "period", "entered", "computed")
