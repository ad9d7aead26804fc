"""The group landscape drawn as inline SVG, on the server: no JavaScript, no library, works offline.

`landscape_svg(landscape)` is a pure function of a selectors.Landscape (what the user may see, already
gated): the same input always gives the same markup. Groups sit on a circle in the order given (by name),
relations are the edges between them.

Encoding, each in more than colour (WCAG 1.4.1), with a legend in the picture:
- a group's status: active = filled blue disc; inactive = amber ring; dissolved = grey dashed ring;
- a relation's kind: conflict = red solid line; alliance = green dashed line;
- a relation's status: active = thick and strong; dormant = thinner and lighter; ended = thin and faint.
Colours of the nodes and of active and dormant edges have at least 3:1 contrast with the white background
(WCAG 1.4.11); ended relations are deliberately faint, since they are history. The page shows the same data
as a table, which is the text alternative; the SVG carries role="img" with a <title> and a <desc>.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import TYPE_CHECKING

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import CriminalGroup, GroupRelation

if TYPE_CHECKING:
    from .selectors import Landscape

WIDTH = 960
NODE_RADIUS = 16
LABEL_GAP = 10
LABEL_MAX = 28
# A generous width of one character of a label (17 px, semibold): estimates err on the side of more room.
LABEL_CHAR = 10.5
PARALLEL_GAP = 26
INK = "#1b1f24"
FONT = 'font-family="system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif"'

# (fill, stroke, stroke width, dash) per group status.
NODE_STYLE: dict[str, tuple[str, str, float, str]] = {
    CriminalGroup.Status.ACTIVE: ("#0b4f8a", "#0b4f8a", 2, ""),
    CriminalGroup.Status.INACTIVE: ("#ffffff", "#8a5a00", 4, ""),
    CriminalGroup.Status.DISSOLVED: ("#ffffff", "#5a6470", 3, "5 4"),
}
# Colour per (kind, status); contrast with white: 7.8 / 3.1 / 2.1 (conflict), 6.5 / 3.4 / 2.0 (alliance).
EDGE_COLOUR: dict[tuple[str, str], str] = {
    (GroupRelation.Kind.CONFLICT, GroupRelation.Status.ACTIVE): "#a4161a",
    (GroupRelation.Kind.CONFLICT, GroupRelation.Status.DORMANT): "#d9777a",
    (GroupRelation.Kind.CONFLICT, GroupRelation.Status.ENDED): "#e3a3a5",
    (GroupRelation.Kind.ALLIANCE, GroupRelation.Status.ACTIVE): "#1e6b35",
    (GroupRelation.Kind.ALLIANCE, GroupRelation.Status.DORMANT): "#4f9a66",
    (GroupRelation.Kind.ALLIANCE, GroupRelation.Status.ENDED): "#8cc29c",
}
EDGE_WIDTH: dict[str, float] = {
    GroupRelation.Status.ACTIVE: 4,
    GroupRelation.Status.DORMANT: 2.5,
    GroupRelation.Status.ENDED: 1.5,
}
EDGE_DASH: dict[str, str] = {GroupRelation.Kind.CONFLICT: "", GroupRelation.Kind.ALLIANCE: "10 6"}


def _n(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _short(name: str) -> str:
    return name if len(name) <= LABEL_MAX else name[: LABEL_MAX - 1].rstrip() + "…"


def _radius(count: int) -> float:
    if count <= 1:
        return 0
    if count == 2:
        return 150
    return min(260, max(150, count * 20))


def _layout(count: int) -> tuple[float, float, float, list[tuple[float, float, float]]]:
    """(centre x, centre y, radius, [(x, y, angle)]): evenly on a circle, the first at the top."""
    radius = _radius(count)
    cx, cy = WIDTH / 2, 50 + radius + 30
    points = []
    for i in range(count):
        angle = -math.pi / 2 + 2 * math.pi * i / count if count > 1 else -math.pi / 2
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle), angle))
    return cx, cy, radius, points


def _node(x: float, y: float, status: str, title: str = "") -> str:
    fill, stroke, width, dash = NODE_STYLE.get(status, NODE_STYLE[CriminalGroup.Status.ACTIVE])
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    inner = f"<title>{escape(title)}</title>" if title else ""
    return (
        f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{NODE_RADIUS}" fill="{fill}" stroke="{stroke}" '
        f'stroke-width="{width}"{dash_attr}>{inner}</circle>'
    )


def _edge_attrs(kind: str, status: str) -> str:
    colour = EDGE_COLOUR[(kind, status)]
    dash = EDGE_DASH.get(kind, "")
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    return f'fill="none" stroke="{colour}" stroke-width="{EDGE_WIDTH[status]}"{dash_attr} stroke-linecap="round"'


def _label_place(x: float, y: float, angle: float, single: bool) -> tuple[float, float, str]:
    cos, sin = math.cos(angle), math.sin(angle)
    if single:
        cos, sin = 0.0, 1.0
    lx, ly = x + (NODE_RADIUS + LABEL_GAP) * cos, y + (NODE_RADIUS + LABEL_GAP) * sin
    anchor = "start" if cos > 0.25 else "end" if cos < -0.25 else "middle"
    ly += 16 if sin > 0.5 else -5 if sin < -0.5 else 6
    return lx, ly, anchor


def _label_span(x: float, y: float, angle: float, text: str, single: bool) -> tuple[float, float]:
    """How far left and right a label reaches, estimated from its length (the server cannot measure text):
    the picture's viewBox widens to it, so a long name at the side of the circle is never clipped."""
    lx, _ly, anchor = _label_place(x, y, angle, single)
    width = len(_short(text)) * LABEL_CHAR
    if anchor == "start":
        return lx, lx + width
    if anchor == "end":
        return lx - width, lx
    return lx - width / 2, lx + width / 2


def _label(x: float, y: float, angle: float, text: str, single: bool) -> str:
    lx, ly, anchor = _label_place(x, y, angle, single)
    return (
        f'<text x="{_n(lx)}" y="{_n(ly)}" text-anchor="{anchor}" font-size="17" font-weight="600" fill="{INK}" '
        f'stroke="#ffffff" stroke-width="4" paint-order="stroke" stroke-linejoin="round">{escape(_short(text))}</text>'
    )


def _legend(top: float) -> list[str]:
    parts = [f'<g class="landscape-legend" {FONT} font-size="15" fill="{INK}">']
    parts.append(f'<text x="40" y="{_n(top)}" font-weight="700">{escape(_("Teckenförklaring"))}</text>')
    row = top + 30
    parts.append(f'<text x="40" y="{_n(row + 5)}">{escape(_("Grupperingar:"))}</text>')
    for i, (status, label) in enumerate(CriminalGroup.Status.choices):
        x = 190 + i * 170
        parts.append(_node(x, row, status))
        parts.append(f'<text x="{x + 26}" y="{_n(row + 5)}">{escape(str(label))}</text>')
    for kind, kind_label in GroupRelation.Kind.choices:
        row += 36
        parts.append(f'<text x="40" y="{_n(row + 5)}">{escape(str(kind_label))}:</text>')
        for i, (status, status_label) in enumerate(GroupRelation.Status.choices):
            x = 174 + i * 170
            parts.append(f'<path d="M {x} {_n(row)} L {x + 44} {_n(row)}" {_edge_attrs(kind, status)}/>')
            parts.append(f'<text x="{x + 54}" y="{_n(row + 5)}">{escape(str(status_label))}</text>')
    parts.append("</g>")
    return parts


def landscape_svg(landscape: Landscape, *, id_prefix: str = "landscape") -> SafeString:
    """The picture of the visible groups and relations, or "" when there are no groups to draw."""
    groups, relations = landscape.groups, landscape.relations
    if not groups:
        return mark_safe("")
    cx, cy, radius, points = _layout(len(groups))
    where = {group.pk: point for group, point in zip(groups, points, strict=True)}
    names = {group.pk: group.name for group in groups}
    drawn = [r for r in relations if r.group_a_id in where and r.group_b_id in where]

    legend_top = cy + radius + 70
    height = legend_top + 125
    conflicts = sum(1 for r in drawn if r.kind == GroupRelation.Kind.CONFLICT)
    alliances = len(drawn) - conflicts
    title = _("Karta över grupperingar och relationerna mellan dem")
    desc = " ".join(
        [
            ngettext("%(count)s gruppering", "%(count)s grupperingar", len(groups)) % {"count": len(groups)},
            _("och"),
            ngettext("%(count)s relation", "%(count)s relationer", len(drawn)) % {"count": len(drawn)},
            "("
            + ngettext("%(count)s konflikt", "%(count)s konflikter", conflicts) % {"count": conflicts}
            + ", "
            + ngettext("%(count)s allians", "%(count)s allianser", alliances) % {"count": alliances}
            + ").",
            _("Samma uppgifter finns i tabellen under bilden."),
        ]
    )
    spans = [_label_span(*where[g.pk], g.name, single=len(groups) == 1) for g in groups]
    left = min(0.0, min(span[0] for span in spans) - LABEL_GAP)
    right = max(float(WIDTH), max(span[1] for span in spans) + LABEL_GAP)
    box = f"{_n(left)} 0 {_n(right - left)} {_n(height)}"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="landscape" viewBox="{box}" '
        f'role="img" aria-labelledby="{id_prefix}-title {id_prefix}-desc" {FONT}>',
        f'<title id="{id_prefix}-title">{escape(title)}</title>',
        f'<desc id="{id_prefix}-desc">{escape(desc)}</desc>',
        f'<rect x="{_n(left)}" y="0" width="{_n(right - left)}" height="{_n(height)}" fill="#ffffff"/>',
        '<g class="landscape-edges">',
    ]
    # Several relations between the same two groups are drawn side by side as gentle curves.
    by_pair: dict[tuple[int, int], list[GroupRelation]] = defaultdict(list)
    for relation in drawn:
        a, b = sorted((relation.group_a_id, relation.group_b_id))
        by_pair[(a, b)].append(relation)
    for (a, b), pair in by_pair.items():
        (x1, y1, _a1), (x2, y2, _a2) = where[a], where[b]
        length = math.hypot(x2 - x1, y2 - y1) or 1.0
        nx, ny = -(y2 - y1) / length, (x2 - x1) / length
        for i, relation in enumerate(pair):
            offset = (i - (len(pair) - 1) / 2) * PARALLEL_GAP
            if offset:
                qx, qy = (x1 + x2) / 2 + nx * offset * 2, (y1 + y2) / 2 + ny * offset * 2
                d = f"M {_n(x1)} {_n(y1)} Q {_n(qx)} {_n(qy)} {_n(x2)} {_n(y2)}"
            else:
                d = f"M {_n(x1)} {_n(y1)} L {_n(x2)} {_n(y2)}"
            tip = f"{relation.get_kind_display()}: {names[a]} – {names[b]} ({relation.get_status_display().lower()})"
            out.append(
                f'<path d="{d}" {_edge_attrs(relation.kind, relation.status)} '
                f'data-relation="{relation.pk}"><title>{escape(tip)}</title></path>'
            )
    out.append("</g>")
    out.append('<g class="landscape-nodes">')
    for group in groups:
        x, y, angle = where[group.pk]
        tip = f"{group.name} ({group.get_status_display().lower()})"
        out.append(f'<g data-group="{group.pk}">{_node(x, y, group.status, tip)}')
        out.append(_label(x, y, angle, group.name, single=len(groups) == 1) + "</g>")
    out.append("</g>")
    out.extend(_legend(legend_top))
    out.append("</svg>")
    return mark_safe("\n".join(out))  # noqa: S308 - every text in it went through escape()
