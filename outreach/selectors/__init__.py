"""Reads for outreach. Every queryset of a protected model starts at agencies.access."""

from .callins import (
    FollowUp,
    call_in_base,
    follow_up,
    invitation_base,
    invitations,
    reason_for,
    target_groups,
    upcoming,
)
from .enforcement import group_call_ins, group_notifications, group_responses, levers, linked, response_base
from .notifications import legal_risk_for, notification_base, person_notifications, repeats
from .reviews import (
    agency_actions,
    agenda,
    meeting_actions,
    meeting_base,
    meeting_incidents,
    my_actions,
    previous_meeting,
    visible_actions,
)

__all__ = [
    "FollowUp",
    "agency_actions",
    "agenda",
    "call_in_base",
    "follow_up",
    "group_call_ins",
    "group_notifications",
    "group_responses",
    "invitation_base",
    "invitations",
    "legal_risk_for",
    "levers",
    "linked",
    "meeting_actions",
    "meeting_base",
    "meeting_incidents",
    "my_actions",
    "notification_base",
    "person_notifications",
    "previous_meeting",
    "reason_for",
    "repeats",
    "response_base",
    "target_groups",
    "upcoming",
    "visible_actions",
]
