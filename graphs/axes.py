"""Time axes: t, and one second axis named by `input y over u`, with a length of its own (Fig 10.12).

An encoder reads x(1…n_x) over t; a decoder writes y(1…n_y) over u. Each per-step variable runs over
one axis: the one its inputs and states run over, or the one its indices name (s[u-1]). A step of one
axis reads the other only through a value computed once, as the decoder reads C = h[τ] at every step.
Axis "" is t, the main axis; a second axis is kept by its name ("u").
"""
from __future__ import annotations

import re

from .errors import ParseError
from .expr import FINAL, refs
from .words import RESERVED, target_name

OVER = re.compile(r"(\s+.*?)\s+over\s+(\S+)\s*")
MAIN = "t"


def default_length(steps: int) -> int:
    """The second axis's length when none is given: about 3/5 of τ, so that a drawing shows n_y ≠ n_x.

    >>> [default_length(n) for n in (1, 2, 5, 10)]
    [1, 2, 3, 6]
    """
    return max(1, (3 * steps + 4) // 5)


def run_step(node, steps: int) -> int | None:
    """When one run computes a node of an unfolded graph: step t on t, τ for a value computed once, and
    τ + u for step u of a second axis, since a decoder starts once its encoder is done (None: no step)."""
    if node.kind == "once":
        return steps
    if node.step is None:
        return None
    return node.step + steps if node.axis else node.step


def run_length(unfolded) -> int:
    """The steps of one run of an unfolded graph: τ, plus the second axis's length if it has one."""
    return (unfolded.steps or 0) + (unfolded.out_steps or 0)


def check_second(graph, out_steps) -> None:
    """ParseError if a second axis's length is given for a recurrence that has no second axis."""
    if out_steps is not None and not graph.second_axis():
        raise ParseError("a second length (out_steps) was given, but this recurrence has no second time axis: "
                         "declare one with `input y over u`, or leave the length out")


def split_over(word: str, code: str, number: int) -> tuple[str, str]:
    """A declaration line without its `over u` clause, and the axis named there ("" if none, or t)."""
    match = OVER.fullmatch(code[len(word):])
    if not match:
        return code, ""
    axis, col = match.group(2), len(word) + match.start(2) + 1
    if word != "input":
        raise ParseError(f"only inputs run over a time axis: write `input y over {axis}`", number, col)
    if not re.fullmatch(r"[^\W\d]\w{0,15}", axis) or axis.startswith("_"):
        raise ParseError(f"'{axis[:30]}' cannot name a time axis: use a short name such as u", number, col)
    return word + match.group(1), "" if axis == MAIN else axis


def check_names(over: dict[str, str], declared: dict, targets: list) -> None:
    """ParseError if a second axis is named like a variable, a reserved word, or there are two of them."""
    names = {n for n, _ in declared["input"] + declared["param"]} | {target_name(t) for t in targets}
    seen = sorted(set(over.values()))
    where = {name: pos for name, pos in declared["input"]}
    for axis in seen:
        first = next(name for name, a in over.items() if a == axis)
        line, _ = where[first]
        if axis in RESERVED or axis in names:
            raise ParseError(f"'{axis}' names a time axis, so it cannot also be a variable, a parameter or "
                             "a word of the language: choose another axis name, such as u", line, 1)
    if len(seen) > 1:
        line, _ = where[next(name for name, a in over.items() if a == seen[1])]
        raise ParseError(f"two second time axes ({', '.join(seen)}): a recurrence has t and at most one more",
                         line, 1)


def assign(program, once: set[str]) -> tuple[dict[str, str], list[tuple]]:
    """Each input's and per-step variable's axis ("" for t), and the problems found: (equation, read, message).

    An equation takes the axis its indices name or the axis of what it reads at a step; values computed
    once (C = h[τ]) belong to no axis. What reads nothing at a step (o = V @ C) runs over t.
    """
    axis = {name: "" for name in program.inputs}
    axis.update(program.over)
    own = [eq for eq in program.equations if eq.index == "" and eq.name not in once]
    problems: list[tuple] = []
    for _ in range(len(own) + 1):   # each pass settles at least one more equation, or nothing changes
        changed = False
        for eq in own:
            found = _candidates(eq, axis, once)
            if len({a for a, _ in found}) == 1 and axis.get(eq.name) != found[0][0]:
                axis[eq.name], changed = found[0][0], True
        if not changed:
            break
    for eq in own:
        found = _candidates(eq, axis, once)
        if len({a for a, _ in found}) > 1:
            (a, first), (b, second) = found[0], next(f for f in found if f[0] != found[0][0])
            problems.append((eq, second, f"'{eq.name}' runs over {a or MAIN} ({first}) and over {b or MAIN} "
                                         f"({second}): a step of one axis reads the other only through a value "
                                         "computed once, as in C = h[τ]"))
        axis.setdefault(eq.name, found[0][0] if found else "")
    if program.over and any(eq.index == "leaf" for eq in program.equations):
        problems.append((own[0] if own else program.equations[0], "",
                         "a tree-structured net reads one sequence: it has no second time axis"))
    return axis, problems


def _candidates(eq, axis: dict[str, str], once: set[str]) -> list[tuple[str, str]]:
    """(axis, why) for what fixes the equation's axis: the index it writes, and what it reads at a step."""
    found = [("" if eq.over == MAIN else eq.over, f"written {eq.over}")] if eq.over else []
    for r in refs(eq.expr):
        if r.name in axis and r.name not in once and r.index != FINAL and r.name != eq.name:
            found.append((axis[r.name], f"it reads {r.name}"))
    return found
