"""The lead agency's pages for a case header: edit it, change its phase with a reason, close it with an outcome.

Each update names the version the editor loaded; a stale one is refused by the service and the page shows
what is stored now beside what the editor wrote, so nothing is lost. Another participant may see these
pages' case but not act on it: 403 with a reason. A case the user may not see is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from agencies.access import Actor
from agencies.errors import ApplicationError, ConflictError

from .. import services
from ..forms.exit_cases import CloseForm, ExitCaseUpdateForm, PhaseForm
from ..models import ExitCase, Phase
from ..services.exit_cases import require_case_owner
from ._common import error_summary, forbidden, member_required
from ._editing import edit_with_conflict, shown_value
from .exit_cases import get_case


def _lead_only(request: HttpRequest, actor: Actor, case: ExitCase) -> HttpResponse | None:
    try:
        require_case_owner(actor, case)
    except ApplicationError as exc:
        back = reverse("exit-case-detail", kwargs={"pk": case.pk})
        return forbidden(request, exc.message, back_url=back, back_label=_("Tillbaka till ärendet"))
    return None


def _unsaved(form, names) -> list[tuple[str, str]]:
    """The editor's rejected input for the named fields, shown beside the stored values so it is not lost."""
    shown = (
        (str(form.fields[name].label), shown_value(form.fields[name], form.cleaned_data.get(name))) for name in names
    )
    return [(label, text) for label, text in shown if text]


@require_http_methods(["GET", "POST"])
@member_required
def exit_case_update(request: HttpRequest, pk: int, *, actor: Actor) -> HttpResponse:
    case = get_case(request, pk)
    if (refused := _lead_only(request, actor, case)) is not None:
        return refused

    def make_forms(case: ExitCase, data) -> tuple[ExitCaseUpdateForm]:
        if data is None:
            return (ExitCaseUpdateForm(initial=ExitCaseUpdateForm.initial_for(case), agency_id=case.owner_agency_id),)
        return (ExitCaseUpdateForm(data, agency_id=case.owner_agency_id),)

    def save(case: ExitCase, form: ExitCaseUpdateForm) -> bool:
        values = {name: form.cleaned_data[name] for name in ExitCaseUpdateForm.FIELDS}
        services.case_update(
            case=case, acting_user=request.user, expected_version=form.cleaned_data["version"], **values
        )
        return True  # the header page always confirms the save

    return edit_with_conflict(
        request,
        case,
        make_forms=make_forms,
        save=save,
        done_url=lambda case: reverse("exit-case-detail", kwargs={"pk": case.pk}),
        template="cases/exit_case_form.html",
        context=lambda case: {"case": case},
    )


@require_http_methods(["GET", "POST"])
@member_required
def exit_case_phase(request: HttpRequest, pk: int, *, actor: Actor) -> HttpResponse:
    case = get_case(request, pk)
    if (refused := _lead_only(request, actor, case)) is not None:
        return refused
    if case.phase == Phase.CLOSED:
        return _closed(request, case)
    form = PhaseForm(request.POST or None, current=case.phase, initial={"version": case.version})
    conflict, unsaved = None, []
    if request.method == "POST" and form.is_valid():
        try:
            services.case_change_phase(
                case=case,
                acting_user=request.user,
                to_phase=form.cleaned_data["to_phase"],
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except ConflictError as exc:
            conflict, unsaved = exc.message, _unsaved(form, ("to_phase", "reason"))
            case.refresh_from_db()
            if case.phase == Phase.CLOSED:
                return _closed(request, case)
            # Their reason stays in the form; the version is now the stored one, so they may send it again
            # once they have seen the case's current phase (shown on the page).
            kept = {**form.cleaned_data, "version": case.version}
            form = PhaseForm(initial=kept, current=case.phase)
        except ApplicationError as exc:
            form.add_error("reason" if exc.code == "reason_required" else None, exc.message)
        else:
            messages.success(request, _("Ärendet har bytt fas till %(phase)s.") % {"phase": case.get_phase_display()})
            return redirect("exit-case-detail", pk=case.pk)
    context = {"case": case, "form": form, "conflict": conflict, "unsaved": unsaved, "action": "phase"}
    return render(request, "cases/exit_case_action.html", {**context, **error_summary(form)})


@require_http_methods(["GET", "POST"])
@member_required
def exit_case_close(request: HttpRequest, pk: int, *, actor: Actor) -> HttpResponse:
    case = get_case(request, pk)
    if (refused := _lead_only(request, actor, case)) is not None:
        return refused
    if case.phase == Phase.CLOSED:
        return _closed(request, case)
    form = CloseForm(request.POST or None, initial={"version": case.version})
    conflict, unsaved = None, []
    if request.method == "POST" and form.is_valid():
        try:
            services.case_close(
                case=case,
                acting_user=request.user,
                outcome=form.cleaned_data["outcome"],
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except ConflictError as exc:
            conflict, unsaved = exc.message, _unsaved(form, ("outcome", "reason"))
            case.refresh_from_db()
            if case.phase == Phase.CLOSED:
                return _closed(request, case)
            form = CloseForm(initial={**form.cleaned_data, "version": case.version})
        except ApplicationError as exc:
            form.add_error("reason" if exc.code == "reason_required" else None, exc.message)
        else:
            messages.success(request, _("Ärendet har avslutats."))
            return redirect("exit-case-detail", pk=case.pk)
    context = {"case": case, "form": form, "conflict": conflict, "unsaved": unsaved, "action": "close"}
    return render(request, "cases/exit_case_action.html", {**context, **error_summary(form)})


def _closed(request: HttpRequest, case: ExitCase) -> HttpResponse:
    messages.info(request, _("Ärendet är avslutat och kan inte byta fas."))
    return redirect("exit-case-detail", pk=case.pk)
