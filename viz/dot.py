"""Graph → DOT text. Only builds strings: deterministic, and testable without Graphviz."""
from __future__ import annotations

from graphs.ir import Edge, Graph, Node
from graphs.limits import MAX_CIRCUIT_EDGES
from graphs.unfold import TRAIN

from . import colors
from .label_spots import LabelSpots
from .layout import grid, place_on
from .routes import Lanes, label_position
from .style import EDGE_STYLE, FONT, LABEL_COLOR, MUTED, NODE_STYLE
from .notation import name_in_book, show
from .textsize import size_key, variable_diameters


ROUND = {kind for kind, style in NODE_STYLE.items() if style.get("shape") in ("circle", "doublecircle")}
CHILDREN = ("left", "right")   # the edge kinds of a recursive net's reads of a child's state
FAN_OUT_BELOW = 4   # readers of h(t-1) from which its delay square goes below, with the inputs
LARGE = 2_000   # nodes; past this a drawing drops the tooltips that merely repeat the label


def quote(text: str) -> str:
    """A DOT double-quoted string: user text can never close it or add attributes.

    >>> quote('a" [shape=none]')
    '"a\\\\" [shape=none]"'
    """
    text = str(text)
    if '"' in text or "\\" in text or "\n" in text:
        text = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return '"' + text + '"'


def attrs(values: dict[str, str]) -> str:
    """` [k="v" ...]`, keys sorted, or nothing."""
    if not values:
        return ""
    return " [" + " ".join(f"{k}={quote(v)}" for k, v in sorted(values.items())) + "]"


def to_dot(graph: Graph, *, param_nodes: bool = False, values: dict[str, float] | None = None,
           tooltips: dict[str, str] | None = None, muted: frozenset[str] | set[str] = frozenset(),
           scale: float | None = None, title: str = "", notation: str = "book") -> str:
    """DOT text of a circuit (Graphviz lays it out) or an unfolded graph (positions given here).

    values colour nodes on a diverging scale of ±scale; muted nodes are greyed (not yet computed);
    notation "book" writes labels as h⁽³⁾ and ŷ, "plain" as h(3) and y_hat.
    """
    if graph.steps is None and len(graph.edges) > MAX_CIRCUIT_EDGES:   # too dense for dot's own layout
        from .dense import dense_dot
        return dense_dot(graph, param_nodes=param_nodes, title=title, notation=notation)
    positioned = graph.steps is not None and not graph.tree
    lines = ["digraph unfold {"]
    graph_attrs = {"fontname": FONT, "bgcolor": "white", "label": title, "labelloc": "t"}
    if positioned:
        # positions in points, pinned: the file renders as drawn with plain `dot -Tsvg` and with the graphviz
        # package too (the engine and the scale travel inside it); render.py runs `neato -n2`, which skips layout
        graph_attrs.update(layout="neato", splines="false", inputscale="72")
    else:
        graph_attrs.update(rankdir="BT", nodesep="0.35", ranksep="0.45")
    lines.append("  graph" + attrs(graph_attrs))
    lines.append("  node" + attrs({"fontname": FONT, "fontsize": "11", "width": "0.45", "margin": "0.02"}))
    lines.append("  edge" + attrs({"fontname": FONT, "fontsize": "10", "arrowsize": "0.7", "fontcolor": LABEL_COLOR}))
    shown = [n for n in graph.nodes if param_nodes or n.kind != "param"]
    cells = grid(graph) if positioned else None
    positions = place_on(graph, cells) if positioned else {}
    if values:
        scale = scale or max((abs(v) for v in values.values()), default=1.0) or 1.0
    plain = {kind: " ".join(f"{k}={quote(v)}" for k, v in sorted(style.items())) for kind, style in NODE_STYLE.items()}
    # default tooltips only on small drawings: on big ones they cost a quarter of Graphviz's time
    explain = len(shown) <= LARGE
    if positioned:
        lines += _cell_boxes(shown, cells)
    sizes = {name: f' width="{d / 72:.3f}"' for name, d in variable_diameters(shown, lambda label: show(label, notation)).items()} if positioned else {}
    step_values = uncarried(graph)
    for n in shown:
        tip = (tooltips or {}).get(n.id) or (tooltip(n) if explain else "")
        if n.id in step_values:
            n = n._replace(kind="output")
        size = sizes.get(size_key(n), "") if n.kind in ROUND else ""   # one size for a variable at every step
        if not (values and n.id in values) and n.id not in muted:   # the common case, written directly
            where = ' pos="{},{}!"'.format(*positions[n.id]) if n.id in positions else ""
            tail = f" tooltip={quote(tip)}" if tip else ""
            lines.append(f"  {quote(n.id)} [{plain[n.kind]} label={quote(show(n.label, notation))}{size}{where}{tail}]")
            continue
        style = node_style(n, tip, values, muted, scale)
        style["label"] = show(n.label, notation)
        if size:
            style["width"] = size.split('"')[1]
        if n.id in positions:
            x, y = positions[n.id]
            style["pos"] = f"{x},{y}!"
        lines.append(f"  {quote(n.id)}{attrs(style)}")
    ids = {n.id for n in shown}
    edges = [e for e in graph.edges if e.src in ids and e.dst in ids]
    if positioned:
        radius = {positions[n.id]: float(sizes[size_key(n)].split('"')[1]) * 36 for n in shown
                  if n.kind in ROUND and size_key(n) in sizes and n.id in positions}
        walls = [side for _, box in _cells(shown, cells) for side in _box_sides(box)]
        lines += _positioned_edges(edges, positions, Lanes(cells.slot, lambda: positions, len(positions) <= LARGE),
                                   {n.id: n.step for n in shown}, radius, notation, walls)
    else:
        lines += _circuit_edges(edges, notation)
    if graph.tree:
        lines += _leaves_in_order(shown)
    if graph.steps is None:
        lines += _init_sources(shown)
    if values:
        lines += colors.legend_lines(scale, positions)
    lines.append("}")
    return "\n".join(lines) + "\n"


def _cell_boxes(shown: list[Node], where) -> list[str]:
    """A dashed box around each step's cell (its gates, with its rails running through), drawn first so that
    it lies under everything; one per step that computes a cell."""
    style = " ".join(f"{k}={quote(v)}" for k, v in sorted(NODE_STYLE["cell"].items()))
    return [f'  "cell:{step}" [{style} width="{2 * hw / 72:.3f}" height="{2 * hh / 72:.3f}" '
            f'tooltip="step {step}: the cell" pos="{x:.1f},{y:.1f}!"]' for step, (x, y, hw, hh) in _cells(shown, where)]


def _cells(shown: list[Node], where) -> list[tuple[int, tuple[float, float, float, float]]]:
    """(step, (centre x, centre y, half width, half height)) of each step's cell box."""
    if where.cell_box is None:
        return []
    x, y, half_w, half_h = where.cell_box
    steps = sorted({n.step for n in shown if n.name in where.cell and n.kind not in ("ellipsis", "init")
                    and not n.id.startswith("train:")})
    cell = min(where.gates)   # a cell's columns: the encoder's, or a decoder's own
    return [(step, (where.step_x(step, cell) + x, y, half_w, half_h)) for step in steps]


def _box_sides(box: tuple[float, float, float, float]) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """The four sides of a box (centre x, centre y, half width, half height), as segments labels keep off."""
    x, y, hw, hh = box
    corners = [(x - hw, y - hh), (x + hw, y - hh), (x + hw, y + hh), (x - hw, y + hh)]
    return list(zip(corners, corners[1:] + corners[:1]))


def uncarried(graph: Graph) -> frozenset[str]:
    """The ids of states on a loop that no other step reads: drawn as values of their step, since the key's state
    is what is carried to the next step (Jordan's h, which only o(t) reads; an LSTM's gates; a deep transition's
    z; ŷ in teacher forcing's training panel, where y(t-1) is fed back instead).
    """
    if graph.tree:
        return frozenset()
    if graph.steps is None:
        carried = {e.src for e in graph.edges if e.delay and e.kind != "param"}
        return frozenset(n.id for n in graph.nodes if n.kind == "state" and n.id not in carried)
    node = {n.id: n for n in graph.nodes}

    def variable(n: Node) -> tuple[bool, str]:   # a variable of one panel (teacher forcing draws two)
        return n.id.startswith(TRAIN), n.name
    # read at another step, or carried into the "…" of the steps not drawn
    carried = {variable(node[e.src]) for e in graph.edges if node[e.src].kind == "init" or (
        node[e.src].step != node[e.dst].step and node[e.dst].kind != "param")}
    return frozenset(n.id for n in graph.nodes if n.kind == "state" and variable(n) not in carried)


def node_style(n: Node, tip: str, values: dict | None, muted, scale: float | None) -> dict[str, str]:
    """A node's attributes: its kind's style, coloured by its value or greyed when muted."""
    style = dict(NODE_STYLE[n.kind], label=n.label, **({"tooltip": tip} if tip else {}))
    if values and n.id in values:
        style.update(style="filled", fillcolor=colors.diverging(values[n.id], scale),
                     fontcolor=colors.text_on(values[n.id], scale))
    if n.id in muted:
        style.update(MUTED)
    return style


def tooltip(n: Node) -> str:
    words = {"init": f"initial state: {n.note}", "param": "parameter, shared by every step"}
    extra = words.get(n.kind, f"+ {n.note}" if n.note else "")
    return f"{n.label} ({n.kind}{', ' + extra if extra else ''})"


def edge_label(e: Edge, notation: str = "plain") -> str:
    """The θ an edge carries, as drawn: "W" or "W₁, U" (book notation) and "(train)" for teacher forcing."""
    names = (name_in_book(p) for p in e.params) if notation == "book" else e.params
    return ", ".join(names) + EDGE_STYLE[e.kind].get("label_suffix", "")


def label_look(style: dict[str, str]) -> dict[str, str]:
    """The attributes of a θ label drawn as a text node beside its edge: in the edge's own font colour, if any."""
    return {**NODE_STYLE["edge_label"], **({"fontcolor": style["fontcolor"]} if "fontcolor" in style else {})}


def edge_style(e: Edge) -> dict[str, str]:
    return {k: v for k, v in EDGE_STYLE[e.kind].items() if k != "label_suffix"}


def unlabelled(edges: list[Edge], step_of: dict[str, int | None] | None = None) -> set[int]:
    """Indices of edges whose θ label repeats one already on another edge into the same node, or out of the
    same node into another step of the same variable.

    W @ concat(h[t-1], x) puts W on two edges into one node; it is written once, on the edge from the
    same step (x(t), the shorter one), so that every parameter's label appears once per node.
    """
    def same_step(e: Edge) -> bool:
        if step_of is None:
            return not e.delay
        return step_of.get(e.src) == step_of.get(e.dst)
    keep: dict[tuple, int] = {}
    for k, e in enumerate(edges):
        if not e.params:
            continue
        key = (e.dst, e.params, e.kind)
        if key not in keep or (same_step(e) and not same_step(edges[keep[key]])):
            keep[key] = k
    silent = {k for k, e in enumerate(edges) if e.params and keep[e.dst, e.params, e.kind] != k}
    if step_of is not None:   # a fan from one node to every step of a variable (C → s(t), Fig 10.12): once
        fans: dict[tuple, int] = {}
        for k, e in enumerate(edges):
            if e.params and k not in silent and step_of.get(e.src) != step_of.get(e.dst):
                first = fans.setdefault((e.src, e.params, e.kind, e.dst.split("@")[0]), k)
                if first != k:
                    silent.add(k)
    return silent


def _circuit_edges(edges: list[Edge], notation: str) -> list[str]:
    """Edges of a circuit: a read of the past passes through black squares, the book's delay mark: one per
    step of delay, chained (h → ■ → ■ → h for h(t-2)), beside the state and shared by all its readers."""
    lines = []
    silent = unlabelled(edges)
    squares: set[str] = set()
    readers = {}
    for e in edges:
        if e.delay == 1 and e.dst != e.src:
            readers.setdefault(e.src, set()).add(e.dst)
    # a state many values read at the next step (an LSTM's h, read by its four gates): its square goes down
    # with the inputs, so h(t-1) enters the cell from below beside x(t), rather than four loops round it
    below = {src for src, read in readers.items() if len(read) >= FAN_OUT_BELOW}
    for k, e in enumerate(edges):
        style = edge_style(e)
        label = "" if k in silent else edge_label(e, notation)
        if e.kind in CHILDREN and e.src == e.dst:
            lines += _child_read(e, style, label)
            continue
        if not e.delay:
            lines.append(f"  {quote(e.src)} -> {quote(e.dst)}{attrs(dict(style, label=label) if label else style)}")
            continue
        way = 1 if e.delay > 0 else -1
        before = e.src
        for lag in range(1, abs(e.delay) + 1):
            square = f"delay:{e.src}:{way * lag}"
            if square not in squares:
                squares.add(square)
                square_style = dict(NODE_STYLE["delay"], tooltip=_delay_words(way * lag))
                low = e.src in below and e.delay == 1
                rank = f"rank=min; {quote(square)}" if low else f"rank=same; {quote(e.src)}; {quote(square)}"
                lines.append(f"  {{{rank}}}")
                lines.append(f"  {quote(square)}{attrs({k: v for k, v in square_style.items() if v or k == 'label'})}")
                down = dict(style, arrowhead="none", **({"constraint": "false"} if low else {}))
                lines.append(f"  {quote(before)} -> {quote(square)}{attrs(down)}")
            before = square
        if e.src in below and e.delay == 1:   # up from below, as the inputs go
            lines.append(f"  {quote(before)} -> {quote(e.dst)}{attrs(dict(style, label=label) if label else style)}")
            continue
        # the loop back does not pull the reader above the state (Fig 10.2). Its θ: on a loop back to the state
        # itself, an xlabel, which Graphviz can place even on an edge within one rank; to another node, a label,
        # which Graphviz keeps clear of the other edges (teacher forcing's two, which cross)
        if way < 0:   # reading the future: say so (Fig 10.11), in the label, which Graphviz keeps clear of the loop
            label = f"{label} (t+{-e.delay})" if label else f"t+{-e.delay}"
        tail = dict(style, constraint="false", **{"xlabel" if e.dst == e.src else "label": label})
        lines.append(f"  {quote(before)} -> {quote(e.dst)}{attrs({k: v for k, v in tail.items() if v})}")
    return lines


def _child_read(e: Edge, style: dict[str, str], label: str) -> list[str]:
    """A recursive net's read of a child's state, h ← h(left): from a white square, the child's h, on the child's
    side (the left child's on the left), rather than two self-loops wound round each other. The square stands
    for h at the node below (the key says so); a second line back from h to it ran too close to the first to read.
    """
    state, marker = quote(e.src), quote(f"child:{e.src}:{e.kind}")
    look = dict(NODE_STYLE["child"], xlabel=f"{e.kind} child's {e.src}", tooltip=f"the {e.kind} child's {e.src}")
    read = dict(style, label=label) if label else dict(style)
    # Graphviz puts the tail of an edge within a rank on the left: the left child's read runs square → state,
    # the right child's state → square, drawn backwards so that its arrow still points at the state
    if e.kind != "left":
        read["dir"] = "back"
    ends = (marker, state) if e.kind == "left" else (state, marker)
    return [f"  {{rank=same; {state}; {marker}}}", f"  {marker}{attrs(look)}", f"  {ends[0]} -> {ends[1]}{attrs(read)}"]


def _init_sources(shown: list[Node]) -> list[str]:
    """Where a circuit's trainable or given h(0) comes from: its parameter or input, as a box."""
    lines = []
    for n in shown:
        if n.kind == "init" and n.note.startswith(("trainable: ", "given: ")):
            how, name = n.note.split(": ", 1)
            box = quote(f"{n.id}:source")
            lines.append(f"  {box}{attrs(dict(NODE_STYLE['source'], label=f'{name} ({how})'))}")
            lines.append(f"  {box} -> {quote(n.id)}{attrs(EDGE_STYLE['init'])}")
    return lines


def _leaves_in_order(shown: list[Node]) -> list[str]:
    """A tree's leaves on one rank, in sentence order (x(1) … x(τ)), held there by invisible edges."""
    leaves = sorted((n for n in shown if n.kind == "input" and n.step is not None and "@τ" not in n.id),
                    key=lambda n: n.step)
    if len(leaves) < 2:
        return []
    ids = [quote(n.id) for n in leaves]
    return ["  {rank=same; " + "; ".join(ids) + "}"] + [f"  {a} -> {b} [style=\"invis\"]" for a, b in zip(ids, ids[1:])]


def _delay_words(delay: int) -> str:
    if delay < 0:
        return f"reads the value {-delay} step(s) ahead (backward in time)"
    return f"delay of {delay} time step(s): the value from t-{delay}"


def _positioned_edges(edges: list[Edge], positions: dict[str, tuple[float, float]], lanes: Lanes,
                      steps: dict[str, int | None], radius: dict[tuple[float, float], float],
                      notation: str, walls: list = ()) -> list[str]:
    """Straight edges, or bent at an invisible point (see routes.bend); θ labels as small text nodes beside them."""
    lines = []
    label_styles: dict[str, str] = {}   # edge kind → its labels' attributes: the edge's colour, if it has one
    repeats: dict[tuple[str, str], int] = {}
    silent = unlabelled(edges, steps)
    spots = LabelSpots(lanes, radius)
    for a, b in walls if lanes.thorough else ():   # the sides of the cells' dashed boxes
        spots.line(a, b)
    corners = []
    for k, e in enumerate(edges):
        style = edge_style(e)
        src, dst = positions.get(e.src), positions.get(e.dst)
        repeat = repeats[e.src, e.dst] = repeats.get((e.src, e.dst), -1) + 1
        corner = lanes.route(src, dst, repeat) if src and dst else None
        corners.append(corner)
        if corner:
            point = quote(f"bend:{k}")
            lines.append(f'  {point} [shape="point" style="invis" width="0" height="0" pos="{corner[0]},{corner[1]}!"]')
            lines.append(f"  {quote(e.src)} -> {point}{attrs(dict(style, arrowhead='none'))}")
            lines.append(f"  {point} -> {quote(e.dst)}{attrs(style)}")
        else:
            lines.append(f"  {quote(e.src)} -> {quote(e.dst)}{attrs(style)}")
        if lanes.thorough and src and dst:   # every edge is known before the first label is placed
            for a, b in [(src, corner), (corner, dst)] if corner else [(src, dst)]:
                spots.line(a, b)
    for k, (e, corner) in enumerate(zip(edges, corners)):
        src, dst, style = positions.get(e.src), positions.get(e.dst), edge_style(e)
        label = "" if k in silent else edge_label(e, notation)
        if label and src and dst:
            x, y = spots.spot(src, dst, corner, label) if lanes.thorough else label_position(src, dst, corner)
            acting = quote(" ".join("p_" + p for p in e.params))   # the page lights a parameter's labels by it
            if e.kind not in label_styles:
                label_styles[e.kind] = " ".join(f"{k}={quote(v)}" for k, v in sorted(label_look(style).items()))
            lines.append(f'  "label:{k}" [{label_styles[e.kind]} class={acting} label={quote(label)} '
                         f'pos="{x:.1f},{y:.1f}!"]')
    return lines
