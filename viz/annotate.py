"""Data attributes on a Graphviz SVG, so the page can light up what a node or parameter touches.

Graphviz writes each node's and edge's id in its <title> (`h@3`, `h@2->h@3`); this reads those titles and
the Graph they came from, and adds `data-node`, `data-var`, `data-step`, `data-kind` to nodes, `data-src`,
`data-dst` to edges, and `data-params` (the parameters acting there) to both. A θ label's parameters come from
the `p_W` classes viz/dot.py gives it (its text may be in the book's notation, W₁). It does not touch the drawing.
"""
from __future__ import annotations

import html
import re

from graphs.ir import Graph

_GROUP = re.compile(r'<g id="(?:node|edge)\d+" class="(node|edge)([^"]*)">\n<title>([^<]*)</title>')
ARROW = "->"


def annotate(svg: str, graph: Graph) -> str:
    """The SVG with data attributes on every node and edge group drawn from graph.

    >>> from graphs.ir import Node, Edge
    >>> g = Graph((Node("x@1", "x", "input", "x(1)", 1), Node("h@1", "h", "state", "h(1)", 1)),
    ...           (Edge("x@1", "h@1", 0, ("U",)),), steps=1)
    >>> annotate('<g id="edge1" class="edge">\\n<title>x@1&#45;&gt;h@1</title>', g)
    '<g id="edge1" class="edge" data-src="x@1" data-dst="h@1" data-params="U">\\n<title>x@1&#45;&gt;h@1</title>'
    """
    nodes = {n.id: n for n in graph.nodes}
    params: dict[tuple, set[str]] = {}
    for e in graph.edges:
        acting = set(e.params) | ({nodes[e.src].name} if e.src in nodes and nodes[e.src].kind == "param" else set())
        params.setdefault((e.src, e.dst), set()).update(acting)
        params.setdefault(("delay", e.src, e.dst, e.delay), set()).update(acting)
    ends = _ends(svg)

    def attributes(match: re.Match) -> str:
        kind, classes, title = match.group(1), match.group(2).split(), html.unescape(match.group(3))
        if kind == "edge":
            raw_src, _, raw_dst = title.partition(ARROW)
            src, dst = ends.get(raw_src, (raw_src, raw_src))[0], ends.get(raw_dst, (raw_dst, raw_dst))[1]
            if raw_dst.startswith("delay:"):     # state → square, square → next square: every loop through it
                acting = _square_params(raw_dst, params)
            elif raw_src.startswith("delay:"):   # square → reader: that one loop
                acting = params.get(("delay", src, dst, int(raw_src.rsplit(":", 1)[1])), set())
            else:
                acting = params.get((src, dst), set())
            data = {"src": src, "dst": dst, "params": acting}
        elif title in nodes:
            n = nodes[title]
            data = {"node": n.id, "var": n.name, "kind": n.kind,
                    "step": "" if n.step is None else str(n.step),
                    "params": {n.name} if n.kind == "param" else set()}
        elif title.startswith("label:"):
            data = {"params": {html.unescape(c)[2:] for c in classes if html.unescape(c).startswith("p_")}}
        elif title.startswith("delay:"):
            data = {"params": _square_params(title, params)}
        else:
            data = {}
        return match.group(0).replace('">\n<title>', '"' + _attrs(data) + ">\n<title>", 1)

    return _GROUP.sub(attributes, svg)


def _square_params(square: str, params: dict) -> set[str]:
    """The parameters of the loops through a circuit's delay square, `delay:src:dst:k` or `delay:src:k`
    (the k-th of a chain)."""
    parts = square.split(":")   # names hold no ':'
    src, delay = parts[1], int(parts[-1])
    if len(parts) == 4:   # one square per delayed edge
        return params.get(("delay", src, parts[2], delay), set())
    # squares chained one per step of delay (h → ■ → ■): the k-th carries every loop at least k steps long
    return set().union(*(v for k, v in params.items() if k[:2] == ("delay", src) and k[3] * delay > 0
                         and abs(k[3]) >= abs(delay)))


def _ends(svg: str) -> dict[str, tuple[str, str]]:
    """Each bend point or delay square's (source, destination): an edge drawn in two halves is one edge.

    A delay square read by several variables keeps its own id as the destination of the half before it.
    """
    ins: dict[str, str] = {}
    outs: dict[str, set[str]] = {}
    for kind, _, title in _GROUP.findall(svg):
        if kind != "edge":
            continue
        src, _, dst = html.unescape(title).partition(ARROW)
        if dst.startswith(("bend:", "delay:")):
            ins[dst] = src
        if src.startswith(("bend:", "delay:")):
            outs.setdefault(src, set()).add(dst)
    def origin(point: str) -> str:   # what feeds the point, through a chain of squares back to the state
        source = ins.get(point, point)
        while source.startswith("delay:") and source in ins:
            source = ins[source]
        return source
    return {point: (origin(point), next(iter(outs[point])) if len(outs.get(point, ())) == 1 else point)
            for point in ins.keys() | outs.keys()}


def _attrs(data: dict) -> str:
    out = []
    for key, value in data.items():
        text = " ".join(sorted(value)) if isinstance(value, set) else value
        out.append(f' data-{key}="{html.escape(text, quote=True)}"')
    return "".join(out)
