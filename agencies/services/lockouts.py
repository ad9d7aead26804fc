"""Lifting a login lockout (django-axes) of one of the lead's own users; logged in the access log."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from .. import audit
from ..access import Actor
from ..errors import ApplicationError
from ..models import Action


@transaction.atomic
def lockout_lift(*, actor: Actor, acting_user, username: str, ip_address: str | None) -> int:
    """Lift the lockout of `username` from `ip_address`; only a lead, only for their own agency's users."""
    from axes.utils import reset

    if not actor.is_lead:
        raise ApplicationError(_("Bara en chef kan låsa upp konton."), code="lead_required")
    user = get_user_model().objects.filter(username=username, membership__agency_id=actor.agency_id).first()
    if user is None:
        raise ApplicationError(_("Användaren finns inte på din myndighet."), code="not_in_agency")
    removed = reset(ip=ip_address, username=username)
    audit.record(
        user=acting_user,
        agency_id=actor.agency_id,
        action=Action.UNLOCK,
        model=type(user),
        objects=[user],
        detail={"username": username, "ip_address": ip_address},
    )
    return removed
