"""Reads for enforcement responses and their levers, and what the group page shows of them."""

from __future__ import annotations

from django.db.models import QuerySet

from agencies import access
from cases.models import CriminalGroup, GroupMembership, Incident, Individual

from ..models import CallIn, CustomNotification, EnforcementResponse, Lever


def response_base() -> QuerySet[EnforcementResponse]:
    return EnforcementResponse.objects.select_related("group", "owner_agency")


def with_visible_group(user) -> QuerySet[EnforcementResponse]:
    return response_base().filter(group__in=access.visible(user, CriminalGroup).values("pk"))


def levers(user, response: EnforcementResponse) -> QuerySet[Lever]:
    """Every participating agency's levers the user may see, as one timeline (earliest first)."""
    return (
        access.visible(user, Lever)
        .filter(response=response)
        .select_related("owner_agency")
        .order_by("starts_on", "created_at", "pk")
    )


def linked(user, response: EnforcementResponse) -> dict:
    """The incidents, call-ins and notifications the response names, each only where visible."""
    return {
        "incidents": list(
            access.visible(user, Incident, queryset=response.trigger_incidents.select_related("district")).order_by(
                "-occurred_at"
            )
        ),
        "call_ins": list(access.visible(user, CallIn, queryset=response.warning_call_ins.all()).order_by("-starts_at")),
        "notifications": list(
            access.visible(
                user, CustomNotification, queryset=response.warning_notifications.select_related("individual")
            )
            .filter(individual__in=access.visible(user, Individual).values("pk"))
            .order_by("-delivered_on")
        ),
    }


def group_responses(user, group: CriminalGroup) -> QuerySet[EnforcementResponse]:
    return (
        access.visible(user, EnforcementResponse, queryset=response_base())
        .filter(group=group)
        .order_by("-decided_on", "-pk")
    )


def group_call_ins(user, group: CriminalGroup) -> QuerySet[CallIn]:
    """The call-ins the group was called to that the user may see."""
    return access.visible(user, CallIn).filter(target_groups=group).order_by("-starts_at")


def group_notifications(user, group: CriminalGroup) -> QuerySet[CustomNotification]:
    """Notifications to the group's members, where the user may see the notification, the person and the
    membership (the rule for every link between records: the link and both ends)."""
    members = (
        access.visible(user, GroupMembership)
        .filter(group=group, individual__in=access.visible(user, Individual).values("pk"))
        .values("individual")
    )
    return (
        access.visible(user, CustomNotification, queryset=CustomNotification.objects.select_related("individual"))
        .filter(individual__in=members)
        .order_by("-delivered_on", "-pk")
    )
