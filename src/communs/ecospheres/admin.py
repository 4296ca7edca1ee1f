"""Back-office of Écosphères: sources are edited here; harvested records, merged datasets and runs are
read-only (they change through harvests); bouquets and decisions are edited through the pages
(audited), and visible here read-only."""

from django.contrib import admin

from communs.core.admin_base import BaseModelAdmin, ReadOnlyModelAdmin
from communs.ecospheres.models import (
    Bouquet,
    BouquetComment,
    BouquetGroup,
    BouquetItem,
    Dataset,
    DatasetFacet,
    DuplicateCandidate,
    HarvestRun,
    HarvestSource,
    Notification,
    SourceRecord,
)


@admin.register(HarvestSource)
class HarvestSourceAdmin(BaseModelAdmin):
    list_display = ("name", "kind", "url", "schedule", "grace_days", "active")
    list_filter = ("kind", "schedule", "active")
    search_fields = ("name", "url")


@admin.register(HarvestRun)
class HarvestRunAdmin(ReadOnlyModelAdmin):
    list_display = ("source", "started_at", "finished_at", "status")
    list_filter = ("status", "source")


@admin.register(SourceRecord)
class SourceRecordAdmin(ReadOnlyModelAdmin):
    list_display = ("source", "remote_id", "dataset", "last_seen", "missing_since", "archived_at")
    list_filter = ("source",)
    search_fields = ("remote_id",)


@admin.register(Dataset)
class DatasetAdmin(ReadOnlyModelAdmin):
    list_display = ("title", "identifier", "publisher", "quality_score", "live")
    list_filter = ("live",)
    search_fields = ("title", "identifier", "slug")


@admin.register(DatasetFacet)
class DatasetFacetAdmin(ReadOnlyModelAdmin):
    list_display = ("dataset", "facet", "value")
    list_filter = ("facet",)


@admin.register(DuplicateCandidate)
class DuplicateCandidateAdmin(ReadOnlyModelAdmin):
    list_display = ("identifier_a", "identifier_b", "score", "status", "decided_by")
    list_filter = ("status",)


@admin.register(Bouquet)
class BouquetAdmin(ReadOnlyModelAdmin):
    list_display = ("title", "territory_name", "status", "owner", "updated_at")
    list_filter = ("status", "territory_level")
    search_fields = ("title", "slug", "territory_name")


@admin.register(BouquetGroup)
class BouquetGroupAdmin(ReadOnlyModelAdmin):
    list_display = ("bouquet", "name", "position")


@admin.register(BouquetItem)
class BouquetItemAdmin(ReadOnlyModelAdmin):
    list_display = ("bouquet", "title", "availability", "dataset")
    list_filter = ("availability",)


@admin.register(BouquetComment)
class BouquetCommentAdmin(ReadOnlyModelAdmin):
    list_display = ("bouquet", "author", "created_at")


@admin.register(Notification)
class NotificationAdmin(ReadOnlyModelAdmin):
    list_display = ("user", "message", "created_at", "read_at")
