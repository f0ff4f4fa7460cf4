"""The unfolded function g(t) written out: h(3) = f(f(f(h(0), x(1)), x(2)), x(3)), in text or LaTeX."""
from __future__ import annotations

import graphlib

from . import limits
from .axes import check_second
from .expr import Call, Expr, Num, Param, Ref, refs
from .ir import Graph
from .ops import INFIX
from .parse import ParseError

MAX_CHARS = 20_000
PRECEDENCE = {"add": 1, "sub": 1, "mul": 2, "div": 2, "matmul": 2, "neg": 3}
TEXT_SYMBOL = {"add": " + ", "sub": " - ", "mul": " ⊙ ", "div": " / ", "matmul": " "}
LATEX_SYMBOL = {"add": " + ", "sub": " - ", "mul": " \\odot ", "div": " / ", "matmul": " "}
LATEX_FN = {"tanh": "\\tanh", "sigmoid": "\\sigma", "exp": "\\exp", "log": "\\log"}


def g_text(graph: Graph, state: str, steps: int, *, substitute: bool = False, latex: bool = False,
           out_steps: int | None = None) -> str:
    """`state(τ) = …` with the recurrence applied τ times, as f(…) or with f's body substituted.

    A state over a second axis (a decoder's s over u) is written at out_steps, its own axis's length (steps
    if None); it reads the encoder through the value computed once, C.

    >>> from graphs import parse
    >>> g = parse("input x\\nparam W, U, b\\nh = tanh(W @ h[t-1] + U @ x + b)")
    >>> g_text(g, "h", 2)
    'h(2) = f(f(h(0), x(1)), x(2))'
    >>> g_text(g, "h", 2, substitute=True)
    'h(2) = tanh(W tanh(W h(0) + U x(1) + b) + U x(2) + b)'
    """
    node = next((n for n in graph.nodes if n.id == state and n.expr is not None), None)
    if node is None:
        raise ParseError(f"'{state}' is not defined by an equation")
    if graph.tree or any(r.index or (r.name == state and r.shift > 0) for r in refs(node.expr)):   # only the past
        raise ParseError(f"g(t) is written for a state that reads its own past, not for '{state}'")
    check_second(graph, out_steps)
    if node.axis and out_steps is not None:
        steps = out_steps
    if isinstance(steps, bool) or not isinstance(steps, int) or not 1 <= steps <= limits.MAX_GT_STEPS:
        raise ParseError(f"g(t) is written out for τ from 1 to {limits.MAX_GT_STEPS}")
    label = _latex_label if latex else _text_label
    init = {n.name: n.label for n in graph.kinds("init")}
    once = {n.name for n in graph.kinds("once")}
    defined = {n.name: n.expr for n in graph.nodes if n.expr is not None and n.kind in ("state", "output", "loss")}
    order = _needed_in_order(defined, state)
    written: dict[tuple[str, int], tuple[str, int]] = {}   # (variable, step) → (text, precedence of its top)
    for step in range(1, steps + 1):   # bottom-up, so that nothing recurses over time
        def value(r: Ref) -> tuple[str, int]:
            k = step + r.shift
            if r.name in once:
                return (_latex_name(r.name) if latex else r.name), ATOM
            if (r.name, k) in written:
                return written[r.name, k]
            if r.name in defined and k < 1:
                return (label(r.name, 0) if r.name in init else "0"), ATOM
            return (label(r.name, k) if k >= 1 else "0"), ATOM
        for name in order:
            expr = defined[name]
            if substitute:
                written[name, step] = _show(expr, value, latex), _precedence(expr)
            else:   # f of what the step reads from outside itself: other steps, inputs
                args = ", ".join(dict.fromkeys(value(r)[0] for r in _leaf_refs(expr, defined)))
                written[name, step] = f"{'f' if name == state else 'f_' + name}({args})", ATOM
        if len(written[state, step][0]) > MAX_CHARS:
            raise ParseError(f"g({step}) is already longer than {MAX_CHARS:,} characters; choose a smaller τ")
    return f"{label(state, steps)} = {written[state, steps][0]}"


ATOM = 9   # precedence of a name or a call: never needs parentheses


def _precedence(expr: Expr) -> int:
    if isinstance(expr, Call) and (expr.fn in INFIX or expr.fn == "neg"):
        return PRECEDENCE[expr.fn]
    return ATOM


def _needed_in_order(defined: dict[str, Expr], state: str) -> list[str]:
    """The variables `state` is computed from (itself included), in the order one step computes them."""
    needed, todo = set(), [state]
    while todo:
        name = todo.pop()
        if name in needed or name not in defined:
            continue
        needed.add(name)
        todo += [r.name for r in refs(defined[name])]
    deps = {name: {r.name for r in refs(defined[name]) if r.shift == 0 and r.name in needed} for name in needed}
    return list(graphlib.TopologicalSorter(deps).static_order())


def _leaf_refs(expr: Expr, defined: dict[str, Expr]) -> list[Ref]:
    """The reads of expr once the values of its own step are written in: other steps' values and inputs."""
    found, stack = [], list(reversed(refs(expr)))
    while stack:
        r = stack.pop()
        if r.shift == 0 and r.name in defined and not r.index:
            stack += list(reversed(refs(defined[r.name])))
        else:
            found.append(r)
    return found


def _text_label(name: str, step: int) -> str:
    return f"{name}({step})"


def _latex_label(name: str, step: int) -> str:
    return f"{_latex_name(name)}^{{({step})}}"


def _latex_name(name: str) -> str:
    base, _, sub = name.partition("_")
    return f"{base}_{{{sub}}}" if sub else name


def _show(expr: Expr, value, latex: bool, outer: int = 0) -> str:
    """An expression as text; `value` writes each variable reference."""
    if isinstance(expr, Ref):
        text, precedence = value(expr)
        return f"({text})" if precedence < outer else text
    if isinstance(expr, Param):
        return _latex_name(expr.name) if latex else expr.name
    if isinstance(expr, Num):
        return f"{expr.value:g}"
    if expr.fn == "neg":
        return "-" + _show(expr.args[0], value, latex, PRECEDENCE["neg"])
    if expr.fn in INFIX:
        mine = PRECEDENCE[expr.fn]
        symbol = (LATEX_SYMBOL if latex else TEXT_SYMBOL)[expr.fn]
        left = _show(expr.args[0], value, latex, mine)
        # a right operand at the same precedence keeps its parentheses unless the two ops regroup freely:
        # W (r ⊙ h) is not (W r) ⊙ h, and a - (b - c) is not a - b - c
        right = expr.args[1]
        regroups = isinstance(right, Call) and right.fn == expr.fn and expr.fn in ("add", "mul")
        right = _show(right, value, latex, mine + (not regroups))
        text = left + symbol + right
        return f"({text})" if mine < outer else text
    args = ", ".join(_show(a, value, latex) for a in expr.args)
    if latex:
        name = LATEX_FN.get(expr.fn, f"\\operatorname{{{expr.fn}}}".replace("_", "\\_"))
        return f"{name}\\left({args}\\right)"
    return f"{expr.fn}({args})"
