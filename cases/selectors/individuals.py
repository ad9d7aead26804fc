"""Reads for persons. Every queryset comes from the gate (agencies.access)."""

from django.db.models import QuerySet

from agencies import access

from ..models import IdentityDetails, Individual
from ..personnummer import looks_like, normalise


def individual_base() -> QuerySet[Individual]:
    """What a person list or detail loads with each row (no per-row queries)."""
    return Individual.objects.select_related("district", "owner_agency")


def individual_search(*, user, queryset: QuerySet[Individual], term: str) -> QuerySet[Individual]:
    """Alias search for everyone; personnummer search only among identity details the user may see.

    A personnummer matching a record whose identity the user cannot see finds nothing — the same as no
    match at all, so a search never reveals that hidden details exist.
    """
    term = (term or "").strip()
    if not term:
        return queryset
    if looks_like(term):
        try:
            number = normalise(term)
        except Exception:
            return queryset.none()
        matching = access.visible(user, IdentityDetails).filter(personnummer=number).values("pk")
        return queryset.filter(pk__in=matching)
    return queryset.filter(alias__icontains=term)


def identity_for(*, user, individual: Individual) -> IdentityDetails | None:
    """The person's identity details if they exist and the user may see them; otherwise None (both alike).

    Shares the person's primary key, so this is one query, and the read is logged like any detail read.
    Details that are not shared are the normal case on a visible person's page, not a refused attempt.
    """
    return access.find(user, IdentityDetails, individual.pk, count_denial=False)
