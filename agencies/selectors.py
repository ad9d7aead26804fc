"""Reads for the agencies pages: the home page and the agency's access log.

`agencies` imports no other app (DESIGN.md: imports point downward), yet the home page shows persons, who
live in `cases`. The person model is therefore asked for by name through the app registry
(`apps.get_model`) at call time: the dependency stays a runtime lookup rather than an import, and every
read of a person still goes through the gate (`access.visible`), so a revoked share disappears at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Max, Min, Q, Sum
from django.utils import timezone
from django.utils.text import capfirst

from . import access, audit
from .access import Actor
from .models import AccessLogEntry, AccessLogTarget, Action, DeniedAccess, ProtectedModel, Share

PERSON_LABEL = "cases.individual"
# Records whose primary key is the person's id: identity details share the person's primary key.
PERSON_KEYED_LABELS = frozenset({PERSON_LABEL, "cases.identitydetails"})
HOME_LIMIT = 10
# What counts as "I worked with this person": not LIST, or every page showing a person would keep it recent.
RECENT_ACTIONS = (Action.CREATE, Action.VIEW, Action.CHANGE)


def person_model() -> type[ProtectedModel]:
    return cast("type[ProtectedModel]", apps.get_model("cases", "Individual"))


def record_type_label(label: str) -> str:
    """'cases.individual' -> 'Person': the model's own (translated) name; the raw label if unknown."""
    try:
        return str(capfirst(apps.get_model(label)._meta.verbose_name))
    except (LookupError, ValueError):
        return label


# --- home page ----------------------------------------------------------------------------------------


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
    # At most 3 × HOME_LIMIT ids, so a literal IN list is fine here (DESIGN.md's "no Python id list" is about
    # unbounded lists). The gate decides: a person whose share was revoked is simply not returned.
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


# --- shares -----------------------------------------------------------------------------------------


def share_for_agency(*, actor: Actor, pk: int) -> Share | None:
    """A register row the agency is party to: the discloser (may revoke) or the recipient (may only see).

    Anyone else gets None, which the view turns into 404 — the same as a share that does not exist.
    """
    return (
        Share.objects.filter(Q(from_agency_id=actor.agency_id) | Q(to_agency_id=actor.agency_id), pk=pk)
        .select_related("from_agency", "to_agency")
        .first()
    )


# --- the access log ---------------------------------------------------------------------------------


def access_log_entries(*, agency_id: int) -> models.QuerySet[AccessLogEntry]:
    """The agency's own log, newest first (index: agency, -at). Other agencies' rows never appear."""
    return AccessLogEntry.objects.filter(agency_id=agency_id).select_related("user").order_by("-at", "-id")


def agency_users(*, agency_id: int) -> models.QuerySet:
    """The users of one agency, for the access log's user filter."""
    return get_user_model().objects.filter(membership__agency_id=agency_id).order_by("username")


def access_log_rows(entries) -> list[AccessLogEntry]:
    """Decorate a page of entries for display (no queries)."""
    rows = list(entries)
    labels: dict[str, str] = {}
    for entry in rows:
        if entry.model not in labels:
            labels[entry.model] = record_type_label(entry.model)
        entry.record_type = labels[entry.model]
    return rows


def start_of_day(day) -> datetime:
    """Midnight at the start of `day` in the current time zone (Europe/Stockholm), as an aware datetime."""
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


# --- refused attempts ---------------------------------------------------------------------------------


def denied_access_per_user(*, agency_id: int) -> models.QuerySet:
    """Attempts on the agency's records that the gate refused, as one count per trying user.

    Only the owner's leads see this, and only the count: not which records, so the page discloses nothing
    about them that the trier could learn through a colleague. Rows for ids that exist nowhere (no owner)
    show on no page. One grouped query (index: owner_agency, -last_at), plus the paginator's count.
    """
    return (
        DeniedAccess.objects.filter(owner_agency_id=agency_id)
        .values("user_id", "user__username", "user__first_name", "user__last_name", "agency__name")
        .annotate(attempts=Sum("attempts"), last_at=Max("last_at"))
        .order_by("-last_at", "user_id")
    )


# --- login lockouts ---------------------------------------------------------------------------------


@dataclass
class Lockout:
    attempt_id: int  # one of the pair's rows, to name it in the lift form's URL
    user: Any
    ip_address: str | None
    failures: int
    last_attempt: datetime


def _agency_attempts(*, agency_id: int):
    from axes.models import AccessAttempt

    # Attempts on the agency's own usernames only: a made-up username belongs to no agency and shows nowhere.
    usernames = get_user_model().objects.filter(membership__agency_id=agency_id).values("username")
    threshold = timezone.now() - settings.AXES_COOLOFF_TIME
    return AccessAttempt.objects.filter(username__in=usernames, attempt_time__gte=threshold)


def lockouts_for_agency(*, agency_id: int) -> list[Lockout]:
    """The agency's users who are locked out now, per (username, address) pair, as django-axes counts them.

    Two queries whatever the number of rows: the pairs over the limit, then their users.
    """
    pairs = list(
        _agency_attempts(agency_id=agency_id)
        .values("username", "ip_address")
        .annotate(failures=Sum("failures_since_start"), last_attempt=Max("attempt_time"), attempt_id=Min("id"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last_attempt", "username")
    )
    if not pairs:
        return []
    users = get_user_model().objects.in_bulk([pair["username"] for pair in pairs], field_name="username")
    return [
        Lockout(
            attempt_id=pair["attempt_id"],
            user=users[pair["username"]],
            ip_address=pair["ip_address"],
            failures=pair["failures"],
            last_attempt=pair["last_attempt"],
        )
        for pair in pairs
        if pair["username"] in users
    ]


def lockout_attempt(*, agency_id: int, attempt_id: int):
    """The attempt row `attempt_id` if it concerns a user of the agency, else None (the view answers 404)."""
    return _agency_attempts(agency_id=agency_id).filter(pk=attempt_id).first()
