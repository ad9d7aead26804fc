"""Reads for call-ins and invitations. Every protected record comes through the gate; an invitation (a link
between a person and a call-in) is shown only where the user may see it and both its ends."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from agencies import access
from cases.models import CriminalGroup, ExitCase, Individual, Phase

from ..models import CallIn, Invitation, InvitationReason

UPCOMING_LIMIT = 10


def call_in_base() -> QuerySet[CallIn]:
    return CallIn.objects.select_related("owner_agency")


def invitation_base() -> QuerySet[Invitation]:
    return Invitation.objects.select_related("individual", "owner_agency", "call_in", "call_in__owner_agency")


def upcoming(user, *, limit: int = UPCOMING_LIMIT) -> list[CallIn]:
    """The next call-ins the user may see, soonest first (the list page's top; bounded)."""
    start_of_today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return list(
        access.visible(user, CallIn, queryset=call_in_base())
        .filter(starts_at__gte=start_of_today, status__in=(CallIn.Status.PLANNED, CallIn.Status.REHEARSED))
        .order_by("starts_at", "pk")[:limit]
    )


def target_groups(user, call_in: CallIn) -> list[CriminalGroup]:
    return list(call_in.target_groups.filter(pk__in=access.visible(user, CriminalGroup).values("pk")).order_by("name"))


def with_visible_ends(user) -> QuerySet[Invitation]:
    """Invitations whose person and call-in the user may see (not itself gated: the caller adds the gate)."""
    return invitation_base().filter(
        individual__in=access.visible(user, Individual).values("pk"),
        call_in__in=access.visible(user, CallIn).values("pk"),
    )


def invitations(user, call_in: CallIn) -> QuerySet[Invitation]:
    return (
        access.visible(user, Invitation, queryset=invitation_base())
        .filter(call_in=call_in, individual__in=access.visible(user, Individual).values("pk"))
        .order_by("individual__alias", "pk")
    )


def reason_for(user, invitation: Invitation) -> InvitationReason | None:
    """The reason, if it exists and the user may see it; None both ways (the page must not tell them apart).
    Logged when found."""
    reason = access.find(user, InvitationReason, invitation.pk)
    if reason is not None:
        reason.invitation = invitation
    return reason


@dataclass
class FollowUp:
    """After the call-in: who has not been contacted yet, who asked for help, whose help has started."""

    not_contacted: list[Invitation] = field(default_factory=list)
    asked_for_help: list[Invitation] = field(default_factory=list)
    help_started: list[Invitation] = field(default_factory=list)
    contacted: list[Invitation] = field(default_factory=list)


def follow_up(user, rows: list[Invitation]) -> FollowUp:
    """Sorts the invitations shown (of persons who attended or were absent) into the follow-up list. "Help
    started" needs the exit case to be visible to the user and past its request phase (one query)."""
    case_ids = [row.exit_case_id for row in rows if row.exit_case_id]
    started = set(
        access.visible(user, ExitCase).filter(pk__in=case_ids).exclude(phase=Phase.REQUEST).values_list("pk", flat=True)
    ) if case_ids else set()  # fmt: skip
    result = FollowUp()
    for row in rows:
        if row.status not in (Invitation.Status.ATTENDED, Invitation.Status.ABSENT):
            continue
        if row.exit_case_id in started:
            result.help_started.append(row)
        elif row.help_requested:
            result.asked_for_help.append(row)
        elif row.follow_up_on is None:
            result.not_contacted.append(row)
        else:
            result.contacted.append(row)
    return result
