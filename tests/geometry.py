"""Facts a reader sees, read off a drawing's SVG as Graphviz wrote it: nodes, edge paths, θ labels."""
from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"


def shapes(svg_text: str):
    """(nodes, labels, edges): nodes {id: (cx, cy, rx, ry)}, labels {id: (x0, y0, x1, y1)}, edges [(src, dst, points)]."""
    root = ET.fromstring(svg_text)
    nodes, labels, edges = {}, {}, []
    for g in root.iter(f"{SVG}g"):
        title = g.find(f"{SVG}title")
        if title is None:
            continue
        name = title.text or ""
        if "node" in (g.get("class") or "").split():   # θ labels also carry their parameter's class
            text = next(g.iter(f"{SVG}text"), None)
            if name.startswith("label:") and text is not None:
                x, y, size = float(text.get("x")), float(text.get("y")), float(text.get("font-size", 10))
                width = 0.65 * size * len(text.text or "")   # Helvetica's capitals are about 0.67 em
                labels[name] = (x - width / 2, y - 0.8 * size, x + width / 2, y + 0.2 * size)
                continue
            box = _outline(g)
            if box and not name.startswith(("bend:", "caption", "cell:")):   # a cell's box holds nodes on purpose
                nodes[name] = box
        elif g.get("class") == "edge":
            path = next(g.iter(f"{SVG}path"), None)
            if path is not None:
                src, _, dst = name.partition("->")
                edges.append((src, dst, _points(path.get("d"))))
    return nodes, labels, edges


def _outline(g):
    ellipse = next(g.iter(f"{SVG}ellipse"), None)
    if ellipse is not None:
        return tuple(float(ellipse.get(k)) for k in ("cx", "cy", "rx", "ry"))
    polygon = next(g.iter(f"{SVG}polygon"), None)
    path = next(g.iter(f"{SVG}path"), None)   # a rounded box
    if polygon is not None:
        points = [tuple(map(float, p.split(","))) for p in polygon.get("points").split()]
    elif path is not None:
        points = _points(path.get("d"))
    else:
        return None
    xs, ys = zip(*points)
    return ((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2, (max(xs) - min(xs)) / 2, (max(ys) - min(ys)) / 2)


def _points(d: str) -> list[tuple[float, float]]:
    numbers = [float(v) for v in re.findall(r"-?\d+\.?\d*(?:e-?\d+)?", d)]
    return list(zip(numbers[::2], numbers[1::2]))


def through_nodes(nodes, edges, margin: float = 3.0) -> list[tuple[str, str, str]]:
    """(src, dst, node) for every edge that runs over a node it does not touch (bend points joined up)."""
    found = []
    for src, dst, points in edges:
        ends = {src.split(":")[0] if src.startswith("bend") else src, dst}
        for name, (cx, cy, rx, ry) in nodes.items():
            if name in (src, dst) or name in ends:
                continue
            for (x1, y1), (x2, y2) in zip(points, points[1:]):
                if _segment_hits(x1, y1, x2, y2, cx, cy, rx - margin, ry - margin):
                    found.append((src, dst, name))
                    break
    return found


def _segment_hits(x1, y1, x2, y2, cx, cy, rx, ry) -> bool:
    for k in range(21):
        t = k / 20
        x, y = x1 + t * (x2 - x1), y1 + t * (y2 - y1)
        if ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 < 1:
            return True
    return False


def struck_labels(labels, edges, margin: float = 1.0) -> list[tuple[str, str, str]]:
    """(label, src, dst) for every θ label an edge's line runs through (sampled, as through_nodes does)."""
    found = []
    for name, (x0, y0, x1, y1) in labels.items():
        for src, dst, points in edges:
            for (ax, ay), (bx, by) in zip(points, points[1:]):
                if any(x0 + margin < ax + k / 20 * (bx - ax) < x1 - margin and
                       y0 + margin < ay + k / 20 * (by - ay) < y1 - margin for k in range(21)):
                    found.append((name, src, dst))
                    break
    return found


def overlapping_nodes(nodes) -> list[tuple[str, str]]:
    items = list(nodes.items())
    return [(a, b) for i, (a, (ax, ay, arx, ary)) in enumerate(items) for b, (bx, by, brx, bry) in items[i + 1:]
            if abs(ax - bx) < arx + brx - 1 and abs(ay - by) < ary + bry - 1]


def overlapping_labels(labels) -> list[tuple[str, str]]:
    items = list(labels.items())
    return [(a, b) for i, (a, p) in enumerate(items) for b, q in items[i + 1:]
            if p[0] < q[2] and q[0] < p[2] and p[1] < q[3] and q[1] < p[3]]


def labels_on_nodes(labels, nodes) -> list[tuple[str, str]]:
    return [(a, n) for a, (x0, y0, x1, y1) in labels.items() for n, (cx, cy, rx, ry) in nodes.items()
            if x0 < cx + rx - 2 and cx - rx + 2 < x1 and y0 < cy + ry - 2 and cy - ry + 2 < y1]


def distance(a, b) -> float:
    return math.hypot(a[0] - b[0], a[1] - b[1])


def crossings(edges) -> int:
    """How many pairs of edges cross (sharing no end), counting each pair once."""
    segments = []
    for k, (src, dst, points) in enumerate(edges):
        segments += [(k, a, b) for a, b in zip(points[::3], points[3::3])] or []
        if len(points) >= 2 and len(points) < 4:
            segments.append((k, points[0], points[-1]))
    ends = [{src, dst} for src, dst, _ in edges]
    crossed = set()
    for i, (k, a, b) in enumerate(segments):
        for m, c, d in segments[i + 1:]:
            if k != m and (k, m) not in crossed and not (ends[k] & ends[m]) and _cross(a, b, c, d):
                crossed.add((k, m))
    return len(crossed)


def _cross(a, b, c, d) -> bool:
    def side(p, q, r):
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])
    return side(a, b, c) * side(a, b, d) < 0 and side(c, d, a) * side(c, d, b) < 0
