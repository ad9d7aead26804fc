"""The joint dashboard: aggregates only, already suppressed when the snapshots were computed.

Reads the year's JointFigure (and the current state's) in one query and slices the stored cubes for the
chosen district. Nothing here sees a hidden value: the stored cells are display strings ("<3", "..").
Goals 3 and 4 are shown by quarter, rounded, and only for a quarter with at least MIN_EFFORT_INCIDENTS
incidents, so an amount cannot be divided back into a small number of incidents.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _

from cases.models import District

from ..charts import bar_chart
from ..definitions import (
    ATTENDANCE_LABELS,
    CLOSED_LABELS,
    DELIVERED_LABELS,
    FIGURE_TITLES,
    HELP_LABELS,
    KIND_LABELS,
    LEVER_LABELS,
    NO_DISTRICT,
    PHASE_LABELS,
    REPEAT_LABELS,
)
from ..models import DailyFigure, JointFigure
from ..services.joint import SEPARATOR
from ..suppression import TOTAL
from ..tables import FigureTable, Row, month_label, number, quarter_of
from . import common

MIN_EFFORT_INCIDENTS = 10
MIN_RATE_COUNT = 3


def years() -> list[int]:
    return list(JointFigure.objects.exclude(year=0).values_list("year", flat=True))


def _label_month(value: str) -> str:
    year, month = value.split("-")
    return month_label(date(int(year), int(month), 1))


def cube_table(key: str, cube: dict, *, rows_dim: int, cols_dim: int | None, fixed: dict[int, str], row_labels,
               col_labels: dict | None, row_heading: str, title: str | None = None) -> FigureTable:  # fmt: skip
    """A 2-D slice of a stored cube: rows along one dimension, columns along another (or just the total),
    every other dimension fixed (a district, or the total)."""
    dims = cube["dims"]
    cells = cube["cells"]

    def cell(row_member: str, col_member: str | None) -> str:
        key_parts = []
        for d in range(len(dims)):
            if d == rows_dim:
                key_parts.append(row_member)
            elif d == cols_dim:
                key_parts.append(col_member or TOTAL)
            else:
                key_parts.append(fixed.get(d, TOTAL))
        return cells.get(SEPARATOR.join(key_parts), "0")

    columns = list(dims[cols_dim]) if cols_dim is not None else []
    headers = [str((col_labels or {}).get(c, c)) for c in columns] + [_("Totalt")]
    rows = [
        Row(row_labels(member), [cell(member, c) for c in columns] + [cell(member, TOTAL)]) for member in dims[rows_dim]
    ]
    total = Row(_("Totalt"), [cell(TOTAL, c) for c in columns] + [cell(TOTAL, TOTAL)])
    table = FigureTable(key, title or str(FIGURE_TITLES.get(key, key)), row_heading, headers, rows, total)
    table.chart = bar_chart(
        key=key, title=table.title, labels=[r.label for r in rows], displays=[r.cells[-1] for r in rows]
    )
    return table


def _effort(year: int, district_id: int | None) -> tuple[FigureTable, FigureTable]:
    # A range on `month`, not month__year: the (metric, month) index serves a range, not an extracted year.
    figures = DailyFigure.objects.filter(
        month__gte=date(year, 1, 1), month__lt=date(year + 1, 1, 1),
        metric__in=["incidents", "hours_recorded", "incidents_with_hours"],
    )  # fmt: skip
    if district_id is not None:
        figures = figures.filter(district_id=district_id)
    rows: dict = defaultdict(Decimal)
    for metric, key, month, total in (
        figures.values_list("metric", "key", "month").annotate(total=Sum("value")).order_by()
    ):
        rows[(metric, key, month)] += total
    hours, cost = common.effort_by_month(rows, common.defaults())
    counts: dict[str, Decimal] = defaultdict(Decimal)
    for (metric, key, month), value in rows.items():
        if metric == "incidents" and key.split(":")[0] in KIND_LABELS:
            counts[quarter_of(month)] += value
    quarters = [f"{year} K{q}" for q in range(1, 5)]
    by_quarter_hours: dict[str, Decimal] = defaultdict(Decimal)
    by_quarter_cost: dict[str, Decimal] = defaultdict(Decimal)
    for month, columns in hours.items():
        by_quarter_hours[quarter_of(month)] += columns["total"]
    for month, columns in cost.items():
        by_quarter_cost[quarter_of(month)] += columns["cost"]

    def shown(quarter: str, value: Decimal, step: int) -> str:
        if counts[quarter] == 0:
            return "0"
        if counts[quarter] < MIN_EFFORT_INCIDENTS:
            return ".."
        return number(round(value / step) * step)

    hours_rows = [Row(q, [shown(q, by_quarter_hours[q], 10)]) for q in quarters]
    cost_rows = [Row(q, [shown(q, by_quarter_cost[q], 100_000)]) for q in quarters]
    hours_table = FigureTable("hours", _("Polisens utredningstid (timmar) per kvartal"), _("Kvartal"),
                              [_("Timmar")], hours_rows)  # fmt: skip
    cost_table = FigureTable("cost", _("Vårdens och samhällets kostnad per kvartal (kr)"), _("Kvartal"),
                             [_("Kostnad (kr)")], cost_rows)  # fmt: skip
    for table in (hours_table, cost_table):
        table.chart = bar_chart(key=table.key, title=table.title, labels=quarters,
                                displays=[r.cells[0] for r in table.rows])  # fmt: skip
    return hours_table, cost_table


def joint_dashboard(*, year: int, district_id: int | None) -> dict:
    stored = {row.year: row.data for row in JointFigure.objects.filter(year__in=[0, year])}
    data, current = stored.get(year), stored.get(0, {})
    run = common.last_run()
    result: dict = {"year": year, "run": run, "as_of": common.as_of(run), "empty": data is None}
    if data is None:
        return result
    district = str(district_id) if district_id else TOTAL
    names = dict(District.objects.values_list("pk", "name"))

    def district_label(member: str) -> str:
        return _("Ingen stadsdel angiven") if member == NO_DISTRICT else names.get(int(member), member)

    def monthly(key, cols_dim, col_labels, fixed_district_dim=None, title=None):
        fixed = {fixed_district_dim: district} if fixed_district_dim is not None else {}
        return cube_table(key, data[key], rows_dim=0, cols_dim=cols_dim, fixed=fixed, row_labels=_label_month,
                          col_labels=col_labels, row_heading=_("Månad"), title=title)  # fmt: skip

    incidents = monthly("incidents", 1, KIND_LABELS, 2)
    by_district = cube_table(
        "incidents_by_district", data["incidents"], rows_dim=2, cols_dim=1, fixed={}, row_labels=district_label,
        col_labels=KIND_LABELS, row_heading=_("Stadsdel"), title=_("Dödligt och grovt våld per stadsdel"),
    )  # fmt: skip
    goal1 = [
        incidents,
        by_district,
        monthly("dead", None, None, 1),
        monthly("injured", None, None, 1),
        monthly("group_incidents", None, None, 1),
    ]
    ratio = common.goal_rate_ratio(until=result["as_of"], district_id=None)
    hours, cost = _effort(year, district_id)
    work = [
        monthly("call_ins_held", None, None),
        monthly("attendance", 2, ATTENDANCE_LABELS, 1),
        monthly("notifications", 2, DELIVERED_LABELS, 1),
        monthly("notification_repeats", 2, REPEAT_LABELS, 1),
        monthly("help_requests", 1, HELP_LABELS),
        monthly("exit_opened", None, None, 1),
        cube_table("exit_closed", data["exit_closed"], rows_dim=0, cols_dim=None, fixed={1: district},
                   row_labels=lambda k: str(CLOSED_LABELS.get(k, k)), col_labels=None, row_heading=_("Utfall")),
        monthly("enforcement_responses", None, None),
        cube_table("levers", data["levers"], rows_dim=0, cols_dim=None, fixed={},
                   row_labels=lambda k: str(LEVER_LABELS.get(k, k)), col_labels=None, row_heading=_("Åtgärd")),
    ]  # fmt: skip
    if current:
        work += [
            cube_table("exit_active", current["exit_active"], rows_dim=0, cols_dim=None, fixed={1: district},
                       row_labels=lambda k: str(PHASE_LABELS.get(k, k)), col_labels=None, row_heading=_("Fas")),
            cube_table("tasks_overdue", current["tasks_overdue"], rows_dim=0, cols_dim=None, fixed={},
                       row_labels=str, col_labels=None, row_heading=_("Myndighet")),
        ]  # fmt: skip
    result.update(
        goal1=goal1,
        # Shown for all districts together, and only when both counts are at least 3.
        rate_ratio=ratio if min(ratio.after_count, ratio.baseline_count) >= MIN_RATE_COUNT else None,
        survey=common.survey_rows(district_id=district_id, years=(year, year)),
        goal3=hours,
        goal4=cost,
        work=work,
        median=data.get("median_days_to_first_meeting", {}),
    )
    return result
