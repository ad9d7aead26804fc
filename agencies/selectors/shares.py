"""Reads of the disclosure register for the agency's pages."""

from __future__ import annotations

from django.db.models import Q

from ..access import Actor
from ..models import Share


def share_for_agency(*, actor: Actor, pk: int) -> Share | None:
    """A register row the agency is party to: the discloser (may revoke) or the recipient (may only see).

    Anyone else gets None, which the view turns into 404 — the same as a share that does not exist.
    """
    return (
        Share.objects.filter(Q(from_agency_id=actor.agency_id) | Q(to_agency_id=actor.agency_id), pk=pk)
        .select_related("from_agency", "to_agency")
        .first()
    )


def share_received(*, actor: Actor, pk: int) -> Share | None:
    """An active disclosure to the agency as a whole or to this user by name; else None (a 404)."""
    to_me = Q(to_agency_id=actor.agency_id) & (Q(to_user__isnull=True) | Q(to_user_id=actor.user_id))
    return Share.objects.active().filter(to_me, pk=pk).select_related("content_type").first()
