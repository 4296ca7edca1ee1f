"""SIRANo back-office: reference data editable, workflow records read-only (they change through the services)."""

from django.contrib import admin

from communs.core.admin_base import BaseModelAdmin, ReadOnlyModelAdmin
from communs.sirano.models import (
    Establishment,
    Evidence,
    FundingSchedule,
    ImportRun,
    Milestone,
    Payment,
    Programme,
    Project,
    Tranche,
)


@admin.register(Programme)
class ProgrammeAdmin(BaseModelAdmin):
    list_display = ("code", "label", "publishes_investigator")


@admin.register(FundingSchedule)
class FundingScheduleAdmin(ReadOnlyModelAdmin):
    list_display = ("programme", "year")


@admin.register(Establishment)
class EstablishmentAdmin(BaseModelAdmin):
    list_display = ("finess", "name", "commune")
    search_fields = ("finess", "name")
    filter_horizontal = ("members",)


@admin.register(Project)
class ProjectAdmin(ReadOnlyModelAdmin):
    list_display = ("identifier", "acronym", "establishment", "award_cents")
    search_fields = ("identifier", "acronym", "title")
    list_filter = ("programme", "year")


@admin.register(Milestone)
class MilestoneAdmin(ReadOnlyModelAdmin):
    list_display = ("project", "kind", "planned_on", "declared_on")
    search_fields = ("project__identifier",)


@admin.register(Tranche)
class TrancheAdmin(ReadOnlyModelAdmin):
    list_display = ("project", "rank", "milestone", "amount_cents", "state")
    list_filter = ("state",)
    search_fields = ("project__identifier",)


@admin.register(Payment)
class PaymentAdmin(ReadOnlyModelAdmin):
    list_display = ("tranche", "amount_cents", "paid_at")


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyModelAdmin):
    list_display = ("milestone", "document", "original_name", "uploaded_at")


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyModelAdmin):
    list_display = ("file_name", "applied", "created_at")
