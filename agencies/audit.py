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
    """Many log entries written by the system (no user), one per (agency_id, object, model label, detail).
    See record_rows, which writes them."""
    record_rows(
        action=action,
        rows=[
            (
                agency_id,
                label,
                detail,
                obj.pk if obj is not None else None,
                getattr(obj, "audit_person_id", lambda: None)() if obj is not None else None,
            )
            for agency_id, obj, label, detail in entries
        ],
    )


def record_rows(*, action: str, rows: Sequence[tuple[int, str, dict[str, Any], int | None, int | None]]) -> None:
    """Many log entries written by the system (no user), one per (agency_id, model label, detail, object id or
    None, person id or None), from plain values: the caller need not load the records.

    On PostgreSQL every entry and its target is one INSERT statement (the entries' ids drawn from their sequence
    in the same statement); on SQLite one INSERT of the entries and one of their targets. Whatever their number;
    only INSERTs, which the append-only guard allows.
    """
    if not rows:
        return
    ctx = current()
    connection = connections[router.db_for_write(AccessLogEntry)]
    if connection.vendor == "postgresql":
        _insert_rows_in_one_statement(connection, action, ctx, rows)
        return
    entries = AccessLogEntry.objects.bulk_create(
        AccessLogEntry(
            user=None,
            agency_id=agency_id,
            action=action,
            model=label,
            object_ids=[object_id] if object_id is not None else [],
            via=ctx.via,
            request_id=ctx.request_id,
            detail=detail,
        )
        for agency_id, label, detail, object_id, _person in rows
    )
    AccessLogTarget.objects.bulk_create(
        AccessLogTarget(entry=entry, model=label, object_id=object_id, person_id=person_id)
        for entry, (_agency, label, _detail, object_id, person_id) in zip(entries, rows, strict=True)
        if object_id is not None
    )


# One row per entry from the arrays; `nextval` in a CTE is evaluated once per row, so the target rows get the ids
# of their own entries. Literal table names, like _ONE_STATEMENT_SQL.
_ROWS_SQL = (
    "WITH r AS (SELECT nextval(pg_get_serial_sequence('agencies_accesslogentry', 'id')) AS id, x.*"
    " FROM UNNEST(%s::bigint[], %s::text[], %s::jsonb[], %s::bigint[], %s::bigint[])"
    " AS x(agency_id, model, detail, object_id, person_id)),"
    " e AS (INSERT INTO agencies_accesslogentry"
    " (id, at, user_id, agency_id, action, model, object_ids, via, request_id, detail)"
    " SELECT id, %s, NULL, agency_id, %s, model,"
    " CASE WHEN object_id IS NULL THEN '[]'::jsonb ELSE jsonb_build_array(object_id) END, %s, %s, detail FROM r)"
    " INSERT INTO agencies_accesslogtarget (entry_id, model, object_id, person_id)"
    " SELECT id, model, object_id, person_id FROM r WHERE object_id IS NOT NULL"
)


def _insert_rows_in_one_statement(connection, action: str, ctx, rows) -> None:
    params = [
        [agency_id for agency_id, *_rest in rows],
        [label for _agency, label, *_rest in rows],
        [json.dumps(detail) for _agency, _label, detail, *_rest in rows],
        [object_id for *_first, object_id, _person in rows],
        [person_id for *_first, person_id in rows],
        timezone.now(),
        action,
        ctx.via,
        ctx.request_id,
    ]
    with connection.cursor() as cursor:
        cursor.execute(_ROWS_SQL, params)


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
