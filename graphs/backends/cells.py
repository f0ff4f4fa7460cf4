"""Recognise a loop that is exactly a cell torch has a fused kernel for, from its structure alone.

The loop's equations (after split_concat) are matched whatever the names and the order of terms:
  rnn   h = tanh(affine) or relu(affine)
  lstm  i, f, o = σ(affine); g = tanh(affine); c = f ⊙ c[t∓1] + i ⊙ g; h = o ⊙ tanh(c)
  gru   r, z = σ(affine); n = tanh(affine of the inputs + r ⊙ (Wh @ h[t∓1] + biases)); h = (1 - z) ⊙ n + z ⊙ h[t∓1]
where an affine is exactly one product with the state's past, products with loop-free operands (inputs, at any
shift) and biases of the state's size. Anything else (a peephole, one more member, one more term, a value
computed once) matches nothing and the loop runs op by op, so a match is always the same computation.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..expr import Call, Expr, Num, Param, Ref, refs
from .plan import split_concat


@dataclass(frozen=True)
class Gate:
    """One gate's pre-activation: Σ W @ operand + biases + W_past @ state[past] (+ past biases, inside r ⊙ (…))."""
    inputs: tuple[tuple[str, Expr], ...]
    past: str
    biases: tuple[str, ...]
    past_biases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Cell:
    kind: str                   # rnn_tanh, rnn_relu, lstm or gru (torch's kernel names)
    state: str                  # the state the kernel returns for every step
    shift: int                  # -1: forward in time; +1: backward
    gates: tuple[Gate, ...]     # in torch's order: lstm i f g o; gru r z n
    operands: tuple[Expr, ...]  # the loop-free operands, joined along units into the kernel's input
    memory: str = ""            # the LSTM's cell state c


def match(exprs: dict[str, Expr], keep: set[str], sizes: dict, shapes: dict) -> tuple[Cell | None, dict]:
    """The cell these equations compute, or None; and the recipes of split weights it uses."""
    derived: dict = {}
    shapes = dict(shapes)
    exprs = {name: split_concat(e, sizes, shapes, derived) for name, e in exprs.items()}
    if len({sizes.get(name) for name in exprs}) != 1:
        return None, {}
    matcher = {1: _rnn, 4: _gru, 6: _lstm}.get(len(exprs))
    cell = matcher(exprs, _Context(keep, shapes, sizes[next(iter(exprs))])) if matcher else None
    return cell, derived if cell else {}


@dataclass(frozen=True)
class _Context:
    keep: set
    shapes: dict
    units: int


def _rnn(exprs, ctx) -> Cell | None:
    (state, e), = exprs.items()
    if not (isinstance(e, Call) and e.fn in ("tanh", "relu")):
        return None
    for shift in (-1, 1):
        gate = _affine(e.args[0], Ref(state, shift), ctx)
        if gate:
            return _cell(f"rnn_{e.fn}", state, shift, (gate,))
    return None


def _lstm(exprs, ctx) -> Cell | None:
    for h, e in exprs.items():
        o_tanh_c = _pair(e, "mul", _same_step(exprs), _tanh_of(exprs))
        if not o_tanh_c:
            continue
        o, c = o_tanh_c[0].name, o_tanh_c[1].args[0].name
        terms = addends(exprs[c])
        if len(terms) != 2:
            return None
        for shift in (-1, 1):
            for forget, update in (terms, terms[::-1]):
                f_c = _pair(forget, "mul", _same_step(exprs), lambda a: a == Ref(c, shift))
                i_g = _pair(update, "mul", _same_step(exprs), _same_step(exprs))
                if not (f_c and i_g):
                    continue
                names = [i_g[0].name, f_c[0].name, i_g[1].name, o]
                if _activation(exprs, names[2]) != "tanh":   # i ⊙ g is g ⊙ i too: g is the tanh gate
                    names[0], names[2] = names[2], names[0]
                if len(set(names) | {h, c}) != 6 or [_activation(exprs, n) for n in names] != \
                        ["sigmoid", "sigmoid", "tanh", "sigmoid"]:
                    continue
                gates = tuple(_affine(exprs[n].args[0], Ref(h, shift), ctx) for n in names)
                if all(gates):
                    return _cell("lstm", h, shift, gates, memory=c)
    return None


def _gru(exprs, ctx) -> Cell | None:
    for h, e in exprs.items():
        terms = addends(e)
        if len(terms) != 2:
            continue
        for shift in (-1, 1):
            for new, old in (terms, terms[::-1]):
                keep_old = _pair(old, "mul", _same_step(exprs), lambda a: a == Ref(h, shift))
                take_new = _pair(new, "mul", _one_minus(exprs), _same_step(exprs))
                if not (keep_old and take_new) or take_new[0].args[1] != keep_old[0]:
                    continue
                z, n = keep_old[0].name, take_new[1].name
                rest = set(exprs) - {h, z, n}
                if len(rest) != 1 or _activation(exprs, z) != "sigmoid" or _activation(exprs, n) != "tanh":
                    continue
                r = rest.pop()
                gates = (_affine(exprs[r].args[0], Ref(h, shift), ctx) if _activation(exprs, r) == "sigmoid" else None,
                         _affine(exprs[z].args[0], Ref(h, shift), ctx), _candidate(exprs[n].args[0], r, Ref(h, shift), ctx))
                if all(gates):
                    return _cell("gru", h, shift, gates)
    return None


def _candidate(expr, r: str, past: Ref, ctx) -> Gate | None:
    """n's pre-activation: inputs and biases + r ⊙ (W @ past + biases), torch's GRU candidate."""
    terms = addends(expr)
    gated = [t for t in terms if _pair(t, "mul", lambda a: a == Ref(r), lambda a: True)]
    if len(gated) != 1:
        return None
    inner = _affine(_pair(gated[0], "mul", lambda a: a == Ref(r), lambda a: True)[1], past, ctx)
    outer = _affine(add_all([t for t in terms if t is not gated[0]]), None, ctx) if len(terms) > 1 else Gate((), "", ())
    if not (inner and outer) or inner.inputs:
        return None
    return Gate(outer.inputs, inner.past, outer.biases, inner.biases)


def _affine(expr, past: Ref | None, ctx) -> Gate | None:
    """Σ W @ loop-free operand + biases + (exactly one) W @ past; None for anything else."""
    inputs, pasts, biases = [], [], []
    for t in addends(expr):
        if isinstance(t, Call) and t.fn == "matmul" and isinstance(t.args[0], Param) \
                and ctx.shapes.get(t.args[0].name, ())[:1] == (ctx.units,) and len(ctx.shapes[t.args[0].name]) == 2:
            weight, operand = t.args[0].name, t.args[1]
            if operand == past and ctx.shapes[weight][1] == ctx.units:
                pasts.append(weight)
            elif refs(operand) and not any(r.name in ctx.keep or r.index for r in refs(operand)):
                inputs.append((weight, operand))
            else:
                return None
        elif isinstance(t, Param) and tuple(ctx.shapes.get(t.name, ())) == (ctx.units,):
            biases.append(t.name)
        else:
            return None
    if len(pasts) != (past is not None) or len({v for _, v in inputs}) != len(inputs):
        return None
    return Gate(tuple(inputs), pasts[0] if pasts else "", tuple(biases))


def _cell(kind, state, shift, gates, memory="") -> Cell:
    operands = tuple(dict.fromkeys(v for g in gates for _, v in g.inputs))
    return Cell(kind, state, shift, gates, operands, memory)


def _pair(expr, fn: str, first, second) -> tuple | None:
    """expr's two arguments as (a, b) with first(a) and second(b), in either order, if expr is fn(a, b)."""
    if not (isinstance(expr, Call) and expr.fn == fn and len(expr.args) == 2):
        return None
    a, b = expr.args
    if first(a) and second(b):
        return a, b
    if first(b) and second(a):
        return b, a
    return None


def _same_step(exprs):
    return lambda a: isinstance(a, Ref) and a.shift == 0 and not a.index and a.name in exprs


def _tanh_of(exprs):
    return lambda a: isinstance(a, Call) and a.fn == "tanh" and _same_step(exprs)(a.args[0])


def _one_minus(exprs):
    return lambda a: (isinstance(a, Call) and a.fn == "sub" and a.args[0] == Num(1.0)
                      and _same_step(exprs)(a.args[1]))


def _activation(exprs, name: str) -> str:
    e = exprs[name]
    return e.fn if isinstance(e, Call) and e.fn in ("sigmoid", "tanh") and len(e.args) == 1 else ""


def addends(expr) -> list:
    """The terms of a chain of additions, in order."""
    if isinstance(expr, Call) and expr.fn == "add":
        return [t for a in expr.args for t in addends(a)]
    return [expr]


def add_all(parts: list):
    """The terms added up again, left to right."""
    total = parts[0]
    for term in parts[1:]:
        total = Call("add", (total, term))
    return total
