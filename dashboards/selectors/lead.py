"""A lead's dashboard: their own agency's figures for any period of whole months, from the snapshots.

Four queries whatever the period and the volume: the period's figures grouped by metric, key and month;
the current state (open cases, overdue tasks); the rate ratio's two sums; the defaults (plus the survey and
the last run, read by selectors.common). No suppression: these are the agency's own records, which its lead
may open one by one through the drill-down lists (selectors/drill.py), which go through the gate.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from ..charts import bar_chart
from ..definitions import (
    CLOSED_LABELS,
    DELIVERED_LABELS,
    FIGURE_TITLES,
    GOAL_KINDS,
    HELP_LABELS,
    KIND_LABELS,
    LEVER_LABELS,
    PERIOD_METRICS,
    PHASE_LABELS,
)
from ..models import DailyFigure
from ..services.joint import weighted_median
from ..tables import FigureTable, Row, month_label, months_between, number, quarter_of
from . import common


@dataclass
class Period:
    start: date  # first day of the first month
    end: date  # first day of the month after the last
    district_id: int | None = None


def _with_chart(table: FigureTable) -> FigureTable:
    column = table.chart_column
    table.chart = bar_chart(
        key=table.key,
        title=table.title,
        labels=[row.label for row in table.rows],
        displays=[row.cells[column] for row in table.rows],
    )
    return table


def _month_table(key, rows, months, columns: dict[str, Any], *, metric_of, total=True, drill=None) -> FigureTable:
    """Months down, the given columns across (and a total), from {(metric, key, month): value}."""
    grid: dict = defaultdict(Decimal)
    for (metric, k, month), value in rows.items():
        column = metric_of(metric, k)
        if column in columns:
            grid[(month, column)] += value
    table_rows = []
    for month in months:
        cells = [grid[(month, c)] for c in columns]
        if total:
            cells.append(sum(cells, Decimal(0)))
        link = drill(month) if drill else ""
        table_rows.append(Row(month_label(month), [number(c) for c in cells], link))
    sums = [sum((grid[(m, c)] for m in months), Decimal(0)) for c in columns]
    if total:
        sums.append(sum(sums, Decimal(0)))
    headers = list(columns.values()) + ([_("Totalt")] if total else [])
    return _with_chart(
        FigureTable(key, str(FIGURE_TITLES.get(key, key)), _("Månad"), headers, table_rows,
                    Row(_("Totalt"), [number(s) for s in sums]))
    )  # fmt: skip


def _quarters(table: FigureTable, months: list[date], key: str, title: str) -> FigureTable:
    """The month table summed by quarter (its numbers come from the month rows, so they always agree)."""
    sums: dict[str, list[float]] = {}
    for month, row in zip(months, table.rows, strict=True):
        values = [float(c.replace("\u00a0", "").replace(",", ".")) for c in row.cells]
        current = sums.setdefault(quarter_of(month), [0.0] * len(values))
        for i, v in enumerate(values):
            current[i] += v
    rows = [Row(q, [number(v) for v in values]) for q, values in sums.items()]
    return _with_chart(FigureTable(key, title, _("Kvartal"), table.columns, rows, table.total))


def _category_table(key, counts: dict[str, Decimal], labels: dict, row_heading: str) -> FigureTable:
    rows = [Row(str(label), [number(counts.get(k, 0))]) for k, label in labels.items()]
    total = Row(_("Totalt"), [number(sum(counts.get(k, Decimal(0)) for k in labels))])
    return _with_chart(FigureTable(key, str(FIGURE_TITLES[key]), row_heading, [_("Antal")], rows, total))


def _drill(figure: str, period: Period):
    def link(month: date) -> str:
        query = {"month": f"{month:%Y-%m}"}
        if period.district_id:
            query["district"] = str(period.district_id)
        return reverse("dashboards:drill", args=[figure]) + "?" + urlencode(query)

    return link


def lead_dashboard(*, agency_id: int, period: Period) -> dict:
    months = months_between(period.start, period.end)
    figures = DailyFigure.objects.filter(agency_id=agency_id, month__gte=period.start, month__lt=period.end)
    if period.district_id:
        figures = figures.filter(district_id=period.district_id)
    rows: dict = defaultdict(Decimal)
    for metric, key, month, total in (
        figures.filter(metric__in=PERIOD_METRICS)
        .values_list("metric", "key", "month")
        .annotate(total=Sum("value"))
        .order_by()
    ):
        rows[(metric, key, month)] += total
    state: dict = defaultdict(Decimal)
    current = DailyFigure.objects.filter(agency_id=agency_id, metric__in=["exit_active", "tasks_overdue"])
    if period.district_id:
        current = current.filter(district_id=period.district_id)
    for metric, key, total in current.values_list("metric", "key").annotate(total=Sum("value")).order_by():
        state[(metric, key)] += total

    run = common.last_run()
    until = common.as_of(run)
    kinds = {str(k): KIND_LABELS[str(k)] for k in GOAL_KINDS}

    def kind_of(metric: str, key: str) -> str | None:
        return key.split(":")[0] if metric == "incidents" else None

    incidents = _month_table("incidents", rows, months, kinds, metric_of=kind_of, drill=_drill("incidents", period))
    harm = _month_table(
        "harm", rows, months,
        {"dead": _("Döda"), "injured": _("Skadade"), "group_incidents": _("Tillskrivna grupperingar")},
        metric_of=lambda metric, key: metric if key in kinds else None, total=False,
    )  # fmt: skip
    harm.title, harm.chart_column = _("Döda, skadade och händelser som tillskrivs grupperingar"), 0
    _with_chart(harm)
    defaults = common.defaults()
    month_rows = {(m, k, mo): v for (m, k, mo), v in rows.items()}
    hours, cost = common.effort_by_month(month_rows, defaults)
    hours_table = _month_table(
        "hours", {("h", c, m): v for m, cols in hours.items() for c, v in cols.items()}, months,
        {"recorded": _("Registrerade timmar"), "default": _("Schablontimmar"), "total": _("Totalt")},
        metric_of=lambda metric, key: key, total=False,
    )  # fmt: skip
    hours_table.title = _("Polisens utredningstid (timmar) per månad")
    cost_table = _month_table(
        "cost", {("c", c, m): v for m, cols in cost.items() for c, v in cols.items()}, months,
        {"cost": _("Kostnad (kr)")}, metric_of=lambda metric, key: key, total=False,
    )  # fmt: skip
    cost_table.title = _("Vårdens och samhällets kostnad per månad (kr)")

    work = [
        _month_table("call_ins_held", rows, months, {"call_ins_held": _("Call-ins")},
                     metric_of=lambda m, k: m, total=False, drill=_drill("call_ins", period)),
        _month_table("attendance", rows, months, {"invited": _("Inbjudna"), "attended": _("Närvarande")},
                     metric_of=lambda m, k: m, total=False),
        _month_table("notifications", rows, months, {str(k): str(v) for k, v in DELIVERED_LABELS.items()},
                     metric_of=lambda m, k: k if m == "notifications" else None,
                     drill=_drill("notifications", period)),
        _month_table("notification_repeats", rows, months, {"notifications_repeated": _("Upprepade samtal")},
                     metric_of=lambda m, k: m, total=False),
        _month_table("help_requests", rows, months, {str(k): str(v) for k, v in HELP_LABELS.items()},
                     metric_of=lambda m, k: k if m == "help_requests" else None),
        _month_table("exit_opened", rows, months, {"exit_opened": _("Öppnade")}, metric_of=lambda m, k: m,
                     total=False, drill=_drill("exit_cases", period)),
        _month_table("enforcement_responses", rows, months, {"enforcement_responses": _("Insatser")},
                     metric_of=lambda m, k: m, total=False, drill=_drill("responses", period)),
    ]  # fmt: skip
    for table in work:
        if table.key == "attendance":
            table.title = str(FIGURE_TITLES["attendance"])
    closed: dict = defaultdict(Decimal)
    levers: dict = defaultdict(Decimal)
    histogram: dict[int, int] = defaultdict(int)
    for (metric, key, _month), value in rows.items():
        if metric == "exit_closed":
            closed[key] += value
        elif metric == "levers":
            levers[key] += value
        elif metric == "days_to_first_meeting":
            histogram[int(key)] += int(value)
    work += [
        _category_table("exit_closed", closed, CLOSED_LABELS, _("Utfall")),
        _category_table("exit_active", {k: v for (m, k), v in state.items() if m == "exit_active"}, PHASE_LABELS,
                        _("Fas")),
        _category_table("levers", levers, LEVER_LABELS, _("Åtgärd")),
    ]  # fmt: skip
    return {
        "months": months,
        "goal1": [
            incidents,
            _quarters(incidents, months, "incidents_quarters", _("Dödligt och grovt våld per kvartal")),
            harm,
        ],
        "rate_ratio": common.goal_rate_ratio(until=until, agency_id=agency_id, district_id=period.district_id),
        "survey": common.survey_rows(district_id=period.district_id, years=(period.start.year, period.end.year)),
        "goal3": hours_table,
        "goal4": cost_table,
        "work": work,
        "median_days": weighted_median(histogram),
        "median_cases": sum(histogram.values()),
        "tasks_overdue": int(state.get(("tasks_overdue", ""), 0)),
        "run": run,
        "as_of": until,
    }
