"""The shape every dashboard figure takes on a page, in an export and in a report: a titled table whose
cells are already display strings (a number, or "<3" / ".." on the joint dashboard), and the SVG chart drawn
from the same numbers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils import formats


@dataclass
class Row:
    label: str
    cells: list[str]
    link: str = ""  # a lead's drill-down list for this row (never on the joint dashboard)


@dataclass
class FigureTable:
    key: str
    title: str
    row_heading: str
    columns: list[str]
    rows: list[Row]
    total: Row | None = None
    note: str = ""
    chart: str = ""  # SVG markup, drawn by dashboards.charts
    chart_column: int = -1  # which column the chart draws (default: the last, the row total)
    extra: dict = field(default_factory=dict)


def month_label(month: date) -> str:
    # ISO year-month: short enough for a chart's axis, the same in both languages and in the exports.
    return f"{month:%Y-%m}"


def months_between(start: date, end: date) -> list[date]:
    """First days of the months from start's month up to, not including, end's month."""
    months, month = [], start.replace(day=1)
    while month < end:
        months.append(month)
        month = (
            month.replace(year=month.year + 1, month=1) if month.month == 12 else month.replace(month=month.month + 1)
        )
    return months


def quarter_of(month: date) -> str:
    return f"{month.year} K{(month.month - 1) // 3 + 1}"


def number(value) -> str:
    """A figure as the page shows it: whole numbers without decimals, Swedish thousands separators."""
    if value is None:
        return "–"
    rounded = round(float(value), 1)
    if rounded == int(rounded):
        return formats.number_format(int(rounded), force_grouping=True)
    return formats.number_format(rounded, decimal_pos=1, force_grouping=True)
