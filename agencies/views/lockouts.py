"""A lead's page of their own agency's locked-out users, where each lockout can be lifted.

Lockouts of another agency's users, or of usernames that belong to no one, are never shown here, and lifting
one answers 404 — the same as a lockout that does not exist.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies import selectors, services

from .decorators import lead_required


@lead_required
def lockout_list(request, *, actor):
    lockouts = selectors.lockouts_for_agency(agency_id=actor.agency_id)
    return render(request, "agencies/lockouts.html", {"lockouts": lockouts, "actor": actor})


@lead_required
@require_POST
def lockout_lift(request, pk: int, *, actor):
    attempt = selectors.lockout_attempt(agency_id=actor.agency_id, attempt_id=pk)
    if attempt is None:
        raise Http404
    services.lockout_lift(
        actor=actor, acting_user=request.user, username=attempt.username, ip_address=attempt.ip_address
    )
    messages.success(request, _("Kontot %(username)s är upplåst.") % {"username": attempt.username})
    return redirect("lockout-list")
