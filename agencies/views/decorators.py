"""Who may open a page at all. What they may see on it is decided by agencies.access, never here."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from agencies import access


def agency_member_required(view):
    """Anonymous → the login page; a user with no active agency → a 403 page saying so (never a 500).

    The view receives the resolved `actor` as a keyword argument.
    """

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        actor = access.actor_for(request.user)
        if actor is None:
            return render(request, "agencies/no_agency.html", status=403)
        return view(request, *args, actor=actor, **kwargs)

    return wrapper


def lead_required(view):
    """Like agency_member_required, and only an agency lead (the access log is theirs alone)."""

    @agency_member_required
    @wraps(view)
    def wrapper(request, *args, actor, **kwargs):
        if not actor.is_lead:
            return render(request, "agencies/lead_required.html", status=403)
        return view(request, *args, actor=actor, **kwargs)

    return wrapper
