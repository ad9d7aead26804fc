"""Writes for joint exit-support cases: the header, phases, entries, the plan and tasks."""

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies import access, audit
from agencies.errors import ApplicationError
from agencies.models import Action, Agency, LegalBasis, Share

from ..models import CaseEntry, EntryKind, ExitCase, Outcome, Phase, PhaseChange, PlanGoal, Task
from ._common import bump_version, require_owner, required_text

CASE_FIELDS = ("coordinator", "next_meeting", "summary")
ENTRY_FIELDS = (
    "occurred_on", "title", "body", "needs", "intervention_category", "provider", "starts_on", "ends_on",
    "intervention_status",
)  # fmt: skip


def _log(actor, user, action, model, obj, **detail):
    audit.record(user=user, agency_id=actor.agency_id, action=action, model=model, objects=[obj], detail=detail)


def participants(case: ExitCase) -> list[Agency]:
    """The lead (owning) agency and every agency the header is actively shared with."""
    shared = access.shares_of(case).active().values("to_agency")
    return list(Agency.objects.filter(pk__in=shared) | Agency.objects.filter(pk=case.owner_agency_id))


def participants_lead_first(case: ExitCase) -> list[Agency]:
    """The participants as the case page lists them: the lead agency first, then the others by name."""
    return sorted(participants(case), key=lambda agency: (agency.pk != case.owner_agency_id, agency.name))


def _require_participant(case: ExitCase, agency: Agency) -> None:
    if agency.pk not in {a.pk for a in participants(case)}:
        raise ApplicationError(_("Myndigheten deltar inte i ärendet."), code="not_participant")


@transaction.atomic
def case_open(
    *, acting_user, individual, summary: str = "", coordinator=None, next_meeting: datetime | None = None
) -> ExitCase:
    """Open a case for a person the user may see; the user's agency leads it and owns the header."""
    actor = access.require_actor(acting_user)
    if not access.can(acting_user, individual, "view"):
        raise ApplicationError(_("Personen finns inte."), code="not_found")
    case = ExitCase.objects.create(
        owner_agency_id=actor.agency_id,
        lead_agency_id=actor.agency_id,
        individual=individual,
        coordinator=coordinator or acting_user,
        summary=summary,
        next_meeting=next_meeting,
        created_by=acting_user,
    )
    _log(actor, acting_user, Action.CREATE, ExitCase, case)
    return case


def case_join(
    *,
    case: ExitCase,
    to_agency: Agency,
    legal_basis: LegalBasis | None,
    acting_user,
    consent=None,
    level: str = "view",
    assessment: str = "",
) -> Share:
    """Bring an agency into the case: a share of the header with a legal basis (only the lead agency)."""
    return access.share(
        case,
        to_agency=to_agency,
        level=level,
        legal_basis=legal_basis,
        consent=consent,
        acting_user=acting_user,
        assessment=assessment,
    )


@transaction.atomic
def case_update(*, case: ExitCase, acting_user, expected_version: int | None = None, **changes) -> ExitCase:
    actor = access.require_actor(acting_user)
    if not access.can(acting_user, case, "change"):
        raise ApplicationError(_("Du får läsa men inte ändra ärendet."), code="not_allowed")
    fields = {k: v for k, v in changes.items() if k in CASE_FIELDS}
    bump_version(case, expected_version=expected_version, fields=fields)
    _log(actor, acting_user, Action.CHANGE, ExitCase, case, fields=sorted(fields))
    return case


@transaction.atomic
def case_change_phase(
    *, case: ExitCase, acting_user, to_phase: str, reason: str, expected_version: int | None = None
) -> ExitCase:
    """Move the case to another phase, with a reason kept in the phase history. Closing has its own service."""
    actor = access.require_actor(acting_user)
    require_case_owner(actor, case)  # the lead agency decides the course of the case
    reason = required_text(reason, _("Ange skälet till fasändringen."), "reason_required")
    if to_phase not in Phase.values or to_phase == Phase.CLOSED:
        raise ApplicationError(_("Välj en fas. Ett ärende avslutas med ett utfall."), code="invalid_phase")
    if case.phase == Phase.CLOSED:
        raise ApplicationError(_("Ärendet är avslutat."), code="closed")
    if to_phase == case.phase:
        raise ApplicationError(_("Ärendet är redan i den fasen."), code="same_phase")
    from_phase = case.phase
    bump_version(case, expected_version=expected_version, fields={"phase": to_phase})
    PhaseChange.objects.create(
        case=case, from_phase=from_phase, to_phase=to_phase, reason=reason, changed_by=acting_user
    )
    _log(actor, acting_user, Action.CHANGE, ExitCase, case, phase=[from_phase, to_phase])
    return case


@transaction.atomic
def case_close(
    *, case: ExitCase, acting_user, outcome: str, reason: str, expected_version: int | None = None
) -> ExitCase:
    actor = access.require_actor(acting_user)
    require_case_owner(actor, case)
    reason = required_text(reason, _("Ange skälet till att ärendet avslutas."), "reason_required")
    if outcome not in Outcome.values:
        raise ApplicationError(_("Välj ett utfall."), code="outcome_required")
    if case.phase == Phase.CLOSED:
        raise ApplicationError(_("Ärendet är redan avslutat."), code="closed")
    from_phase = case.phase
    bump_version(
        case,
        expected_version=expected_version,
        fields={"phase": Phase.CLOSED, "outcome": outcome, "closed_on": timezone.localdate()},
    )
    PhaseChange.objects.create(
        case=case, from_phase=from_phase, to_phase=Phase.CLOSED, reason=reason, changed_by=acting_user
    )
    _log(actor, acting_user, Action.CHANGE, ExitCase, case, phase=[from_phase, Phase.CLOSED], outcome=outcome)
    return case


def _check_dates(starts_on: date | None, ends_on: date | None) -> None:
    if starts_on and ends_on and ends_on < starts_on:
        raise ApplicationError(_("Slutdatum kan inte ligga före startdatum."), code="dates")


@transaction.atomic
def entry_add(
    *, case: ExitCase, acting_user, kind: str, title: str, body: str = "", occurred_on: date | None = None, **fields
) -> CaseEntry:
    """An entry owned by the user's agency on a case the user may see. Visible to others only once shared."""
    actor = access.require_actor(acting_user)
    if not access.can(acting_user, case, "view"):
        raise ApplicationError(_("Ärendet finns inte."), code="not_found")
    if case.phase == Phase.CLOSED:
        raise ApplicationError(_("Ärendet är avslutat."), code="closed")
    fields = {k: v for k, v in fields.items() if k in ENTRY_FIELDS}
    if kind not in EntryKind.values:
        raise ApplicationError(_("Okänd typ av journalpost."), code="invalid_kind")
    if kind == EntryKind.THREAT and not Agency.objects.filter(pk=actor.agency_id, kind=Agency.Kind.POLICE).exists():
        raise ApplicationError(_("Hotbedömningar görs av Polisen."), code="threat_police_only")
    _check_dates(fields.get("starts_on"), fields.get("ends_on"))
    entry = CaseEntry.objects.create(
        case=case,
        owner_agency_id=actor.agency_id,
        created_by=acting_user,
        kind=kind,
        title=required_text(title, _("Ange en rubrik."), "title_required"),
        body=body,
        occurred_on=occurred_on or timezone.localdate(),
        **fields,
    )
    _log(actor, acting_user, Action.CREATE, CaseEntry, entry, case=case.pk)
    return entry


@transaction.atomic
def entry_update(*, entry: CaseEntry, acting_user, expected_version: int | None, **changes) -> CaseEntry:
    """Change an entry the user may change. A stale version is a conflict: nothing is overwritten."""
    actor = access.require_actor(acting_user)
    fields = {k: v for k, v in changes.items() if k in ENTRY_FIELDS}
    if "title" in fields:
        fields["title"] = required_text(fields["title"], _("Ange en rubrik."), "title_required")
    _check_dates(fields.get("starts_on", entry.starts_on), fields.get("ends_on", entry.ends_on))
    bump_version(entry, expected_version=expected_version, fields=fields)
    _log(actor, acting_user, Action.CHANGE, CaseEntry, entry, fields=sorted(fields))
    return entry


def entry_share(
    *,
    entry: CaseEntry,
    to_agency: Agency,
    legal_basis: LegalBasis | None,
    acting_user,
    consent=None,
    level: str = "view",
    expires_at: datetime | None = None,
    assessment: str = "",
) -> Share:
    """Share an entry with another participant of its case (never with an agency outside the case)."""
    return _share_in_case(
        entry,
        to_agency=to_agency,
        legal_basis=legal_basis,
        acting_user=acting_user,
        consent=consent,
        level=level,
        expires_at=expires_at,
        assessment=assessment,
    )


def plan_share(
    *,
    record: PlanGoal | Task,
    to_agency: Agency,
    legal_basis: LegalBasis | None,
    acting_user,
    consent=None,
    level: str = "view",
    expires_at: datetime | None = None,
    assessment: str = "",
) -> Share:
    """Share a goal or task of the plan with another participant of its case, on a basis: the joint plan is
    what the lead agency (or any participant, of its own goals and tasks) shares with the others."""
    return _share_in_case(
        record,
        to_agency=to_agency,
        legal_basis=legal_basis,
        acting_user=acting_user,
        consent=consent,
        level=level,
        expires_at=expires_at,
        assessment=assessment,
    )


def _share_in_case(record: CaseEntry | PlanGoal | Task, *, to_agency: Agency, **share) -> Share:
    # A record of a case goes only to an agency taking part in that case.
    _require_participant(record.case, to_agency)
    return access.share(record, to_agency=to_agency, **share)


def _require_visible_case(acting_user, case: ExitCase) -> None:
    if not access.can(acting_user, case, "view"):
        raise ApplicationError(_("Ärendet finns inte."), code="not_found")


@transaction.atomic
def goal_add(*, case: ExitCase, acting_user, description: str, target_date: date | None = None) -> PlanGoal:
    """A goal of the user's agency in the case's plan. It is the agency's own record: the other participants
    see it once it is shared with them (plan_share, or the case's disclosure form)."""
    actor = access.require_actor(acting_user)
    _require_visible_case(acting_user, case)
    goal = PlanGoal.objects.create(
        case=case,
        owner_agency_id=actor.agency_id,
        created_by=acting_user,
        target_date=target_date,
        description=required_text(description, _("Beskriv målet."), "description_required"),
    )
    _log(actor, acting_user, Action.CREATE, PlanGoal, goal, case=case.pk)
    return goal


@transaction.atomic
def goal_set_status(*, goal: PlanGoal, acting_user, status: str) -> PlanGoal:
    actor = access.require_actor(acting_user)
    if not access.can(acting_user, goal, "view"):
        raise ApplicationError(_("Målet finns inte."), code="not_found")
    if not may_change_goal(acting_user, goal):
        raise ApplicationError(_("Endast den myndighet som skrev målet kan ändra det."), code="not_goal_owner")
    if status not in PlanGoal.Status.values:
        raise ApplicationError(_("Okänd status."), code="invalid_status")
    goal.status = status
    bump_version(goal, expected_version=None, fields={"status": status})
    _log(actor, acting_user, Action.CHANGE, PlanGoal, goal, status=status)
    return goal


@transaction.atomic
def task_add(
    *,
    case: ExitCase,
    acting_user,
    title: str,
    assignee_agency: Agency,
    due_on: date,
    assignee_user=None,
    goal: PlanGoal | None = None,
    entry: CaseEntry | None = None,
    legal_basis: LegalBasis | None = None,
    assessment: str = "",
    consent=None,
) -> Task:
    """A task for a participating agency (and optionally one of its users) on a case the user may see.

    The task is the writing agency's record. Given to another agency, it is disclosed to that agency on the
    change level (so it sees the task and marks it done) on `legal_basis`, in the same transaction: the
    register shows who gave whom the task and why, and without a fitting basis no task is written.
    """
    actor = access.require_actor(acting_user)
    _require_visible_case(acting_user, case)
    _require_participant(case, assignee_agency)
    if assignee_user is not None:
        assignee = access.actor_for(assignee_user)
        if assignee is None or assignee.agency_id != assignee_agency.pk:
            raise ApplicationError(_("Handläggaren arbetar inte på den myndigheten."), code="assignee_agency")
    if goal is not None and (goal.case_id != case.pk or not access.can(acting_user, goal, "view")):
        raise ApplicationError(_("Målet hör till ett annat ärende."), code="goal_case")
    if entry is not None and (entry.case_id != case.pk or not access.can(acting_user, entry, "view")):
        raise ApplicationError(_("Journalposten finns inte i ärendet."), code="entry_case")
    for_other = assignee_agency.pk != actor.agency_id
    if for_other and legal_basis is None:
        raise ApplicationError(
            _("En uppgift till en annan myndighet lämnas ut till den: välj den rättsliga grunden."),
            code="legal_basis_required",
        )
    task = Task.objects.create(
        case=case,
        owner_agency_id=actor.agency_id,
        created_by=acting_user,
        assignee_agency=assignee_agency,
        assignee_user=assignee_user,
        due_on=due_on,
        goal=goal,
        entry=entry,
        title=required_text(title, _("Ange uppgiften."), "title_required"),
    )
    _log(actor, acting_user, Action.CREATE, Task, task, case=case.pk)
    if for_other:
        access.share(
            task,
            to_agency=assignee_agency,
            level="change",
            legal_basis=legal_basis,
            assessment=assessment,
            consent=consent,
            acting_user=acting_user,
        )
    return task


def may_change_goal(user, goal: PlanGoal) -> bool:
    """Whether the user may change the goal's status: the agency that wrote it, or one it shared the goal with
    on the change level. No query for the owner."""
    return access.can(user, goal, "change")


def may_change_task(user, task: Task) -> bool:
    """Whether the user may mark the task done or cancel it: the agency that wrote it, or the assignee agency
    (to which the task was disclosed on the change level). No query for the owner."""
    return access.can(user, task, "change")


@transaction.atomic
def task_set_status(*, task: Task, acting_user, status: str) -> Task:
    """Only the agency that wrote the task or its assignee agency marks it done or cancels it."""
    actor = access.require_actor(acting_user)
    if not access.can(acting_user, task, "view"):
        raise ApplicationError(_("Uppgiften finns inte."), code="not_found")
    if not may_change_task(acting_user, task):
        raise ApplicationError(_("Endast ansvarig myndighet kan ändra uppgiften."), code="not_assignee")
    if status not in Task.Status.values:
        raise ApplicationError(_("Okänd status."), code="invalid_status")
    task.status = status
    task.completed_at = timezone.now() if status == Task.Status.DONE else None
    bump_version(task, expected_version=None, fields={"status": status, "completed_at": task.completed_at})
    _log(actor, acting_user, Action.CHANGE, Task, task, status=status)
    return task


def require_case_owner(actor, case: ExitCase) -> None:
    require_owner(actor, case, _("Endast den ansvariga myndigheten kan göra detta."))
