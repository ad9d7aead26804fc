"""Reads for joint exit-support cases. Everything protected comes through agencies.access."""

from dataclasses import dataclass
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from agencies import access
from agencies.models import Share, ShareBundle

from ..models import CaseEntry, Consent, ExitCase, Individual, PlanGoal, Task


def case_base() -> QuerySet[ExitCase]:
    """What a case list or page loads with each row, with its count of overdue open tasks."""
    today = timezone.localdate()
    overdue = Count("tasks", filter=Q(tasks__status=Task.Status.OPEN, tasks__due_on__lt=today))
    return ExitCase.objects.select_related("individual", "lead_agency", "owner_agency", "coordinator").annotate(
        overdue_tasks=overdue
    )


def entry_base() -> QuerySet[CaseEntry]:
    return CaseEntry.objects.select_related("owner_agency", "created_by", "case")


@dataclass
class TimelineItem:
    entry: CaseEntry
    own: bool
    legal_basis: str | None  # the basis it was shared with the viewer's agency on; None for one's own
    # The register row it reached the viewer's agency through (provenance: when decided, until when).
    received: Share | None = None


def case_timeline(user, case: ExitCase) -> list[TimelineItem]:
    """One timeline of the entries on a case that the user may see, from every agency, newest first.

    Each foreign entry carries the legal basis it was shared on with the user's agency. Two queries
    however many entries: the gated entries, then their active shares to this agency.
    """
    actor = access.require_actor(user)
    entries = list(
        access.visible(user, CaseEntry, queryset=entry_base()).filter(case=case).order_by("-occurred_on", "-created_at")
    )
    foreign = [e.pk for e in entries if e.owner_agency_id != actor.agency_id]
    bases: dict[int, str] = {}
    received: dict[int, Share] = {}
    if foreign:
        shares = (
            Share.objects.active()
            .filter(
                content_type=ContentType.objects.get_for_model(CaseEntry),
                object_id__in=foreign,
                to_agency_id=actor.agency_id,
            )
            .select_related("legal_basis")
            .order_by("decided_at")
        )
        received = {s.object_id: s for s in shares}
        bases = {pk: share.legal_basis.name for pk, share in received.items()}
    return [TimelineItem(e, e.owner_agency_id == actor.agency_id, bases.get(e.pk), received.get(e.pk)) for e in entries]


def visible_tasks(user) -> QuerySet[Task]:
    """The tasks the user may see, on cases the user may see: the agency's own, those given to it (a share on
    the change level) and those shared with it. Both ends of the link, as everywhere."""
    base = Task.objects.filter(case__in=access.visible(user, ExitCase).values("pk")).select_related(
        "case", "case__individual", "assignee_agency", "assignee_user", "entry", "goal", "owner_agency"
    )
    return access.visible(user, Task, queryset=base)


def case_goals(user, case: ExitCase) -> QuerySet[PlanGoal]:
    """The goals of the case's plan that the user may see: its agency's own and those shared with it."""
    goals = PlanGoal.objects.filter(case=case).select_related("owner_agency")
    return access.visible(user, PlanGoal, queryset=goals).order_by("target_date", "created_at", "pk")


def _overdue_first(tasks: QuerySet[Task]) -> QuerySet[Task]:
    today = timezone.localdate()
    overdue = ExpressionWrapper(Q(due_on__lt=today, status=Task.Status.OPEN), output_field=BooleanField())
    return tasks.annotate(overdue=overdue).order_by("-overdue", "due_on", "pk")


def my_tasks(user) -> QuerySet[Task]:
    """A caseworker's open tasks: assigned to them, or to their agency with no one named."""
    actor = access.require_actor(user)
    mine = Q(assignee_user=user) | Q(assignee_agency_id=actor.agency_id, assignee_user__isnull=True)
    return _overdue_first(visible_tasks(user).filter(mine, status=Task.Status.OPEN))


def my_cases(user) -> QuerySet[ExitCase]:
    """The open cases a caseworker works on: they coordinate or opened it, or hold an open task on it.

    Only a filter for access.visible_page (which asks the gate): the user's agency must take part in the case.
    """
    own_task = Task.objects.filter(case=OuterRef("pk"), assignee_user=user, status=Task.Status.OPEN)
    mine = Q(coordinator=user) | Q(created_by=user) | Q(Exists(own_task))
    return case_base().filter(mine, closed_on__isnull=True)


def person_cases(user, individual: Individual) -> list[ExitCase]:
    """The cases about a person that the user's agency takes part in (the person page), newest first."""
    return list(
        access.visible(user, ExitCase, queryset=case_base()).filter(individual=individual).order_by("-opened_on", "-pk")
    )


def agency_tasks(user) -> QuerySet[Task]:
    """A lead's view: every open task assigned to their agency."""
    actor = access.require_actor(user)
    return _overdue_first(visible_tasks(user).filter(assignee_agency_id=actor.agency_id, status=Task.Status.OPEN))


def case_tasks(user, case: ExitCase) -> QuerySet[Task]:
    return visible_tasks(user).filter(case=case).order_by("status", "due_on", "pk")


def task_entry_visible(user, tasks) -> set[int]:
    """Of these tasks' entries, which the user may see (a task's details follow its entry). One query."""
    entry_ids = {t.entry_id for t in tasks if t.entry_id}
    if not entry_ids:
        return set()
    return set(access.visible(user, CaseEntry).filter(pk__in=entry_ids).values_list("pk", flat=True))


def person_consents(user, individual: Individual) -> QuerySet[Consent]:
    return (
        access.visible(user, Consent)
        .filter(individual=individual)
        .select_related("owner_agency", "recorded_by", "withdrawn_by")
        .prefetch_related("agencies")
        .order_by("-given_on", "-pk")
    )


def consents_covering(user, *, obj, to_agency, on: date | None = None) -> list[Consent]:
    """The valid consents the user may see that would carry a share of `obj` to `to_agency`.

    The share dialog offers consent as a basis only when this is not empty.
    """
    person_id = obj.audit_person_id()
    on = on or timezone.localdate()
    candidates = (
        access.visible(user, Consent)
        .filter(individual_id=person_id, withdrawn_at__isnull=True, given_on__lte=on, valid_until__gte=on)
        .filter(agencies=to_agency)
        .filter(Exists(Consent.agencies.through.objects.filter(consent=OuterRef("pk"), agency_id=obj.owner_agency_id)))
        .prefetch_related("agencies")
    )
    return [c for c in candidates if c.covers(agency=to_agency, obj=obj)]


def visible_case_people(user, cases) -> set[int]:
    """Of the persons these cases are about, the ids the user may see. One query through the gate.

    A participant sees the case header, but the person's alias is the person record's, shown only where
    that record is visible too (the rule the registry follows for every link between records).
    """
    ids = {case.individual_id for case in cases}
    if not ids:
        return set()
    return set(access.visible(user, Individual).filter(pk__in=ids).values_list("pk", flat=True))


def case_bundles(user, case: ExitCase) -> list[ShareBundle]:
    """The decisions the user's agency made from this case (its header or its entries disclosed together),
    newest first, each with its register rows loaded: two queries however many decisions and rows."""
    actor = access.require_actor(user)
    on_case = Q(content_type=ContentType.objects.get_for_model(ExitCase), object_id=case.pk)
    for model in (CaseEntry, PlanGoal, Task):
        on_case |= Q(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=model._default_manager.filter(case=case).values("pk"),
        )
    rows = Share.objects.select_related(
        "content_type", "to_agency", "to_user", "legal_basis", "decided_by", "revoked_by"
    )
    return list(
        ShareBundle.objects.filter(
            from_agency_id=actor.agency_id, pk__in=Share.objects.filter(on_case).values("bundle_id")
        )
        .select_related("to_agency", "legal_basis", "decided_by")
        .prefetch_related(Prefetch("shares", queryset=rows.order_by("pk")))
        .order_by("-created_at", "-pk")
    )
