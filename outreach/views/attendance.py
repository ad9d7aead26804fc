"""On the day: attendance with one tap per person (htmx swaps the row; a plain form without JavaScript), and
after the call-in the follow-up list (not yet contacted, asked for help, help started)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from agencies import access, audit
from agencies.access import Actor
from agencies.errors import ApplicationError

from .. import selectors, services
from ..models import CallIn, Invitation
from ..selectors.callins import with_visible_ends
from ._common import htmx_login_redirect, member_required


def _rows(request: HttpRequest, actor: Actor, call_in: CallIn) -> list[dict]:
    invitations = list(selectors.invitations(request.user, call_in))
    if invitations:
        audit.record_list(user=request.user, agency_id=actor.agency_id, model=Invitation, objects=invitations)
    changeable = access.can_each(request.user, invitations, "change")  # one query
    return [{"invitation": inv, "can_change": inv.pk in changeable} for inv in invitations]


def _open_for_marks(call_in: CallIn) -> bool:
    return (
        call_in.status != CallIn.Status.CANCELLED
        and timezone.localtime(call_in.starts_at).date() <= timezone.localdate()
    )


@require_GET
@member_required
def attendance(request: HttpRequest, pk: int, *, actor: Actor) -> HttpResponse:
    call_in = access.get_or_404(request.user, CallIn, pk, queryset=selectors.call_in_base())  # logged
    rows = _rows(request, actor, call_in)
    present = sum(1 for row in rows if row["invitation"].status == Invitation.Status.ATTENDED)
    return render(
        request,
        "outreach/attendance.html",
        {"call_in": call_in, "rows": rows, "present": present, "open": _open_for_marks(call_in)},
    )


@require_POST
@htmx_login_redirect
@member_required
def mark(request: HttpRequest, pk: int, *, actor: Actor) -> HttpResponse:
    invitation = access.get_or_404(request.user, Invitation, pk, queryset=with_visible_ends(request.user), log=False)
    status = request.POST.get("status", "")
    error = ""
    try:
        services.invitation_set_status(invitation=invitation, acting_user=request.user, status=status)
    except ApplicationError as exc:
        error = exc.message
    if getattr(request, "htmx", False):
        row = {"invitation": invitation, "can_change": access.can(request.user, invitation, "change")}
        return render(
            request,
            "outreach/_partials/attendance_row.html",
            {"row": row, "error": error, "open": _open_for_marks(invitation.call_in)},
        )
    if error:
        messages.error(request, error)
    return redirect(reverse("call-in-attendance", kwargs={"pk": invitation.call_in_id}) + f"#inv-{invitation.pk}")


@require_GET
@member_required
def follow_up(request: HttpRequest, pk: int, *, actor: Actor) -> HttpResponse:
    call_in = access.get_or_404(request.user, CallIn, pk, queryset=selectors.call_in_base())  # logged
    invitations = list(selectors.invitations(request.user, call_in))
    if invitations:
        audit.record_list(user=request.user, agency_id=actor.agency_id, model=Invitation, objects=invitations)
    return render(
        request,
        "outreach/follow_up.html",
        {"call_in": call_in, "follow": selectors.follow_up(request.user, invitations), "total": len(invitations)},
    )
