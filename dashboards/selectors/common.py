"""What both dashboards read besides their figures: the defaults of goals 3 and 4, the survey, the last run,
the rate ratio of goal 1."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Q, Sum
from django.utils import timezone

from ..definitions import GOAL_KINDS, OUTCOMES
from ..models import CostDefault, DailyFigure, SnapshotRun, SurveyResult
from .rates import RateRatio, rate_ratio


@dataclass(frozen=True)
class Defaults:
    hours: dict[str, Decimal]  # incident kind -> hours
    cost: dict[tuple[str, str], Decimal]  # (kind, outcome) -> kr; outcome "any" is the fallback

    def cost_of(self, kind: str, outcome: str) -> Decimal:
        return self.cost.get((kind, outcome), self.cost.get((kind, "any"), Decimal(0)))


def defaults() -> Defaults:
    hours: dict[str, Decimal] = {}
    cost: dict[tuple[str, str], Decimal] = {}
    for row in CostDefault.objects.all():
        if row.measure == CostDefault.Measure.HOURS:
            hours[row.incident_kind] = row.amount
        else:
            cost[(row.incident_kind, row.outcome)] = row.amount
    return Defaults(hours, cost)


def last_run() -> SnapshotRun | None:
    return SnapshotRun.objects.filter(status=SnapshotRun.Status.DONE).order_by("-finished_at").first()


def as_of(run: SnapshotRun | None) -> date:
    return run.as_of if run is not None and run.as_of else timezone.localdate()


def goal_rate_ratio(*, until: date, agency_id: int | None = None, district_id: int | None = None) -> RateRatio:
    """Lethal and serious violence after the start against the baseline, in incidents per day. One query."""
    start, b_start, b_end = (
        settings.PROGRAMME_START_DATE,
        settings.DASHBOARD_BASELINE_START,
        settings.DASHBOARD_BASELINE_END,
    )
    kinds = Q()
    for kind in GOAL_KINDS:
        kinds |= Q(key__startswith=f"{kind}:")
    # The month range lets the (metric, month) index narrow the rows before the day filters.
    first_month = min(b_start, start).replace(day=1)
    rows = DailyFigure.objects.filter(kinds, metric="incidents", month__gte=first_month, month__lte=until)
    if agency_id is not None:
        rows = rows.filter(agency_id=agency_id)
    if district_id is not None:
        rows = rows.filter(district_id=district_id)
    totals = rows.aggregate(
        baseline=Sum("value", filter=Q(day__gte=b_start, day__lt=b_end)),
        after=Sum("value", filter=Q(day__gte=start, day__lte=until)),
    )
    return rate_ratio(
        after_count=int(totals["after"] or 0),
        after_days=(until - start).days + 1,
        baseline_count=int(totals["baseline"] or 0),
        baseline_days=(b_end - b_start).days,
    )


def survey_rows(*, district_id: int | None, years: tuple[int, int]) -> list[SurveyResult]:
    rows = SurveyResult.objects.select_related("district").filter(year__gte=years[0], year__lte=years[1])
    if district_id is not None:
        rows = rows.filter(district_id=district_id)
    return list(rows)


def effort_by_month(rows: dict, defaults: Defaults) -> tuple[dict, dict]:
    """Goals 3 and 4 per month from the snapshot counts: (hours, cost), each {month: {column: value}}.

    Hours: recorded hours where an incident has them, the type's default for every incident without.
    Cost: each incident at its type's and worst outcome's cost."""
    hours: dict = defaultdict(lambda: defaultdict(Decimal))
    cost: dict = defaultdict(lambda: defaultdict(Decimal))
    kinds = {str(k) for k in GOAL_KINDS}
    incidents: dict = defaultdict(lambda: defaultdict(Decimal))
    with_hours: dict = defaultdict(lambda: defaultdict(Decimal))
    for (metric, key, month), value in rows.items():
        if metric == "incidents":
            kind, outcome = key.split(":")
            if kind in kinds and outcome in OUTCOMES:
                incidents[month][kind] += value
                cost[month]["cost"] += value * defaults.cost_of(kind, outcome)
        elif metric == "hours_recorded" and key in kinds:
            hours[month]["recorded"] += value
        elif metric == "incidents_with_hours" and key in kinds:
            with_hours[month][key] += value
    for month, per_kind in incidents.items():
        for kind, count in per_kind.items():
            missing = count - with_hours[month][kind]
            hours[month]["default"] += missing * defaults.hours.get(kind, Decimal(0))
    for month in hours:
        hours[month]["total"] = hours[month]["recorded"] + hours[month]["default"]
    return hours, cost


def month_after(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)
