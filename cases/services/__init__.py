"""Writes for the registry. Each service names its acting user, checks access through agencies.access and
writes the access log."""

from .consents import consent_record, consent_withdraw, expire_lapsed_consents, shares_resting_on
from .exit_cases import (
    case_change_phase,
    case_close,
    case_join,
    case_open,
    case_update,
    entry_add,
    entry_share,
    entry_update,
    goal_add,
    goal_set_status,
    participants,
    task_add,
    task_set_status,
)
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
from .reminders import send_task_reminders

__all__ = [
    "case_change_phase",
    "case_close",
    "case_join",
    "case_open",
    "case_update",
    "consent_record",
    "consent_withdraw",
    "entry_add",
    "entry_share",
    "entry_update",
    "expire_lapsed_consents",
    "goal_add",
    "goal_set_status",
    "participants",
    "send_task_reminders",
    "shares_resting_on",
    "task_add",
    "task_set_status",
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
