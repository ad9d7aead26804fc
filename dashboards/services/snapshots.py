"""The nightly computation: every dashboard figure as counts per day, district and owning agency.

It reads every agency's records because the figures are aggregates of all of them; what leaves this module is
counts only (no id, no name), and a lead's page later reads only its own agency's rows (docs/dashboards.md).
The whole table is rebuilt in one transaction, so running it twice gives the same rows (idempotent) and a
page never sees half a computation.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Callable
from datetime import date
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Exists, Min, OuterRef
from django.utils import timezone

from cases.models import CaseEntry, ExitCase, Incident, IncidentGroup, Task
from cases.models.exit_cases import EntryKind, Phase
from outreach.models import CallIn, CustomNotification, EnforcementResponse, Invitation, Lever

from ..models import DailyFigure
from .joint import compute_joint_figures

Key = tuple[date, int | None, int, str, str]
Tally = dict[Key, Decimal]
Progress = Callable[[int], None]

ONE = Decimal(1)


def incident_outcome(dead: int, injured: int) -> str:
    """The worst outcome of an incident: what goal 4's cost per type and outcome is looked up by."""
    return "dead" if dead else "injured" if injured else "none"


def _day(moment) -> date:
    return timezone.localtime(moment).date()


def _incidents(tally: Tally) -> None:
    attributed = IncidentGroup.objects.filter(incident=OuterRef("pk"), side=IncidentGroup.Side.PERPETRATOR)
    rows = (
        Incident.objects.annotate(attributed=Exists(attributed))
        .values_list("occurred_at", "district_id", "owner_agency_id", "kind", "dead", "injured",
                     "investigation_hours", "attributed")
        .order_by()
    )  # fmt: skip
    for occurred_at, district, agency, kind, dead, injured, hours, is_attributed in rows.iterator(chunk_size=5000):
        day = _day(occurred_at)
        base = (day, district, agency)
        tally[(*base, "incidents", f"{kind}:{incident_outcome(dead, injured)}")] += ONE
        if dead:
            tally[(*base, "dead", kind)] += dead
        if injured:
            tally[(*base, "injured", kind)] += injured
        if is_attributed:
            tally[(*base, "group_incidents", kind)] += ONE
        if hours:
            tally[(*base, "hours_recorded", kind)] += hours
            tally[(*base, "incidents_with_hours", kind)] += ONE


def _call_ins(tally: Tally) -> None:
    for starts_at, agency in CallIn.objects.filter(status=CallIn.Status.HELD).values_list(
        "starts_at", "owner_agency_id"
    ):
        tally[(_day(starts_at), None, agency, "call_ins_held", "")] += ONE
    invitations = Invitation.objects.filter(call_in__status=CallIn.Status.HELD).values_list(
        "call_in__starts_at", "individual__district_id", "owner_agency_id", "status", "help_requested"
    )
    for starts_at, district, agency, status, help_requested in invitations.order_by().iterator(chunk_size=5000):
        base = (_day(starts_at), district, agency)
        tally[(*base, "invited", "")] += ONE
        if status == Invitation.Status.ATTENDED:
            tally[(*base, "attended", "")] += ONE
        if help_requested:
            tally[(*base, "help_requests", "call_in")] += ONE


def _notifications(tally: Tally) -> None:
    rows = CustomNotification.objects.values_list(
        "individual_id", "delivered_on", "individual__district_id", "owner_agency_id", "message_delivered",
        "offer_accepted",
    ).order_by("individual_id", "delivered_on", "pk")  # fmt: skip
    previous = None
    for individual, day, district, agency, delivered, accepted in rows.iterator(chunk_size=5000):
        base = (day, district, agency)
        tally[(*base, "notifications", delivered)] += ONE
        # A repeat: the same person had a notification before (any agency's); counted on the later one.
        if individual == previous:
            tally[(*base, "notifications_repeated", "")] += ONE
        previous = individual
        if accepted:
            tally[(*base, "help_requests", "notification")] += ONE


def _exit_cases(tally: Tally, as_of: date) -> None:
    # "Median days from help request to first meeting": the first minutes of a meeting in each case.
    meetings = dict(
        CaseEntry.objects.filter(kind=EntryKind.MINUTES)
        .values("case_id")
        .annotate(first=Min("occurred_on"))
        .values_list("case_id", "first")
        .order_by()
    )
    rows = ExitCase.objects.values_list(
        "pk", "opened_on", "closed_on", "phase", "outcome", "individual__district_id", "owner_agency_id"
    ).order_by()
    for pk, opened_on, closed_on, phase, outcome, district, agency in rows.iterator(chunk_size=5000):
        tally[(opened_on, district, agency, "exit_opened", "")] += ONE
        if phase == Phase.CLOSED and closed_on:
            tally[(closed_on, district, agency, "exit_closed", outcome or "other")] += ONE
        elif phase != Phase.CLOSED:
            # A state, not an event: the cases open on the day of the computation, by phase.
            tally[(as_of, district, agency, "exit_active", phase)] += ONE
        first = meetings.get(pk)
        if first is not None and first >= opened_on:
            tally[(opened_on, district, agency, "days_to_first_meeting", str((first - opened_on).days))] += ONE


def _tasks(tally: Tally, as_of: date) -> None:
    overdue = Task.objects.filter(status=Task.Status.OPEN, due_on__lt=as_of).values_list(
        "assignee_agency_id", "case__individual__district_id"
    )
    for agency, district in overdue.order_by().iterator(chunk_size=5000):
        tally[(as_of, district, agency, "tasks_overdue", "")] += ONE


def _enforcement(tally: Tally) -> None:
    responses = EnforcementResponse.objects.exclude(status=EnforcementResponse.Status.CANCELLED)
    for decided_on, agency in responses.values_list("decided_on", "owner_agency_id").order_by():
        tally[(decided_on, None, agency, "enforcement_responses", "")] += ONE
    levers = Lever.objects.exclude(status=Lever.Status.CANCELLED).values_list("starts_on", "owner_agency_id", "kind")
    for starts_on, agency, kind in levers.order_by().iterator(chunk_size=5000):
        tally[(starts_on, None, agency, "levers", kind)] += ONE


def _replace_all(tally: Tally) -> None:
    """Swap the table's rows for the new ones. On PostgreSQL by TRUNCATE and COPY: ten years of figures are
    some 170,000 rows, which DELETE and INSERT took most of a minute to replace on a busy server (measured,
    docs/dashboards.md); elsewhere (SQLite in development and tests) by delete and bulk_create."""
    if connection.vendor == "postgresql":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        for (day, district, agency, metric, key), value in tally.items():
            writer.writerow([day.isoformat(), day.replace(day=1).isoformat(), "" if district is None else district,
                             agency, metric, key, value])  # fmt: skip
        buffer.seek(0)
        table = DailyFigure._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {table}")  # noqa: S608 - the model's own table name
            columns = "day, month, district_id, agency_id, metric, key, value"
            cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv, FORCE_NOT_NULL (key))", buffer)
            # Check the copied rows' foreign keys now rather than at commit: a second TRUNCATE in the same
            # transaction (two runs inside one outer transaction) is refused while their checks are pending.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        return
    DailyFigure.objects.all().delete()
    DailyFigure.objects.bulk_create(
        [
            DailyFigure(day=day, month=day.replace(day=1), district_id=district, agency_id=agency, metric=metric,
                        key=key, value=value)
            for (day, district, agency, metric, key), value in tally.items()
        ],
        batch_size=5000,
    )  # fmt: skip


STEPS = ("incidents", "call_ins", "notifications", "exit_cases", "tasks", "enforcement")


def compute_snapshots(*, as_of: date | None = None, progress: Progress | None = None) -> int:
    """Rebuild every DailyFigure; returns how many rows were written. `progress(per_cent)` is told as it goes."""
    as_of = as_of or timezone.localdate()
    report = progress or (lambda per_cent: None)
    tally: Tally = defaultdict(Decimal)
    runners: dict[str, Callable[[], None]] = {
        "incidents": lambda: _incidents(tally),
        "call_ins": lambda: _call_ins(tally),
        "notifications": lambda: _notifications(tally),
        "exit_cases": lambda: _exit_cases(tally, as_of),
        "tasks": lambda: _tasks(tally, as_of),
        "enforcement": lambda: _enforcement(tally),
    }
    for index, step in enumerate(STEPS):
        runners[step]()
        report(int(50 * (index + 1) / len(STEPS)))
    with transaction.atomic():
        _replace_all(tally)
    report(60)
    # The joint figures are suppressed here, once, from the rows just written (services/joint.py); outside the
    # transaction above, so the progress it reports is seen by the page that polls it.
    compute_joint_figures(progress=lambda per_cent: report(60 + int(per_cent * 0.4)))
    report(100)
    return len(tally)
