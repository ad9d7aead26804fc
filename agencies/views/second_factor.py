"""The second factor's pages: the code after the password, enrolment with recovery codes, and the step-up.

What is owed when is decided in agencies.second_factor and enforced by agencies.middleware; these pages
only ask for the code and say what happened.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from agencies import second_factor
from agencies.forms.auth import OneTimeCodeForm

WRONG_CODE = _("Koden stämmer inte. Kontrollera att klockan i telefonen går rätt och försök igen om en stund.")


def _next(request, default: str = "home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _code_form(request):
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if second_factor.verify(request, form.cleaned_data["code"]):
            return form, True
        form.add_error("code", WRONG_CODE)
    return form, False


@login_required
@require_http_methods(["GET", "POST"])
def verify(request):
    """After the password: the code, for a user who has a second factor."""
    if request.user.is_verified():
        return redirect(_next(request))
    if not second_factor.has_device(request.user):
        # Nothing to verify with (the device was removed): enrol, if the role needs it (the middleware says).
        request.session[second_factor.SESSION_ENROLLED] = False
        return redirect(_next(request))
    form, verified = _code_form(request)
    if verified:
        return redirect(_next(request))
    context = {"form": form, "next": _next(request, ""), "step_up": False}
    return render(request, "agencies/second_factor_verify.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def step_up(request):
    """A fresh code before sharing identity details (agencies.second_factor.step_up_fresh)."""
    if not request.user.is_verified():
        return redirect(_next(request))  # the middleware sends the session to enrol or verify first
    form, verified = _code_form(request)
    if verified:
        messages.success(request, _("Bekräftat. Du kan nu dela identitetsuppgifter en stund framåt."))
        return redirect(_next(request))
    context = {"form": form, "next": _next(request, ""), "step_up": True}
    return render(request, "agencies/second_factor_verify.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def manage(request):
    """Turn the second factor on (QR code, secret, confirm with a code) or renew the recovery codes.

    Reached unverified only by a user without a device (the middleware sends one with a device to verify
    first), so nobody holding only a password can enrol a device of their own in someone's account.
    """
    if request.user.is_verified():
        return _renew_recovery_codes(request)
    return _enrol(request)


def _renew_recovery_codes(request):
    user = request.user
    if request.method == "POST":
        codes = second_factor.recovery_codes_renew(user)
        return render(request, "agencies/second_factor_codes.html", {"codes": codes, "next": _next(request, "")})
    return render(request, "agencies/second_factor.html", {"codes_left": second_factor.recovery_codes_left(user)})


def _enrol(request):
    device = second_factor.totp_pending(request.user)
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = second_factor.totp_confirm(request, device, form.cleaned_data["code"])
        if codes is not None:
            return render(request, "agencies/second_factor_codes.html", {"codes": codes, "next": _next(request, "")})
        form.add_error("code", WRONG_CODE)
    context = {
        "form": form,
        "qr": second_factor.qr_data_uri(device),
        "secret": second_factor.secret_text(device),
        "required": second_factor.required_for(request.user),
        "next": _next(request, ""),
    }
    return render(request, "agencies/second_factor_enrol.html", context)
