"""Where a record the viewer holds by a share came from: the register rows that let the viewer see it.

The owner needs no provenance (the record is theirs), so the caller skips the query for the owner; for a
receiver it is one query per record, with from-agency and basis joined in.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from .. import access
from ..models import Share


def provenance_for(*, user, obj) -> list[Share]:
    """Active shares through which the user's agency (or the user by name) receives `obj`, newest first."""
    actor = access.actor_for(user)
    # Whether the record is the user's own is the gate's question, not this selector's.
    if actor is None or access.owns(user, obj):
        return []
    content_type = ContentType.objects.get_for_model(obj)
    return list(
        Share.objects.active()
        .filter(content_type=content_type, object_id=obj.pk, to_agency_id=actor.agency_id)
        .filter(Q(to_user__isnull=True) | Q(to_user_id=actor.user_id))
        .select_related("from_agency", "legal_basis")
    )
