"""Data attributes on a Graphviz SVG, so the page can light up what a node or parameter touches.

Graphviz writes each node's and edge's id in its <title> (`h@3`, `h@2->h@3`); this reads those titles and
the Graph they came from, and adds `data-node`, `data-var`, `data-step`, `data-kind` to nodes, `data-src`,
`data-dst` to edges, and `data-params` (the parameters acting there) to both. It does not touch the drawing.
"""
from __future__ import annotations

import html
import re

from graphs.ir import Graph

from .dot import edge_label

_GROUP = re.compile(r'<g id="(?:node|edge)\d+" class="(node|edge)">\n<title>([^<]*)</title>')
_TEXT = re.compile(r"<text[^>]*>([^<]*)</text>")
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
    params: dict[tuple[str, str], set[str]] = {}
    for e in graph.edges:
        acting = set(e.params) | ({nodes[e.src].name} if e.src in nodes and nodes[e.src].kind == "param" else set())
        params.setdefault((e.src, e.dst), set()).update(acting)
        params.setdefault(("delay", e.src, e.dst, e.delay), set()).update(acting)
    label_params = {edge_label(e): set(e.params) for e in graph.edges if e.params}
    ends = _bend_ends(svg)

    def attributes(match: re.Match) -> str:
        kind, title = match.group(1), html.unescape(match.group(2))
        if kind == "edge":
            raw_src, _, raw_dst = title.partition(ARROW)
            src, dst = ends.get(raw_src, (raw_src, raw_src))[0], ends.get(raw_dst, (raw_dst, raw_dst))[1]
            square = next((p for p in (raw_src, raw_dst) if p.startswith("delay:")), "")
            data = {"src": src, "dst": dst, "params": _square_params(square, params) if square
                    else params.get((src, dst), set())}
        elif title in nodes:
            n = nodes[title]
            data = {"node": n.id, "var": n.name, "kind": n.kind,
                    "step": "" if n.step is None else str(n.step),
                    "params": {n.name} if n.kind == "param" else set()}
        elif title.startswith("label:"):
            text = _TEXT.search(svg, match.end())
            data = {"params": label_params.get(html.unescape(text.group(1)) if text else "", set())}
        elif title.startswith("delay:"):
            data = {"params": _square_params(title, params)}
        else:
            data = {}
        return match.group(0).replace('">\n<title>', '"' + _attrs(data) + ">\n<title>", 1)

    return _GROUP.sub(attributes, svg)


def _square_params(square: str, params: dict) -> set[str]:
    """The parameters of the loop through a circuit's delay square `delay:src:dst:k` (names hold no ':')."""
    _, src, dst, delay = square.split(":")
    return params.get(("delay", src, dst, int(delay)), set())


def _bend_ends(svg: str) -> dict[str, tuple[str, str]]:
    """Each bend point or delay square's (source, destination): an edge drawn in two halves is one edge."""
    ins, outs = {}, {}
    for kind, title in _GROUP.findall(svg):
        if kind != "edge":
            continue
        src, _, dst = html.unescape(title).partition(ARROW)
        if dst.startswith(("bend:", "delay:")):
            ins[dst] = src
        if src.startswith(("bend:", "delay:")):
            outs[src] = dst
    return {point: (ins.get(point, point), outs.get(point, point)) for point in ins.keys() | outs.keys()}


def _attrs(data: dict) -> str:
    out = []
    for key, value in data.items():
        text = " ".join(sorted(value)) if isinstance(value, set) else value
        out.append(f' data-{key}="{html.escape(text, quote=True)}"')
    return "".join(out)
