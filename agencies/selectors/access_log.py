"""Reads of the agency's own access log, for its leads."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone

from ..models import AccessLogEntry
from .records import record_type_label


def access_log_entries(*, agency_id: int) -> models.QuerySet[AccessLogEntry]:
    """The agency's own log, newest first (index: agency, -at). Other agencies' rows never appear."""
    return AccessLogEntry.objects.filter(agency_id=agency_id).select_related("user").order_by("-at", "-id")


def agency_users(*, agency_id: int) -> models.QuerySet:
    """The users of one agency, for the access log's user filter."""
    return get_user_model().objects.filter(membership__agency_id=agency_id).order_by("username")


def access_log_rows(entries) -> list[AccessLogEntry]:
    """Decorate a page of entries for display (no queries)."""
    rows = list(entries)
    labels: dict[str, str] = {}
    for entry in rows:
        if entry.model not in labels:
            labels[entry.model] = record_type_label(entry.model)
        entry.record_type = labels[entry.model]
    return rows


def start_of_day(day) -> datetime:
    """Midnight at the start of `day` in the current time zone (Europe/Stockholm), as an aware datetime."""
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))
