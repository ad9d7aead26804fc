"""Call-ins: the list (upcoming first), the planning page, planning and editing, and the status.

Everything shown comes through the gate; an invitation (person ↔ call-in) only where the user may see it and
both its ends (outreach.selectors.callins)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from agencies import access, audit
from agencies.access import Actor
from agencies.errors import ApplicationError
from cases.models import CriminalGroup
from cases.views.share import share_rows

from .. import selectors, services
from ..filters.callins import CallInFilter
from ..forms._fields import SpeakerFormSet, speaker_initial, speakers_of
from ..forms.callins import CallInCreateForm, CallInStatusForm, CallInUpdateForm
from ..models import CallIn, Invitation
from ._common import (
    HtmxHttpRequest,
    edit_with_conflict,
    error_summary,
    field_for,
    forbidden,
    gated_list,
    htmx_login_redirect,
    member_required,
    polish_filters,
)

FILTER_FIELDS = ("q", "status", "starts_from", "starts_to", "group")


@require_GET
@vary_on_headers("HX-Request")
@htmx_login_redirect
@member_required
def call_in_list(request: HtmxHttpRequest, *, actor: Actor) -> HttpResponse:
    filterset = CallInFilter(request.GET or None, queryset=selectors.call_in_base(), request=request)
    polish_filters(filterset.form)

    def upcoming(page) -> dict:
        rows = selectors.upcoming(request.user)
        if rows:
            audit.record_list(user=request.user, agency_id=actor.agency_id, model=CallIn, objects=rows)
        return {"upcoming": rows}

    return gated_list(
        request,
        model=CallIn,
        filterset=filterset,
        filter_fields=FILTER_FIELDS,
        template="outreach/call_in_list.html",
        partial="outreach/_partials/call_in_results.html",
        extra=upcoming,
    )


def _speakers_formset(data=None, initial=None):
    return SpeakerFormSet(data, initial=initial, prefix="speakers")


@require_http_methods(["GET", "POST"])
@member_required
def call_in_create(request: HttpRequest, *, actor: Actor) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = CallInCreateForm(data, user=request.user, own_agency_id=actor.agency_id)
    speakers = _speakers_formset(data)
    if data is not None and form.is_valid() and speakers.is_valid():
        try:
            call_in = services.call_in_plan(acting_user=request.user, speakers=speakers_of(speakers), **form.values())
        except ApplicationError as exc:
            form.add_error(_field_for(exc, form), exc.message)
        else:
            messages.success(request, _("Call-in har planerats."))
            return redirect("call-in-detail", pk=call_in.pk)
    context = {"form": form, "speakers": speakers, "call_in": None, **error_summary(form, *speakers.forms)}
    return render(request, "outreach/call_in_form.html", context)


ERROR_FIELDS = {
    "in_past": "starts_at",
    "dates": "ends_at",
    "rehearsal_after": "rehearsal_on",
    "legal_basis_required": "legal_basis",
    "legal_basis_not_fitting": "legal_basis",
    "assessment_required": "assessment",
    "title_required": "title",
    "venue_required": "venue",
}


def _field_for(exc: ApplicationError, form) -> str | None:
    return field_for(exc, form, ERROR_FIELDS)


@require_GET
@member_required
def call_in_detail(request: HttpRequest, pk: int, *, actor: Actor) -> HttpResponse:
    user = request.user
    call_in = access.get_or_404(user, CallIn, pk, queryset=selectors.call_in_base())  # logged
    groups = selectors.target_groups(user, call_in)
    invitations = list(selectors.invitations(user, call_in))
    if groups:
        audit.record_list(user=user, agency_id=actor.agency_id, model=CriminalGroup, objects=groups)
    if invitations:
        audit.record_list(user=user, agency_id=actor.agency_id, model=Invitation, objects=invitations)
    is_owner = access.owns(user, call_in)
    counts = {status: 0 for status in Invitation.Status.values}
    for invitation in invitations:
        counts[invitation.status] += 1
    return render(
        request,
        "outreach/call_in_detail.html",
        {
            "call_in": call_in,
            "groups": groups,
            "speakers": list(call_in.speakers.all()),
            "hosts": list(call_in.host_agencies.order_by("name")),
            "invitations": invitations,
            "counts": counts,
            "is_owner": is_owner,
            "can_change": access.can(user, call_in, "change"),
            "can_invite": call_in.status in (CallIn.Status.PLANNED, CallIn.Status.REHEARSED),
            "status_form": CallInStatusForm(),
            "shares": share_rows(access.shares_of(call_in), "call_in") if is_owner else [],
            "owned_invitations": access.owned_ids(user, invitations),
        },
    )


@require_http_methods(["GET", "POST"])
@member_required
def call_in_update(request: HttpRequest, pk: int, *, actor: Actor) -> HttpResponse:
    user = request.user
    call_in = access.get_or_404(user, CallIn, pk, queryset=selectors.call_in_base())  # logged
    back = reverse("call-in-detail", kwargs={"pk": call_in.pk})
    if not access.can(user, call_in, "change"):
        return forbidden(request, _("Du får läsa men inte ändra call-in."), back_url=back)
    hosts_editable = access.owns(user, call_in)
    # The speakers are a formset beside the form: what the editor typed stays on the page whatever happens.
    data = request.POST if request.method == "POST" else None
    speakers = _speakers_formset(data, initial=speaker_initial(call_in.speakers.all()))

    def make_forms(call_in: CallIn, data):
        groups = [g.pk for g in selectors.target_groups(user, call_in)]
        initial = CallInUpdateForm.initial_for(call_in, visible_group_ids=groups)
        form = CallInUpdateForm(
            data, initial=initial, user=user, own_agency_id=actor.agency_id, hosts_editable=hosts_editable
        )
        return (form,)

    def save(call_in: CallIn, form) -> bool:
        if not speakers.is_valid():
            raise ApplicationError(_("Rätta uppgifterna om talarna."), code="speakers")
        services.call_in_update(
            call_in=call_in,
            acting_user=user,
            expected_version=form.cleaned_data["version"],
            speakers=speakers_of(speakers),
            **form.values(),
        )
        return True

    return edit_with_conflict(
        request,
        call_in,
        make_forms=make_forms,
        save=save,
        done_url=lambda c: reverse("call-in-detail", kwargs={"pk": c.pk}),
        template="outreach/call_in_form.html",
        context=lambda c: {"call_in": c, "speakers": speakers},
        error_field=_field_for,
    )


@require_POST
@member_required
def call_in_status(request: HttpRequest, pk: int, *, actor: Actor) -> HttpResponse:
    call_in = access.get_or_404(request.user, CallIn, pk, log=False)
    back = reverse("call-in-detail", kwargs={"pk": call_in.pk})
    if not access.can(request.user, call_in, "change"):
        return forbidden(request, _("Du får läsa men inte ändra call-in."), back_url=back)
    form = CallInStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Välj en status i listan."))
        return redirect(back)
    try:
        services.call_in_set_status(call_in=call_in, acting_user=request.user, status=form.cleaned_data["status"])
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Call-in har nu status %(status)s.") % {"status": call_in.get_status_display().lower()}
        )
    return redirect(back)
