"""What the person pages share besides the gate itself."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_htmx.http import HttpResponseClientRedirect

# Signed in (else the login page) and working for an active agency (else a 403 page saying so); the view
# receives the resolved `actor`. One decorator for every app's pages.
from agencies.views.decorators import agency_member_required as member_required

__all__ = ["error_summary", "forbidden", "htmx_login_redirect", "member_required"]


def forbidden(request: HttpRequest, message: str, *, back_url: str = "", back_label: str = "") -> HttpResponse:
    """403 for a record the user may see but not act on. (A record they may not see is a 404, never this.)

    `back_url` leads back to the record (default: the person list)."""
    context = {"message": message, "back_url": back_url, "back_label": back_label}
    return render(request, "cases/forbidden.html", context, status=403)


def error_summary(*forms) -> dict:
    """Context for templates/_partials/error_summary.html: the page's forms and whether any failed."""
    present = [form for form in forms if form is not None]
    return {"forms": present, "has_errors": any(form.is_bound and form.errors for form in present)}


def htmx_login_redirect(view):
    """Send an htmx request whose session has expired to the login page as a whole page.

    A plain redirect would be followed inside the XMLHttpRequest and the login form swapped into the
    results region; HX-Redirect makes htmx load the login page in the window instead.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if getattr(request, "htmx", False) and not request.user.is_authenticated:
            return HttpResponseClientRedirect(redirect_to_login(request.get_full_path()).url)
        return view(request, *args, **kwargs)

    return wrapper
