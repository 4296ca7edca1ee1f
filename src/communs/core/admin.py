from django.contrib import admin

from communs.core.admin_base import BaseModelAdmin, ReadOnlyModelAdmin
from communs.core.models import ApiToken, AuditEvent, Job, RoleGrant
from communs.core.roles import grant_role, revoke_role


@admin.register(RoleGrant)
class RoleGrantAdmin(BaseModelAdmin):
    """Grants are added or withdrawn, never edited: each of those goes through `core.roles`, which audits it."""

    list_display = ("user", "service", "role", "scope_level", "scope_code", "granted_at", "granted_by")
    list_filter = ("service", "role", "scope_level")
    search_fields = ("user__username", "user__email", "scope_code")
    autocomplete_fields = ("user",)
    readonly_fields = ("granted_at", "granted_by")

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        grant = grant_role(
            obj.user,
            obj.service,
            obj.role,
            obj.scope_level,
            obj.scope_code,
            granted_by=request.user,
            reason=obj.reason,
        )
        obj.pk = grant.pk

    def delete_model(self, request, obj):
        revoke_role(obj, revoked_by=request.user, reason="Retrait depuis le back-office")

    def delete_queryset(self, request, queryset):
        for grant in queryset:
            self.delete_model(request, grant)


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyModelAdmin):
    """Read-only: no add, change or delete permission, whoever the user is."""

    list_display = ("at", "actor_label", "service", "action", "object_repr", "territory")
    list_filter = ("service", "action")
    search_fields = ("actor_label", "object_id", "object_repr", "region", "departement", "commune")
    date_hierarchy = "at"
    actions = None

    def changelist_view(self, request, extra_context=None):
        # The title is also the page's <title>: plain text. The CSV export link sits in the object
        # tools (templates/admin/core/auditevent/change_list.html).
        extra_context = {**(extra_context or {}), "title": "Journal d'audit"}
        return super().changelist_view(request, extra_context)


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyModelAdmin):
    list_display = ("name", "user", "key_prefix", "created_at", "expires_at", "last_used_at", "revoked_at")
    search_fields = ("name", "user__username", "key_prefix")
    exclude = ("key_digest",)


@admin.register(Job)
class JobAdmin(ReadOnlyModelAdmin):
    list_display = ("label", "kind", "owner", "state", "percent", "created_at", "finished_at")
    list_filter = ("kind", "state")
