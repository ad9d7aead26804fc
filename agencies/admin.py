"""Administration of agencies, people and legal bases — deliberately without any case data.

Administrators manage who works where; what those people may see is decided by shares, not here.
The access log is readable (for supervision) but never editable.
"""

from django.contrib import admin

from .models import AccessLogEntry, Agency, ApiToken, LegalBasis, Membership


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "kind", "active")
    list_filter = ("kind", "active")
    search_fields = ("name", "slug")
    readonly_fields = ("group",)

    def has_add_permission(self, request):
        # New agencies need their auth group: `agencies.services.agency_create`, not a bare form.
        return False


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "agency", "role")
    list_filter = ("agency", "role")
    search_fields = ("user__username",)

    def has_add_permission(self, request):
        return False  # `manage.py create_agency_user` keeps the auth group in step

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(LegalBasis)
class LegalBasisAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "requires_consent", "active")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("hint", "user", "created_at", "expires_at", "revoked_at", "last_used_at")
    readonly_fields = ("user", "hint", "created_at", "expires_at", "last_used_at")
    exclude = ("key_hash",)

    def has_add_permission(self, request):
        return False  # tokens are issued by `manage.py issue_token`, which shows the secret once


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "user", "agency", "action", "model", "via")
    list_filter = ("action", "via", "agency")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
