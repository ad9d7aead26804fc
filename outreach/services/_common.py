"""Small pieces every outreach service shares: the log row, the visibility checks of what a form names, and
the one way an owner brings other agencies in (a share on the legal basis the owner chose)."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from agencies import access, audit
from agencies.errors import ApplicationError
from agencies.models import Agency, LegalBasis, ProtectedModel, ShareLevel
from cases.services._common import bump_version, require_owner, required_text

from ..models import SpeakerRole

__all__ = [
    "set_speakers",
    "bump_version",
    "log",
    "name_agencies",
    "require_owner",
    "require_visible",
    "required_text",
]


def log(actor, acting_user, action, model, obj, **detail) -> None:
    audit.record(user=acting_user, agency_id=actor.agency_id, action=action, model=model, objects=[obj], detail=detail)


def require_visible(acting_user, objs: Iterable[ProtectedModel], message: str) -> None:
    """Every record a form or an API call names must be visible to the caller; an invisible one gets the
    same refusal as a missing one."""
    for obj in objs:
        if obj is None or not access.can(acting_user, obj, "view"):
            raise ApplicationError(message, code="not_found")


def name_agencies(
    obj: ProtectedModel,
    *,
    field: str,
    agencies: Iterable[Agency],
    legal_basis: LegalBasis | None,
    assessment: str = "",
    acting_user,
    level: str = ShareLevel.VIEW,
    basis_message: str,
) -> None:
    """Set the agencies the owner names on `obj` (hosts, a team, participants), each with access to it.

    An agency that is newly named gets a share of `obj` on `legal_basis` through the gate's register (the
    owner's decision, logged); an agency no longer named loses the share this service gave it. Who may see
    the record is always the register's answer: the named list only says who the owner named.
    """
    actor = access.require_actor(acting_user)
    wanted = {a.pk: a for a in agencies if a.pk != actor.agency_id}
    relation = getattr(obj, field)
    before = set(relation.values_list("pk", flat=True))
    added = [agency for pk, agency in wanted.items() if pk not in before]
    if added and legal_basis is None:
        raise ApplicationError(basis_message, code="legal_basis_required")
    current = {share.to_agency_id: share for share in access.shares_of(obj).active()}
    for agency in added:
        if agency.pk not in current:
            access.share(
                obj,
                to_agency=agency,
                level=level,
                legal_basis=legal_basis,
                assessment=assessment,
                acting_user=acting_user,
            )
    for pk in before - set(wanted):
        share = current.get(pk)
        if share is not None and access.may_revoke(acting_user, share):
            access.revoke(share, acting_user=acting_user, reason=_("Myndigheten är inte längre med."))
    relation.set(list(wanted.values()))


def set_speakers(relation, speakers: Iterable[dict], *, message: str) -> None:
    """Replace the speakers of a call-in or a notification (`relation`: its `speakers` manager). Rows without
    a name are left out (the form's empty rows)."""
    rows = []
    for position, speaker in enumerate(speakers):
        name = (speaker.get("name") or "").strip()
        if not name:
            continue
        if speaker.get("role") not in SpeakerRole.values:
            raise ApplicationError(message, code="speaker_role")
        rows.append(
            relation.model(
                **{relation.field.name: relation.instance}, name=name, role=speaker["role"], position=position
            )
        )
    relation.all().delete()
    relation.model.objects.bulk_create(rows)
