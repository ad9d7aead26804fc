"""Bar charts drawn on the server as SVG, as the incident month counts are (cases/views/incident_months.py).

One series per chart, so no meaning rests on colour (WCAG 1.4.1); the bars are dark blue on white (8:1
contrast, above 1.4.11's 3:1) and every bar carries its figure as text. A hidden figure on the joint
dashboard is drawn as no bar, with its "<3" or ".." written where the bar would be. The page shows the same
numbers as a table; the SVG has role="img", a title and a description.
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

BAR_COLOUR = "#0b4f8a"
INK = "#1b1f24"
GRID = "#8a939c"
STEP = 34
BAR = 24
LEFT = 12
TOP = 22
PLOT = 150
BOTTOM = 48


def _parse(display: str) -> float | None:
    try:
        return float(display.replace("\u00a0", "").replace(" ", "").replace(",", "."))
    except ValueError:
        return None


def bar_chart(*, key: str, title: str, labels: list[str], displays: list[str]) -> SafeString:
    if not labels:
        return mark_safe("")
    values = [_parse(d) for d in displays]
    peak = max((v for v in values if v is not None), default=0) or 1
    width = LEFT * 2 + STEP * len(labels)
    height = TOP + PLOT + BOTTOM
    base = TOP + PLOT
    parts = [
        f'<svg class="dash-chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-labelledby="chart-{key}-title chart-{key}-desc" focusable="false">',
        f'<title id="chart-{key}-title">{escape(title)}</title>',
        f'<desc id="chart-{key}-desc">{escape(_("Stapeldiagram. Samma siffror finns i tabellen under."))}</desc>',
        f'<line x1="{LEFT}" x2="{width - LEFT}" y1="{base}" y2="{base}" stroke="{GRID}" stroke-width="1"/>',
    ]
    for index, (label, display, value) in enumerate(zip(labels, displays, values, strict=True)):
        x = LEFT + index * STEP + (STEP - BAR) / 2
        centre = x + BAR / 2
        bar_height = PLOT * (value or 0) / peak
        if value:
            parts.append(
                f'<rect x="{x:.1f}" y="{base - bar_height:.1f}" width="{BAR}" height="{bar_height:.1f}" '
                f'fill="{BAR_COLOUR}"/>'
            )
        parts.append(
            f'<text x="{centre:.1f}" y="{base - bar_height - 5:.1f}" text-anchor="middle" font-size="12" '
            f'fill="{INK}">{escape(display)}</text>'
        )
        parts.append(
            f'<text x="{centre:.1f}" y="{base + 16}" text-anchor="end" font-size="11" fill="{INK}" '
            f'transform="rotate(-35 {centre:.1f} {base + 16})">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text part above is escaped
