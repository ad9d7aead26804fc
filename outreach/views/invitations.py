"""Invitations: inviting a person to a call-in, the invitation page (with its reason where the user may see
it), the follow-up after the call-in (where "asked for help" opens one exit-case request), and the reason."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from agencies import access
from agencies.access import Actor
from agencies.errors import ApplicationError
from cases.models import ExitCase
from cases.views.share import share_rows

from .. import selectors, services
from ..forms.callins import FollowUpForm, InvitationForm, ReasonForm
from ..models import CallIn, Invitation
from ..selectors.callins import with_visible_ends
from ._common import edit_with_conflict, error_summary, field_for, forbidden, member_required

INVITE_ERRORS = {
    "legal_basis_required": "legal_basis",
    "legal_basis_not_fitting": "legal_basis",
    "assessment_required": "assessment",
    "person_not_shared": "individual",
    "duplicate": "individual",
    "not_found": "individual",
    "reason_kind": "reason_kind",
}


def _invitation(request: HttpRequest, pk: int, *, log: bool = True) -> Invitation:
    """The invitation, only where the user may see it and both its ends (404 otherwise)."""
    return access.get_or_404(request.user, Invitation, pk, queryset=with_visible_ends(request.user), log=log)


@require_http_methods(["GET", "POST"])
@member_required
def invitation_create(request: HttpRequest, pk: int, *, actor: Actor) -> HttpResponse:
    call_in = access.get_or_404(request.user, CallIn, pk, queryset=selectors.call_in_base())  # logged
    foreign = not access.owns(request.user, call_in)
    data = request.POST if request.method == "POST" else None
    form = InvitationForm(data, user=request.user, foreign=foreign)
    if data is not None and form.is_valid():
        values = dict(form.cleaned_data)
        try:
            invitation = services.invitation_create(acting_user=request.user, call_in=call_in, **values)
        except ApplicationError as exc:
            form.add_error(field_for(exc, form, INVITE_ERRORS), exc.message)
        else:
            messages.success(request, _("%(person)s är inbjuden.") % {"person": invitation.individual.alias})
            if "another" in request.POST:
                return redirect("invitation-create", pk=call_in.pk)
            return redirect("call-in-detail", pk=call_in.pk)
    return render(
        request,
        "outreach/invitation_form.html",
        {"form": form, "call_in": call_in, "foreign": foreign, **error_summary(form)},
    )


@require_GET
@member_required
def invitation_detail(request: HttpRequest, pk: int, *, actor: Actor) -> HttpResponse:
    invitation = _invitation(request, pk)  # logged
    reason = selectors.reason_for(request.user, invitation)  # logged when found
    is_owner = access.owns(request.user, invitation)
    case = None
    if invitation.exit_case_id:
        case = access.find(request.user, ExitCase, invitation.exit_case_id, log=False)
    shares = []
    if is_owner:
        shares = share_rows(access.shares_of(invitation), "invitation")
        if reason is not None:
            shares += share_rows(access.shares_of(reason), "invitation_reason")
        shares.sort(key=lambda row: row["record"].decided_at, reverse=True)
    return render(
        request,
        "outreach/invitation_detail.html",
        {
            "invitation": invitation,
            "call_in": invitation.call_in,
            "reason": reason,
            "case": case,
            "is_owner": is_owner,
            "can_change": access.can(request.user, invitation, "change"),
            "shares": shares,
        },
    )


@require_http_methods(["GET", "POST"])
@member_required
def invitation_follow_up(request: HttpRequest, pk: int, *, actor: Actor) -> HttpResponse:
    invitation = _invitation(request, pk)
    back = reverse("invitation-detail", kwargs={"pk": invitation.pk})
    if not access.can(request.user, invitation, "change"):
        return forbidden(request, _("Du får läsa men inte ändra inbjudan."), back_url=back)

    def make_forms(invitation: Invitation, data):
        return (FollowUpForm(data, initial=FollowUpForm.initial_for(invitation)),)

    def save(invitation: Invitation, form: FollowUpForm) -> bool:
        data = form.cleaned_data
        services.invitation_follow_up(
            invitation=invitation,
            acting_user=request.user,
            expected_version=data["version"],
            accompanied_by=data["accompanied_by"],
            follow_up_on=data["follow_up_on"],
            # Unticking never withdraws a request that opened a case (the service says so).
            help_requested=True if data["help_requested"] else (False if invitation.help_requested else None),
        )
        return True

    return edit_with_conflict(
        request,
        invitation,
        make_forms=make_forms,
        save=save,
        done_url=lambda inv: reverse("invitation-detail", kwargs={"pk": inv.pk}),
        template="outreach/invitation_follow_up.html",
        context=lambda inv: {"invitation": inv, "call_in": inv.call_in},
    )


@require_http_methods(["GET", "POST"])
@member_required
def invitation_reason(request: HttpRequest, pk: int, *, actor: Actor) -> HttpResponse:
    invitation = _invitation(request, pk, log=False)
    back = reverse("invitation-detail", kwargs={"pk": invitation.pk})
    if not access.owns(request.user, invitation):
        return forbidden(request, _("Endast den inbjudande myndigheten kan ange skälet."), back_url=back)
    reason = selectors.reason_for(request.user, invitation)
    initial = {"kind": reason.kind, "text": reason.text} if reason is not None else None
    form = ReasonForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.reason_set(invitation=invitation, acting_user=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Skälet har sparats."))
            return redirect(back)
    return render(
        request,
        "outreach/invitation_reason_form.html",
        {"form": form, "invitation": invitation, "call_in": invitation.call_in, **error_summary(form)},
    )
