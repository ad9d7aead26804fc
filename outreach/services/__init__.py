"""Writes for outreach. Each service names its acting user, checks access through agencies.access and writes
the access log; a named host, team member or participant agency gets its access through a share."""

from .calendar import feed_create, feed_for_token, feed_revoke_all
from .callins import (
    call_in_plan,
    call_in_set_status,
    call_in_update,
    invitation_create,
    invitation_follow_up,
    invitation_set_status,
    reason_set,
)
from .enforcement import lever_add, lever_update, response_decide, response_update
from .help import request_help_for_invitation, request_help_for_notification
from .notifications import legal_risk_set, notification_record, notification_update
from .reviews import action_add, action_set_status, may_change_action, meeting_schedule, meeting_update

__all__ = [
    "action_add",
    "action_set_status",
    "call_in_plan",
    "call_in_set_status",
    "call_in_update",
    "feed_create",
    "feed_for_token",
    "feed_revoke_all",
    "invitation_create",
    "invitation_follow_up",
    "invitation_set_status",
    "legal_risk_set",
    "lever_add",
    "lever_update",
    "may_change_action",
    "meeting_schedule",
    "meeting_update",
    "notification_record",
    "notification_update",
    "reason_set",
    "request_help_for_invitation",
    "request_help_for_notification",
    "response_decide",
    "response_update",
]
