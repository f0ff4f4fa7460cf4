"""Evaluate a circuit Graph over a sequence, on any backend's operations.

The circuit is split into loops (strongly connected components, delayed edges included) and
evaluated loop by loop: a loop scans time step by step (forward for h[t-1], backward for g[t+1]);
anything outside a loop is computed for all steps at once. Cost is linear in τ.
"""
from __future__ import annotations

import graphlib

from .. import scc
from ..expr import FINAL, LEFT, RIGHT, Call, Num, Param, Ref, refs, walk
from ..ir import Graph
from ..tree import balanced
from .cells import add_all as _sum, match, addends as _terms
from .fused import Values, run_cell
from .plan import COLS, PASSES, plan_loop

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
                values[name] = _ev(expr_of[name], params, ops, mode,
                                   lambda r: finals.get(r.name, values[r.name][-1]) if r.index == FINAL
                                   else values[r.name])
            return
        delays = {e.delay for e in inner if e.delay}
        if not delays:
            for name in order:
                values[name] = _ev(expr_of[name], params, ops, mode,
                                   lambda r: _shifted(r, values, init, once, length, batch, ops, sizes))
            return
        if ops.fused_cell and traces is None and "fuse" in passes and _fuse(block, length):
            return
        plan, derived = plan_loop({name: expr_of[name] for name in block}, members | once, sizes,
                                  {k: tuple(v.shape) for k, v in params.items()}, f"__loop{len(values)}", passes)
        params.update(_derive(derived, params, ops))
        inside = members | once | set(plan)
        hoisted = {name: _hoist(e, inside, values,
                                lambda e: _ev(e, params, ops, mode,
                                              lambda r: _shifted(r, values, init, once, length, batch, ops, sizes)))
                   for name, e in plan.items()}
        # the plan's own values are read within their step only: keeping one per step would hold memory
        trace: dict = {name: [None] * length if name in members else _Latest() for name in plan}

        def reader(r: Ref):
            return _reader(r, values, trace, init, finals, once, length, batch, ops, sizes)
        compiled = [(trace[name], _compile(hoisted[name], params, ops, mode, reader)) for name in _order(hoisted)]
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
        operands = [_ev(v, params, ops, mode, lambda r: _shifted(r, values, init, once, length, batch, ops, sizes))
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


def _hoist(expr, keep: set[str], values: dict, compute):
    """The expression with every loop-free part (such as U @ x + b) computed for all steps up front.

    Each such part becomes a reference to a precomputed (T, batch, units) array, so the time loop does
    only the work that depends on the loop's own past. Parts reading `keep` (the loop's members and
    values computed once) or a special index stay in the loop. A sum's terms are regrouped, so that
    `U @ x + b + W @ h[t-1] + c` costs one addition per step, not two.
    """
    if not isinstance(expr, Call):
        return expr
    if _loop_free(expr, keep):
        name = f"__hoisted{len(values)}"   # not a legal user name: user names cannot start with __
        values[name] = compute(expr)
        return Ref(name)
    if expr.fn == "add":
        terms = _terms(expr)
        free = [a for a in terms if _reads_no(a, keep)]
        if len(free) > 1 and _loop_free(_sum(free), keep):
            rest = [a for a in terms if not any(a is f for f in free)]
            return _sum([_hoist(_sum(free), keep, values, compute)] + [_hoist(a, keep, values, compute) for a in rest])
    return Call(expr.fn, tuple(_hoist(a, keep, values, compute) for a in expr.args))


def _reads_no(expr, keep: set[str]) -> bool:
    """Reads no loop member, value computed once or special index (it may read nothing at all)."""
    return not any(r.name in keep or r.index for r in refs(expr))


def _loop_free(expr, keep: set[str]) -> bool:
    """A part worth computing for all steps at once: it reads some sequence, and nothing of the loop."""
    return (isinstance(expr, Call) and bool(refs(expr)) and _reads_no(expr, keep)
            and expr.fn != "teacher_forcing")


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
    leaves = _ev(leaf_expr, params, ops, mode, lambda r: values[r.name])
    count = leaves.shape[0]
    made = {(i + 1, i + 1): leaves[i] for i in range(count)}
    for left, right in merges if merges is not None else balanced(count):
        made[left[0], right[1]] = _ev(node_expr, params, ops, mode,
                                      lambda r, a=made[left], b=made[right]: a if r.index == LEFT else b)
    values[state] = leaves
    finals[state] = made[1, count]


def _ev(expr, params, ops, mode, lookup):
    """One expression's value for the whole sequence; `lookup` gives each variable reference's value."""
    return _compile(expr, params, ops, mode, lambda r: lambda t: lookup(r))(None)


def _is_product(expr) -> bool:
    return isinstance(expr, Call) and expr.fn == "matmul" and isinstance(expr.args[0], Param)


def _fresh(expr) -> bool:
    """Computed into new memory that nothing else reads, so an operation may overwrite it."""
    return isinstance(expr, Call) and expr.fn not in (COLS, "teacher_forcing")


CONSTANT_FOLDED = {"add": float.__add__, "sub": float.__sub__, "mul": float.__mul__, "div": float.__truediv__,
                   "neg": float.__neg__}


def _constant(expr) -> float:
    """The value of numbers combined by arithmetic (the checker has refused a division by zero)."""
    if isinstance(expr, Num):
        return expr.value
    return CONSTANT_FOLDED[expr.fn](*(_constant(a) for a in expr.args))


def _compile(expr, params, ops, mode, reader):
    """The expression as nested closures taking the step t: the tree is walked once, not at every step.

    reader(ref) gives a function t → that reference's value.
    """
    if isinstance(expr, Ref):
        return reader(expr)
    if isinstance(expr, Param):
        value = params[expr.name]
        return lambda t: value
    if all(isinstance(e, Num) or (isinstance(e, Call) and e.fn in CONSTANT_FOLDED) for e in walk(expr)):
        number = _constant(expr)   # -1 is neg(1): torch's ops take tensors, so numbers are worked out here
        return lambda t: number
    args = expr.args
    if expr.fn == "teacher_forcing":
        return _compile(args[0] if mode == "train" else args[1], params, ops, mode, reader)
    if expr.fn == COLS:
        value, lo, hi = _compile(args[0], params, ops, mode, reader), int(args[1].value), int(args[2].value)
        return lambda t: value(t)[..., lo:hi]
    if expr.fn == "f":
        joined = _compile(Call("concat", args[:-1]) if len(args) > 2 else args[0], params, ops, mode, reader)
        weight_t, tanh = ops.transpose(params[args[-1].name]), ops.OPS["tanh"]
        return lambda t: tanh(ops.matmul_t(joined(t), weight_t))
    if expr.fn == "matmul" and isinstance(args[0], Param):
        # v @ Wᵀ with Wᵀ made contiguous once per run, not transposed at every step
        weight_t, vector = ops.transpose(params[args[0].name]), _compile(args[1], params, ops, mode, reader)
        matmul_t = ops.matmul_t
        return lambda t: matmul_t(vector(t), weight_t)
    if expr.fn == "add" and any(_is_product(a) for a in args):
        # v @ Wᵀ + u in one call: torch's addmm, or NumPy adding u into the product's own memory
        product, other = args if _is_product(args[0]) else args[::-1]
        weight_t, matmul_add = ops.transpose(params[product.args[0].name]), ops.matmul_add
        vector, rest = (_compile(a, params, ops, mode, reader) for a in (product.args[1], other))
        return lambda t: matmul_add(vector(t), weight_t, rest(t))
    fn = ops.OPS[expr.fn]
    parts = [_compile(a, params, ops, mode, reader) for a in args]
    if len(parts) == 1:
        (a,) = parts
        if expr.fn in ops.INPLACE and _fresh(args[0]):
            fn = ops.INPLACE[expr.fn]
            return lambda t: fn(a(t), 0)
        return lambda t: fn(a(t))
    if len(parts) == 2:
        a, b = parts
        if expr.fn in ops.INPLACE and (_fresh(args[0]) or _fresh(args[1])):
            fn, into = ops.INPLACE[expr.fn], 0 if _fresh(args[0]) else 1
            return lambda t: fn(a(t), b(t), into)
        return lambda t: fn(a(t), b(t))
    return lambda t: fn(*[part(t) for part in parts])
