"""How the retention rules apply to the outreach records (docs/retention.md). Registered from
OutreachConfig.ready(); a call-in takes its invitations along, a notification its legal-risk summary, a
response its levers (foreign-key cascades, through agencies.services.deletion)."""

from __future__ import annotations

from datetime import date, datetime, time

from django.db.models import QuerySet
from django.utils import timezone

from retention.registry import Kind, register

from .models import CallIn, CustomNotification, EnforcementResponse, ReviewMeeting


def _before(field: str, *, moment: bool):
    def due(records: QuerySet, cutoff: date) -> QuerySet:
        limit = timezone.make_aware(datetime.combine(cutoff, time.min)) if moment else cutoff
        return records.filter(**{f"{field}__lt": limit})

    return due


def register_kinds() -> None:
    register(
        Kind("outreach", CustomNotification, _before("delivered_on", moment=False), url_name="notification-detail")
    )
    register(Kind("outreach", CallIn, _before("starts_at", moment=True), url_name="call-in-detail"))
    register(Kind("outreach", EnforcementResponse, _before("decided_on", moment=False), url_name="response-detail"))
    register(Kind("outreach", ReviewMeeting, _before("starts_at", moment=True), url_name="review-detail"))
