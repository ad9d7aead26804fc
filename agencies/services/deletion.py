"""Deleting protected records so that nothing points at them afterwards.

Every path that removes a protected record — the retention rules (gallring) and any delete a later feature
adds — goes through `delete_records`. A plain `obj.delete()` is not enough: the disclosure register points at
its object (and at the consent a share rests on) through a generic relation, which does not cascade, so the
register would keep rows that name a record that no longer exists, and a reused id could one day seem shared.

What the service does, in one transaction:
1. Django's deletion collector lists every row the delete reaches (a person takes its identity details, its
   group memberships, its incident involvements…); a PROTECT reference (a person still in an exit case)
   refuses the whole delete, as `obj.delete()` would, before anything is written.
2. Every open register row about any protected record among them — as the shared record or as the consent
   a share rests on — is closed as the disclosing agency (`access.revoke_all_as_system`, which drops the
   grants it justified and writes the revoke log rows).
3. The register rows keep the disclosure history (who disclosed what kind of record to whom, when, on which
   basis, and when it ended) but no longer point at the record: `object_id` becomes `FORGOTTEN` (0, which
   no row's id ever is) and a consent pointer is cleared, so only the kind remains.
4. A `delete` log row per protected record, as its owner agency, by the acting user or the system.
5. The delete itself: the grant rows (direct foreign keys), tasks, reminders and other links cascade or are
   set to null by their foreign keys; nothing else holds a reference (calendar feeds and search are computed
   from the live rows at each request).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, router, transaction
from django.db.models import Q
from django.db.models.deletion import Collector

from .. import access, audit
from ..models import Action, ProtectedModel, Share

# What a register row's object_id becomes once its record is deleted: no row has id 0.
FORGOTTEN = 0


def _collect(objs: list[models.Model]) -> Collector:
    using = router.db_for_write(type(objs[0]))
    collector = Collector(using=using, origin=objs[0] if len(objs) == 1 else None)
    collector.collect(objs)  # raises ProtectedError / RestrictedError: nothing has been written yet
    return collector


def protected_in(collector: Collector) -> dict[type[ProtectedModel], list[ProtectedModel]]:
    """The protected records a delete would remove, per model (the objects themselves and their cascade)."""
    found: dict[type[ProtectedModel], list[ProtectedModel]] = defaultdict(list)
    for model, instances in collector.data.items():
        if issubclass(model, ProtectedModel):
            found[model].extend(instances)  # type: ignore[arg-type]
    return found


def _pointing_at(found: dict[type[ProtectedModel], list[ProtectedModel]]) -> tuple[Q, Q]:
    as_object, as_consent = Q(pk__in=[]), Q(pk__in=[])
    for model, instances in found.items():
        ct = ContentType.objects.get_for_model(model)
        ids = [obj.pk for obj in instances]
        as_object |= Q(content_type=ct, object_id__in=ids)
        as_consent |= Q(consent_type=ct, consent_id__in=ids)
    return as_object, as_consent


@transaction.atomic
def delete_records(
    objs: Iterable[models.Model], *, reason: str, acting_user=None, detail: dict[str, Any] | None = None
):
    """Delete `objs` (any models; usually protected ones) and everything that cascades from them, leaving no
    register row, grant or link that points at a deleted protected record. Returns {model label: [ids]} of
    the protected records removed. Raises django.db.models.ProtectedError if something still needs them."""
    objs = list(objs)
    if not objs:
        return {}
    collector = _collect(objs)
    found = protected_in(collector)
    as_object, as_consent = _pointing_at(found)
    access.revoke_all_as_system(Share.objects.filter(as_object | as_consent), reason=reason)
    Share.objects.filter(as_object).update(object_id=FORGOTTEN)
    Share.objects.filter(as_consent).update(consent_id=None)
    log = [
        (obj.owner_agency_id, obj, model._meta.label_lower, {"reason": reason, **(detail or {})})
        for model, instances in found.items()
        for obj in instances
    ]
    if acting_user is None:
        audit.record_each(action=Action.DELETE, entries=log)
    else:
        for agency_id, obj, _label, entry_detail in log:
            audit.record(
                user=acting_user,
                agency_id=agency_id,
                action=Action.DELETE,
                model=type(obj),
                objects=[obj],
                detail=entry_detail,
            )
    removed = {model._meta.label_lower: sorted(obj.pk for obj in instances) for model, instances in found.items()}
    collector.delete()  # sets the instances' pk to None, hence the ids taken first
    return removed
