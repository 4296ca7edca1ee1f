"""Back-office of SOS Ponts. Internal notes and photos are read through the expert pages (audited)."""

from django.contrib import admin

from communs.core.admin_base import BaseModelAdmin, ReadOnlyModelAdmin
from communs.sosponts.models import AdviceEntry, Answer, FollowUp, Ouvrage, Question, Sheet


@admin.register(Ouvrage)
class OuvrageAdmin(BaseModelAdmin):
    list_display = ("name", "commune", "kind", "structure", "iqoa", "national_id")
    list_filter = ("kind", "structure", "iqoa", "departement")
    search_fields = ("name", "commune", "national_id")


@admin.register(Question)
class QuestionAdmin(ReadOnlyModelAdmin):
    list_display = ("title", "commune", "urgency", "status", "published", "created_at")
    list_filter = ("urgency", "status", "published", "departement")
    search_fields = ("title", "commune")
    exclude = ("embedding",)


@admin.register(Answer)
class AnswerAdmin(ReadOnlyModelAdmin):
    list_display = ("question", "author", "created_at")


@admin.register(FollowUp)
class FollowUpAdmin(ReadOnlyModelAdmin):
    list_display = ("question", "due_on", "asked_at", "outcome")


@admin.register(Sheet)
class SheetAdmin(ReadOnlyModelAdmin):
    list_display = ("title", "slug", "version", "current", "created_at")
    exclude = ("embedding",)


@admin.register(AdviceEntry)
class AdviceEntryAdmin(ReadOnlyModelAdmin):
    list_display = ("title", "defect", "version", "current", "validated_by")
