"""Administration of agencies, people and legal bases — deliberately without any case data.

Administrators manage who works where; what those people may see is decided by shares, not here. So:
- no access log: it names which records of which agency were read, and each agency's leads read their own
  agency's log in the portal (/atkomstlogg/). A superuser of one agency must not see another's;
- no hand-editing of auth groups or permissions: an agency's group is kept in step with its members by
  agencies.services, and object permissions follow the disclosure register. The Group admin is removed
  and the user admin has no groups or permissions fields.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import Agency, ApiToken, LegalBasis, Membership
from .reference_data import RULE_FIELDS

admin.site.unregister(Group)
admin.site.unregister(get_user_model())
# django-otp's own admins show a device's secret and let an administrator add a device to anyone's account.
# Here an administrator can only see who has one and remove it (a lost phone); the user enrols anew.
admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)


class SecondFactorDeviceAdmin(admin.ModelAdmin):
    list_display = ("user", "name", "confirmed", "created_at", "last_used_at")
    list_filter = ("confirmed",)
    search_fields = ("user__username",)
    fields = ("user", "name", "confirmed", "created_at", "last_used_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


admin.site.register(TOTPDevice, SecondFactorDeviceAdmin)
admin.site.register(StaticDevice, SecondFactorDeviceAdmin)


@admin.register(get_user_model())
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personuppgifter"), {"fields": ("first_name", "last_name", "email")}),
        (_("Status"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Datum"), {"fields": ("last_login", "date_joined")}),
    )
    list_filter = ("is_staff", "is_superuser", "is_active")
    filter_horizontal = ()


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
    list_display = ("name", "code", "requires_consent", "requires_assessment", "active")
    # Where a basis applies is the law as agencies/reference_data.py reads it (rewritten on every migrate):
    # an administrator rewords or retires a basis, never loosens it.
    readonly_fields = RULE_FIELDS

    def has_add_permission(self, request):
        return False  # the bases are seeded (agencies/reference_data.py); a new one is a change to the code


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("hint", "user", "created_at", "expires_at", "revoked_at", "last_used_at")
    readonly_fields = ("user", "hint", "created_at", "expires_at", "last_used_at")
    exclude = ("key_hash",)

    def has_add_permission(self, request):
        return False  # tokens are issued by `manage.py issue_token`, which shows the secret once
