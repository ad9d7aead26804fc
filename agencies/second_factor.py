"""Two-factor login (django-otp): TOTP from an authenticator app, with recovery codes as the spare key.

Who needs it: leads and administrators (Membership role lead or admin, and Django staff and superusers)
cannot reach anything but the login, enrolment and logout pages until their session is verified with a
code; caseworkers may enrol and are then asked for a code at every login too. Integration accounts use API
tokens, which this does not touch.

- After the password, a user with a device verifies a code (`verify`); a user who must have one and has
  none enrols first (`totp_pending`, `totp_confirm`), gets ten recovery codes shown once, and is verified.
- Sharing identity details needs a *fresh* verification: a code entered within the last
  SECOND_FACTOR_STEP_UP_MINUTES (`step_up_fresh`). Signing in counts; after that, /konto/bekrafta/.
- Whether a user has a device is remembered in the session at login (`remember_enrolment`), so a request
  of a caseworker without one costs no query to find that out (agencies.middleware.SecondFactorMiddleware).
"""

from __future__ import annotations

import base64
import io
import time

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.qr import write_qrcode_image

from . import access
from .models import Role

SESSION_ENROLLED = "gvi_second_factor_enrolled"
SESSION_VERIFIED_AT = "gvi_second_factor_verified_at"
RECOVERY_CODES = 10
REQUIRED_ROLES = (Role.LEAD, Role.ADMIN)
TOTP_NAME = "Autentiseringsapp"
RECOVERY_NAME = "Reservkoder"


def required_for(user) -> bool:
    """Leads, administrators, staff and superusers must use a second factor; others may."""
    if user.is_superuser or user.is_staff:
        return True
    actor = access.actor_for(user)  # cached on the user for the rest of the request
    return actor is not None and actor.role in REQUIRED_ROLES


def has_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def remember_enrolment(sender, request, user, **kwargs) -> None:
    """user_logged_in: note in the session whether the user must verify a code (one query, at login only)."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_ENROLLED] = has_device(user)


def needed(request: HttpRequest) -> str | None:
    """What a signed-in, unverified session must do first: "verify", "enrol", or nothing (None)."""
    enrolled = request.session.get(SESSION_ENROLLED)
    if enrolled is None:  # a session from before this was remembered
        enrolled = request.session[SESSION_ENROLLED] = has_device(request.user)
    if enrolled:
        return "verify"
    return "enrol" if required_for(request.user) else None


def _mark_verified(request: HttpRequest, device) -> None:
    otp_login(request, device)
    request.session[SESSION_ENROLLED] = True
    request.session[SESSION_VERIFIED_AT] = time.time()


def verify(request: HttpRequest, token: str) -> bool:
    """Check a code from the app or a recovery code (used up); on success the session is verified now.

    django-otp throttles each device after a wrong code, so guessing is slow.
    """
    device = match_token(request.user, token.replace(" ", "").strip())
    if device is None:
        return False
    _mark_verified(request, device)
    return True


def step_up_fresh(request: HttpRequest) -> bool:
    """Whether the session was verified with a code within the last SECOND_FACTOR_STEP_UP_MINUTES."""
    user = request.user
    if not (user.is_authenticated and getattr(user, "is_verified", lambda: False)()):
        return False
    verified_at = request.session.get(SESSION_VERIFIED_AT) or 0
    return time.time() - verified_at <= settings.SECOND_FACTOR_STEP_UP_MINUTES * 60


# --- enrolment ------------------------------------------------------------------------------------------


def totp_pending(user) -> TOTPDevice:
    """The device being enrolled: an unconfirmed one, made once and kept until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)


def secret_text(device: TOTPDevice) -> str:
    """The secret as an authenticator app takes it by hand: base32, in groups of four."""
    raw = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def qr_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// link as a QR code, drawn here as SVG (no service outside the portal sees the secret)."""
    out = io.BytesIO()
    write_qrcode_image(device.config_url, out)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


@transaction.atomic
def totp_confirm(request: HttpRequest, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the pending device with a code from the app. Returns the new recovery codes, or None."""
    if device.confirmed or device.user_id != request.user.pk or not device.verify_token(token.replace(" ", "")):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    # One app per user: an earlier device (a lost phone) stops working when a new one is confirmed.
    TOTPDevice.objects.filter(user=request.user).exclude(pk=device.pk).delete()
    codes = recovery_codes_renew(request.user)
    _mark_verified(request, device)
    return codes


def recovery_codes_renew(user) -> list[str]:
    """Ten new single-use recovery codes, replacing any left. Only their holder sees them, once."""
    device, _created = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_NAME)
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _n in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# --- the demo ---------------------------------------------------------------------------------------------


def enrol_with_key(user, *, base32_key: str) -> TOTPDevice:
    """Give `user` a confirmed TOTP device with a known key (the demo leads). Idempotent."""
    key = base64.b32decode(base32_key.replace(" ", "")).hex()
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return TOTPDevice.objects.create(user=user, name=TOTP_NAME, key=key, confirmed=True)
    if device.key != key:
        device.key = key
        device.save(update_fields=["key"])
    return device


def current_code(device: TOTPDevice, at: float | None = None) -> str:
    """The code the app shows now for `device` (the demo's `manage.py demo_otp`; tests)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = at if at is not None else time.time()
    return str(totp.token()).zfill(device.digits)
