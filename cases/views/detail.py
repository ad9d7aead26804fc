"""One person, as much of them as the user may see, and for the owner agency its disclosure register."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from agencies import access, audit
from agencies.access import Actor

from .. import extensions, selectors
from ..models import ExitCase, GroupMembership, IncidentPerson, Individual
from ..personnummer import display, is_coordination_number
from ._common import member_required
from .share import share_rows


@require_GET
@member_required
def individual_detail(request: HttpRequest, pk: int, *, actor: Actor) -> HttpResponse:
    person = access.get_or_404(request.user, Individual, pk, queryset=selectors.individual_base())  # logged
    # None both when there are no details and when they are not shared with this user: the page must not
    # tell the two apart, so the template shows nothing at all about identity in either case.
    identity = selectors.identity_for(user=request.user, individual=person)  # logged when found
    is_owner = access.owns(request.user, person)
    shares = []
    if is_owner:
        now = timezone.now()
        shares = share_rows(access.shares_of(person), "individual", now)
        if identity is not None:
            shares += share_rows(access.shares_of(identity), "identity", now)
        shares.sort(key=lambda row: row["record"].decided_at, reverse=True)
    number = identity.personnummer if identity is not None else ""
    registry = _registry_rows(request.user, actor, person)
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
            # What other apps show about the person (outreach: the messages delivered), each through the gate.
            "sections": extensions.person_page.render(request.user, actor, person),
            **registry,
        },
    )


def _registry_rows(user, actor: Actor, person: Individual) -> dict:
    """The person's group memberships, incident involvement and exit cases, each only where visible (the link itself
    and the record at its other end); the rows shown are logged like any list read."""
    memberships = list(selectors.person_memberships(user, person))
    incidents = list(selectors.person_incidents(user, person))
    cases = selectors.person_cases(user, person)  # only those the user's agency takes part in; one query
    for case in cases:
        case.individual = person  # the log row's person, with no query per case
    for model, rows in ((GroupMembership, memberships), (IncidentPerson, incidents), (ExitCase, cases)):
        if rows:
            audit.record_list(user=user, agency_id=actor.agency_id, model=model, objects=rows)
    return {"memberships": memberships, "involvements": incidents, "cases": cases, "today": timezone.localdate()}
