"""Back-office views for support staff. Answers are not shown here: they are read through the
campaign exports, which are audited."""

from django.contrib import admin

from communs.core.admin_base import BaseModelAdmin, ReadOnlyModelAdmin
from communs.recensmart.models import Campaign, Paradata, Questionnaire, QuestionnaireVersion, RespondentUnit


@admin.register(Questionnaire)
class QuestionnaireAdmin(BaseModelAdmin):
    list_display = ("title", "slug", "created_at")
    search_fields = ("title", "slug")


@admin.register(QuestionnaireVersion)
class QuestionnaireVersionAdmin(ReadOnlyModelAdmin):
    list_display = ("questionnaire", "number", "source_format", "status", "published_at")
    list_filter = ("status", "source_format")
    exclude = ("source",)


@admin.register(Campaign)
class CampaignAdmin(BaseModelAdmin):
    list_display = ("label", "version", "region", "departement", "opens_on", "closes_on")
    search_fields = ("label",)


@admin.register(RespondentUnit)
class RespondentUnitAdmin(ReadOnlyModelAdmin):
    list_display = ("external_id", "campaign", "status", "page", "updated_at")
    list_filter = ("status",)
    search_fields = ("external_id",)
    exclude = ("data", "code_hash", "email", "label")


@admin.register(Paradata)
class ParadataAdmin(ReadOnlyModelAdmin):
    list_display = ("unit", "page", "outcome", "duration_ms", "device", "created_at")
    list_filter = ("device", "outcome")
