"""One decision for one situation, from a joint case (docs/access-model.md, "One decision for one situation").

The case's lead agency discloses the case header, the person and chosen entries (any kind registered in
cases.bundle_parts) to one agency on one basis, with one assessment: one register row per record, all or
nothing (agencies.services.bundles.share_bundle), each row revocable on its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.utils.translation import gettext as _

from agencies import access
from agencies.errors import ApplicationError
from agencies.models import Agency, LegalBasis, ProtectedModel, ShareBundle
from agencies.services import bundles

from .. import bundle_parts, shareables
from ..models import ExitCase, IdentityDetails


def _service_for(obj: ProtectedModel):
    """The service that discloses one record of this kind (a case entry only to a participant of its case);
    access.share for a kind with no service of its own. Each takes access.share's keyword arguments."""
    entry = shareables.for_model(type(obj))
    if entry is None or entry.disclose is None or isinstance(obj, IdentityDetails):
        return access.share
    return entry.disclose


def case_disclose(
    *,
    case: ExitCase,
    keys: Sequence[str],
    to_agency: Agency,
    level: str,
    legal_basis: LegalBasis | None,
    acting_user,
    assessment: str = "",
    consent=None,
    expires_at: datetime | None = None,
) -> ShareBundle:
    """Disclose the case's records named by `keys` ("exit_case:3", "case_entry:12", …; bundle_parts) in one
    decision. Only the case's lead agency may; a key that is not among what it may disclose from this case is
    refused before anything is written, as is a basis that does not fit every record."""
    actor = access.require_actor(acting_user)
    if not access.owns(acting_user, case):
        raise ApplicationError(_("Endast den ansvariga myndigheten kan dela ärendet."), code="not_owner")
    offered = {part.key: part for _kind, found in bundle_parts.parts(acting_user, actor, case) for part in found}
    unknown = [key for key in keys if key not in offered]
    if unknown:
        raise ApplicationError(
            _("Uppgiften finns inte i ärendet eller kan inte delas av din myndighet: %(keys)s.")
            % {"keys": ", ".join(unknown)},
            code="not_in_case",
        )
    # In the registered order (the header first, so the receiver takes part in the case before its entries).
    chosen = set(keys)
    records = [part.target for part in offered.values() if part.key in chosen]
    return bundles.share_bundle(
        records,
        to_agency=to_agency,
        level=level,
        legal_basis=legal_basis,
        assessment=assessment,
        consent=consent,
        acting_user=acting_user,
        expires_at=expires_at,
        disclose=_service_for,
    )
