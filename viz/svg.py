"""SVG written directly for big unfolded graphs, whose every position `viz/layout.py` already knows.

Given every position (`neato -n2`), Graphviz still spends 30–40 µs on each node, edge and label:
parsing, attribute look-ups, clipping, printing. At τ = 10,000 that is 150,000 objects and over 4 s.
Writing the same shapes here is string formatting: 0.5–0.8 s at τ = 10,000, against 4.5–6 s. Circuits,
drawings up to `LARGE` nodes (everything the app shows), PNG and PDF still go through Graphviz.
"""
from __future__ import annotations

from graphs.ir import Edge, Graph
from graphs.nogc import paused_gc

from . import colors
from .dot import LARGE, ROUND, edge_label, edge_style, label_look, node_style, tooltip, uncarried, unlabelled
from .layout import grid
from .routes import Lanes, label_position
from .svg_shapes import edge_look, edge_svg, node_start, stroke, xml_text
from .notation import show
from .style import FONT, NODE_STYLE
from .textsize import CIRCLE_FIT, INCH, LABEL_MARGIN, MIN_HEIGHT, MIN_WIDTH, size_key, text_width, variable_diameters

PAD = 8.0


def suits(graph: Graph) -> bool:
    """Whether a graph is drawn here: unfolded (positions known, no tree) and bigger than LARGE nodes."""
    return graph.steps is not None and not graph.tree and len(graph.nodes) > LARGE


class _Look:
    """What one style draws, worked out once: outline, paint, font, and half-sizes for each label width."""

    def __init__(self, style: dict[str, str]):
        self.shape = style.get("shape", "circle")
        self.size = float(style.get("fontsize", 11))
        words = style.get("style", "").split(",")
        fill = style.get("fillcolor", "lightgrey") if "filled" in words else "none"
        self.paint = f'fill="{fill}" {stroke(style)}'
        self.outline = f'fill="none" {stroke(style)}'
        self.corner = ' rx="6"' if "rounded" in words else ""
        self.font = f'text-anchor="middle" font-size="{self.size:g}" fill="{style.get("fontcolor", "black")}"'
        self.fixed = style.get("fixedsize") == "true"
        self.width = float(style.get("width", MIN_WIDTH / INCH)) * INCH
        self.height = float(style.get("height", MIN_HEIGHT / INCH)) * INCH
        self._extents: dict[str, tuple[float, float]] = {}

    def extent(self, label: str) -> tuple[float, float]:
        """Half width and half height of a node with this label (labels differing only in digits share one)."""
        key = label.translate(_DIGITS)
        if key not in self._extents:
            w, h = text_width(key, self.size) + LABEL_MARGIN, 1.2 * self.size + LABEL_MARGIN
            if self.fixed:
                w, h = self.width, self.height
            elif self.shape in ("circle", "doublecircle"):   # Graphviz's circle around the label's box
                w = h = max(self.width, CIRCLE_FIT * max(w, h)) + (8 if self.shape == "doublecircle" else 0)
            elif self.shape != "plaintext":
                w, h = max(w, self.width), max(h, self.height)
            self._extents[key] = (w / 2, h / 2)
        return self._extents[key]


_DIGITS = str.maketrans("123456789¹²³⁴⁵⁶⁷⁸⁹", "000000000⁰⁰⁰⁰⁰⁰⁰⁰⁰")   # h(12) and h⁽¹²⁾ are as wide as h(00)


def to_svg(graph: Graph, *, param_nodes: bool = False, values: dict[str, float] | None = None,
           tooltips: dict[str, str] | None = None, muted: frozenset[str] | set[str] = frozenset(),
           scale: float | None = None, title: str = "", notation: str = "book") -> str:
    """The unfolded graph as SVG text; takes the same arguments as `to_dot` and draws the same picture."""
    if graph.steps is None or graph.tree:
        raise ValueError("only unfolded graphs are drawn directly; circuits and trees go through Graphviz")
    with paused_gc():
        return _draw(graph, param_nodes, values, tooltips, muted, scale, title, notation)


def _draw(graph, param_nodes, values, tooltips, muted, scale, title, notation) -> str:
    """Nodes first (their boxes are needed by the edges), then edges with their θ labels, then the legend."""
    shown = [n for n in graph.nodes if param_nodes or n.kind != "param"]
    where = grid(graph)
    if values:
        scale = scale or max((abs(v) for v in values.values()), default=1.0) or 1.0
    explain = len(shown) <= LARGE
    boxes: dict[str, tuple] = {}   # node id → (its column's x, its box in the column)

    def placed() -> dict[str, tuple[float, float]]:   # node id → (x, y upward), as place() gives
        return {n: (at + box[0], -box[1]) for n, (at, box) in boxes.items()}
    canvas = _Canvas(Lanes(where.slot, placed))
    if where.cell_box:   # each step's cell box first, under everything (as the DOT writer does)
        x, y, half_w, half_h = where.cell_box
        look = canvas.look(dict(NODE_STYLE["cell"], width=f"{2 * half_w / INCH:.3f}", height=f"{2 * half_h / INCH:.3f}"))
        steps = sorted({n.step for n in shown if n.name in where.cell and n.kind not in ("ellipsis", "init")})
        for step in steps:
            canvas.node(f"cell:{step}", f"step {step}: the cell", "", look, (x, y), where.step_x(step, min(where.gates)))
    sizes = {name: f"{d / INCH:.3f}" for name, d in variable_diameters(shown, lambda label: show(label, notation)).items()}
    plain: dict[tuple[str, str], _Look] = {}   # (kind, variable) → look: one size for a variable at every step
    step_values = uncarried(graph)
    for n in shown:
        tip = (tooltips or {}).get(n.id) or (tooltip(n) if explain else "")
        if n.id in step_values:
            n = n._replace(kind="output")
        styled = (values and n.id in values) or n.id in muted
        if styled:
            style = node_style(n, tip, values, muted, scale)
            if n.kind in ROUND:
                style["width"] = sizes[size_key(n)]
            look = canvas.look(style)
        else:
            key = (n.kind, n.name)
            if key not in plain:
                size = {"width": sizes[size_key(n)]} if n.kind in ROUND and size_key(n) in sizes else {}
                plain[key] = canvas.look(dict(NODE_STYLE[n.kind], **size))
            look = plain[key]
        boxes[n.id] = canvas.node(n.id, tip, show(n.label, notation), look, where.offset(n), where.origin(n))
    label_looks: dict[str, _Look] = {}   # edge kind → its labels' look (in the edge's colour, if it has one)
    labels: dict = {}
    repeats: dict = {}
    drawn = [e for e in graph.edges if e.src in boxes and e.dst in boxes]
    silent = unlabelled(drawn, {n.id: n.step for n in shown})
    for k, e in enumerate(drawn):
        if (e.params, e.kind) not in labels:
            labels[e.params, e.kind] = edge_label(e, notation)
        repeat = repeats[e.src, e.dst] = repeats.get((e.src, e.dst), -1) + 1
        label = "" if k in silent else labels[e.params, e.kind]
        if e.kind not in label_looks:
            label_looks[e.kind] = canvas.look(label_look(edge_style(e)))
        canvas.edge(boxes[e.src], boxes[e.dst], e.kind, label, label_looks[e.kind], repeat)
    if values:
        for name, style in colors.legend(scale, placed()):
            x, y = (float(v) for v in style["pos"].rstrip("!").split(","))
            canvas.node(name, style["tooltip"], style["label"], canvas.look(style), (x, y), 0.0)
    return canvas.svg(title)


class _Canvas:
    """Shapes gathered column by column, then written as SVG.

    Each step's column is written relative to its left edge, inside <g transform="translate(…)">, so the
    columns repeat: each distinct shape (a variable's node, an edge between two variables k steps apart)
    is formatted once, and every step reuses the text.
    """

    def __init__(self, lanes: Lanes):
        self.lanes = lanes                        # which nodes an edge would pass behind
        self.groups: dict[float, tuple[list[str], list[str]]] = {}   # column x → (its edges, its nodes)
        self.shapes: dict[tuple, str] = {}        # formatted text of each distinct shape, by its geometry
        self.looks: dict[tuple, _Look] = {}
        self.edge_looks: dict[str, tuple] = {}
        self.spans: dict[tuple, list] = {}        # each distinct box → [first, last] column x it is in
        self.beyond: dict[tuple, list] = {}       # an edge shape → the boxes of its corner and label
        self.routes: dict[tuple, tuple | None] = {}   # an edge's shape → its corner within the column, if bent

    def look(self, style: dict[str, str]) -> _Look:
        key = tuple(sorted((k, v) for k, v in style.items() if k not in ("label", "tooltip", "pos")))
        if key not in self.looks:
            self.looks[key] = _Look(style)
        return self.looks[key]

    def node(self, name: str, tip: str, label: str, look: _Look, offset, at: float) -> tuple:
        """Adds a node at offset (y upward) in the column at x = at; returns (at, its box in the column).

        A box is (x, y, half width, half height, round?), in SVG's downward y.
        """
        rx, ry = look.extent(label)
        box = (offset[0], -offset[1], rx, ry, look.shape in ("circle", "doublecircle"))
        key = (id(look), box)
        if key not in self.shapes:
            self.shapes[key] = node_start(look, box)
        self._reach(box, at)
        hover = f"<title>{xml_text(tip)}</title>" if tip else ""
        # pieces, not one new string: the id and label are the graph's own strings, the shape is shared
        self._group(at)[1].extend(('<g id="', xml_text(name), '" class="node">', hover, self.shapes[key],
                                   xml_text(label), "</text></g>\n"))
        return at, box

    def edge(self, src: tuple, dst: tuple, kind: str, label: str, label_look: _Look, repeat: int) -> None:
        """An edge between two placed nodes, drawn in the destination's column, with its θ label.

        repeat counts the edges drawn before between the same two nodes (they bend apart).
        """
        (src_at, a), (at, b) = src, dst
        # around nodes in the way: worked out where an edge of this shape is first met, and reused at every
        # later step, whose neighbourhood repeats the first (so that even τ = 10,000 checks only a few)
        route_key = (src_at - at, a, b, repeat)
        if route_key not in self.routes:
            corner = self.lanes.route((src_at + a[0], -a[1]), (at + b[0], -b[1]), repeat)
            self.routes[route_key] = corner and (round(corner[0] - at, 1), corner[1])   # in the column, y upward
        corner = self.routes[route_key]
        key = (src_at - at, a, b, kind, label, repeat, corner)
        if key not in self.shapes:
            if kind not in self.edge_looks:
                self.edge_looks[kind] = edge_look(edge_style(Edge("", "", kind=kind)))
            a = (a[0] + src_at - at, *a[1:])
            up_a, up_b = (a[0], -a[1]), (b[0], -b[1])   # layout works with y upward
            text = ""
            if label:
                x, y = label_position(up_a, up_b, corner)
                text = node_start(label_look, (x, -y, 0, 0, False)) + xml_text(label) + "</text>"
            corner = corner and (corner[0], -corner[1])
            self.shapes[key] = edge_svg(a, b, self.edge_looks[kind], text, corner) + "\n"
            # what reaches beyond the nodes: the corner, and the label (a box about its size)
            self.beyond[key] = ([(*corner, 0.0, 0.0, True)] if corner else []) + (
                [(x, -y, label_look.extent(label)[0], 0.6 * label_look.size, False)] if label else [])
        for box in self.beyond[key]:
            self._reach(box, at)
        self._group(at)[0].append(self.shapes[key])

    def _reach(self, box: tuple, at: float) -> None:
        """Notes that box appears in the column at x = at, for the drawing's bounds."""
        span = self.spans.get(box)
        if span is None:
            self.spans[box] = [at, at]
        elif at > span[1]:
            span[1] = at
        elif at < span[0]:
            span[0] = at

    def _group(self, at: float) -> tuple[list[str], list[str]]:
        if at not in self.groups:
            self.groups[at] = ([], [])
        return self.groups[at]

    def svg(self, title: str) -> str:
        spans = self.spans.items()
        left = min(first + x - rx for (x, _, rx, _, _), (first, _) in spans) - PAD
        top = min(y - ry for (_, y, _, ry, _) in self.spans) - PAD - (24 if title else 0)
        width = max(last + x + rx for (x, _, rx, _, _), (_, last) in spans) + PAD - left
        height = max(y + ry for (_, y, _, ry, _) in self.spans) + PAD - top
        out = ['<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n',
               f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}pt" height="{height:.0f}pt" '
               f'viewBox="{left:.1f} {top:.1f} {width:.1f} {height:.1f}">\n',
               f'<g id="graph0" class="graph" font-family="{FONT},Arial,sans-serif">\n',
               f'<rect x="{left:.1f}" y="{top:.1f}" width="{width:.1f}" height="{height:.1f}" fill="white"/>\n']
        if title:
            out.append(f'<text x="{left + width / 2:.1f}" y="{top + 18:.1f}" text-anchor="middle" font-size="14">'
                       f'{xml_text(title)}</text>\n')
        for at, (edges, nodes) in self.groups.items():
            out.append(f'<g transform="translate({at:.1f},0)">\n' if at else "<g>\n")
            out += edges
            out += nodes
            out.append("</g>\n")
        out.append("</g>\n</svg>\n")
        return "".join(out)
