"""One person, as much of them as the user may see, and for the owner agency its disclosure register."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from agencies import access
from agencies.access import Actor
from agencies.forms import ShareRevokeForm

from .. import selectors
from ..models import Individual
from ..personnummer import display, is_coordination_number
from ._common import member_required


@require_GET
@member_required
def individual_detail(request: HttpRequest, pk: int, *, actor: Actor) -> HttpResponse:
    person = access.get_or_404(request.user, Individual, pk, queryset=selectors.individual_base())  # logged
    # None both when there are no details and when they are not shared with this user: the page must not
    # tell the two apart, so the template shows nothing at all about identity in either case.
    identity = selectors.identity_for(user=request.user, individual=person)  # logged when found
    is_owner = person.owner_agency_id == actor.agency_id
    shares = []
    if is_owner:
        now = timezone.now()
        shares = [_share_row(record, "individual", now) for record in access.shares_of(person)]
        if identity is not None:
            shares += [_share_row(record, "identity", now) for record in access.shares_of(identity)]
        shares.sort(key=lambda row: row["record"].decided_at, reverse=True)
    number = identity.personnummer if identity is not None else ""
    return render(
        request,
        "cases/individual_detail.html",
        {
            "person": person,
            "identity": identity,
            "identity_number": display(number) if number else "",
            "identity_is_coordination_number": bool(number) and is_coordination_number(number),
            "is_owner": is_owner,
            "can_change": access.can(request.user, person, "change"),
            "shares": shares,
        },
    )


def _share_row(record, what: str, now) -> dict:
    lapsed = record.expires_at is not None and record.expires_at <= (record.revoked_at or now)
    if record.revoked_at is not None and not (lapsed and record.revoked_by_id is None):
        status = "revoked"
    elif lapsed:
        # Past its end date, whether or not the nightly task has closed the register row yet.
        status = "expired"
    else:
        status = "active"
    row = {"record": record, "what": what, "status": status}
    if status == "active":
        # One form per row: auto_id keeps the ids unique on the page (each label points at one textarea).
        row["revoke_form"] = ShareRevokeForm(auto_id=f"revoke-{record.pk}-%s")
    return row
