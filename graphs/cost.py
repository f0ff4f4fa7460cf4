"""What a request will cost, estimated from the typed program before the work starts.

Each check compares an estimate (floats, parameters, nodes, edges, frames) with a budget in limits.py
and refuses with a ParseError that says what to reduce. Sizes come from shape inference, so a nested
concat counts at the size it will really have.
"""
from __future__ import annotations

import math

from . import limits
from .expr import Expr, Num, Param, Ref
from .axes import check_second, default_length, run_length
from .ir import PER_STEP_KINDS, Graph
from .parse import ParseError


class TooCostly(ParseError):
    """A valid request refused for what it would cost; the rest of a page can still be shown."""


def units(expr: Expr, sizes: dict[str, int], params: dict[str, tuple[int, ...]], found: list[int]) -> int:
    """The unit count of an expression's value; `found` receives the count of every operation inside it."""
    if isinstance(expr, Num):
        return 1
    if isinstance(expr, Ref):
        return sizes.get(expr.name, 1)
    if isinstance(expr, Param):
        return params.get(expr.name, (1,))[0]
    parts = [units(a, sizes, params, found) for a in expr.args]
    if expr.fn == "matmul":
        size = params.get(expr.args[0].name, (1,))[0]
    elif expr.fn == "f":
        size = params.get(expr.args[-1].name, (1,))[0]
    elif expr.fn == "concat":
        size = sum(parts)
    elif expr.fn in ("cross_entropy", "mse"):
        size = 1
    else:
        size = max(parts)
    found.append(size)
    return size


def check_run(graph: Graph, shapes, steps: int, batch: int, lengths: dict[str, int] | None = None) -> None:
    """Refuse a run whose parameters or kept values (every variable and operation, each step) are too many.

    lengths: each time axis's length ("" for t), when a second axis (a decoder's u) has its own.
    """
    lengths = lengths or {"": steps}
    weights = sum(math.prod(shape) for shape in shapes.params.values())
    if weights > limits.MAX_PARAM_FLOATS:
        raise ParseError(f"the parameters hold {weights:,} numbers (limit {limits.MAX_PARAM_FLOATS:,}): "
                         "use fewer or smaller parameters")
    kept = 0   # numbers per sample: each variable's units and operations, times its axis's length
    for n in graph.nodes:
        if n.expr is None or n.kind == "init":
            continue
        found: list[int] = []
        units(n.expr, shapes.sizes, shapes.params, found)
        widest = max([shapes.sizes.get(n.id, 1), *found])
        if widest > limits.MAX_UNITS:
            raise ParseError(f"'{n.id}' works with vectors of {widest:,} units (limit {limits.MAX_UNITS:,}): "
                             "nest fewer concat calls or use smaller sizes", subject=n.id)
        kept += lengths.get(n.axis, steps) * (shapes.sizes.get(n.id, 1) + sum(found))
    kept += sum(lengths.get(n.axis, steps) * shapes.sizes.get(n.id, 1) for n in graph.kinds("input", "target"))
    floats = batch * kept
    if floats > limits.MAX_RUN_FLOATS:
        raise ParseError(f"this run would keep about {floats:,} numbers (limit {limits.MAX_RUN_FLOATS:,}): "
                         "use a shorter sequence, a smaller batch or fewer units")


def check_circuit_drawing(graph: Graph) -> None:
    """Refuse a circuit with more connections than even our own layout (past MAX_CIRCUIT_EDGES) draws quickly."""
    if len(graph.edges) > limits.MAX_DENSE_CIRCUIT_EDGES:
        raise TooCostly(f"this circuit has {len(graph.edges):,} connections; a circuit is drawn with at most "
                         f"{limits.MAX_DENSE_CIRCUIT_EDGES:,}: draw the unfolded view, or "
                         "let each variable read fewer others")


def check_unfolding(graph: Graph, steps: int, elide: bool, keep: int = 3, out_steps: int | None = None) -> None:
    """Refuse an unfolded view with more nodes or edges than a drawing can hold, before unfolding.

    With a second time axis (a decoder over u), each axis's variables are counted over its own length.
    """
    if graph.tree:
        if steps > limits.MAX_TREE_LEAVES and not elide:   # elided, a tree draws O(1) nodes at any τ
            raise ParseError(f"a tree-structured net is drawn in full for at most {limits.MAX_TREE_LEAVES:,} "
                             f"leaves, not {steps:,}: choose a smaller τ or the elided view")
        return
    check_second(graph, out_steps)
    second = graph.second_axis()
    lengths = {"": steps, second: default_length(steps) if out_steps is None else out_steps} if second else {"": steps}
    if any(isinstance(n, bool) or not isinstance(n, int) or n < 1 for n in lengths.values()):
        raise ParseError(f"the number of steps must be a whole number of at least 1, not {out_steps!r}")
    columns = {axis: min(n, 2 * keep + 1) if elide else n for axis, n in lengths.items()}
    per_step = sum(1 for n in graph.nodes if n.kind in PER_STEP_KINDS)
    flows = len(graph.edges)   # an upper bound: each circuit edge appears at most once per column
    nodes = sum(columns.get(n.axis, 0) for n in graph.nodes if n.kind in PER_STEP_KINDS)
    edges = max(columns.values()) * flows
    if nodes > limits.MAX_DRAWN_NODES or edges > limits.MAX_DRAWN_EDGES:
        most = max(1, min(limits.MAX_DRAWN_NODES // max(per_step, 1), limits.MAX_DRAWN_EDGES // max(flows, 1)))
        lengths_said = f"τ = {steps:,}" + (f" and {second} = {lengths[second]:,}" if second else "")
        raise ParseError(f"{lengths_said} would draw about {nodes:,} nodes and {edges:,} edges "
                         f"(limits {limits.MAX_DRAWN_NODES:,} and {limits.MAX_DRAWN_EDGES:,}): use τ ≤ {most:,} "
                         "or the elided view")


def check_frames(unfolded: Graph) -> None:
    """Refuse an animation whose frames (one full drawing per step) would hold too many nodes in all."""
    frames = run_length(unfolded) + 1   # a decoder's steps are frames of their own, after the encoder's
    total = frames * len(unfolded.nodes)
    if total > limits.MAX_FRAME_NODES:
        most = max(1, math.isqrt(limits.MAX_FRAME_NODES * (unfolded.steps or 1) // max(len(unfolded.nodes), 1)))
        raise ParseError(f"an animation of {frames - 1} steps draws {total:,} nodes in all (limit "
                         f"{limits.MAX_FRAME_NODES:,}): animate a sequence of at most about {most} steps")
