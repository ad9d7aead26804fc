from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from agencies.models import ApiToken, Role
from agencies.models.token import hash_token

# Writing last_used_at on every call would turn each read into a write; once a minute is enough to audit.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def _is_integration(user) -> bool:
    # Checked on every call, not only at issue: a user moved out of the integration role loses API access.
    membership = getattr(user, "membership", None)
    return membership is not None and membership.role == Role.INTEGRATION


class HashedTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer gvi_…` for integration users. Only the token's SHA-256 is stored."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Ogiltigt Authorization-huvud."))
        try:
            raw = header[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("Ogiltig nyckel.")) from None
        token = ApiToken.objects.select_related("user__membership__agency").filter(key_hash=hash_token(raw)).first()
        if token is None or not token.is_valid or not token.user.is_active or not _is_integration(token.user):
            raise exceptions.AuthenticationFailed(_("Ogiltig eller utgången nyckel."))
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword


class HashedTokenScheme(OpenApiAuthenticationExtension):
    target_class = "agencies.api.authentication.HashedTokenAuthentication"
    name = "bearerToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "Nyckel från `manage.py issue_token`."}
