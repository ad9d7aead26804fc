"""Reads of the login lockouts (django-axes) of an agency's own users, for its leads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Max, Min, Sum
from django.utils import timezone


@dataclass
class Lockout:
    attempt_id: int  # one of the pair's rows, to name it in the lift form's URL
    user: Any
    ip_address: str | None
    failures: int
    last_attempt: datetime


def _agency_attempts(*, agency_id: int):
    from axes.models import AccessAttempt

    # Attempts on the agency's own usernames only: a made-up username belongs to no agency and shows nowhere.
    usernames = get_user_model().objects.filter(membership__agency_id=agency_id).values("username")
    threshold = timezone.now() - settings.AXES_COOLOFF_TIME
    return AccessAttempt.objects.filter(username__in=usernames, attempt_time__gte=threshold)


def lockouts_for_agency(*, agency_id: int) -> list[Lockout]:
    """The agency's users who are locked out now, per (username, address) pair, as django-axes counts them.

    Two queries whatever the number of rows: the pairs over the limit, then their users.
    """
    pairs = list(
        _agency_attempts(agency_id=agency_id)
        .values("username", "ip_address")
        .annotate(failures=Sum("failures_since_start"), last_attempt=Max("attempt_time"), attempt_id=Min("id"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last_attempt", "username")
    )
    if not pairs:
        return []
    users = get_user_model().objects.in_bulk([pair["username"] for pair in pairs], field_name="username")
    return [
        Lockout(
            attempt_id=pair["attempt_id"],
            user=users[pair["username"]],
            ip_address=pair["ip_address"],
            failures=pair["failures"],
            last_attempt=pair["last_attempt"],
        )
        for pair in pairs
        if pair["username"] in users
    ]


def lockout_attempt(*, agency_id: int, attempt_id: int):
    """The attempt row `attempt_id` if it concerns a user of the agency, else None (the view answers 404)."""
    return _agency_attempts(agency_id=agency_id).filter(pk=attempt_id).first()
