"""The personal iCalendar address: made, shown once, revoked. Only its hash is stored."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone

from agencies import access
from agencies.models.token import hash_token

from ..models import CalendarFeed

FEED_PREFIX = "gvical_"  # noqa: S105 - a visible marker for secret scanners, not a secret


@transaction.atomic
def feed_create(*, acting_user) -> tuple[CalendarFeed, str]:
    """A new address for the user's calendar; any earlier one stops working. Returns the token once."""
    access.require_actor(acting_user)
    feed_revoke_all(acting_user=acting_user)
    raw = FEED_PREFIX + secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.create(user=acting_user, key_hash=hash_token(raw), hint=raw[: len(FEED_PREFIX) + 4])
    return feed, raw


def feed_revoke_all(*, acting_user) -> int:
    return CalendarFeed.objects.filter(user=acting_user, revoked_at__isnull=True).update(revoked_at=timezone.now())


def feed_for_token(raw: str) -> CalendarFeed | None:
    """The active feed the token opens, or None. The feed is read as its user: an inactive user or one who
    no longer works for an active agency gets nothing."""
    feed = CalendarFeed.objects.select_related("user").filter(key_hash=hash_token(raw), revoked_at__isnull=True).first()
    if feed is None or access.actor_for(feed.user) is None:
        return None
    now = timezone.now()
    if feed.last_used_at is None or (now - feed.last_used_at).total_seconds() > 60:
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)
    return feed
