"""The back-office base every app registers its models through.

Support staff use the admin; what a model records about its own history (creation and
update stamps) is shown but never edited by hand.
"""

from django.contrib import admin

AUDIT_FIELDS = ("created_at", "updated_at", "created_by", "updated_by")


class BaseModelAdmin(admin.ModelAdmin):
    list_per_page = 50
    show_full_result_count = False  # COUNT(*) on large tables makes the admin slow

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        model_fields = {field.name for field in self.model._meta.get_fields()}
        readonly.extend(name for name in AUDIT_FIELDS if name in model_fields and name not in readonly)
        return readonly


class ReadOnlyModelAdmin(BaseModelAdmin):
    """For reference data and append-only records: visible, never changed from the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
