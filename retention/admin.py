"""The retention rules are data an administrator edits here (docs/retention.md). Holds and runs are shown, not
edited: a hold is placed on the portal's hold page (which checks the record and logs it), and a run's report is
what the run wrote. Neither names any content of a record, only its kind and id."""

from django.contrib import admin

from .models import Hold, RetentionCategory, RetentionRule, RetentionRun


class RetentionRuleInline(admin.TabularInline):
    model = RetentionRule
    extra = 0
    fields = ("agency_kind", "agency", "period_months", "action", "source", "note", "active")


@admin.register(RetentionCategory)
class RetentionCategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "code")
    readonly_fields = ("code",)
    fields = ("code", "name", "description", "not_applied_reason")
    inlines = [RetentionRuleInline]

    def has_add_permission(self, request):
        return False  # a category is useful only with an app that registers its records (registry.py)

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Hold)
class HoldAdmin(ReadOnlyAdmin):
    list_display = ("content_type", "object_id", "owner_agency", "ends_on", "placed_by", "placed_at")
    list_filter = ("owner_agency", "content_type")


@admin.register(RetentionRun)
class RetentionRunAdmin(ReadOnlyAdmin):
    list_display = ("started_at", "finished_at")
