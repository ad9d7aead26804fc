"""Reads for the group registry and the incident register. Every record shown comes through the gate, and
a link between two records (a membership, an involvement, a relation) is shown only where the user may see
the link itself AND both ends."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth

from agencies import access, bounds
from agencies.bounds import start_of

from ..models import CriminalGroup, GroupMembership, GroupRelation, Incident, IncidentGroup, IncidentPerson, Individual
from ..services.groups import review_window

EXPIRY_WARNING = timedelta(days=7)


def group_base() -> QuerySet[CriminalGroup]:
    return CriminalGroup.objects.select_related("owner_agency").prefetch_related("districts")


def incident_base() -> QuerySet[Incident]:
    return Incident.objects.select_related("district", "owner_agency")


def membership_base() -> QuerySet[GroupMembership]:
    return GroupMembership.objects.select_related("individual", "group", "owner_agency", "recorded_by")


def visible_relations(user, *, groups: QuerySet | None = None) -> QuerySet[GroupRelation]:
    """Relations the user may see whose two groups the user may also see."""
    visible_groups = access.visible(user, CriminalGroup).values("pk") if groups is None else groups.values("pk")
    return (
        access.visible(user, GroupRelation)
        .filter(group_a__in=visible_groups, group_b__in=visible_groups)
        .select_related("group_a", "group_b")
    )


def group_relations(user, group: CriminalGroup) -> QuerySet[GroupRelation]:
    return visible_relations(user).filter(Q(group_a=group) | Q(group_b=group)).order_by("-since", "pk")


def group_members(user, group: CriminalGroup) -> QuerySet[GroupMembership]:
    """The memberships of a group the user may see, each with a person the user may see.

    A group shared without its members shows no members; nothing says that some exist.
    """
    return (
        access.visible(user, GroupMembership, queryset=membership_base())
        .filter(group=group, individual__in=access.visible(user, Individual).values("pk"))
        .order_by("status", "role", "individual__alias")
    )


def person_memberships(user, individual: Individual) -> QuerySet[GroupMembership]:
    return (
        access.visible(user, GroupMembership, queryset=membership_base())
        .filter(individual=individual, group__in=access.visible(user, CriminalGroup).values("pk"))
        .order_by("status", "-valid_from")
    )


def incident_groups(user, incident: Incident) -> QuerySet[IncidentGroup]:
    return (
        IncidentGroup.objects.filter(incident=incident, group__in=access.visible(user, CriminalGroup).values("pk"))
        .select_related("group")
        .order_by("side", "group__name")
    )


def incident_persons(user, incident: Incident) -> QuerySet[IncidentPerson]:
    return (
        access.visible(user, IncidentPerson)
        .filter(incident=incident, individual__in=access.visible(user, Individual).values("pk"))
        .select_related("individual")
        .order_by("role", "individual__alias")
    )


def person_incidents(user, individual: Individual) -> QuerySet[IncidentPerson]:
    return (
        access.visible(user, IncidentPerson)
        .filter(individual=individual, incident__in=access.visible(user, Incident).values("pk"))
        .select_related("incident", "incident__district")
        .order_by("-incident__occurred_at")
    )


def group_incidents(user, group: CriminalGroup) -> QuerySet[Incident]:
    involved = IncidentGroup.objects.filter(group=group).values("incident")
    return access.visible(user, Incident, queryset=incident_base()).filter(pk__in=involved).order_by("-occurred_at")


def incidents_by_month(incidents: QuerySet[Incident]) -> list[dict]:
    """Month-by-month counts of an already gated (and filtered) incident queryset.

    Only incidents inside the accepted window (agencies.bounds.HAPPENED) are counted: one stored in year 20
    or 9999 would stretch the chart over thousands of empty months (a 9.9 MB page) or overflow the time
    zone; such rows are reported by `manage.py check_date_bounds`.
    """
    earliest, latest = bounds.HAPPENED.limits()
    rows = (
        incidents.order_by()
        .filter(occurred_at__gte=start_of(earliest), occurred_at__lt=start_of(latest + timedelta(days=1)))
        .annotate(month=TruncMonth("occurred_at"))
        .values("month")
        # `dead`: how many incidents had at least one death (not the number of dead).
        .annotate(count=Count("pk"), dead=Count("pk", filter=Q(dead__gt=0)))
        .order_by("month")
    )
    return [dict(row) for row in rows]


@dataclass
class Landscape:
    groups: list[CriminalGroup]
    relations: list[GroupRelation]


def landscape(user) -> Landscape:
    """Visible groups and the visible relations between them: the same data for the picture and the table."""
    groups = access.visible(user, CriminalGroup).order_by("name")
    return Landscape(groups=list(groups), relations=list(visible_relations(user, groups=groups).order_by("pk")))


@dataclass
class ReviewQueue:
    overdue: list[GroupMembership]
    due: list[GroupMembership]
    expiring: list[GroupMembership]


def review_queue(*, user, today: date | None = None) -> ReviewQueue:
    """The agency's own active memberships that need review, oldest first.

    expiring: past the review date and within a week of automatic expiry; overdue: past the review date;
    due: the review date falls within the next 30 days.
    """
    actor = access.require_actor(user)
    today, horizon = review_window(today)
    mine = (
        access.visible(user, GroupMembership, queryset=membership_base())
        .filter(owner_agency_id=actor.agency_id, status=GroupMembership.Status.ACTIVE)
        .order_by("review_due", "pk")
    )
    past = list(mine.filter(review_due__lt=today))
    warn_from = today + EXPIRY_WARNING
    return ReviewQueue(
        expiring=[m for m in past if m.expires_on <= warn_from],
        overdue=[m for m in past if m.expires_on > warn_from],
        due=list(mine.filter(review_due__gte=today, review_due__lte=horizon)),
    )
