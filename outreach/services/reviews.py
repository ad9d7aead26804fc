"""Writes for the weekly incident review: the meeting, the incidents it went through, its decisions and the
follow-up actions (an exit case's task where a case exists, otherwise the meeting's own action)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies import access
from agencies.errors import ApplicationError
from agencies.models import Action, Agency, LegalBasis
from cases import services as case_services
from cases.models import ExitCase, Incident

from ..models import ReviewAction, ReviewMeeting
from ._common import bump_version, log, name_agencies, require_visible, required_text

MEETING_FIELDS = ("starts_at", "status", "decisions", "notes")


def _basis_message() -> str:
    return _("Välj den rättsliga grund som de deltagande myndigheterna får ta del av genomgången på.")


@transaction.atomic
def meeting_schedule(
    *,
    acting_user,
    starts_at: datetime,
    participating_agencies: Iterable[Agency] = (),
    legal_basis: LegalBasis | None = None,
    assessment: str = "",
    incidents: Iterable[Incident] = (),
    notes: str = "",
) -> ReviewMeeting:
    actor = access.require_actor(acting_user)
    incidents = list(incidents)
    require_visible(acting_user, incidents, _("Händelsen finns inte."))
    meeting = ReviewMeeting.objects.create(
        owner_agency_id=actor.agency_id, created_by=acting_user, starts_at=starts_at, notes=notes
    )
    meeting.incidents.set(incidents)
    log(actor, acting_user, Action.CREATE, ReviewMeeting, meeting)
    name_agencies(
        meeting,
        field="participating_agencies",
        agencies=participating_agencies,
        legal_basis=legal_basis,
        assessment=assessment,
        acting_user=acting_user,
        basis_message=_basis_message(),
    )
    return meeting


@transaction.atomic
def meeting_update(
    *,
    meeting: ReviewMeeting,
    acting_user,
    expected_version: int | None = None,
    incidents: Iterable[Incident] | None = None,
    participating_agencies: Iterable[Agency] | None = None,
    legal_basis: LegalBasis | None = None,
    assessment: str = "",
    **changes,
) -> ReviewMeeting:
    actor = access.require_actor(acting_user)
    if not access.can(acting_user, meeting, "change"):
        raise ApplicationError(_("Du får läsa men inte ändra genomgången."), code="not_allowed")
    fields = {k: v for k, v in changes.items() if k in MEETING_FIELDS}
    if "status" in fields and fields["status"] not in ReviewMeeting.Status.values:
        raise ApplicationError(_("Okänd status."), code="invalid_status")
    if incidents is not None:
        incidents = list(incidents)
        require_visible(acting_user, incidents, _("Händelsen finns inte."))
    bump_version(meeting, expected_version=expected_version, fields=fields)
    if incidents is not None:
        # Incidents the editor cannot see stay on the agenda: an edit never removes what it could not show.
        hidden = meeting.incidents.exclude(pk__in=access.visible(acting_user, Incident).values("pk"))
        meeting.incidents.set([*incidents, *hidden])
    if participating_agencies is not None:
        if not access.owns(acting_user, meeting):
            raise ApplicationError(_("Endast den ägande myndigheten kan ändra vilka som deltar."), code="not_owner")
        name_agencies(
            meeting,
            field="participating_agencies",
            agencies=participating_agencies,
            legal_basis=legal_basis,
            assessment=assessment,
            acting_user=acting_user,
            basis_message=_basis_message(),
        )
    log(actor, acting_user, Action.CHANGE, ReviewMeeting, meeting, fields=sorted(fields))
    return meeting


def participants(meeting: ReviewMeeting) -> list[Agency]:
    shared = access.shares_of(meeting).active().values("to_agency")
    return list(Agency.objects.filter(pk__in=shared) | Agency.objects.filter(pk=meeting.owner_agency_id))


@transaction.atomic
def action_add(
    *,
    meeting: ReviewMeeting,
    acting_user,
    title: str,
    assignee_agency: Agency,
    due_on: date,
    assignee_user=None,
    exit_case: ExitCase | None = None,
    legal_basis: LegalBasis | None = None,
    assessment: str = "",
) -> ReviewAction:
    """A follow-up action for a participating agency. With an exit case it becomes that case's task
    (cases.services.task_add: the assignee must take part in the case), and the meeting keeps a line to it.
    Such a task given to another agency is disclosed to it on `legal_basis`, as any task is."""
    actor = access.require_actor(acting_user)
    require_visible(acting_user, [meeting], _("Genomgången finns inte."))
    title = required_text(title, _("Ange åtgärden."), "title_required")
    if assignee_agency.pk not in {a.pk for a in participants(meeting)}:
        raise ApplicationError(_("Den ansvariga myndigheten deltar inte i genomgången."), code="not_participant")
    if assignee_user is not None and not access.acts_for(assignee_user, assignee_agency.pk):
        raise ApplicationError(_("Handläggaren arbetar inte på den myndigheten."), code="assignee_agency")
    if due_on < timezone.localdate():
        raise ApplicationError(_("Sista dagen kan inte ligga bakåt i tiden."), code="in_past")
    task = None
    if exit_case is not None:
        require_visible(acting_user, [exit_case], _("Ärendet finns inte."))
        task = case_services.task_add(
            case=exit_case,
            acting_user=acting_user,
            title=title,
            assignee_agency=assignee_agency,
            assignee_user=assignee_user,
            due_on=due_on,
            legal_basis=legal_basis,
            assessment=assessment,
        )
    action = ReviewAction.objects.create(
        meeting=meeting,
        title=title,
        assignee_agency=assignee_agency,
        assignee_user=assignee_user,
        due_on=due_on,
        task=task,
        created_by=acting_user,
    )
    log(actor, acting_user, Action.CHANGE, ReviewMeeting, meeting, action_added=action.pk)
    return action


def may_change_action(user, action: ReviewAction, *, meeting: ReviewMeeting | None = None) -> bool:
    """The assignee agency or the meeting's owner marks an action done (as with a case's tasks)."""
    return access.acts_for(user, action.assignee_agency_id) or access.owns(user, meeting or action.meeting)


@transaction.atomic
def action_set_status(*, action: ReviewAction, acting_user, status: str) -> ReviewAction:
    actor = access.require_actor(acting_user)
    if not may_change_action(acting_user, action):
        raise ApplicationError(_("Endast ansvarig myndighet kan ändra åtgärden."), code="not_assignee")
    if status not in ReviewAction.Status.values:
        raise ApplicationError(_("Okänd status."), code="invalid_status")
    action.status = status
    action.completed_at = timezone.now() if status == ReviewAction.Status.DONE else None
    action.save(update_fields=["status", "completed_at"])
    if action.task is not None and case_services.may_change_task(acting_user, action.task):
        case_services.task_set_status(task=action.task, acting_user=acting_user, status=status)
    log(actor, acting_user, Action.CHANGE, ReviewMeeting, action.meeting, review_action=action.pk, status=status)
    return action
