from __future__ import annotations

from django.db.models import QuerySet

from agencies import access

from ..models import Hold
from ..services.holds import may_hold_any


def holds_for(*, user) -> QuerySet[Hold]:
    """The holds a lead's agency owns the records of; every hold for an administrator. Newest first."""
    actor = access.require_actor(user)
    holds = Hold.objects.select_related("content_type", "owner_agency", "placed_by")
    if not may_hold_any(actor):
        holds = holds.filter(owner_agency_id=actor.agency_id)
    return holds.order_by("-placed_at", "-pk")
