"""Reads for the registry. Every queryset of a protected model comes from agencies.access."""

from .individuals import identity_for, individual_base, individual_search

__all__ = ["identity_for", "individual_base", "individual_search"]
from .registry import (  # noqa: E402
    Landscape,
    ReviewQueue,
    group_base,
    group_incidents,
    group_members,
    group_relations,
    incident_base,
    incident_groups,
    incident_persons,
    incidents_by_month,
    landscape,
    membership_base,
    person_incidents,
    person_memberships,
    review_queue,
    visible_relations,
)

__all__ += [
    "Landscape",
    "ReviewQueue",
    "group_base",
    "group_incidents",
    "group_members",
    "group_relations",
    "incident_base",
    "incident_groups",
    "incident_persons",
    "incidents_by_month",
    "landscape",
    "membership_base",
    "person_incidents",
    "person_memberships",
    "review_queue",
    "visible_relations",
]
from .exit_cases import (  # noqa: E402
    TimelineItem,
    agency_tasks,
    case_base,
    case_bundles,
    case_goals,
    case_tasks,
    case_timeline,
    consents_covering,
    entry_base,
    my_cases,
    my_tasks,
    person_cases,
    person_consents,
    task_entry_visible,
    visible_case_people,
    visible_tasks,
)

__all__ += [
    "TimelineItem",
    "agency_tasks",
    "case_base",
    "case_goals",
    "case_bundles",
    "case_tasks",
    "case_timeline",
    "consents_covering",
    "entry_base",
    "my_cases",
    "my_tasks",
    "person_cases",
    "person_consents",
    "task_entry_visible",
    "visible_case_people",
    "visible_tasks",
]
