"""The incident register's month-by-month count: one series for both the table and the SVG bar chart.

Drawn on the server, so it needs no JavaScript library and no network; the table beside it carries the
same numbers for screen readers (and anyone who prefers figures).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

# Geometry of the chart, in SVG user units (the picture scales to the page width).
BAR = 22
STEP = 30
LEFT = 44  # room for the y-axis figures
TOP = 18  # room for the figure above the tallest bar
PLOT = 160
BOTTOM = 42  # room for the month and year labels
# At most this many months are drawn: from agencies.bounds.EARLIEST to the present is well inside it.
MAX_MONTHS = 12 * 60


@dataclass(frozen=True)
class MonthBar:
    month: datetime
    count: int
    dead: int
    x: float
    y: float
    height: float
    centre: float
    first_of_year: bool


@dataclass(frozen=True)
class Tick:
    value: int
    y: float


@dataclass(frozen=True)
class MonthChart:
    bars: list[MonthBar]
    ticks: list[Tick]
    width: int
    height: int
    plot_bottom: int
    plot_right: int
    total: int
    dead_total: int
    peak: int
    left: int = LEFT
    bar_width: int = BAR

    @property
    def first_month(self) -> datetime:
        return self.bars[0].month

    @property
    def last_month(self) -> datetime:
        return self.bars[-1].month


def _next_month(month: datetime) -> datetime:
    if month.year == 9999 and month.month == 12:
        return month  # the calendar ends here; fill_months stops at MAX_MONTHS
    return month.replace(year=month.year + 1, month=1) if month.month == 12 else month.replace(month=month.month + 1)


def fill_months(rows: list[dict], through: date | None = None) -> list[dict]:
    """Every month from the first that has a count to the last one — or to `through` (today, or the filter's end
    date) when that is later — the empty ones as zero: a gap in a bar chart would read as a missing figure, and a
    chart that stops at the last incident would hide that the months since were quiet."""
    if not rows:
        return []
    by_month = {(row["month"].year, row["month"].month): row for row in rows}
    month, last = rows[0]["month"], rows[-1]["month"]
    end = (last.year, last.month)
    if through is not None:
        end = max(end, (through.year, through.month))
    filled: list[dict] = []
    # The selector counts only the accepted window (agencies.bounds); MAX_MONTHS holds the chart to that
    # window's length even if a caller passes other rows (year 20 to 187 once made /handelser/ 9.9 MB).
    while (month.year, month.month) <= end and len(filled) < MAX_MONTHS:
        row = by_month.get((month.year, month.month))
        filled.append({"month": month, "count": row["count"] if row else 0, "dead": row["dead"] if row else 0})
        month = _next_month(month)
    return filled


def _ticks(peak: int) -> list[int]:
    if peak <= 4:
        return list(range(peak + 1))
    half = (peak + 1) // 2
    return [0, half, peak]


def month_chart(rows: list[dict], through: date | None = None) -> MonthChart | None:
    months = fill_months(rows, through)
    if not months:
        return None
    peak = max(row["count"] for row in months) or 1
    plot_bottom = TOP + PLOT
    bars = []
    for index, row in enumerate(months):
        height = PLOT * row["count"] / peak
        x = LEFT + index * STEP + (STEP - BAR) / 2
        bars.append(
            MonthBar(
                month=row["month"],
                count=row["count"],
                dead=row["dead"],
                x=x,
                y=plot_bottom - height,
                height=height,
                centre=x + BAR / 2,
                first_of_year=index == 0 or row["month"].month == 1,
            )
        )
    ticks = [Tick(value=value, y=plot_bottom - PLOT * value / peak) for value in _ticks(peak)]
    plot_right = LEFT + len(months) * STEP
    return MonthChart(
        bars=bars,
        ticks=ticks,
        width=plot_right + 8,
        height=plot_bottom + BOTTOM,
        plot_bottom=plot_bottom,
        plot_right=plot_right,
        total=sum(row["count"] for row in months),
        dead_total=sum(row["dead"] for row in months),
        peak=max(row["count"] for row in months),
    )
