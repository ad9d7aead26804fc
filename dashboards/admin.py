"""Administrators edit the defaults of goals 3 and 4 here; Django's admin log (LogEntry) records every
change with who made it and which fields changed. The snapshots and runs are read-only here."""

from django.contrib import admin

from .models import CostDefault, SnapshotRun, SurveyResult


@admin.register(CostDefault)
class CostDefaultAdmin(admin.ModelAdmin):
    list_display = ("measure", "incident_kind", "outcome", "amount", "source")
    list_filter = ("measure", "incident_kind")


@admin.register(SnapshotRun)
class SnapshotRunAdmin(admin.ModelAdmin):
    list_display = ("created_at", "trigger", "status", "progress", "rows", "as_of")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SurveyResult)
class SurveyResultAdmin(admin.ModelAdmin):
    list_display = ("district", "year", "question", "value", "respondents")
    list_filter = ("year", "district")
