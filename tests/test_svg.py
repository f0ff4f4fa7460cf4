"""The direct SVG writer for big unfolded graphs draws what Graphviz draws, where Graphviz draws it."""
import math
import re
import xml.etree.ElementTree as ET

import pytest

from graphs import parse
from graphs.catalog import CATALOG
from graphs.unfold import unfold
from viz import Diagram
from viz.dot import LARGE, to_dot
from viz.render import render_svg
from viz.routes import Lanes, bend
from viz.notation import book
from viz.svg import suits, to_svg

SVG = "{http://www.w3.org/2000/svg}"


def _translate(element) -> tuple[float, float]:
    found = re.search(r"translate\(([-\d.]+)[ ,]([-\d.]+)\)", element.get("transform", ""))
    return (float(found[1]), float(found[2])) if found else (0.0, 0.0)


def _centres(svg: str) -> dict[str, tuple[float, float, float]]:
    """Node id → (x, y, half width) in the drawing's coordinates, from Graphviz's SVG or ours."""
    found = {}

    def walk(element, dx, dy):
        tx, ty = _translate(element)
        dx, dy = dx + tx, dy + ty
        if element.get("class") == "node":
            title = element.find(SVG + "title")
            name = title.text if element.get("id", "").startswith("node") else element.get("id")
            shape = next((s for s in element.iter() if s.tag in (SVG + "ellipse", SVG + "circle")), None)
            if shape is not None:
                half = float(shape.get("rx") or shape.get("r"))
                found[name] = (float(shape.get("cx")) + dx, float(shape.get("cy")) + dy, half)
        for child in element:
            walk(child, dx, dy)
    walk(ET.fromstring(svg), 0.0, 0.0)
    return found


@pytest.mark.parametrize("name", sorted(n for n in CATALOG if not parse(CATALOG[n].text).tree))
@pytest.mark.parametrize("param_nodes", [False, True])
def test_nodes_sit_where_graphviz_puts_them_and_are_as_big(name, param_nodes, graphviz_dot):
    graph = unfold(parse(CATALOG[name].text), 6, param_nodes=param_nodes)
    ours, theirs = _centres(to_svg(graph, param_nodes=param_nodes)), _centres(render_svg(to_dot(graph, param_nodes=param_nodes)))
    assert ours.keys() == theirs.keys() and len(ours) >= 6
    first = sorted(ours)[0]
    for node, (x, y, half) in ours.items():   # the same picture up to where its origin is
        gx, gy, ghalf = theirs[node]
        assert abs((x - ours[first][0]) - (gx - theirs[first][0])) < 1.0, node
        assert abs((y - ours[first][1]) - (gy - theirs[first][1])) < 1.0, node
        assert abs(half - ghalf) <= 0.12 * ghalf, node


def test_labels_edges_and_values_are_all_drawn():
    graph = unfold(parse(CATALOG["elman"].text), 5)
    values = {"h@2": 0.5, "h@3": -1.0}
    root = ET.fromstring(to_svg(graph, values=values, muted={"h@5"}, title="Elman <τ = 5>"))
    texts = [t.text for t in root.iter(SVG + "text")]
    assert texts.count("W") == 5 and texts.count("U") == 5 and texts.count("V") == 5   # θ on every step
    assert {book(n.label) for n in graph.nodes} <= set(texts)   # h⁽³⁾, ŷ⁽³⁾: the book's notation by default
    plain = ET.fromstring(to_svg(graph, notation="plain"))
    assert {n.label for n in graph.nodes} <= {t.text for t in plain.iter(SVG + "text")}
    assert "Elman <τ = 5>" in texts and "+0.5" in texts   # title escaped; the legend's scale
    assert len([g for g in root.iter(SVG + "g") if g.get("class") == "edge"]) == len(graph.edges)
    fills = {g.get("id"): g.find(SVG + "circle").get("fill") for g in root.iter(SVG + "g")
             if g.get("class") == "node" and g.find(SVG + "circle") is not None}
    assert fills["h@3"] == "#2563eb" and fills["h@5"] == "#f9fafb" and fills["h@1"] == "#dcfce7"


def test_big_unfolded_graphs_are_written_directly_and_small_ones_by_graphviz(monkeypatch):
    circuit = parse(CATALOG["elman"].text)
    big, small = unfold(circuit, LARGE // 6 + 1), unfold(circuit, 20)
    assert suits(big) and not suits(small) and not suits(circuit)

    def no_graphviz(*args, **kwargs):
        raise AssertionError("Graphviz was called")
    monkeypatch.setattr("viz.api.render", no_graphviz)
    root = ET.fromstring(Diagram(big).render("svg"))
    assert len([g for g in root.iter(SVG + "g") if g.get("class") == "node"]) == len(big.nodes)
    with pytest.raises(AssertionError, match="Graphviz"):
        Diagram(small).render("svg")


def test_circuits_are_not_drawn_directly():
    with pytest.raises(ValueError, match="Graphviz"):
        to_svg(parse(CATALOG["elman"].text))


def _segments_and_circles(svg: str):
    """Every drawn line (from Graphviz's paths or our lines) and every circle, in absolute coordinates."""
    segments, circles = [], []

    def walk(element, dx, dy):
        tx, ty = _translate(element)
        dx, dy = dx + tx, dy + ty
        if element.tag == SVG + "line":
            segments.append(tuple(float(element.get(k)) + (dx if k[0] == "x" else dy) for k in ("x1", "y1", "x2", "y2")))
        elif element.tag == SVG + "path":
            points = [tuple(map(float, p.split(","))) for p in re.findall(r"[-\d.]+,[-\d.]+", element.get("d"))]
            segments.append((points[0][0] + dx, points[0][1] + dy, points[-1][0] + dx, points[-1][1] + dy))
        elif element.tag in (SVG + "circle", SVG + "ellipse"):
            circles.append((float(element.get("cx")) + dx, float(element.get("cy")) + dy,
                            float(element.get("r") or element.get("rx"))))
        for child in element:
            walk(child, dx, dy)
    walk(ET.fromstring(svg), 0.0, 0.0)
    return segments, circles


def _crossings(svg: str) -> list:
    """Level or upright lines that run through a node's circle (not merely touching the nodes they join).

    Slanted edges are left out: a fan from a value computed once (the encoder-decoder's C) still crosses.
    """
    segments, circles = _segments_and_circles(svg)
    found = []
    for x1, y1, x2, y2 in segments:
        if abs(x2 - x1) > 0.5 and abs(y2 - y1) > 0.5:
            continue
        for cx, cy, r in circles:
            length2 = (x2 - x1) ** 2 + (y2 - y1) ** 2 or 1.0
            t = max(0.0, min(1.0, ((cx - x1) * (x2 - x1) + (cy - y1) * (y2 - y1)) / length2))
            if math.hypot(x1 + t * (x2 - x1) - cx, y1 + t * (y2 - y1) - cy) < 0.7 * r:
                found.append(((x1, y1, x2, y2), (cx, cy)))
    return found


@pytest.mark.parametrize("name", sorted(n for n in CATALOG if not parse(CATALOG[n].text).tree))
def test_no_edge_runs_behind_a_node_in_either_writer(name, graphviz_dot):
    graph = unfold(parse(CATALOG[name].text), 5)
    assert _crossings(to_svg(graph)) == []
    assert _crossings(render_svg(to_dot(graph))) == []


def test_edges_bend_around_the_nodes_in_their_way_and_apart_when_repeated():
    positions = {f"h@{t}": (100.0 * t, 0.0) for t in range(4)} | {f"x@{t}": (100.0 * t, -78.0) for t in range(4)}
    lanes = Lanes(100.0, lambda: positions)
    assert lanes.between((0, 0), (100, 0)) == 0 and lanes.between((0, 0), (300, 0)) == 2
    assert lanes.between((0, -78), (100, 0)) == 0                 # slanted: not counted
    assert bend((0, 0), (100, 0), 0) is None                       # nothing in the way: straight
    x, y = bend((0, 0), (200, 0), 1)                               # h(t-2) → h(t): over h(t-1)
    assert x == 100 and y > 0
    assert bend((0, 0), (300, 0), 2)[1] > y                        # more in the way: further out
    assert bend((0, 0), (0, 78), 0, repeat=1)[0] < 0               # a second edge bends aside
