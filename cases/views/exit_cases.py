"""The joint exit-support cases: the list, opening a case, and the case page with its one timeline.

Every record shown comes through agencies.access (the gate). The case header is visible to the participating
agencies; each entry only to its owner and to whom it was shared; a person's alias only to those who may see
the person. The case page shows nothing about an entry the user may not see: no count, no gap, no link.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from agencies import access, audit
from agencies.access import Actor
from agencies.errors import ApplicationError
from agencies.models import Share
from agencies.selectors.provenance import provenance_for_many

from .. import selectors, services
from ..filters.exit_cases import ExitCaseFilter
from ..forms.exit_cases import ExitCaseCreateForm
from ..models import CaseEntry, EntryKind, ExitCase, Individual, NeedArea, NeedLevel, PlanGoal, Task
from ._common import error_summary, htmx_login_redirect, member_required
from ._listing import PAGE_SIZE, gated_list
from .list import HtmxHttpRequest
from .share import share_rows

FILTER_FIELDS = ("q", "phase", "lead_agency", "overdue")
PERSON_CHOICES = 20


def get_case(request: HttpRequest, pk) -> ExitCase:
    """The case header through the gate, or 404 — the same for missing and forbidden. The read is logged."""
    return access.get_or_404(request.user, ExitCase, pk, queryset=selectors.case_base())


# --- the list -------------------------------------------------------------------------------------------


@require_GET
# The same URL answers with the whole page or only the results, so caches must tell the two apart.
@vary_on_headers("HX-Request")
@htmx_login_redirect
@member_required
def exit_case_list(request: HtmxHttpRequest, *, actor: Actor) -> HttpResponse:
    filterset = ExitCaseFilter(request.GET or None, queryset=selectors.case_base(), request=request)
    _polish_filter_form(filterset.form)
    return gated_list(
        request,
        model=ExitCase,
        filterset=filterset,
        filter_fields=FILTER_FIELDS,
        template="cases/exit_case_list.html",
        partial="cases/_partials/exit_case_results.html",
        extra=lambda page: {"people": selectors.visible_case_people(request.user, page.items)},
    )


def _polish_filter_form(form) -> None:
    # The FilterSet is shared with the API; these touches only concern the HTML form.
    form.fields["q"].widget.input_type = "search"
    form.fields["q"].widget.attrs.update(autocomplete="off", spellcheck="false")
    form.fields["overdue"].widget.choices = [
        ("", _("Alla ärenden")),
        ("true", _("Bara med försenade uppgifter")),
        ("false", _("Utan försenade uppgifter")),
    ]


@require_GET
@member_required
def my_cases(request: HttpRequest, *, actor: Actor) -> HttpResponse:
    """ "Mina ärenden": the open cases the user coordinates, opened or holds a task on, through the gate."""
    cursor = request.GET.get("cursor") or None
    within = selectors.my_cases(request.user)
    try:
        page = access.visible_page(request.user, ExitCase, within=within, cursor=cursor, size=PAGE_SIZE)  # logged
    except ValidationError:
        # A cursor edited by hand: the first page, never a 500.
        page = access.visible_page(request.user, ExitCase, within=within, size=PAGE_SIZE)
    people = selectors.visible_case_people(request.user, page.items)
    return render(request, "cases/my_cases.html", {"page": page, "people": people, "query": ""})


# --- opening a case -------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@member_required
def exit_case_create(request: HttpRequest, *, actor: Actor) -> HttpResponse:
    """Choose a person the user may see (found by alias or personnummer), then open the case.

    The user's agency leads the case and owns its header; other agencies are invited from the case page.
    """
    user = request.user
    term = (request.GET.get("q") or "").strip()
    chosen = request.POST.get("individual") or request.GET.get("person")
    shown: list[Individual] = []
    if chosen:
        person = access.find(user, Individual, chosen, queryset=selectors.individual_base())  # logged
        shown = [person] if person is not None else []
    if not shown and (term or request.method == "GET"):
        matches = selectors.individual_search(user=user, queryset=selectors.individual_base(), term=term)
        # Logs the persons offered, like any list of them.
        shown = access.visible_page(user, Individual, within=matches, size=PERSON_CHOICES).items
    form = ExitCaseCreateForm(
        request.POST if request.method == "POST" else None,
        persons=access.visible(user, Individual),
        shown=shown,
        initial={"individual": shown[0].pk} if chosen and shown else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_open(
                acting_user=user,
                individual=form.cleaned_data["individual"],
                summary=form.cleaned_data["summary"],
                next_meeting=form.cleaned_data["next_meeting"],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Ärendet har öppnats. Bjud in de myndigheter som ska delta."))
            return redirect("exit-case-detail", pk=case.pk)
    context = {"form": form, "term": term, "shown": shown, "chosen": bool(chosen and shown), **error_summary(form)}
    return render(request, "cases/exit_case_create.html", context)


# --- the case page --------------------------------------------------------------------------------------


@require_GET
@member_required
def exit_case_detail(request: HttpRequest, pk: int, *, actor: Actor) -> HttpResponse:
    case = get_case(request, pk)
    return render(request, "cases/exit_case_detail.html", case_page_context(request, actor, case))


def case_page_context(request: HttpRequest, actor: Actor, case: ExitCase) -> dict:
    """Everything the case page shows. The query count does not grow with the number of entries or tasks."""
    user = request.user
    is_lead = access.owns(user, case)  # the lead agency is the header's data controller
    timeline = selectors.case_timeline(user, case)  # only entries the user may see; two queries
    entries = [item.entry for item in timeline]
    for entry in entries:
        entry.case = case  # the log row's person, with no query per entry
    audit.record_list(user=user, agency_id=actor.agency_id, model=CaseEntry, objects=entries)

    # Which of the shown entries this user may change, and to whom the agency's own entries went. Both
    # are asked of the gate as subqueries, so each is one query whatever the number of entries.
    on_case = access.visible(user, CaseEntry).filter(case=case)
    changeable = set(access.visible(user, CaseEntry, "change").filter(case=case).values_list("pk", flat=True))
    own_shares: dict[int, list[Share]] = {}
    shares = (
        Share.objects.active()
        .filter(
            content_type=ContentType.objects.get_for_model(CaseEntry),
            object_id__in=on_case.filter(owner_agency_id=actor.agency_id).values("pk"),
        )
        .select_related("to_agency", "legal_basis")
        .order_by("decided_at")
    )
    for record in shares:
        own_shares.setdefault(record.object_id, []).append(record)

    participants = services.participants_lead_first(case)
    return {
        "case": case,
        "is_lead": is_lead,
        "is_open": case.phase != "closed",
        "person_visible": bool(selectors.visible_case_people(user, [case])),
        "participants": participants,
        "phase_changes": list(case.phase_changes.select_related("changed_by")),
        "timeline": [
            {
                "item": item,
                "needs": _needs_rows(item.entry) if item.entry.kind == EntryKind.NEEDS else [],
                "shares": own_shares.get(item.entry.pk, []),
                "can_change": item.entry.pk in changeable,
            }
            for item in timeline
        ],
        **plan_context(user, actor, case),
        # The header's own disclosure register: which agencies were brought in, on what basis.
        "header_shares": share_rows(access.shares_of(case), "exit_case") if is_lead else [],
    }


def plan_context(user, actor: Actor, case: ExitCase) -> dict:
    """The plan as this user may see it: its agency's own goals and tasks, those given to it, and those
    shared with it — each foreign one with where it came from. The reads are logged. A fixed number of
    queries whatever the number of goals and tasks."""
    goals = list(selectors.case_goals(user, case))
    tasks = list(selectors.case_tasks(user, case).select_related("goal"))
    for goal in goals:
        goal.case = case  # the log row's person, with no query per record
    for task in tasks:
        task.case = case
    if goals:
        audit.record_list(user=user, agency_id=actor.agency_id, model=PlanGoal, objects=goals)
    if tasks:
        audit.record_list(user=user, agency_id=actor.agency_id, model=Task, objects=tasks)
    seen_entries = selectors.task_entry_visible(user, tasks)
    # A task's goal is named only where the goal itself is visible.
    seen_goals = access.can_each(user, [task.goal for task in tasks if task.goal is not None])
    changeable_goals = access.can_each(user, goals, "change")
    changeable_tasks = access.can_each(user, tasks, "change")
    goal_from = provenance_for_many(user=user, objs=goals)
    task_from = provenance_for_many(user=user, objs=tasks)
    return {
        # Only the agency that wrote a goal (or one it shared it with on the change level) changes it.
        "goals": [
            {
                "goal": goal,
                "own": access.owns(user, goal),
                "can_change": goal.pk in changeable_goals,
                "received": _latest(goal_from, goal.pk),
            }
            for goal in goals
        ],
        "today": timezone.localdate(),
        "task_actions": [(Task.Status.DONE, _("Klar")), (Task.Status.CANCELLED, _("Stryk"))],
        "tasks": [
            {
                "task": task,
                "own": access.owns(user, task),
                "entry_visible": task.entry_id in seen_entries,
                "goal_visible": task.goal_id in seen_goals,
                "can_change": task.pk in changeable_tasks,
                "received": _latest(task_from, task.pk),
            }
            for task in tasks
        ],
    }


def _latest(received: dict[int, list[Share]], pk: int) -> Share | None:
    """The newest register row a record reached the viewer's agency by (provenance_for_many: newest first)."""
    rows = received.get(pk)
    return rows[0] if rows else None


def _needs_rows(entry: CaseEntry) -> list[dict]:
    rows = []
    for area, label in NeedArea.choices:
        need = (entry.needs or {}).get(area)
        if need:
            level = need.get("level", "")
            rows.append(
                {
                    "area": label,
                    "level": NeedLevel(level).label if level in NeedLevel.values else level,
                    "level_code": level,
                    "comment": need.get("comment", ""),
                }
            )
    return rows
