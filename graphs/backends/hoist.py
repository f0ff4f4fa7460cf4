"""Loop-free parts of a loop's expressions, computed for all steps at once before the time loop runs."""
from __future__ import annotations

from ..expr import Call, Ref, refs
from .cells import add_all as _sum, addends as _terms


def hoist(expr, keep: set[str], values: dict, compute):
    """The expression with every loop-free part (such as U @ x + b) computed for all steps up front.

    Each such part becomes a reference to a precomputed (T, batch, units) array, so the time loop does
    only the work that depends on the loop's own past. Parts reading `keep` (the loop's members and
    values computed once) or a special index stay in the loop. A sum's terms are regrouped, so that
    `U @ x + b + W @ h[t-1] + c` costs one addition per step, not two.
    """
    if not isinstance(expr, Call):
        return expr
    if _loop_free(expr, keep):
        name = f"_hoisted{len(values)}"   # not a legal user name: user names cannot start with __
        values[name] = compute(expr)
        return Ref(name)
    if expr.fn == "add":
        terms = _terms(expr)
        free = [a for a in terms if _reads_no(a, keep)]
        if len(free) > 1 and _loop_free(_sum(free), keep):
            rest = [a for a in terms if not any(a is f for f in free)]
            return _sum([hoist(_sum(free), keep, values, compute)] + [hoist(a, keep, values, compute) for a in rest])
    return Call(expr.fn, tuple(hoist(a, keep, values, compute) for a in expr.args))


def _reads_no(expr, keep: set[str]) -> bool:
    """Reads no loop member, value computed once or special index (it may read nothing at all)."""
    return not any(r.name in keep or r.index for r in refs(expr))


def _loop_free(expr, keep: set[str]) -> bool:
    """A part worth computing for all steps at once: it reads some sequence, and nothing of the loop."""
    return (isinstance(expr, Call) and bool(refs(expr)) and _reads_no(expr, keep)
            and expr.fn != "teacher_forcing")
