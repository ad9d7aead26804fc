"""The weekly incident review: the list, scheduling a meeting, the meeting page (the agenda proposed from the
incidents since the last meeting, decisions and actions), editing, the printable minutes, and actions."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from agencies import access, audit
from agencies.access import Actor
from agencies.errors import ApplicationError
from cases.models import Incident
from cases.views.share import share_rows

from .. import selectors, services
from ..filters.reviews import ReviewFilter
from ..forms.reviews import ActionForm, MeetingForm, MeetingUpdateForm
from ..models import ReviewAction, ReviewMeeting
from ..services.reviews import participants
from ._common import (
    HtmxHttpRequest,
    edit_with_conflict,
    error_summary,
    forbidden,
    gated_list,
    htmx_login_redirect,
    member_required,
    next_url,
    polish_filters,
)

FILTER_FIELDS = ("status", "starts_from", "starts_to", "q")


@require_GET
@vary_on_headers("HX-Request")
@htmx_login_redirect
@member_required
def review_list(request: HtmxHttpRequest, *, actor: Actor) -> HttpResponse:
    filterset = ReviewFilter(request.GET or None, queryset=selectors.meeting_base(), request=request)
    polish_filters(filterset.form)
    return gated_list(
        request,
        model=ReviewMeeting,
        filterset=filterset,
        filter_fields=FILTER_FIELDS,
        template="outreach/review_list.html",
        partial="outreach/_partials/review_results.html",
    )


@require_http_methods(["GET", "POST"])
@member_required
def review_create(request: HttpRequest, *, actor: Actor) -> HttpResponse:
    form = MeetingForm(request.POST if request.method == "POST" else None, own_agency_id=actor.agency_id)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        starts_at = values["starts_at"]
        # The proposed agenda goes onto the new meeting: the incidents the user may see since the last one.
        agenda = list(selectors.agenda(request.user, until=starts_at))
        try:
            meeting = services.meeting_schedule(acting_user=request.user, incidents=agenda, **values)
        except ApplicationError as exc:
            field = {"legal_basis_required": "legal_basis", "legal_basis_not_fitting": "legal_basis"}.get(exc.code)
            field = "assessment" if exc.code == "assessment_required" else field
            form.add_error(field, exc.message)
        else:
            messages.success(
                request, _("Genomgången har registrerats med %(n)s händelser på dagordningen.") % {"n": len(agenda)}
            )
            return redirect("review-detail", pk=meeting.pk)
    return render(request, "outreach/review_form.html", {"form": form, "meeting": None, **error_summary(form)})


def _meeting_context(request: HttpRequest, actor: Actor, meeting: ReviewMeeting) -> dict:
    user = request.user
    incidents = list(selectors.meeting_incidents(user, meeting))
    actions = list(selectors.meeting_actions(meeting))
    if incidents:
        audit.record_list(user=user, agency_id=actor.agency_id, model=Incident, objects=incidents)
    for action in actions:
        # What the template needs beside the row (one question to the gate's helpers per row, no query).
        setattr(action, "can_change", services.may_change_action(user, action, meeting=meeting))  # noqa: B010
    return {
        "meeting": meeting,
        "incidents": incidents,
        "actions": actions,
        "participants": sorted(participants(meeting), key=lambda a: a.name),
    }


@require_GET
@member_required
def review_detail(request: HttpRequest, pk: int, *, actor: Actor) -> HttpResponse:
    user = request.user
    meeting = access.get_or_404(user, ReviewMeeting, pk, queryset=selectors.meeting_base())  # logged
    context = _meeting_context(request, actor, meeting)
    on_agenda = {incident.pk for incident in context["incidents"]}
    # What has happened since the last meeting and is not on the agenda yet (a proposal, until it is added).
    proposed = [i for i in selectors.agenda(user, until=meeting.starts_at) if i.pk not in on_agenda]
    is_owner = access.owns(user, meeting)
    can_change = access.can(user, meeting, "change")
    action_form = ActionForm(user=user, participants=context["participants"]) if can_change else None
    return render(
        request,
        "outreach/review_detail.html",
        {
            **context,
            "proposed": proposed,
            "is_owner": is_owner,
            "can_change": can_change,
            "action_form": action_form,
            "shares": share_rows(access.shares_of(meeting), "review_meeting") if is_owner else [],
        },
    )


@require_GET
@member_required
def review_minutes(request: HttpRequest, pk: int, *, actor: Actor) -> HttpResponse:
    meeting = access.get_or_404(request.user, ReviewMeeting, pk, queryset=selectors.meeting_base())  # logged
    context = _meeting_context(request, actor, meeting)
    return render(request, "outreach/review_minutes.html", {**context, "printed_at": timezone.now()})


@require_http_methods(["GET", "POST"])
@member_required
def review_update(request: HttpRequest, pk: int, *, actor: Actor) -> HttpResponse:
    user = request.user
    meeting = access.get_or_404(user, ReviewMeeting, pk, queryset=selectors.meeting_base())  # logged
    back = reverse("review-detail", kwargs={"pk": meeting.pk})
    if not access.can(user, meeting, "change"):
        return forbidden(request, _("Du får läsa men inte ändra genomgången."), back_url=back)

    def make_forms(meeting: ReviewMeeting, data):
        current = list(selectors.meeting_incidents(user, meeting).values_list("pk", flat=True))
        proposed = list(selectors.agenda(user, until=meeting.starts_at).values_list("pk", flat=True))
        initial = MeetingUpdateForm.initial_for(meeting, incident_ids=current)
        return (MeetingUpdateForm(data, initial=initial, user=user, agenda_ids=set(current) | set(proposed)),)

    def save(meeting: ReviewMeeting, form) -> bool:
        services.meeting_update(
            meeting=meeting, acting_user=user, expected_version=form.cleaned_data["version"], **form.values()
        )
        return True

    return edit_with_conflict(
        request,
        meeting,
        make_forms=make_forms,
        save=save,
        done_url=lambda m: reverse("review-detail", kwargs={"pk": m.pk}),
        template="outreach/review_update.html",
        context=lambda m: {"meeting": m},
    )


# Which form field a refusal from the services is about (the case's task: cases.services.task_add).
ACTION_ERROR_FIELDS = {
    "legal_basis_required": "legal_basis",
    "legal_basis_not_fitting": "legal_basis",
    "legal_basis_inactive": "legal_basis",
    "consent_required": "legal_basis",
    "assessment_required": "assessment",
    "not_participant": "assignee_agency",
    "assignee_agency": "assignee_agency",
}


@require_POST
@member_required
def action_add(request: HttpRequest, pk: int, *, actor: Actor) -> HttpResponse:
    user = request.user
    meeting = access.get_or_404(user, ReviewMeeting, pk, queryset=selectors.meeting_base(), log=False)
    back = reverse("review-detail", kwargs={"pk": meeting.pk})
    if not access.can(user, meeting, "change"):
        return forbidden(request, _("Du får läsa men inte ändra genomgången."), back_url=back)
    form = ActionForm(request.POST, user=user, participants=participants(meeting))
    if form.is_valid():
        try:
            services.action_add(meeting=meeting, acting_user=user, **form.cleaned_data)
        except ApplicationError as exc:
            field = ACTION_ERROR_FIELDS.get(exc.code)
            form.add_error(field if field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Åtgärden har lagts till."))
            return redirect(back + "#actions-heading")
    context = _meeting_context(request, actor, meeting)
    return render(
        request,
        "outreach/review_detail.html",
        {**context, "proposed": [], "is_owner": access.owns(user, meeting), "can_change": True, "action_form": form,
         "shares": [], **error_summary(form)},
        status=400,
    )  # fmt: skip


@require_POST
@member_required
def action_status(request: HttpRequest, pk: int, *, actor: Actor) -> HttpResponse:
    action = selectors.visible_actions(request.user).filter(pk=pk).first()
    if action is None:
        raise Http404
    back = next_url(request) or reverse("review-detail", kwargs={"pk": action.meeting_id})
    status = request.POST.get("status") or ReviewAction.Status.DONE
    try:
        services.action_set_status(action=action, acting_user=request.user, status=status)
    except ApplicationError as exc:
        if exc.code == "not_assignee":
            return forbidden(request, exc.message, back_url=back)
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Åtgärden ”%(title)s” har nu status %(status)s.")
            % {"title": action.title, "status": action.get_status_display().lower()},
        )
    return redirect(back)
