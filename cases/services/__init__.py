"""Writes for the registry. Each service names its acting user, checks access through agencies.access and
writes the access log."""

from .groups import (
    Review,
    expire_unreviewed_memberships,
    group_create,
    group_update,
    membership_record,
    membership_review,
    relation_create,
    relation_update,
)
from .incidents import incident_add_group, incident_add_person, incident_record, incident_update
from .individuals import (
    IDENTITY_FIELDS,
    INDIVIDUAL_FIELDS,
    identity_set,
    individual_create,
    individual_update,
)

__all__ = [
    "IDENTITY_FIELDS",
    "INDIVIDUAL_FIELDS",
    "Review",
    "expire_unreviewed_memberships",
    "group_create",
    "group_update",
    "identity_set",
    "incident_add_group",
    "incident_add_person",
    "incident_record",
    "incident_update",
    "individual_create",
    "individual_update",
    "membership_record",
    "membership_review",
    "relation_create",
    "relation_update",
]
