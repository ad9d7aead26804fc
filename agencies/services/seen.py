"""Marking a disclosure to the user's agency as opened by the user (the home page's unread marks)."""

from __future__ import annotations

from ..models import SeenShare, Share


def mark_seen(*, user, share: Share) -> None:
    """Idempotent: opening it again keeps the first time (one INSERT that ignores an existing mark)."""
    SeenShare.objects.bulk_create([SeenShare(user=user, share=share)], ignore_conflicts=True)
