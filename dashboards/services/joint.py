"""The joint dashboard's figures per calendar year, suppressed once, when the snapshots are computed.

Suppressing a cube of months x kinds x districts takes a tenth of a second or more; a page must not pay that.
So the nightly run builds every year's cubes from the DailyFigure rows of all agencies and stores only what
may be shown (dashboards.models.JointFigure). The pages, exports and the statistics API read those.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from cases.models import District

from ..definitions import (
    ATTENDANCE_LABELS,
    CLOSED_LABELS,
    DELIVERED_LABELS,
    GOAL_KINDS,
    HELP_LABELS,
    LEVER_LABELS,
    NO_DISTRICT,
    PHASE_LABELS,
    REPEAT_LABELS,
)
from ..models import DailyFigure, JointFigure
from ..suppression import Cube, display

SEPARATOR = "|"
MIN_FOR_MEDIAN = 3


def encode(cube: Cube) -> dict:
    cells = {
        SEPARATOR.join(str(part) for part in key): display(value, state)
        for key, (value, state) in cube.suppressed().items()
    }
    return {"dims": [[str(m) for m in dim] for dim in cube.dims], "cells": cells}


def weighted_median(histogram: dict[int, int]) -> float | None:
    values = [days for days, count in sorted(histogram.items()) for _ in range(count)]
    return statistics.median(values) if values else None


def _district(district_id) -> str:
    return str(district_id) if district_id is not None else NO_DISTRICT


def _year_figures(year: int, rows: dict, districts: list[str]) -> dict:
    months = [f"{year}-{m:02d}" for m in range(1, 13)]
    kinds = [str(k) for k in GOAL_KINDS]
    v: dict[str, dict[tuple, int]] = defaultdict(lambda: defaultdict(int))
    histogram: dict[int, int] = defaultdict(int)
    for (metric, key, month, district), value in rows.items():
        count = int(value)
        if metric == "incidents":
            kind = key.split(":")[0]
            if kind in kinds:
                v["incidents"][(month, kind, district)] += count
        elif metric in ("dead", "injured", "group_incidents"):
            if key in kinds:
                v[metric][(month, district)] += count
        elif metric == "call_ins_held":
            v[metric][(month,)] += count
        elif metric == "invited":
            v["attendance"][(month, district, "absent")] += count
        elif metric == "attended":
            v["attendance"][(month, district, "attended")] += count
            v["attendance"][(month, district, "absent")] -= count
        elif metric == "notifications":
            v[metric][(month, district, key)] += count
            v["notification_repeats"][(month, district, "first")] += count
        elif metric == "notifications_repeated":
            v["notification_repeats"][(month, district, "repeat")] += count
            v["notification_repeats"][(month, district, "first")] -= count
        elif metric == "help_requests":
            v[metric][(month, key)] += count
        elif metric == "exit_opened":
            v[metric][(month, district)] += count
        elif metric == "exit_closed":
            v[metric][(key, district)] += count
        elif metric == "enforcement_responses":
            v[metric][(month,)] += count
        elif metric == "levers":
            v[metric][(key,)] += count
        elif metric == "days_to_first_meeting":
            histogram[int(key)] += count
    dims = {
        "incidents": [months, kinds, districts],
        "dead": [months, districts],
        "injured": [months, districts],
        "group_incidents": [months, districts],
        "call_ins_held": [months],
        "attendance": [months, districts, list(ATTENDANCE_LABELS)],
        "notifications": [months, districts, list(DELIVERED_LABELS)],
        "notification_repeats": [months, districts, list(REPEAT_LABELS)],
        "help_requests": [months, list(HELP_LABELS)],
        "exit_opened": [months, districts],
        "exit_closed": [list(CLOSED_LABELS), districts],
        "enforcement_responses": [months],
        "levers": [list(LEVER_LABELS)],
    }
    data = {name: encode(Cube(dim, dict(v[name]))) for name, dim in dims.items()}
    cases = sum(histogram.values())
    data["median_days_to_first_meeting"] = {
        "value": weighted_median(histogram) if cases >= MIN_FOR_MEDIAN else None,
        "shown": cases >= MIN_FOR_MEDIAN,
    }
    return data


def _current_figures(districts: list[str]) -> dict:
    active: dict[tuple, int] = defaultdict(int)
    overdue: dict[tuple, int] = defaultdict(int)
    rows = (
        DailyFigure.objects.filter(metric__in=["exit_active", "tasks_overdue"])
        .values_list("metric", "key", "district_id", "agency__name")
        .annotate(total=Sum("value"))
        .order_by()
    )
    agencies: set[str] = set()
    for metric, key, district, agency, total in rows:
        if metric == "exit_active":
            active[(key, _district(district))] += int(total)
        else:
            overdue[(agency,)] += int(total)
            agencies.add(agency)
    return {
        "exit_active": encode(Cube([list(PHASE_LABELS), districts], dict(active))),
        "tasks_overdue": encode(Cube([sorted(agencies)], dict(overdue))),
    }


def compute_joint_figures(*, progress: Callable[[int], None] | None = None) -> int:
    """Rebuild every year's JointFigure from the DailyFigure rows. Returns the number of years."""
    report = progress or (lambda per_cent: None)
    districts = [str(pk) for pk in District.objects.order_by("name").values_list("pk", flat=True)] + [NO_DISTRICT]
    by_year: dict[int, dict] = defaultdict(lambda: defaultdict(Decimal))
    rows = (
        DailyFigure.objects.exclude(metric__in=["exit_active", "tasks_overdue"])
        .values_list("metric", "key", "month", "district_id")
        .annotate(total=Sum("value"))
        .order_by()
    )
    for metric, key, month, district, total in rows.iterator(chunk_size=5000):
        by_year[month.year][(metric, key, f"{month:%Y-%m}", _district(district))] += total
    # The current year always has its figures (zeros before anything happens), so the joint dashboard shows
    # its whole shape from the first day.
    years = sorted({*by_year, timezone.localdate().year})
    figures = {0: _current_figures(districts)}
    for index, year in enumerate(years):
        figures[year] = _year_figures(year, by_year[year], districts)
        report(int(100 * (index + 1) / max(len(years), 1)))
    JointFigure.objects.exclude(year__in=list(figures)).delete()
    for year, data in figures.items():
        JointFigure.objects.update_or_create(year=year, defaults={"data": data})
    return len(years)
