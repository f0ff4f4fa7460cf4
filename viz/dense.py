"""DOT of a circuit too dense for `dot`: every position given (`viz/layered.py`), so Graphviz only draws.

Past `limits.MAX_CIRCUIT_EDGES` connections `dot`'s layout takes seconds to minutes (272 edges: 12 s; the
issue's 58 equations: 37 s). With positions pinned, `neato -n2` draws the same circuit in well under a second.
Reads of the past still pass through the book's black delay squares, set at the right of the state they
delay and shared by all its readers.
"""
from __future__ import annotations

from graphs.ir import Graph

from .dot import attrs, edge_label, edge_style, quote, tooltip
from .layered import SQUARE, place_layered
from .notation import show
from .style import FONT, LABEL_COLOR, NODE_STYLE
from .textsize import circle_diameter


def dense_dot(graph: Graph, *, param_nodes: bool = False, title: str = "", notation: str = "book") -> str:
    """DOT text of the circuit with our own layered positions (rendered with `neato -n2`)."""
    shown = [n for n in graph.nodes if param_nodes or n.kind != "param"]
    ids = {n.id for n in shown}
    where = place_layered(graph, shown, notation)
    lines = ["digraph unfold {",
             "  graph" + attrs({"fontname": FONT, "bgcolor": "white", "label": title, "labelloc": "t",
                                "layout": "neato", "inputscale": "72", "splines": "false",
                                "outputorder": "edgesfirst"}),
             "  node" + attrs({"fontname": FONT, "fontsize": "11", "width": "0.45", "margin": "0.02"}),
             "  edge" + attrs({"fontname": FONT, "fontsize": "10", "arrowsize": "0.7", "fontcolor": LABEL_COLOR})]
    for n in shown:
        x, y = where[n.id]
        lines.append(f"  {quote(n.id)}" + attrs(dict(NODE_STYLE[n.kind], label=show(n.label, notation),
                                                      tooltip=tooltip(n), pos=f"{x},{y}!")))
    squares: set[str] = set()
    for e in graph.edges:
        if e.src not in ids or e.dst not in ids:
            continue
        style = edge_style(e)
        label = edge_label(e, notation)
        if not e.delay:
            lines.append(f"  {quote(e.src)} -> {quote(e.dst)}{attrs(dict(style, label=label) if label else style)}")
            continue
        before, (x, y) = e.src, where[e.src]
        way = 1 if e.delay > 0 else -1
        right = x + circle_diameter(show(graph.node(e.src).label, notation)) / 2
        for lag in range(1, abs(e.delay) + 1):   # h → ■ → ■ → reader for h[t-2]
            square = f"delay:{e.src}:{way * lag}"
            if square not in squares:
                squares.add(square)
                mark = dict(NODE_STYLE["delay"], pos=f"{right + SQUARE * lag - 4:.1f},{y}!",
                            tooltip=f"delay of {lag} step(s)" if way > 0 else f"reads {lag} step(s) ahead")
                if way < 0:
                    mark["xlabel"] = f"t+{lag}"
                lines.append(f"  {quote(square)}{attrs(mark)}")
                lines.append(f"  {quote(before)} -> {quote(square)}{attrs(dict(style, arrowhead='none'))}")
            before = square
        lines.append(f"  {quote(before)} -> {quote(e.dst)}{attrs(dict(style, xlabel=label) if label else style)}")
    lines.append("}")
    return "\n".join(lines) + "\n"
