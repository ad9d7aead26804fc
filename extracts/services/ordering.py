"""Ordering a register extract and handing out its files. Both are written to the access log."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from agencies import access, audit
from agencies.errors import ApplicationError
from agencies.models import Action, Role
from cases.models import Individual

from ..models import RegisterExtract

# Who orders an extract: the people who work with the agency's records. Not an integration account (a partner
# system has no use for a person's extract) and not an administrator (no case data by default).
ORDERING_ROLES = (Role.CASEWORKER, Role.LEAD)


def may_order(user) -> bool:
    """Whether the user's role may order an extract at all (the person page asks this). No query."""
    actor = access.actor_for(user)
    return actor is not None and actor.role in ORDERING_ROLES


@transaction.atomic
def extract_order(*, acting_user, individual: Individual) -> RegisterExtract:
    """Order an extract of what the acting user's agency holds about `individual`; a worker produces it.

    The caller found the person through the gate; it is asked again here, so no other path can order an extract
    about a person the agency may not see.
    """
    actor = access.require_actor(acting_user)
    if not may_order(acting_user):
        raise ApplicationError(_("Bara handläggare och chefer kan beställa registerutdrag."), code="role_not_allowed")
    if not access.can(acting_user, individual):
        raise ApplicationError(_("Personen finns inte."), code="not_found")
    extract = RegisterExtract.objects.create(
        owner_agency_id=actor.agency_id, individual=individual, ordered_by=acting_user
    )
    audit.record(
        user=acting_user,
        agency_id=actor.agency_id,
        action=Action.CREATE,
        model=RegisterExtract,
        objects=[extract],
        detail={"individual": individual.pk},
    )
    from ..tasks import produce_extract

    transaction.on_commit(lambda: produce_extract.delay(extract.pk))
    return extract


FORMATS = {"pdf": "application/pdf", "json": "application/json"}


def extract_download(*, acting_user, extract: RegisterExtract, fmt: str) -> bytes:
    """The file of a finished extract, its hand-out logged (who, which extract, which format)."""
    actor = access.require_actor(acting_user)
    if fmt not in FORMATS or extract.status != RegisterExtract.Status.DONE:
        raise ApplicationError(_("Utdraget är inte klart."), code="not_ready")
    if extract.files_removed_at is not None:
        raise ApplicationError(_("Utdragets filer är gallrade."), code="files_removed")
    audit.record(
        user=acting_user,
        agency_id=actor.agency_id,
        action=Action.VIEW,
        model=RegisterExtract,
        objects=[extract],
        detail={"download": fmt, "individual": extract.individual_id},
    )
    return bytes(extract.pdf if fmt == "pdf" else extract.json)
