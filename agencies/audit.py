"""Writes the append-only access log. Called by the gate (detail reads, pages of lists), by services (writes),
and by views for rows they show from a selector that does not log itself (a timeline, a member list)."""

import json
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connections, models, router
from django.utils import timezone

from .context import current
from .models import AccessLogEntry, AccessLogTarget, Action, DeniedAccess

# The range of a 64-bit primary key: anything outside it is no record's id.
BIGINT = 2**63


def model_label(model: type[models.Model] | models.Model) -> str:
    return model._meta.label_lower


def record(
    *,
    user,
    agency_id: int,
    action: str,
    model: type[models.Model],
    objects: Sequence[models.Model] = (),
    detail: dict[str, Any] | None = None,
) -> AccessLogEntry:
    ctx = current()
    label = model_label(model)
    entry = AccessLogEntry(
        user=user if getattr(user, "pk", None) else None,
        agency_id=agency_id,
        action=action,
        model=label,
        object_ids=[obj.pk for obj in objects],
        via=ctx.via,
        request_id=ctx.request_id,
        detail=detail or {},
    )
    targets = [(obj.pk, getattr(obj, "audit_person_id", lambda: None)()) for obj in objects]
    connection = connections[router.db_for_write(AccessLogEntry)]
    if connection.vendor == "postgresql":
        _insert_in_one_statement(connection, entry, targets)
        return entry
    entry.save(force_insert=True)
    if targets:
        AccessLogTarget.objects.bulk_create(
            AccessLogTarget(entry=entry, model=label, object_id=pk, person_id=person_id) for pk, person_id in targets
        )
    return entry


# Literal table names (the models' defaults), so the statement is a constant; every log test runs it on PostgreSQL.
_ONE_STATEMENT_SQL = (
    "WITH e AS (INSERT INTO agencies_accesslogentry"
    " (at, user_id, agency_id, action, model, object_ids, via, request_id, detail)"
    " VALUES (%s, %s, %s, %s, %s, %s::jsonb, %s, %s, %s::jsonb) RETURNING id),"
    " t AS (INSERT INTO agencies_accesslogtarget (entry_id, model, object_id, person_id)"
    " SELECT e.id, %s, x.object_id, x.person_id FROM e, UNNEST(%s::bigint[], %s::bigint[]) AS x(object_id, person_id))"
    " SELECT id FROM e"
)


def _insert_in_one_statement(connection, entry: AccessLogEntry, targets: list[tuple[int, int | None]]) -> None:
    """The entry and all its targets in one INSERT statement (PostgreSQL's data-modifying CTE).

    Every read writes a log row in the same transaction as the read, so this statement is on every page and
    detail: one round trip instead of two. Still INSERTs only, which the append-only triggers allow.
    """
    params = [
        entry.at,
        entry.user_id,
        entry.agency_id,
        entry.action,
        entry.model,
        json.dumps(entry.object_ids),
        entry.via,
        entry.request_id,
        json.dumps(entry.detail),
        entry.model,
        [pk for pk, _person in targets],
        [person for _pk, person in targets],
    ]
    with connection.cursor() as cursor:
        cursor.execute(_ONE_STATEMENT_SQL, params)
        entry.pk = cursor.fetchone()[0]
    entry._state.adding = False
    entry._state.db = connection.alias


def record_each(*, action: str, entries: Sequence[tuple[int, models.Model | None, str, dict[str, Any]]]) -> None:
    """Many log entries written by the system (no user), one per (agency_id, object, model label, detail):
    one INSERT for the entries and one for their targets, whatever their number. Still append-only: only
    INSERTs, which the database guard allows.
    """
    if not entries:
        return
    ctx = current()
    rows = AccessLogEntry.objects.bulk_create(
        AccessLogEntry(
            user=None,
            agency_id=agency_id,
            action=action,
            model=label,
            object_ids=[obj.pk] if obj is not None else [],
            via=ctx.via,
            request_id=ctx.request_id,
            detail=detail,
        )
        for agency_id, obj, label, detail in entries
    )
    AccessLogTarget.objects.bulk_create(
        AccessLogTarget(
            entry=row,
            model=label,
            object_id=obj.pk,
            person_id=getattr(obj, "audit_person_id", lambda: None)(),
        )
        for row, (_agency_id, obj, label, _detail) in zip(rows, entries, strict=True)
        if obj is not None
    )


def record_list(*, user, agency_id: int, model: type[models.Model], objects: Iterable[models.Model], **kw):
    return record(user=user, agency_id=agency_id, action=Action.LIST, model=model, objects=list(objects), **kw)


def record_denied(*, user, agency_id: int, model: type[models.Model], object_id: int, action: str) -> None:
    """Count an attempt to reach `model` #object_id that the gate answered with "not there".

    Runs only on that path, so a found record costs nothing more. Two or three queries: the record's owner
    (none when no record has the id), then the hour's counter row for this user, kind, owner and channel,
    added to or started. An id that exists nowhere is counted like a refused one, so the two cost the same.
    """
    if not -BIGINT <= object_id < BIGINT:
        return  # not an id any record can have (and not one the counter column could hold)
    owner_id = model._base_manager.filter(pk=object_id).values_list("owner_agency_id", flat=True).first()
    if owner_id == agency_id:
        return  # the user's own agency's record, left out by a narrower queryset: not a refusal
    now = timezone.now()
    key = {
        "window_start": now.replace(minute=0, second=0, microsecond=0),
        "user_id": user.pk,
        "agency_id": agency_id,
        "owner_agency_id": owner_id,
        "model": model_label(model),
        "action": action,
        "via": current().via,
    }
    DeniedAccess.objects.count_attempt(key=key, object_id=object_id, at=now)
