"""What outreach shows on the pages of `cases`, registered into cases.extensions by OutreachConfig.ready:

- the person page: the person's message history (custom notifications and call-in invitations);
- the group page: the warnings the group has had (call-ins it was called to, notifications to its members)
  and the enforcement responses that followed;
- "Mina uppgifter" / "Våra uppgifter": the open actions from the weekly review.

Each function reads through the gate, logs what it lists, and returns None when there is nothing the user
may see, so the page shows no trace of it.
"""

from __future__ import annotations

from django.urls import reverse

from agencies import access, audit
from agencies.access import Actor
from cases import extensions
from cases.models import CriminalGroup, Individual

from . import selectors, services
from .models import CallIn, CustomNotification, EnforcementResponse, Invitation, ReviewMeeting

# The task lists show this many actions; the rest are a link away (the review pages).
TASK_LIMIT = 50


def _log(user, actor: Actor, model, rows) -> None:
    if rows:
        audit.record_list(user=user, agency_id=actor.agency_id, model=model, objects=rows)


def person_messages(user, actor: Actor, person: Individual) -> dict | None:
    notifications = list(selectors.person_notifications(user, person))
    invitations = list(
        access.visible(user, Invitation, queryset=selectors.invitation_base())
        .filter(individual=person, call_in__in=access.visible(user, CallIn).values("pk"))
        .order_by("-call_in__starts_at")
    )
    if not notifications and not invitations:
        return None
    _log(user, actor, CustomNotification, notifications)
    _log(user, actor, Invitation, invitations)
    total = len(notifications)
    rows = [(n, total - i) for i, n in enumerate(notifications)]  # newest first: the n:th delivery
    return {"person": person, "notifications": rows, "invitations": invitations}


def group_outreach(user, actor: Actor, group: CriminalGroup) -> dict | None:
    call_ins = list(selectors.group_call_ins(user, group))
    notifications = list(selectors.group_notifications(user, group))
    responses = list(selectors.group_responses(user, group))
    if not (call_ins or notifications or responses):
        return None
    _log(user, actor, CallIn, call_ins)
    _log(user, actor, CustomNotification, notifications)
    _log(user, actor, EnforcementResponse, responses)
    return {"group": group, "call_ins": call_ins, "notifications": notifications, "responses": responses}


def _actions(user, actor: Actor, actions) -> dict | None:
    rows = list(actions[: TASK_LIMIT + 1])
    if not rows:
        return None
    more = len(rows) > TASK_LIMIT
    rows = rows[:TASK_LIMIT]
    # The actions are part of their meetings: the read is of the meetings, as the task lists log the cases.
    meetings = list({row.meeting_id: row.meeting for row in rows}.values())
    _log(user, actor, ReviewMeeting, meetings)
    for row in rows:
        row.can_change = services.may_change_action(user, row, meeting=row.meeting)
    return {"actions": rows, "more": more, "list_url": reverse("review-list")}


def my_actions(user, actor: Actor, _record=None) -> dict | None:
    return _actions(user, actor, selectors.my_actions(user))


def agency_actions(user, actor: Actor, _record=None) -> dict | None:
    return _actions(user, actor, selectors.agency_actions(user))


def register() -> None:
    extensions.person_page.register("outreach.messages", "outreach/_sections/person_messages.html", person_messages)
    extensions.group_page.register("outreach.warnings", "outreach/_sections/group_outreach.html", group_outreach)
    extensions.my_tasks.register("outreach.actions", "outreach/_sections/actions.html", my_actions)
    extensions.agency_tasks.register("outreach.actions", "outreach/_sections/actions.html", agency_actions)
