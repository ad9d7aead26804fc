"""Reads for the home page: the persons the user worked with lately and the shares to (and, for a lead, from)
the agency. Every person named on it is read through the gate (`access.visible`), so a revoked share
disappears at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Max
from django.utils import timezone

from .. import access, audit
from ..access import Actor
from ..models import AccessLogTarget, Action, Share
from .records import PERSON_KEYED_LABELS, PERSON_LABEL, person_model, record_type_label

HOME_LIMIT = 10
# What counts as "I worked with this person": not LIST, or every page showing a person would keep it recent.
RECENT_ACTIONS = (Action.CREATE, Action.VIEW, Action.CHANGE)


@dataclass
class ShareRow:
    share: Share
    kind: str
    # The person the shared record is about, when its id is a person's id; else None (no person link).
    person_id: int | None
    # The person row, when the user may see it (fetched through the gate), else None.
    person: Any = None
    revoke_form: Any = None

    @property
    def status(self) -> str:
        """active, revoked (by a person) or expired (past its end date, closed by the task or not yet)."""
        share = self.share
        lapsed = share.expires_at is not None and share.expires_at <= (share.revoked_at or timezone.now())
        if share.revoked_at is not None and not (lapsed and share.revoked_by_id is None):
            return "revoked"
        return "expired" if lapsed else "active"


@dataclass
class HomePage:
    recent_persons: list = field(default_factory=list)
    received: list[ShareRow] = field(default_factory=list)
    # None for anyone but a lead: only leads see what their agency disclosed.
    made: list[ShareRow] | None = None


def recent_person_ids(*, user, limit: int = HOME_LIMIT) -> list[int]:
    """The persons this user most recently created, read or changed, newest first, from the access log.

    Only ids: whether the user may still see them is decided by the gate afterwards.
    """
    rows = (
        AccessLogTarget.objects.filter(entry__user=user, entry__action__in=RECENT_ACTIONS, model=PERSON_LABEL)
        .values("object_id")
        .annotate(last_at=Max("entry__at"))
        .order_by("-last_at", "-object_id")[:limit]
    )
    return [row["object_id"] for row in rows]


def _share_rows(qs: models.QuerySet[Share]) -> list[ShareRow]:
    rows = []
    for share in qs:
        label = f"{share.content_type.app_label}.{share.content_type.model}"
        rows.append(
            ShareRow(
                share=share,
                kind=record_type_label(label),
                person_id=share.object_id if label in PERSON_KEYED_LABELS else None,
            )
        )
    return rows


def shares_received(*, agency_id: int, limit: int = HOME_LIMIT) -> list[ShareRow]:
    """Active disclosures to the agency, newest first (index: to_agency, -decided_at)."""
    qs = (
        Share.objects.active()
        .filter(to_agency_id=agency_id)
        .select_related("from_agency", "legal_basis", "content_type")
        .order_by("-decided_at", "-id")[:limit]
    )
    return _share_rows(qs)


def shares_made(*, agency_id: int, limit: int = HOME_LIMIT) -> list[ShareRow]:
    """The agency's own disclosures, active or not, newest first (index: from_agency, -decided_at)."""
    qs = (
        Share.objects.filter(from_agency_id=agency_id)
        .select_related("to_agency", "legal_basis", "content_type")
        .order_by("-decided_at", "-id")[:limit]
    )
    return _share_rows(qs)


def home_page(*, user, actor: Actor) -> HomePage:
    """Everything the home page shows. The persons named on it are read through the gate and logged once.

    A constant number of queries whatever the number of rows: recent ids, received shares, (a lead's) made
    shares, then one gated fetch of every person the page names, then the log entry and its targets.
    """
    recent_ids = recent_person_ids(user=user)
    page = HomePage(received=shares_received(agency_id=actor.agency_id))
    if actor.is_lead:
        page.made = shares_made(agency_id=actor.agency_id)
    share_rows = [*page.received, *(page.made or [])]

    wanted = dict.fromkeys([*recent_ids, *(row.person_id for row in share_rows if row.person_id is not None)])
    if not wanted:
        return page
    Individual = person_model()
    # At most 3 × HOME_LIMIT ids, so a literal IN list is fine here (docs/performance.md's "no Python list of
    # ids" is about unbounded lists). The gate decides: a person whose share was revoked is simply not returned.
    persons = {
        person.pk: person
        for person in access.visible(user, Individual)
        .filter(pk__in=list(wanted))
        .select_related("district", "owner_agency")
    }
    page.recent_persons = [persons[pk] for pk in recent_ids if pk in persons]
    for row in share_rows:
        row.person = persons.get(row.person_id) if row.person_id is not None else None

    shown = [persons[pk] for pk in wanted if pk in persons]
    if shown:
        audit.record_list(user=user, agency_id=actor.agency_id, model=Individual, objects=shown)
    return page
