"""The evaluation plan of a loop: its equations rewritten so that each step does less work, results unchanged.

The Graph users see is never touched; these passes rewrite the expressions the evaluator runs:
  split_concat  W @ concat(a, b) → W_a @ a + W_b @ b (column blocks of W), so that a loop-free half can
                leave the loop with the other loop-free parts (f(a, b, θ) is tanh(θ @ concat(a, b)));
  stack         sums of products over the same operands (the gates of an LSTM, Wx @ x + Wh @ h[t-1] + b)
                become one sum of stacked products, so the evaluator's hoisting computes the loop-free part
                of all the gates with one matrix product per input, for all steps at once;
  share         products inside the loop with the same right operand (the gates' W @ h[t-1]) become one
                product per step, each gate reading a block of its columns;
  and a run of stacked gates under the same activation gets that activation once.
New parameters (column blocks, stacked rows) are recipes the evaluator makes once per run. New values are
named "__…", which no user name can be.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..expr import Call, Expr, Num, Param, Ref, refs

COLS = "cols"   # evaluator-only: Call(COLS, (value, Num(lo), Num(hi))) is value[..., lo:hi]
PASSES = ("split_concat", "stack", "fuse")   # stack includes sharing the loop's products and the gates' activations;
# fuse: a loop that is exactly an RNN, GRU or LSTM cell runs in the backend's fused kernel (cells.py, fused.py)
ACTIVATIONS = ("sigmoid", "tanh", "relu", "exp")   # element-wise, so applying one to a block of gates is exact


@dataclass(frozen=True)
class Affine:
    """A sum with matrix products: Σ W @ operand + Σ biases + other terms."""
    node: Expr
    products: tuple[tuple[str, Expr], ...]   # (W, operand), one per operand
    biases: tuple[str, ...]
    rest: tuple[Expr, ...]
    parent: str                              # the activation applied to the whole sum, or ""


def plan_loop(exprs: dict[str, Expr], keep: set[str], sizes: dict, shapes: dict, prefix: str,
              passes: tuple[str, ...] = PASSES) -> tuple[dict[str, Expr], dict[str, tuple]]:
    """The loop's expressions after the passes (new values added), and the recipes of new parameters.

    keep: names whose value changes inside the loop (members and values computed once); sizes: units of
    each variable; shapes: each parameter's shape.
    """
    derived: dict[str, tuple] = {}
    shapes = dict(shapes)   # grows with the new parameters' shapes
    if "split_concat" in passes:
        exprs = {name: split_concat(e, sizes, shapes, derived) for name, e in exprs.items()}
    if "stack" in passes:
        exprs = stack(exprs, keep, shapes, derived, prefix)
    return exprs, derived


def split_concat(expr: Expr, sizes: dict, shapes: dict, derived: dict) -> Expr:
    """The expression with W @ concat(a, b, …) as W[:, block a] @ a + W[:, block b] @ b + …"""
    if not isinstance(expr, Call):
        return expr
    if expr.fn == "f":
        inner = expr.args[:-1]
        joined = inner[0] if len(inner) == 1 else Call("concat", inner)
        expr = Call("tanh", (Call("matmul", (expr.args[-1], joined)),))
    args = tuple(split_concat(a, sizes, shapes, derived) for a in expr.args)
    if expr.fn == "matmul" and _is_weight(args[0], shapes) and isinstance(args[1], Call) and args[1].fn == "concat" \
            and all(isinstance(p, Ref) and p.name in sizes for p in args[1].args):
        weight, parts = args[0].name, args[1].args
        if sum(sizes[p.name] for p in parts) == shapes[weight][1]:
            terms, lo = [], 0
            for part in parts:
                hi = lo + sizes[part.name]
                derived[f"{weight}[:, {lo}:{hi}]"] = ("cols", weight, lo, hi)
                shapes[f"{weight}[:, {lo}:{hi}]"] = (shapes[weight][0], hi - lo)
                terms.append(Call("matmul", (Param(f"{weight}[:, {lo}:{hi}]"), part)))
                lo = hi
            return _sum(terms)
    return Call(expr.fn, args)


def stack(exprs: dict[str, Expr], keep: set[str], shapes: dict, derived: dict, prefix: str) -> dict[str, Expr]:
    """The expressions with same-operand sums stacked and same-operand loop products shared."""
    in_loop = [a for a in _affines(exprs.values(), shapes) if any(_moves(v, keep) for _, v in a.products)]
    groups: dict[tuple, list[Affine]] = {}
    for a in in_loop:
        groups.setdefault(tuple(sorted((repr(v) for _, v in a.products))), []).append(a)
    new: dict[str, Expr] = {}
    replace: dict[Expr, Expr] = {}
    # loop operand → its products: (weights, the stacked sum's name, None) or ((W,), the lone sum, W)
    users: dict[Expr, list] = {}
    for members in groups.values():
        if len(members) == 1:
            for w, v in members[0].products:
                if _moves(v, keep):
                    users.setdefault(v, []).append(((w,), members[0], w))
            continue
        members.sort(key=lambda a: a.parent if a.parent and not a.rest else "~")   # same activations adjacent
        name, terms = f"{prefix}S{len(new)}", []
        for _, v in members[0].products:
            weights = tuple(_weight_for(a, v) for a in members)
            if _moves(v, keep):
                users.setdefault(v, []).append((weights, name, None))
            else:
                derived[f"{prefix}W{name}{len(terms)}"] = ("rows", weights)
                terms.append(Call("matmul", (Param(f"{prefix}W{name}{len(terms)}"), v)))
        if any(a.biases for a in members):
            derived[f"{prefix}b{name}"] = ("biases", tuple((a.biases, shapes[a.products[0][0]][0]) for a in members))
            terms.append(Param(f"{prefix}b{name}"))
        new[name] = terms   # the loop products' column blocks are appended below
        _gates(members, name, shapes, new, replace, prefix)
    for v, uses in users.items():
        if len(uses) == 1:   # nothing to share: a stacked sum takes its product as a term of its own
            weights, user, _ = uses[0]
            if isinstance(user, str):
                derived[f"{prefix}W{user}{len(new[user])}"] = ("rows", weights)
                new[user].append(Call("matmul", (Param(f"{prefix}W{user}{len(new[user])}"), v)))
            continue
        y, lo = f"{prefix}Y{len(new)}", 0
        derived[f"{prefix}W{y}"] = ("rows", tuple(w for weights, _, _ in uses for w in weights))
        new[y] = Call("matmul", (Param(f"{prefix}W{y}"), v))
        total = sum(shapes[w][0] for weights, _, _ in uses for w in weights)
        for weights, user, w in uses:
            hi = lo + sum(shapes[x][0] for x in weights)
            block = _cols(Ref(y), lo, hi, total)
            if isinstance(user, str):
                new[user].append(block)
            else:
                replace[Call("matmul", (Param(w), v))] = block
            lo = hi
    new = {name: _sum(e) if isinstance(e, list) else e for name, e in new.items()}
    return {name: _replace(e, replace) for name, e in {**exprs, **new}.items()}


def _weight_for(a: Affine, operand: Expr) -> str:
    return next(w for w, v in a.products if v == operand)


def _gates(members: list[Affine], stacked: str, shapes: dict, new: dict, replace: dict, prefix: str) -> None:
    """Each member sum becomes its block of the stacked sum; a run under one activation gets it once."""
    bounds, lo = [], 0
    for a in members:
        hi = lo + shapes[a.products[0][0]][0]
        bounds.append((lo, hi))
        lo = hi
    total, k = lo, 0
    while k < len(members):
        run = k
        while run + 1 < len(members) and members[k].parent and not members[k].rest \
                and members[run + 1].parent == members[k].parent and not members[run + 1].rest:
            run += 1
        if run > k:   # one activation for gates k..run
            act, first, last = f"{prefix}A{len(new)}", bounds[k][0], bounds[run][1]
            new[act] = Call(members[k].parent, (_cols(Ref(stacked), first, last, total),))
            for a, (lo, hi) in zip(members[k:run + 1], bounds[k:run + 1]):
                replace[Call(a.parent, (a.node,))] = _cols(Ref(act), lo - first, hi - first, last - first)
        else:
            a, (lo, hi) = members[k], bounds[k]
            replace[a.node] = _sum([_cols(Ref(stacked), lo, hi, total), *a.rest])
        k = run + 1


def _affines(exprs, shapes: dict) -> list[Affine]:
    """Every sum with matrix products in the expressions, each once, with the activation applied to it."""
    found: dict[Expr, Affine] = {}
    stack = [(e, "") for e in reversed(list(exprs))]   # popped in reading order
    while stack:
        node, parent = stack.pop()
        if not isinstance(node, Call) or node.fn == "teacher_forcing":
            continue   # teacher forcing reads one branch or the other: leave both as written
        affine = _affine(node, shapes, parent)
        if affine is None:
            fn = node.fn if node.fn in ACTIVATIONS else ""
            stack += [(a, fn) for a in node.args]
            continue
        found.setdefault(node, affine)
        stack += [(v, "") for _, v in affine.products] + [(r, "") for r in affine.rest]
    return list(found.values())


def _affine(node: Call, shapes: dict, parent: str) -> Affine | None:
    terms = _terms(node)
    products = [(t.args[0].name, t.args[1]) for t in terms
                if isinstance(t, Call) and t.fn == "matmul" and _is_weight(t.args[0], shapes)]
    if not products or len({shapes[w][0] for w, _ in products}) > 1 or len({v for _, v in products}) < len(products):
        return None
    rows = shapes[products[0][0]][0]
    biases = tuple(t.name for t in terms if isinstance(t, Param) and tuple(shapes[t.name]) == (rows,))
    taken = {Call("matmul", (Param(w), v)) for w, v in products} | {Param(b) for b in biases}
    rest = tuple(t for t in terms if t not in taken)
    return Affine(node, tuple(products), biases, rest, parent)


def _is_weight(expr: Expr, shapes: dict) -> bool:
    return isinstance(expr, Param) and len(shapes.get(expr.name, ())) == 2


def _moves(expr: Expr, keep: set[str]) -> bool:
    """Reads a value that changes inside the loop, so it cannot be computed for all steps up front."""
    return any(r.name in keep or r.index for r in refs(expr))


def _cols(value: Expr, lo: int, hi: int, total: int) -> Expr:
    return value if (lo, hi) == (0, total) else Call(COLS, (value, Num(lo), Num(hi)))


def _replace(expr: Expr, replace: dict) -> Expr:
    if expr in replace:
        return replace[expr]
    if not isinstance(expr, Call):
        return expr
    return Call(expr.fn, tuple(_replace(a, replace) for a in expr.args))


def _terms(expr: Expr) -> list:
    """The terms of a chain of additions, in order."""
    if isinstance(expr, Call) and expr.fn == "add":
        return [t for a in expr.args for t in _terms(a)]
    return [expr]


def _sum(terms: list) -> Expr:
    total = terms[0]
    for term in terms[1:]:
        total = Call("add", (total, term))
    return total
