"""The unfolded function g(t) written out: h(3) = f(f(f(h(0), x(1)), x(2)), x(3)), in text or LaTeX."""
from __future__ import annotations

from . import limits
from .expr import Expr, Num, Param, Ref, refs
from .ir import Graph
from .ops import INFIX
from .parse import ParseError

MAX_CHARS = 20_000
PRECEDENCE = {"add": 1, "sub": 1, "mul": 2, "div": 2, "matmul": 2, "neg": 3}
TEXT_SYMBOL = {"add": " + ", "sub": " - ", "mul": " ⊙ ", "div": " / ", "matmul": " "}
LATEX_SYMBOL = {"add": " + ", "sub": " - ", "mul": " \\odot ", "div": " / ", "matmul": " "}
LATEX_FN = {"tanh": "\\tanh", "sigmoid": "\\sigma", "exp": "\\exp", "log": "\\log"}


def g_text(graph: Graph, state: str, steps: int, *, substitute: bool = False, latex: bool = False) -> str:
    """`state(τ) = …` with the recurrence applied τ times, as f(…) or with f's body substituted.

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
    if isinstance(steps, bool) or not isinstance(steps, int) or not 1 <= steps <= limits.MAX_GT_STEPS:
        raise ParseError(f"g(t) is written out for τ from 1 to {limits.MAX_GT_STEPS}")
    label = _latex_label if latex else _text_label
    init = {n.name: n.label for n in graph.kinds("init")}
    once = {n.name for n in graph.kinds("once")}
    written: dict[int, str] = {}
    for step in range(1, steps + 1):   # bottom-up, so that nothing recurses over time
        def value(r: Ref) -> str:
            k = step + r.shift
            if r.name in once:
                return _latex_name(r.name) if latex else r.name
            if r.name != state or r.shift == 0:
                return label(r.name, k) if k >= 1 else "0"
            return written[k] if k >= 1 else label(r.name, 0) if r.name in init else "0"
        if substitute:
            written[step] = _show(node.expr, value, latex)
        else:
            args = ", ".join(value(r) for r in refs(node.expr))
            written[step] = f"f({args})"
        if len(written[step]) > MAX_CHARS:
            raise ParseError(f"g({step}) is already longer than {MAX_CHARS:,} characters; choose a smaller τ")
    return f"{label(state, steps)} = {written[steps]}"


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
        return value(expr)
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
        right = _show(expr.args[1], value, latex, mine + (expr.fn in ("sub", "div")))
        text = left + symbol + right
        return f"({text})" if mine < outer else text
    args = ", ".join(_show(a, value, latex) for a in expr.args)
    if latex:
        name = LATEX_FN.get(expr.fn, f"\\operatorname{{{expr.fn}}}".replace("_", "\\_"))
        return f"{name}\\left({args}\\right)"
    return f"{expr.fn}({args})"
