from __future__ import annotations

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies import access, audit
from agencies.errors import ApplicationError
from agencies.models import Action, Role

from .. import registry
from ..models import Hold


def may_hold_any(actor: access.Actor) -> bool:
    """An administrator holds any agency's record; a lead only their own agency's (docs/retention.md)."""
    return actor.role == Role.ADMIN


def holdable(user, *, kind_label: str, object_id: int):
    """The record, if `user` may hold it: any agency's for an administrator, their own agency's for a lead.
    None for one that does not exist and for one the user may not hold alike."""
    actor = access.require_actor(user)
    model = registry.holdable_models().get(kind_label)
    if model is None or not 0 < object_id < 2**63:
        return None
    obj = model._base_manager.filter(pk=object_id).first()
    if obj is None or not (may_hold_any(actor) or (actor.is_lead and access.owns(user, obj))):
        return None
    return obj


@transaction.atomic
def hold_place(*, acting_user, kind_label: str, object_id: int, reason: str, ends_on: date) -> Hold:
    """Stop the retention rules from removing one record until `ends_on`. Logged as a change of the record."""
    actor = access.require_actor(acting_user)
    if not (actor.is_lead or may_hold_any(actor)):
        raise ApplicationError(_("Endast chefer och administratörer kan undanta poster från gallring."), code="role")
    obj = holdable(acting_user, kind_label=kind_label, object_id=object_id)
    if obj is None:
        # The same answer for a record that does not exist and one of another agency a lead may not hold.
        raise ApplicationError(_("Det finns ingen sådan post som du kan undanta."), code="not_found")
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("Ange skälet till undantaget."), code="reason_required")
    if ends_on < timezone.localdate():
        raise ApplicationError(_("Slutdatum får inte ligga i det förflutna."), code="ends_in_past")
    hold = Hold.objects.create(
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=obj.pk,
        owner_agency_id=obj.owner_agency_id,
        reason=reason,
        ends_on=ends_on,
        placed_by=acting_user,
    )
    audit.record(
        user=acting_user,
        agency_id=actor.agency_id,
        action=Action.CHANGE,
        model=type(obj),
        objects=[obj],
        detail={"retention_hold": hold.pk, "ends_on": ends_on.isoformat(), "reason": reason},
    )
    return hold
