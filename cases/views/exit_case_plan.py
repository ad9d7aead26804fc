"""A case's plan: each agency's goals, and tasks for the participating agencies.

A goal or task is the writing agency's own record (cases.models.exit_cases): the others see it once it is
shared with them (its share dialog, or the case's disclosure form), and a task given to another agency is
disclosed to that agency on a basis chosen in the task form. Marking a task done or struck goes through the
task pages' own action (cases.views.tasks.task_status) with a `next` back to the case.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from agencies import access, legal_bases
from agencies.access import Actor
from agencies.errors import ApplicationError
from agencies.models import Agency, LegalBasis

from .. import selectors, services
from ..forms.exit_cases import GoalForm, GoalStatusForm, TaskForm
from ..models import CaseEntry, Phase, PlanGoal, Task
from ._common import error_summary, forbidden, member_required
from .exit_cases import get_case

# Which form field a refusal from the service is about.
TASK_ERROR_FIELDS = {
    "not_participant": "assignee_agency",
    "assignee_agency": "assignee_user",
    "goal_case": "goal",
    "entry_case": "entry",
    "title_required": "title",
    "legal_basis_required": "legal_basis",
    "legal_basis_inactive": "legal_basis",
    "legal_basis_not_fitting": "legal_basis",
    "consent_required": "legal_basis",
    "consent_not_covering": "legal_basis",
    "assessment_required": "assessment",
}


def _task_bases(user, actor: Actor, participants: list[Agency], case) -> list[int]:
    """The bases the user's agency may give a task of this case on, to at least one other participant (the
    service then checks the chosen receiver). No query beyond the bases themselves."""
    others = {agency.kind for agency in participants if not access.acts_for(user, agency.pk)}
    probe = Task(case=case, owner_agency_id=actor.agency_id)
    fitting: set[int] = set()
    for kind in others:
        fitting |= {
            basis.pk for basis in legal_bases.fitting_bases(sender=actor.agency_kind, receiver=kind, obj=probe).fitting
        }
    return sorted(fitting)


def _consent_for(request: HttpRequest, actor: Actor, case, data: dict):
    """A valid consent that carries the new task to its assignee, when the chosen basis is consent."""
    basis, agency = data.get("legal_basis"), data.get("assignee_agency")
    if basis is None or not basis.requires_consent or agency is None:
        return None
    probe = Task(case=case, owner_agency_id=actor.agency_id)
    found = selectors.consents_covering(request.user, obj=probe, to_agency=agency)
    return found[0] if found else None


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
    # Only a goal the user may see; any other is a 404, the same as a missing one.
    goal = access.visible(request.user, PlanGoal).filter(case=case, pk=goal_pk).first()
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
    taking_part = services.participants(case)
    participants = Agency.objects.filter(pk__in=[agency.pk for agency in taking_part])
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
        # Only goals and entries the user may see are offered; the service checks it again.
        goals=access.visible(request.user, PlanGoal).filter(case=case, status=PlanGoal.Status.OPEN).order_by("pk"),
        entries=access.visible(request.user, CaseEntry).filter(case=case).order_by("-occurred_on", "-created_at"),
        own_agency_id=actor.agency_id,
        bases=LegalBasis.objects.filter(pk__in=_task_bases(request.user, actor, taking_part, case)).order_by("name"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            consent = _consent_for(request, actor, case, form.cleaned_data)
            services.task_add(case=case, acting_user=request.user, consent=consent, **form.cleaned_data)
        except ApplicationError as exc:
            field = TASK_ERROR_FIELDS.get(exc.code)
            form.add_error(field if field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Uppgiften har lagts till."))
            return redirect(_plan_url(case))
    context = {"case": case, "form": form, "what": "task", "back_url": _plan_url(case), **error_summary(form)}
    return render(request, "cases/exit_case_plan_form.html", context)
