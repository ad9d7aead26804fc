from functools import wraps

from django.shortcuts import render

from agencies.views.decorators import agency_member_required

from ..services.holds import may_hold_any


def lead_or_admin_required(view):
    """Signed in as an agency lead or an administrator; others get a 403 page saying so."""

    @agency_member_required
    @wraps(view)
    def wrapper(request, *args, actor, **kwargs):
        if not (actor.is_lead or may_hold_any(actor)):
            return render(request, "retention/lead_required.html", status=403)
        return view(request, *args, actor=actor, **kwargs)

    return wrapper
