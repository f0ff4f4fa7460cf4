"""Evaluate a circuit Graph over a sequence, on any backend's operations.

The circuit is split into loops (strongly connected components, delayed edges included) and
evaluated loop by loop: a loop scans time step by step (forward for h[t-1], backward for g[t+1]);
anything outside a loop is computed for all steps at once. Cost is linear in τ.
"""
from __future__ import annotations

import graphlib

from .. import scc
from ..expr import FINAL, LEFT, RIGHT, Param, Ref, refs
from ..ir import Graph
from ..tree import balanced
from .cells import match
from .closures import compile_expr, value_of
from .fused import Values, run_cell
from .hoist import hoist
from .plan import PASSES, plan_loop

FLOW_KINDS = ("", "final", "train", "test")


def evaluate(graph: Graph, params: dict, inputs: dict, ops, sizes: dict, steps: int, batch: int,
             mode: str = "test", traces: dict | None = None, initial: dict | None = None,
             tree: tuple | None = None, passes: tuple[str, ...] = PASSES, lengths: dict | None = None) -> dict:
    """Every defined variable's values: (T, batch, units) per step, or (batch, units) if computed once.

    lengths: each time axis's length ("" is t, of length steps): a decoder over u has n_y steps of its own.
    traces, if given, receives each looping variable's per-step values as the loop computed them
    (the tensors autograd differentiates through, for ∂L/∂h(t)). tree: a recursive net's merges
    (graphs.tree.Merge), balanced if None.
    """
    defined = [n.id for n in graph.nodes if n.expr is not None and n.kind != "init"]
    expr_of = {n: graph.node(n).expr for n in defined}
    once = {n.id for n in graph.kinds("once")}
    length_of = {n.id: (lengths or {}).get(n.axis, steps) for n in graph.nodes}
    values = Values(inputs)
    params = dict(params)   # the plans' derived parameters join a copy, never the caller's dict
    finals: dict = {}
    init = {n.name: _initial(n, params, inputs, batch, ops, sizes[n.name]) for n in graph.kinds("init")}
    for name, start in (initial or {}).items():   # h(0) given by the user, the same for every sample
        init[name] = start + ops.zeros(batch, sizes[name])
    flows = [e for e in graph.edges if e.kind in FLOW_KINDS and e.src in expr_of and e.dst in expr_of]
    def evaluate_block(block: list[str]) -> None:
        members = set(block)
        length = length_of[block[0]]   # a block runs over one axis: the checker refused an equation mixing two
        inner = [e for e in flows if e.src in members and e.dst in members]
        order = _order({name: expr_of[name] for name in block})
        if graph.tree and any(r.index in (LEFT, RIGHT) for n in block for r in refs(expr_of[n])):
            _tree(graph, block[0], params, values, finals, ops, mode, tree)
            return
        if members & once:
            for name in order:
                values[name] = value_of(expr_of[name], params, ops, mode,
                                   lambda r: finals.get(r.name, values[r.name][-1]) if r.index == FINAL
                                   else values[r.name])
            return
        delays = {e.delay for e in inner if e.delay}
        if not delays:
            for name in order:
                values[name] = value_of(expr_of[name], params, ops, mode,
                                   lambda r: _shifted(r, values, init, once, length, batch, ops, sizes))
            return
        if ops.fused_cell and traces is None and "fuse" in passes and _fuse(block, length):
            return
        plan, derived = plan_loop({name: expr_of[name] for name in block}, members | once, sizes,
                                  {k: tuple(v.shape) for k, v in params.items()}, f"__loop{len(values)}", passes)
        params.update(_derive(derived, params, ops))
        inside = members | once | set(plan)
        hoisted = {name: hoist(e, inside, values,
                                lambda e: value_of(e, params, ops, mode,
                                              lambda r: _shifted(r, values, init, once, length, batch, ops, sizes)))
                   for name, e in plan.items()}
        # the plan's own values are read within their step only: keeping one per step would hold memory
        trace: dict = {name: [None] * length if name in members else _Latest() for name in plan}

        def reader(r: Ref):
            return _reader(r, values, trace, init, finals, once, length, batch, ops, sizes)
        compiled = [(trace[name], compile_expr(hoisted[name], params, ops, mode, reader)) for name in _order(hoisted)]
        times = range(length) if max(delays) > 0 else range(length - 1, -1, -1)
        with ops.time_loop():
            for t in times:
                for out, step in compiled:
                    out[t] = step(t)
        for name in block:
            values[name] = ops.stack(trace[name])
        if traces is not None:
            traces.update((name, trace[name]) for name in block)

    def _fuse(block: list[str], length: int) -> bool:
        """The loop run by the backend's fused kernel, if it is exactly such a cell; its other members deferred."""
        cell, derived = match({name: expr_of[name] for name in block}, set(block) | once, sizes,
                              {k: tuple(v.shape) for k, v in params.items()})
        if cell is None:
            return False
        params.update(_derive(derived, params, ops))
        operands = [value_of(v, params, ops, mode, lambda r: _shifted(r, values, init, once, length, batch, ops, sizes))
                    for v in cell.operands]
        starts = tuple(_start(n, init, batch, ops, sizes) for n in (cell.state, cell.memory) if n)
        made = run_cell(cell, operands, params, starts, ops, length, batch)
        if made is None:
            return False
        for name, value in made.items():
            values[name] = value
        rest = [name for name in block if name not in made]
        if rest:   # gates and c from the state's values, when first read: nn.LSTM returns h alone
            values.defer(rest, lambda: evaluate_blocks(rest))
        return True

    def evaluate_blocks(names: list[str]) -> None:
        """The names' loops, each alone: with the state known, gates leave the loop and only c still loops."""
        within = [(e.src, e.dst) for e in flows if e.src in names and e.dst in names]
        for block in scc.components(names, within):
            evaluate_block(block)

    evaluate_blocks(defined)
    return values.only(defined)   # hoisted parts stay behind


class _Latest:
    """Per-step storage that keeps only the latest step's value."""
    __slots__ = ("value",)

    def __setitem__(self, t, value):
        self.value = value

    def __getitem__(self, t):
        return self.value


def _order(exprs: dict) -> list[str]:
    """Names in evaluation order within one step (only same-step reads constrain it)."""
    deps = {name: {r.name for r in refs(e) if r.shift == 0 and not r.index and r.name in exprs and r.name != name}
            for name, e in exprs.items()}
    return list(graphlib.TopologicalSorter(deps).static_order())


def _derive(recipes: dict[str, tuple], params: dict, ops) -> dict:
    """The plan's new parameters, made once per run from the given ones (autograd flows through them)."""
    made: dict = {}
    for name, recipe in recipes.items():
        known = {**params, **made}
        if recipe[0] == "cols":
            _, weight, lo, hi = recipe
            made[name] = known[weight][:, lo:hi]
        elif recipe[0] == "rows":
            made[name] = ops.cat_time([known[w] for w in recipe[1]])
        else:   # biases: each gate's biases summed, zeros for a gate without one
            made[name] = ops.cat_time([sum(known[b] for b in biases) if biases else ops.zeros(rows)
                                       for biases, rows in recipe[1]])
    return made


def _initial(node, params, inputs, batch, ops, size):
    """h(0): zeros, a trainable param broadcast over the batch, or a given input's first step."""
    if isinstance(node.expr, Param):
        return params[node.expr.name] + ops.zeros(batch, size)
    if isinstance(node.expr, Ref):
        return inputs[node.expr.name][0]
    return ops.zeros(batch, size)


def _reader(r: Ref, values, trace, init, finals, once, steps, batch, ops, sizes):
    """A function t → the reference's value at step t, inside a loop; the lookups are done once, here."""
    if r.name in once:
        value = values[r.name]
        return lambda t: value
    if r.index == FINAL:
        return lambda t: finals.get(r.name, values[r.name][-1])
    source = trace[r.name] if r.name in trace else values[r.name]
    k = r.shift
    if k == 0:
        return lambda t: source[t]
    start = _start(r.name, init, batch, ops, sizes)
    return lambda t: source[t + k] if 0 <= t + k < steps else start


def _start(name, init, batch, ops, sizes):
    """A value before the sequence starts (or after it ends): its initial state, or zeros for an input."""
    return init[name] if name in init else ops.zeros(batch, sizes[name])


def _shifted(r: Ref, values, init, once, steps, batch, ops, sizes):
    """A reference's values at every step at once, shifted by r.shift and padded at the ends."""
    if r.name in once:
        full = values[r.name]
        return ops.broadcast(full, (steps, *full.shape))
    full = values[r.name]
    if r.index == FINAL:
        return full[-1]   # the last step of its own axis
    if r.shift == 0:
        return full
    k = abs(r.shift)
    start = _start(r.name, init, batch, ops, sizes)
    if k >= steps:
        return ops.zeros(steps, batch, full.shape[-1]) + start
    pad = ops.broadcast(start + ops.zeros(1, batch, full.shape[-1]), (k, batch, full.shape[-1]))
    parts = [pad, full[:-k]] if r.shift < 0 else [full[k:], pad]
    return ops.cat_time(parts)


def _tree(graph, state, params, values, finals, ops, mode, merges):
    """A recursive net: leaves from h[leaf] = …, then two children combined at a time, up to the root."""
    leaf_expr = dict(graph.leaves)[state]
    node_expr = graph.node(state).expr
    leaves = value_of(leaf_expr, params, ops, mode, lambda r: values[r.name])
    count = leaves.shape[0]
    made = {(i + 1, i + 1): leaves[i] for i in range(count)}
    for left, right in merges if merges is not None else balanced(count):
        made[left[0], right[1]] = value_of(node_expr, params, ops, mode,
                                      lambda r, a=made[left], b=made[right]: a if r.index == LEFT else b)
    values[state] = leaves
    finals[state] = made[1, count]
