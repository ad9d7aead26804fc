"""The landscape picture is a pure function of what the user may see: same input, same SVG."""

import re
from typing import Any
from xml.etree import ElementTree

import pytest

from cases.models import CriminalGroup, GroupRelation
from cases.selectors import Landscape
from cases.svg import EDGE_COLOUR, NODE_STYLE, landscape_svg

SVG = "{http://www.w3.org/2000/svg}"


def g(pk, name, status="active"):
    return CriminalGroup(pk=pk, name=name, status=status)


def r(pk, a, b, kind="conflict", status="active"):
    return GroupRelation(pk=pk, group_a_id=a.pk, group_b_id=b.pk, kind=kind, status=status)


def parse(markup: str) -> Any:  # the tests read the tree loosely; a missing element fails them anyway
    return ElementTree.fromstring(str(markup))  # noqa: S314 - our own output, parsed to check it is well formed


def contrast(hex_colour: str, background: str = "#ffffff") -> float:
    def luminance(h):
        channels = [int(h.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((luminance(hex_colour), luminance(background)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.fixture
def picture():
    a, b, c = g(1, "Alfa"), g(2, "Beta", "inactive"), g(3, "Gamma & <Co>", "dissolved")
    relations = [r(10, a, b), r(11, a, b, "alliance", "ended"), r(12, b, c, "alliance", "dormant")]
    return Landscape(groups=[a, b, c], relations=relations)


def test_empty_landscape_draws_nothing():
    assert landscape_svg(Landscape(groups=[], relations=[])) == ""


def test_is_deterministic_and_well_formed(picture):
    first = landscape_svg(picture)
    assert first == landscape_svg(picture)
    root = parse(first)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert root.get("aria-labelledby") == "landscape-title landscape-desc"
    assert root.find(f"{SVG}title").get("id") == "landscape-title"
    desc = root.find(f"{SVG}desc").text
    assert "3 grupperingar och 3 relationer (1 konflikt, 2 allianser)." in desc


def test_names_are_escaped(picture):
    markup = str(landscape_svg(picture))
    assert "Gamma &amp; &lt;Co&gt;" in markup and "<Co>" not in markup


def test_one_node_per_group_and_one_edge_per_relation(picture):
    root = parse(landscape_svg(picture))
    nodes = root.findall(f".//{SVG}g[@data-group]")
    edges = root.findall(f".//{SVG}path[@data-relation]")
    assert [n.get("data-group") for n in nodes] == ["1", "2", "3"]
    assert sorted(e.get("data-relation") for e in edges) == ["10", "11", "12"]
    # Two relations between the same groups are drawn apart, as curves.
    by_id = {e.get("data-relation"): e.get("d") for e in edges}
    assert " Q " in by_id["10"] and " Q " in by_id["11"] and by_id["10"] != by_id["11"]
    assert " L " in by_id["12"]


def test_edges_styled_by_kind_and_status(picture):
    root = parse(landscape_svg(picture))
    edges = {e.get("data-relation"): e for e in root.findall(f".//{SVG}path[@data-relation]")}
    conflict, ended_alliance, dormant_alliance = edges["10"], edges["11"], edges["12"]
    assert conflict.get("stroke") == "#a4161a" and conflict.get("stroke-dasharray") is None
    assert conflict.get("stroke-width") == "4"
    assert dormant_alliance.get("stroke-dasharray") == "10 6" and dormant_alliance.get("stroke-width") == "2.5"
    assert ended_alliance.get("stroke-width") == "1.5"
    assert "Allians: Alfa – Beta (avslutad)" in ended_alliance.find(f"{SVG}title").text


def test_nodes_styled_by_status(picture):
    root = parse(landscape_svg(picture))
    circles = {n.get("data-group"): n.find(f"{SVG}circle") for n in root.findall(f".//{SVG}g[@data-group]")}
    assert circles["1"].get("fill") == "#0b4f8a"
    assert circles["2"].get("fill") == "#ffffff" and circles["2"].get("stroke") == "#8a5a00"
    assert circles["3"].get("stroke-dasharray") == "5 4"


def test_legend_names_every_status_and_kind(picture):
    root = parse(landscape_svg(picture))
    legend = root.find(f".//{SVG}g[@class='landscape-legend']")
    words = " ".join(t.text for t in legend.iter(f"{SVG}text"))
    for word in ("Teckenförklaring", "Aktiv", "Inaktiv", "Upplöst", "Konflikt", "Allians", "Vilande", "Avslutad"):
        assert word in words


def test_relation_to_a_group_not_in_the_picture_is_not_drawn():
    a, b, hidden = g(1, "Alfa"), g(2, "Beta"), g(3, "Dold")
    markup = str(landscape_svg(Landscape(groups=[a, b], relations=[r(10, a, b), r(11, a, hidden)])))
    assert 'data-relation="11"' not in markup and "Dold" not in markup
    assert "2 grupperingar och 1 relation " in markup


def test_single_group_and_long_names():
    long = "En mycket lång grupperingsbeteckning som inte får plats"
    root = parse(landscape_svg(Landscape(groups=[g(1, long)], relations=[])))
    label = root.find(f".//{SVG}g[@data-group='1']/{SVG}text").text
    assert label.endswith("…") and len(label) <= 28
    assert "1 gruppering och 0 relationer" in root.find(f"{SVG}desc").text


def test_colours_have_enough_contrast():
    for (_kind, status), colour in EDGE_COLOUR.items():
        if status != "ended":  # ended relations are faint on purpose; the table carries them
            assert contrast(colour) >= 3, colour
    for _fill, stroke, _width, _dash in NODE_STYLE.values():
        assert contrast(stroke) >= 3, stroke


def test_layout_stays_inside_the_picture():
    groups = [g(i, f"Grupp {i}") for i in range(1, 21)]
    root = parse(landscape_svg(Landscape(groups=groups, relations=[])))
    _x, _y, width, height = (float(v) for v in root.get("viewBox").split())
    for circle in root.iter(f"{SVG}circle"):
        assert 0 < float(circle.get("cx")) < width and 0 < float(circle.get("cy")) < height
    assert re.fullmatch(r"[\d.]+", root.get("viewBox").split()[3])


def test_a_long_name_at_the_side_of_the_circle_is_not_clipped():
    # Twelve groups put one at the far left of the circle, where an end-anchored label reaches leftwards; the
    # demo's "Nätverket Gamla Kiosken" was cut off there. The viewBox widens to the estimated label width.
    names = [f"Grupp {i}" for i in range(12)]
    names[9] = "Nätverket Gamla Kiosken"  # index 9 of 12 sits at angle pi: the far left
    root = parse(landscape_svg(Landscape(groups=[g(i + 1, n) for i, n in enumerate(names)], relations=[])))
    min_x, _y, width, _h = (float(v) for v in root.get("viewBox").split())
    label = root.find(f".//{SVG}g[@data-group='10']/{SVG}text")
    assert label.get("text-anchor") == "end"
    assert float(label.get("x")) - len(label.text) * 10.5 >= min_x
    assert min_x < 0 and width > 960
    # A picture whose labels fit keeps the plain 0 0 960 box.
    assert (
        parse(landscape_svg(Landscape(groups=[g(1, "Alfa"), g(2, "Beta")], relations=[])))
        .get("viewBox")
        .startswith("0 0 960 ")
    )
