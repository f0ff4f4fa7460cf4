"""Unfold a circuit into its computational graph over τ steps: one node per variable per step.

Nothing is mutated and nothing recurses, so τ can be large; `elide` keeps only the first and
last steps, so even τ = 10⁹ answers at once.
"""
from __future__ import annotations

from . import limits
from .axes import check_second, default_length
from .ir import PER_STEP_KINDS, Edge, Graph, Node
from .nogc import paused_gc
from .parse import ParseError

GAP = "…"
TRAIN = "train:"     # id prefix of the training panel's nodes (teacher forcing, Fig 10.6)
CAPTION = "caption"
SOURCE = ":source"   # id suffix of the node a trainable or given h(0) comes from


def unfold(graph: Graph, steps: int, *, param_nodes: bool = False, elide: bool = False, keep: int = 3,
           out_steps: int | None = None) -> Graph:
    """The unfolded Graph for τ = steps, acyclic; with elide, steps keep+1 … τ-keep become "…".

    out_steps: the length of a second time axis (a decoder's n_y, Fig 10.12), axes.default_length by default.
    """
    _check_steps(steps, elide)
    check_second(graph, out_steps)
    if graph.tree:
        from .tree import unfold_tree   # a recursive net unfolds into a tree, not a chain
        return unfold_tree(graph, steps, param_nodes=param_nodes, elide=elide)
    second = graph.second_axis()
    lengths = {"": steps}
    if second:
        lengths[second] = default_length(steps) if out_steps is None else out_steps
        _check_steps(lengths[second], elide, second)
    spans = {axis: _span(length, elide, keep) for axis, length in lengths.items()}
    with paused_gc():
        unfolded = panels(_unfold(graph, spans, param_nodes, with_ends=True))
    return Graph(unfolded.nodes, unfolded.edges, steps=steps, out_steps=lengths[second] if second else None,
                 circuit=graph)


def _span(steps: int, elide: bool, keep: int) -> tuple[dict[int, str], list[tuple[int, int]], int]:
    """The steps shown (step → its label), the gaps drawn as "…", and the length of one axis."""
    if elide and steps > 2 * keep + 1:
        return {s: str(s) for s in (*range(1, keep + 1), *range(steps - keep + 1, steps + 1))}, \
            [(keep + 1, steps - keep)], steps
    return {s: str(s) for s in range(1, steps + 1)}, [], steps


def window(graph: Graph, *, param_nodes: bool = False) -> Graph:
    """The book's generic view: … → h(t-1) → h(t) → h(t+1) → … (Fig 10.2, right)."""
    if graph.tree:
        raise ParseError("a tree-structured net has no generic time window; unfold it for a τ instead")
    big = 10**12
    spans = {axis: ({1: f"{axis or 't'}-1", 2: axis or "t", 3: f"{axis or 't'}+1"}, [(-big, 0), (4, big)], 3)
             for axis in dict.fromkeys(["", graph.second_axis()])}
    return panels(_unfold(graph, spans, param_nodes, with_ends=False))


def panels(graph: Graph) -> Graph:
    """With teacher forcing, two graphs as the book draws them (Fig 10.6): training, where the target
    y(t-1) feeds step t (its nodes' ids start with TRAIN), and test, where the model's own output does."""
    if not any(e.kind == "train" for e in graph.edges):
        return graph
    shared = {n.id for n in graph.kinds("param")}

    def moved(node_id: str) -> str:
        return node_id if node_id in shared else TRAIN + node_id
    train_edges = [e._replace(src=moved(e.src), dst=moved(e.dst)) for e in graph.edges if e.kind != "test"]
    # at test time there is no target, so no loss either (Fig 10.6, right)
    unscored = {n.id for n in graph.nodes if n.kind not in ("target", "loss")}
    test_edges = [e for e in graph.edges if e.kind != "train" and e.src in unscored and e.dst in unscored]
    used = {n for e in train_edges + test_edges for n in (e.src, e.dst)}
    train_nodes = [n._replace(id=TRAIN + n.id) for n in graph.nodes if n.id not in shared]
    test_nodes = [n for n in graph.nodes if n.id in unscored]
    nodes = [n for n in train_nodes + test_nodes if n.kind != "init" or n.id in used]
    captions = [Node(TRAIN + CAPTION, "", "caption", "training: the target y(t-1) is fed back"),
                Node(CAPTION, "", "caption", "test: the model's own output is fed back")]
    return Graph(tuple(captions + nodes), tuple(train_edges + test_edges), steps=graph.steps)


def _check_steps(steps: int, elide: bool, axis: str = "") -> None:
    what = f"the length of {axis}" if axis else "τ"
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 1:
        raise ParseError(f"{what} must be a whole number of at least 1, not {steps!r}")
    if steps > limits.MAX_STEPS:
        raise ParseError(f"{what} = {steps} is more than {limits.MAX_STEPS:,} steps")
    if steps > limits.MAX_FULL_STEPS and not elide:
        raise ParseError(f"{what} = {steps} is too many steps to draw in full (at most {limits.MAX_FULL_STEPS:,}); "
                         "use the elided view")


def _unfold(graph: Graph, spans: dict[str, tuple[dict[int, str], list[tuple[int, int]], int]],
            param_nodes: bool, with_ends: bool) -> Graph:
    """Nodes for the shown steps of each axis (t, and a decoder's u) and one "…" per gap; edges that cross a
    gap end at its "…". spans: axis → (shown steps with their labels, gaps, length)."""
    per_step = [n for n in graph.nodes if n.kind in PER_STEP_KINDS]
    axis_of = {n.id: n.axis for n in per_step}
    flows = [e for e in graph.edges if e.kind not in ("param", "init") and graph.node(e.dst).kind in PER_STEP_KINDS]
    once = graph.kinds("once")
    init_ids = {n.id for n in graph.kinds("init")}
    # an input read only at the end, as y[τ] (Fig 10.5), is drawn once, at the last step
    read = [e for e in graph.edges if graph.node(e.src).kind in ("input", "target")]
    at_end = {n.id for n in per_step if n.kind in ("input", "target")
              and all(e.kind == "final" for e in read if e.src == n.id) and any(e.src == n.id for e in read)}
    nodes: list[Node] = []
    edges: list[Edge] = []

    def place(step: int, gaps: list[tuple[int, int]], shown: dict[int, str]) -> str | None:
        """The id suffix of the column holding this step, or None outside the sequence."""
        if step in shown:
            return str(step)
        for number, (lo, hi) in enumerate(gaps, start=1):
            if lo <= step <= hi:
                return f"{GAP}{number}"
        return None

    carried = {e.src for e in flows if e.delay}   # only the states read later have a "…" for the hidden steps
    made_before: set[str] = set()   # the starts before h(0) drawn so far (h(-1) for a lag of 2)

    def before_start(init: str, step: int) -> str:
        """h(-1), read by h(t-2) at t = 1: the same start as h(0), drawn as a node of its own (at its own step),
        so that a lag-2 edge never joins neighbouring steps (§10.9.1)."""
        start = graph.node(init)
        node_id = f"{start.name}[{step}]"
        if node_id not in made_before:
            made_before.add(node_id)
            nodes.append(Node(node_id, start.name, "init", f"{start.name}({step})", step,
                              size=start.size, note=f"{start.note}, as {start.name}(0)", axis=start.axis))
        return node_id

    for axis, (shown, gaps, steps) in spans.items():
        columns = sorted([(s, str(s)) for s in shown] + [(lo, f"{GAP}{k}") for k, (lo, _) in enumerate(gaps, start=1)])
        for step, suffix in columns:
            gap = suffix.startswith(GAP)
            for n in per_step:
                if n.axis != axis or (n.id in at_end and (gap or step != steps or not with_ends)) \
                        or (gap and n.id not in carried):
                    continue
                label = GAP if gap else f"{n.name}({shown[step]})"
                nodes.append(Node(f"{n.id}@{suffix}", n.name, "ellipsis" if gap else n.kind, label, step,
                                  size=n.size, note=n.note, axis=axis))
    if with_ends:
        end_nodes, end_edges = _end_nodes(graph, {axis: steps for axis, (_, _, steps) in spans.items()})
        nodes += end_nodes
        edges += end_edges
    seen: set[tuple[str, str]] = set()
    # what each edge needs, worked out once rather than at every step
    plan = [(e, graph.node(e.src).kind == "once", f"{e.src}[{'0' if e.delay > 0 else 'end'}]")
            for e in flows if e.kind != "final"]
    for axis, (shown, gaps, _) in spans.items():
        for step in shown:
            for e, from_once, init in plan:
                if axis_of[e.dst] != axis:
                    continue
                dst = f"{e.dst}@{step}"
                src_col = place(step - e.delay, gaps, shown)
                if from_once:
                    src = f"{e.src}@τ"
                elif src_col is not None:
                    src = f"{e.src}@{src_col}"
                elif with_ends and init in init_ids:
                    src = init if e.delay < 0 or step - e.delay >= 0 else before_start(init, step - e.delay)
                else:
                    continue   # an input read before the start is zero padding: nothing to draw
                edges.append(Edge(src, dst, params=e.params, kind=e.kind))
                if e.delay and step + e.delay not in shown:   # leaving toward a hidden step: ends at its gap's "…"
                    dst_col = place(step + e.delay, gaps, shown)
                    if dst_col and dst_col.startswith(GAP):
                        if e.dst in carried and (dst, dst_col) not in seen:
                            seen.add((dst, dst_col))
                            edges.append(Edge(f"{e.src}@{step}", f"{e.dst}@{dst_col}", params=e.params, kind=e.kind))
                        elif e.dst not in carried and (e.src, step, dst_col) not in seen:   # the state goes on into "…"
                            seen.add((e.src, step, dst_col))
                            edges.append(Edge(f"{e.src}@{step}", f"{e.src}@{dst_col}", kind=e.kind))
    once_ids = {n.id for n in once}
    made = [e for e in graph.edges if e.dst in once_ids and e.kind != "param"]

    def last(src: str) -> str:
        """Where a value read at the end (h[τ]) comes from: its last step, or the window's "…" after it."""
        shown, gaps, steps = spans[axis_of[src]]
        return f"{src}@{steps}" if with_ends else f"{src}@{GAP}{len(gaps)}"
    if with_ends:
        edges += [Edge(last(e.src) if e.kind == "final" else f"{e.src}@τ", f"{e.dst}@τ", params=e.params,
                       kind=e.kind) for e in made]
    elif once:   # the window shows C too: made by the steps after the window ("…"), read by every step in it
        steps = spans[""][2]
        nodes += [Node(f"{n.id}@τ", n.name, "once", f"{n.name}(τ)", steps + 2, size=n.size, note=n.note)
                  for n in once]
        ids = {n.id for n in nodes}
        edges += [Edge(last(e.src) if e.kind == "final" else f"{e.src}@τ", f"{e.dst}@τ", params=e.params,
                       kind=e.kind) for e in made]
        edges = [e for e in edges if e.src in ids and e.dst in ids]
    if param_nodes:
        nodes += graph.kinds("param")
        ids = {n.id for n in nodes}
        for e in graph.edges:
            if e.kind == "param":
                targets = [f"{e.dst}@{s}" for s in spans[axis_of[e.dst]][0]] if e.dst in axis_of else [f"{e.dst}@τ"]
                edges += [Edge(e.src, t, kind="param") for t in targets if t in ids]
    return Graph(tuple(nodes), tuple(edges), steps=spans[""][2], tree=False)


def _end_nodes(graph: Graph, lengths: dict[str, int]) -> tuple[list[Node], list[Edge]]:
    """Initial states h(0) before step 1 (with where a trainable or given one comes from), g(τ+1) after τ,
    and values computed once at the end."""
    ends, edges = [], []
    for n in graph.kinds("init"):
        step = 0 if n.id.endswith("[0]") else lengths[n.axis] + 1
        label = n.label if step == 0 else f"{n.name}({step})"   # g(τ+1) after g(4) is g⁽⁵⁾
        ends.append(Node(n.id, n.name, "init", label, step, size=n.size, note=n.note, axis=n.axis))
        if n.expr is not None and hasattr(n.expr, "name"):   # h[0] = h0: a param (trainable) or an input (given)
            source = f"{n.id}{SOURCE}"
            how = n.note.split(":")[0]   # trainable or given
            ends.append(Node(source, n.name, "source", f"{n.expr.name} ({how})", step, note=n.note, axis=n.axis))
            edges.append(Edge(source, n.id, kind="init"))
    # a value computed once is named for the last step, as h(τ) is drawn (o⁽⁴⁾ beside h⁽⁴⁾ and y⁽⁴⁾, Fig 10.5),
    # unless the steps of a decoder read it: then it is the book's context C (Fig 10.12), of no one step
    context = {e.src for e in graph.edges if e.kind != "param" and graph.node(e.dst).kind != "once"}
    for n in graph.kinds("once"):
        label = n.name if n.id in context else f"{n.name}({lengths['']})"
        ends.append(Node(f"{n.id}@τ", n.name, "once", label, lengths[""] + 2, size=n.size, note=n.note))
    return ends, edges
