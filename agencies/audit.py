"""Writes the append-only access log. Called by the gate (detail reads, pages of lists), by services (writes),
and by views for rows they show from a selector that does not log itself (a timeline, a member list)."""

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import models

from .context import current
from .models import AccessLogEntry, AccessLogTarget, Action


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


def record_list(*, user, agency_id: int, model: type[models.Model], objects: Iterable[models.Model], **kw):
    return record(user=user, agency_id=agency_id, action=Action.LIST, model=model, objects=list(objects), **kw)
