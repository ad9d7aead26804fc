"""Writes the append-only access log. Called by the gate (detail reads, pages of lists), by services (writes),
and by views for rows they show from a selector that does not log itself (a timeline, a member list)."""

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import models
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
    entry = AccessLogEntry.objects.create(
        user=user if getattr(user, "pk", None) else None,
        agency_id=agency_id,
        action=action,
        model=label,
        object_ids=[obj.pk for obj in objects],
        via=ctx.via,
        request_id=ctx.request_id,
        detail=detail or {},
    )
    if objects:
        AccessLogTarget.objects.bulk_create(
            AccessLogTarget(
                entry=entry,
                model=label,
                object_id=obj.pk,
                person_id=getattr(obj, "audit_person_id", lambda: None)(),
            )
            for obj in objects
        )
    return entry


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
