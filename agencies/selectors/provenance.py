"""Where a record the viewer holds by a share came from: the register rows that let the viewer see it.

The owner needs no provenance (the record is theirs), so the owner costs no query; for a receiver it is one
query per record (`provenance_for`, the pages) or per list of records of one kind (`provenance_for_many`, the
API), with from-agency and basis joined in.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from .. import access
from ..models import Share


def provenance_for(*, user, obj) -> list[Share]:
    """Active shares through which the user's agency (or the user by name) receives `obj`, newest first."""
    return provenance_for_many(user=user, objs=[obj]).get(obj.pk, [])


def provenance_for_many(*, user, objs: Sequence) -> dict[int, list[Share]]:
    """`provenance_for` for several records of one model in one query: record pk -> its shares, newest first.

    Records the user's agency owns are left out (asking the gate, not comparing agency ids here)."""
    actor = access.actor_for(user)
    if actor is None or not objs:
        return {}
    received = [obj.pk for obj in objs if not access.owns(user, obj)]
    if not received:
        return {}
    content_type = ContentType.objects.get_for_model(objs[0])
    found: dict[int, list[Share]] = defaultdict(list)
    rows = (
        Share.objects.active()
        .filter(content_type=content_type, object_id__in=received, to_agency_id=actor.agency_id)
        .filter(Q(to_user__isnull=True) | Q(to_user_id=actor.user_id))
        .select_related("from_agency", "legal_basis")
        .order_by("-decided_at", "-pk")
    )
    for share in rows:
        found[share.object_id].append(share)
    return dict(found)
