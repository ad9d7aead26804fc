"""Reads for the weekly incident review: the agenda proposed from the incidents since the last meeting, the
incidents and actions of a meeting, and the actions on the task lists."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.utils import timezone

from agencies import access
from cases.models import Incident

from ..models import ReviewAction, ReviewMeeting

# Without an earlier meeting the agenda looks back one week (the meetings are weekly).
FIRST_LOOKBACK = timedelta(days=7)


def meeting_base() -> QuerySet[ReviewMeeting]:
    return ReviewMeeting.objects.select_related("owner_agency")


def previous_meeting(user, meeting: ReviewMeeting | None = None, *, before=None) -> ReviewMeeting | None:
    before = meeting.starts_at if meeting is not None else (before or timezone.now())
    qs = access.visible(user, ReviewMeeting).filter(starts_at__lt=before)
    if meeting is not None:
        qs = qs.exclude(pk=meeting.pk)
    return qs.order_by("-starts_at").first()


def agenda(user, *, until, since=None) -> QuerySet[Incident]:
    """The incidents the user may see since the last meeting (or a week), up to `until`: the proposed agenda."""
    if since is None:
        previous = previous_meeting(user, before=until)
        since = previous.starts_at if previous is not None else until - FIRST_LOOKBACK
    return (
        access.visible(user, Incident, queryset=Incident.objects.select_related("district"))
        .filter(occurred_at__gt=since, occurred_at__lte=until)
        .order_by("occurred_at")
    )


def meeting_incidents(user, meeting: ReviewMeeting) -> QuerySet[Incident]:
    return access.visible(user, Incident, queryset=meeting.incidents.select_related("district")).order_by("occurred_at")


def meeting_actions(meeting: ReviewMeeting) -> QuerySet[ReviewAction]:
    """A meeting's actions: seen by whoever sees the meeting (the caller has it through the gate)."""
    return meeting.actions.select_related("assignee_agency", "assignee_user", "task").order_by("due_on", "pk")


def visible_actions(user) -> QuerySet[ReviewAction]:
    return ReviewAction.objects.filter(meeting__in=access.visible(user, ReviewMeeting).values("pk")).select_related(
        "meeting", "assignee_agency", "assignee_user"
    )


def _open_own(user) -> QuerySet[ReviewAction]:
    # An action that became a case's task is on the lists as that task already.
    today = timezone.localdate()
    overdue = ExpressionWrapper(Q(due_on__lt=today), output_field=BooleanField())
    return (
        visible_actions(user)
        .filter(status=ReviewAction.Status.OPEN, task__isnull=True)
        .annotate(overdue=overdue)
        .order_by("-overdue", "due_on", "pk")
    )


def my_actions(user) -> QuerySet[ReviewAction]:
    """Open actions assigned to the user, or to their agency with no one named (as cases.selectors.my_tasks)."""
    actor = access.require_actor(user)
    return _open_own(user).filter(
        Q(assignee_user=user) | Q(assignee_agency_id=actor.agency_id, assignee_user__isnull=True)
    )


def agency_actions(user) -> QuerySet[ReviewAction]:
    actor = access.require_actor(user)
    return _open_own(user).filter(assignee_agency_id=actor.agency_id)
