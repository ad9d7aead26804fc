"""Reads of the refused attempts on an agency's records, for its leads (written by agencies.audit.record_denied)."""

from __future__ import annotations

from django.db import models
from django.db.models import Max, Sum

from ..models import DeniedAccess


def denied_access_per_user(*, agency_id: int) -> models.QuerySet:
    """Attempts on the agency's records that the gate refused, as one count per trying user.

    Only the owner's leads see this, and only the count: not which records, so the page discloses nothing
    about them that the trier could learn through a colleague. Rows for ids that exist nowhere (no owner)
    show on no page. One grouped query (index: owner_agency, -last_at), plus the paginator's count.
    """
    return (
        DeniedAccess.objects.filter(owner_agency_id=agency_id)
        .values("user_id", "user__username", "user__first_name", "user__last_name", "agency__name")
        .annotate(attempts=Sum("attempts"), last_at=Max("last_at"))
        .order_by("-last_at", "user_id")
    )
