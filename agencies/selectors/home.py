"""Reads for the home page: what was disclosed to the agency (unread marked, per user), the persons the user
worked with lately, and for a lead what the agency disclosed and which disclosures run out within 30 days.
The parts other apps own (my tasks, my cases, the agency's overdue tasks) come from agencies.extensions.

Every record named on the page is read through the gate (`access.visible`), so a revoked share disappears at
once, and a disclosure of a record the user may not see (a link record whose ends are not visible, a share to
a named colleague) is not shown at all. Titles and addresses come from the apps that own the records
(agencies.record_kinds, which the access log names records by too).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db import models
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone

from .. import access, audit, record_kinds
from ..access import Actor
from ..models import AccessLogTarget, Action, SeenShare, Share
from .records import PERSON_LABEL, person_model, record_type_label

HOME_LIMIT = 10
EXPIRING_WITHIN = timedelta(days=30)
# What counts as "I worked with this person": not LIST, or every page showing a person would keep it recent.
RECENT_ACTIONS = (Action.CREATE, Action.VIEW, Action.CHANGE)


@dataclass
class ShareRow:
    share: Share
    kind: str
    # The disclosed record, read through the gate; None when the user may not see it (the row is then left out
    # of what was disclosed to the agency; a lead's own disclosures keep the row, without a title).
    record: Any = None
    title: str = ""
    url: str = ""
    # Only for disclosures to the agency: whether this user has not yet opened it.
    unread: bool = False
    # Whether the user's agency made this disclosure (a lead's lists show both directions).
    outgoing: bool = False
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
    # None for anyone but a lead: only leads see what their agency disclosed and what runs out.
    made: list[ShareRow] | None = None
    expiring: list[ShareRow] | None = None

    @property
    def unread_count(self) -> int:
        return sum(1 for row in self.received if row.unread)


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


def _to_me(actor: Actor) -> Q:
    # A share to one named user of the agency (a mentor) is that user's alone: a colleague sees no trace of it.
    return Q(to_agency_id=actor.agency_id) & (Q(to_user__isnull=True) | Q(to_user_id=actor.user_id))


def _rows(qs: models.QuerySet[Share], **kw) -> list[ShareRow]:
    rows = []
    for share in qs:
        label = f"{share.content_type.app_label}.{share.content_type.model}"
        rows.append(ShareRow(share=share, kind=record_type_label(label), **kw))
    return rows


def shares_received(*, user, actor: Actor, limit: int = HOME_LIMIT) -> list[ShareRow]:
    """Active disclosures to the agency (or to this user by name), newest first, each marked unread until this
    user opens it (index: to_agency, -decided_at; the marks by the unique (user, share))."""
    seen = SeenShare.objects.filter(user_id=actor.user_id, share=OuterRef("pk"))
    qs = (
        Share.objects.active()
        .filter(_to_me(actor))
        .annotate(seen=Exists(seen))
        .select_related("from_agency", "legal_basis", "content_type")
        .order_by("-decided_at", "-id")[:limit]
    )
    rows = []
    for row in _rows(qs):
        row.unread = not row.share.seen  # type: ignore[attr-defined]  # annotated above
        rows.append(row)
    return rows


def shares_made(*, agency_id: int, limit: int = HOME_LIMIT) -> list[ShareRow]:
    """The agency's own disclosures, active or not, newest first (index: from_agency, -decided_at)."""
    qs = (
        Share.objects.filter(from_agency_id=agency_id)
        .select_related("to_agency", "legal_basis", "content_type")
        .order_by("-decided_at", "-id")[:limit]
    )
    return _rows(qs, outgoing=True)


def shares_expiring(*, actor: Actor, limit: int = HOME_LIMIT) -> list[ShareRow]:
    """Active disclosures from or to the agency whose end date falls within 30 days, soonest first."""
    now = timezone.now()
    qs = (
        Share.objects.active(now)
        .filter(Q(from_agency_id=actor.agency_id) | _to_me(actor))
        .filter(expires_at__lte=now + EXPIRING_WITHIN)
        .select_related("from_agency", "to_agency", "legal_basis", "content_type")
        .order_by("expires_at", "id")[:limit]
    )
    rows = _rows(qs)
    for row in rows:
        row.outgoing = row.share.from_agency_id == actor.agency_id
    return rows


def _name_records(user, actor: Actor, rows: list[ShareRow], persons: dict[int, Any]) -> dict[type, list]:
    """Fill each row's record, title and address through the gate: one query per kind of record on the page
    (bounded by the kinds, not the rows). Returns the records named, by model, for the log."""
    wanted: dict[int, set[int]] = defaultdict(set)
    for row in rows:
        wanted[row.share.content_type_id].add(row.share.object_id)
    named: dict[type, list] = defaultdict(list)
    Individual = person_model()
    for ct_id, ids in wanted.items():
        content_type = next(row.share.content_type for row in rows if row.share.content_type_id == ct_id)
        kind = record_kinds.kind_for(f"{content_type.app_label}.{content_type.model}")
        if kind is None:
            continue
        model = kind.model
        if model is Individual and ids <= persons.keys():
            found = {pk: persons[pk] for pk in ids}  # already read through the gate for "my recent persons"
        else:
            # At most a page of ids (HOME_LIMIT per list), so a literal IN list is fine here.
            found = {
                obj.pk: obj for obj in access.visible(user, model, queryset=kind.queryset(user)).filter(pk__in=ids)
            }
        for row in rows:
            obj = found.get(row.share.object_id) if row.share.content_type_id == ct_id else None
            if obj is not None:
                row.record, row.title, row.url = obj, str(kind.title(obj)), kind.url(obj) or ""
        named[model].extend(found.values())
    return named


def home_page(*, user, actor: Actor) -> HomePage:
    """Everything the agencies part of the home page shows, read through the gate and logged once per kind.

    A number of queries that does not grow with the rows: recent ids, shares received, (a lead's) shares made
    and expiring, the recent persons through the gate, one gated read per kind of record the shares name, and
    a log entry with its targets per kind named.
    """
    page = HomePage(received=shares_received(user=user, actor=actor))
    if actor.is_lead:
        page.made = shares_made(agency_id=actor.agency_id)
        page.expiring = shares_expiring(actor=actor)

    recent_ids = recent_person_ids(user=user)
    Individual = person_model()
    persons: dict[int, Any] = {}
    if recent_ids:
        persons = {
            person.pk: person
            for person in access.visible(user, Individual)
            .filter(pk__in=recent_ids)
            .select_related("district", "owner_agency")
        }
    page.recent_persons = [persons[pk] for pk in recent_ids if pk in persons]

    named = _name_records(user, actor, [*page.received, *(page.made or []), *(page.expiring or [])], persons)
    # What was disclosed to the agency is shown only where the user may see the record (the gate decides).
    page.received = [row for row in page.received if row.record is not None]
    if page.expiring is not None:
        page.expiring = [row for row in page.expiring if row.record is not None or row.outgoing]

    named[Individual] = list({p.pk: p for p in [*page.recent_persons, *named.get(Individual, [])]}.values())
    for model, objects in named.items():
        if objects:
            audit.record_list(user=user, agency_id=actor.agency_id, model=model, objects=objects)
    return page
