"""Reads for custom notifications. A notification is about a person: it is shown only where the user may see
the notification and the person; the legal-risk summary only where the user may see that record itself."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from django.db.models import QuerySet

from agencies import access
from cases.models import Individual

from ..models import CustomNotification, LegalRiskSummary


def notification_base() -> QuerySet[CustomNotification]:
    return CustomNotification.objects.select_related("individual", "owner_agency")


def with_visible_person(user) -> QuerySet[CustomNotification]:
    """Not itself gated: the caller adds the gate (as the share dialog's and the API's base)."""
    return notification_base().filter(individual__in=access.visible(user, Individual).values("pk"))


def person_notifications(user, individual: Individual) -> QuerySet[CustomNotification]:
    return (
        access.visible(user, CustomNotification, queryset=notification_base())
        .filter(individual=individual)
        .order_by("-delivered_on", "-pk")
    )


def repeats(user, notifications: Sequence[CustomNotification]) -> dict[int, tuple[int, int]]:
    """For each notification shown: which delivery to that person it was, and how many there are — counted
    among the notifications the user may see, so the count reveals nothing about anyone else's. One query."""
    people = {n.individual_id for n in notifications}
    if not people:
        return {}
    rows = (
        access.visible(user, CustomNotification)
        .filter(individual_id__in=people)
        .order_by("delivered_on", "pk")
        .values_list("pk", "individual_id")
    )
    order: dict[int, list[int]] = defaultdict(list)
    for pk, person in rows:
        order[person].append(pk)
    result = {}
    for n in notifications:
        seen = order.get(n.individual_id, [])
        result[n.pk] = (seen.index(n.pk) + 1 if n.pk in seen else 1, max(len(seen), 1))
    return result


def legal_risk_for(user, notification: CustomNotification) -> LegalRiskSummary | None:
    """The summary if it exists and the user may see it; None both ways. Logged when found."""
    summary = access.find(user, LegalRiskSummary, notification.pk)
    if summary is not None:
        summary.notification = notification
    return summary
