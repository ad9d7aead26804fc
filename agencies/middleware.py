import uuid
from urllib.parse import urlencode

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from . import second_factor
from .context import audit_context
from .models.audit import Via


def _request_id(header: str | None) -> uuid.UUID:
    # Honour a proxy's X-Request-ID when it is a UUID, so log rows can be matched with the proxy's logs.
    try:
        return uuid.UUID(header) if header else uuid.uuid4()
    except ValueError:
        return uuid.uuid4()


class RequestContextMiddleware:
    """Tags everything done during a request with its request id and whether it came via UI or API."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        via = Via.API if request.path.startswith("/api/") else Via.UI
        with audit_context(via, _request_id(request.headers.get("X-Request-ID"))) as ctx:
            request.request_id = ctx.request_id
            response = self.get_response(request)
        response["X-Request-ID"] = str(ctx.request_id)
        return response


# Reachable while the second factor is still owed: signing in and out, the language switch, the static files
# and the health check. The enrolment page is reachable only by whom it concerns (see below).
OPEN_PREFIXES = ("/logga-in/", "/logga-ut/", "/i18n/", "/static/", "/health/")


class SecondFactorMiddleware:
    """A signed-in session that owes a second factor reaches nothing else until it is given.

    A user with a device is sent to enter a code; a lead or administrator without one to enrol. Pages get
    a redirect (htmx a whole-page one), the API's session path a 403 saying why. A call with a bearer token
    is not this session's: token authentication (integration accounts) is untouched. Runs after
    django_otp's OTPMiddleware, which tells whether the session is verified.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            not user.is_authenticated
            or request.path.startswith(OPEN_PREFIXES)
            or request.headers.get("Authorization", "").lower().startswith("bearer ")
            or user.is_verified()
        ):
            return self.get_response(request)
        owed = second_factor.needed(request)
        if owed is None:
            return self.get_response(request)
        target = reverse("second-factor-verify" if owed == "verify" else "second-factor")
        if request.path == target:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            message = (
                _("Tvåstegsverifiering krävs. Logga in i webbläsaren och ange engångskoden först.")
                if owed == "verify"
                else _("Tvåstegsverifiering krävs för din roll. Aktivera den i webbläsaren under Tvåstegsverifiering.")
            )
            return JsonResponse({"detail": message, "code": "second_factor_required"}, status=403)
        url = f"{target}?{urlencode({'next': request.get_full_path()})}"
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(url)
        return redirect(url)
