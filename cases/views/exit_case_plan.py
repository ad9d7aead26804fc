"""A case's plan: goals, and tasks for the participating agencies. Seen by everyone who sees the case header.

Marking a task done or struck goes through the task pages' own action (cases.views.tasks.task_status) with a
`next` back to the case.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from agencies import access
from agencies.access import Actor
from agencies.errors import ApplicationError
from agencies.models import Agency

from .. import services
from ..forms.exit_cases import GoalForm, GoalStatusForm, TaskForm
from ..models import CaseEntry, Phase, PlanGoal
from ._common import error_summary, forbidden, member_required
from .exit_cases import get_case

# Which form field a refusal from the service is about.
TASK_ERROR_FIELDS = {
    "not_participant": "assignee_agency",
    "assignee_agency": "assignee_user",
    "goal_case": "goal",
    "entry_case": "entry",
    "title_required": "title",
}


def _plan_url(case) -> str:
    return reverse("exit-case-detail", kwargs={"pk": case.pk}) + "#plan-heading"


def _closed(request: HttpRequest, case) -> HttpResponse:
    return forbidden(
        request,
        _("Ärendet är avslutat. Planen kan inte längre ändras."),
        back_url=_plan_url(case),
        back_label=_("Tillbaka till ärendet"),
    )


@require_http_methods(["GET", "POST"])
@member_required
def exit_case_goal_add(request: HttpRequest, pk: int, *, actor: Actor) -> HttpResponse:
    case = get_case(request, pk)
    if case.phase == Phase.CLOSED:
        return _closed(request, case)
    form = GoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.goal_add(case=case, acting_user=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_error("description" if exc.code == "description_required" else None, exc.message)
        else:
            messages.success(request, _("Målet har lagts till i planen."))
            return redirect(_plan_url(case))
    context = {"case": case, "form": form, "what": "goal", "back_url": _plan_url(case), **error_summary(form)}
    return render(request, "cases/exit_case_plan_form.html", context)


@require_POST
@member_required
def exit_case_goal_status(request: HttpRequest, pk: int, goal_pk: int, *, actor: Actor) -> HttpResponse:
    case = get_case(request, pk)
    goal = PlanGoal.objects.filter(case=case, pk=goal_pk).first()
    if goal is None:
        raise Http404
    goal.case = case
    form = GoalStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Välj en status för målet."))
        return redirect(_plan_url(case))
    try:
        services.goal_set_status(goal=goal, acting_user=request.user, status=form.cleaned_data["status"])
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Målet har nu status %(status)s.") % {"status": goal.get_status_display().lower()})
    return redirect(_plan_url(case))


@require_http_methods(["GET", "POST"])
@member_required
def exit_case_task_add(request: HttpRequest, pk: int, *, actor: Actor) -> HttpResponse:
    case = get_case(request, pk)
    if case.phase == Phase.CLOSED:
        return _closed(request, case)
    participants = Agency.objects.filter(pk__in=[agency.pk for agency in services.participants(case)])
    users = (
        get_user_model()
        .objects.filter(membership__agency__in=participants, is_active=True)
        .select_related("membership__agency")
        .order_by("membership__agency__name", "first_name", "last_name")
    )
    form = TaskForm(
        request.POST or None,
        agencies=participants.order_by("name"),
        users=users,
        goals=case.goals.filter(status=PlanGoal.Status.OPEN),
        # Only entries the user may see are offered; the service checks it again.
        entries=access.visible(request.user, CaseEntry).filter(case=case).order_by("-occurred_on", "-created_at"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.task_add(case=case, acting_user=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            field = TASK_ERROR_FIELDS.get(exc.code)
            form.add_error(field if field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Uppgiften har lagts till."))
            return redirect(_plan_url(case))
    context = {"case": case, "form": form, "what": "task", "back_url": _plan_url(case), **error_summary(form)}
    return render(request, "cases/exit_case_plan_form.html", context)
