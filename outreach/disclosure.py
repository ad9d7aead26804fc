"""What a receiver of each outreach kind gets: outreach's part of the one declaration (cases/disclosure.py).

Declared from OutreachConfig.ready — `cases` never imports `outreach`. An invitation's reason and a
notification's legal-risk summary are kinds of their own: a share of the invitation or the notification never
carries them, so they are not in those declarations.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cases.disclosure import declare

from .models import (
    CallIn,
    CustomNotification,
    EnforcementResponse,
    Invitation,
    InvitationReason,
    LegalRiskSummary,
    Lever,
    ReviewMeeting,
)

_RECORD = ["owner_agency", "created_at", "updated_at", "version"]


def register() -> None:
    declare(
        "call_in",
        CallIn,
        ["id", "url", "title", "starts_at", "ends_at", "venue", "status", "rehearsal_on", "message_moral"]
        + ["message_consequences", "message_help", "notes", "speakers", "target_groups", "host_agencies", *_RECORD],
        labels={"speakers": _("talare"), "target_groups": _("grupperingar som kallas (som mottagaren ser)")},
    )
    declare(
        "invitation",
        Invitation,
        ["id", "url", "call_in", "individual", "individual_alias", "status", "accompanied_by", "follow_up_on"]
        + ["help_requested", "exit_case", *_RECORD],
        labels={"individual_alias": _("personens alias")},
    )
    declare("invitation_reason", InvitationReason, ["invitation", "kind", "text", *_RECORD])
    declare(
        "notification",
        CustomNotification,
        ["id", "url", "individual", "individual_alias", "delivered_on", "place_type", "team_agencies", "speakers"]
        + ["message_delivered", "offer_made", "offer_accepted", "outcome", "follow_up_on", "exit_case", *_RECORD],
        labels={"individual_alias": _("personens alias"), "speakers": _("talare")},
    )
    declare("legal_risk", LegalRiskSummary, ["notification", "text", *_RECORD])
    declare(
        "enforcement_response",
        EnforcementResponse,
        ["id", "url", "group", "group_name", "decided_on", "status", "summary", "communicated", "communication"]
        + ["trigger_incidents", "warning_call_ins", "warning_notifications", "participating_agencies", *_RECORD]
        + ["levers"],
        labels={
            "group_name": _("grupperingens namn"),
            "trigger_incidents": _("utlösande händelser (som mottagaren ser)"),
            "warning_call_ins": _("call-ins som varnade (som mottagaren ser)"),
            "warning_notifications": _("individuella samtal som varnade (som mottagaren ser)"),
            "levers": _("åtgärder som delats med mottagaren"),
        },
    )
    declare(
        "lever",
        Lever,
        ["id", "response", "kind", "description", "starts_on", "ends_on", "status", "outcome", *_RECORD],
    )
    declare(
        "review_meeting",
        ReviewMeeting,
        ["id", "url", "starts_at", "status", "decisions", "notes", "incidents", "participating_agencies"]
        + ["actions", *_RECORD],
        labels={"incidents": _("genomgångna händelser (som mottagaren ser)"), "actions": _("åtgärder")},
    )
