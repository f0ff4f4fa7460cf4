"""Kinds and uses checked between parse and run, so that an accepted program draws, writes g(t) and runs.

The parser accepts what the grammar allows; this refuses, with line and column, what the grammar allows
but nothing downstream can compute: numbers where arrays are needed (`softmax(0)`, `concat(1, x)`,
`W @ 0`), an equation that reads no variable, a parameter used both as a matrix and as a vector, an equation
that runs over two time axes at once (x over t and y over u, Fig 10.12), and tree-structured reads the tree
unfolding does not make (`h[left]` without `h[right]` or without leaves).
"""
from __future__ import annotations

import math
import re

from . import axes, scc
from .expr import LEFT, RIGHT, Call, Expr, Num, Param, refs, walk
from .ir import Graph
from .ops import INFIX
from .parse import Equation, ParseError, Program

ARITHMETIC = {"add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b,
              "div": lambda a, b: a / b, "neg": lambda a: -a}
ARRAY_ARGS = {"tanh", "sigmoid", "relu", "exp", "log", "softmax", "concat"}   # every argument must be an array
LOSSES = {"cross_entropy", "mse"}                                                  # the first argument must be


def check(program: Program, graph: Graph, text: str) -> None:
    """Nothing if every equation can be computed; ParseError at the first line and column that cannot."""
    lines = text.splitlines()
    uses: dict[str, tuple[str, Equation]] = {}   # param → ("matrix" or "vector", first equation using it)
    for eq in program.equations:
        where = _Where(eq, lines[eq.line - 1] if 0 < eq.line <= len(lines) else "")
        for node in walk(eq.expr):
            if isinstance(node, Call):
                _check_call(node, where)
        if eq.index == "" and not refs(eq.expr):
            raise where.fail(f"'{eq.name}' reads no variable, so it has no value per step: "
                             "read an input or a state in its equation", eq.name)
        for name, use in _param_uses(eq.expr):
            first = uses.setdefault(name, (use, eq))
            if first[0] != use:
                raise where.fail(f"'{name}' is used both as a matrix (left of @, last in f) and as a vector "
                                 f"(line {first[1].line}): use two parameters", name)
    _check_once_loops(program, graph, lines)
    _check_axes(program, graph, lines)
    if graph.tree or any(r.index in (LEFT, RIGHT) for eq in program.equations for r in refs(eq.expr)):
        _check_tree(program, graph, lines)


class _Where:
    """An equation and its source line, to point at the word a problem is about."""

    def __init__(self, eq: Equation, line: str):
        self.eq, self.line = eq, line

    def fail(self, message: str, *words: str) -> ParseError:
        """The error at the first of `words` found right of `=` (a whole word, not part of tanh), else col 1."""
        start = self.line.find("=") + 1
        for word in words:
            found = re.compile(rf"(?<!\w){re.escape(word)}(?!\w)" if word[-1:].isalnum() else re.escape(word))
            match = found.search(self.line, start)
            if match:
                return ParseError(message, self.eq.line, match.start() + 1)
        return ParseError(message, self.eq.line, 1)


def _constant(expr: Expr) -> float | None:
    """The value of an expression made of numbers and arithmetic only, else None."""
    if isinstance(expr, Num):
        return expr.value
    if not isinstance(expr, Call) or expr.fn not in ARITHMETIC:
        return None
    args = [_constant(a) for a in expr.args]
    if None in args:
        return None
    try:
        value = ARITHMETIC[expr.fn](*args)
    except ZeroDivisionError:
        return math.nan
    return value


def _check_call(call: Call, where: _Where) -> None:
    fn, args = call.fn, call.args
    word = INFIX.get(fn, fn)
    if fn in ARITHMETIC:
        value = _constant(call)
        if value is not None and not math.isfinite(value):
            raise where.fail("this arithmetic on numbers divides by zero or overflows", word)
    elif fn in ARRAY_ARGS and any(_constant(a) is not None for a in args):
        raise where.fail(f"{fn} needs a vector, not a number: give it a variable or a parameter", fn)
    elif fn in LOSSES and _constant(args[0]) is not None:
        raise where.fail(f"{fn} compares vectors: its first argument must be one", fn)
    elif fn == "teacher_forcing" and not all(refs(a) for a in args):
        raise where.fail("teacher_forcing(target, output) needs a variable on each side", fn)
    elif fn == "f" and any(_constant(a) is not None for a in args[:-1]):
        raise where.fail("f(inputs..., θ) needs vectors as inputs, not numbers", fn)
    if fn == "matmul":
        if not isinstance(args[0], Param):
            raise where.fail("the left of @ must be a parameter, as in W @ h", "@")
        if _constant(args[1]) is not None:
            raise where.fail("the right of @ must be a vector (a variable or a parameter), not a number", "@")


def _param_uses(expr: Expr) -> list[tuple[str, str]]:
    """(param, "matrix" or "vector") for every use of a parameter: left of @ and last of f are matrices."""
    found = []
    for node in walk(expr):
        if isinstance(node, Call):
            matrices = {0} if node.fn == "matmul" else {len(node.args) - 1} if node.fn == "f" else set()
            found += [(a.name, "matrix" if k in matrices else "vector")
                      for k, a in enumerate(node.args) if isinstance(a, Param)]
    if isinstance(expr, Param):
        found.append((expr.name, "vector"))
    return found


def _check_tree(program: Program, graph: Graph, lines: list[str]) -> None:
    """A recursive net as the tree unfolding draws and runs it (Fig 10.14): one state, built from its leaves."""
    own = {eq.name: eq for eq in program.equations if eq.index == ""}
    leaves = {eq.name: eq for eq in program.equations if eq.index == "leaf"}

    def where(eq: Equation) -> _Where:
        return _Where(eq, lines[eq.line - 1] if 0 < eq.line <= len(lines) else "")
    if len(leaves) > 1:
        eq = list(leaves.values())[1]
        raise where(eq).fail("a program has at most one tree-structured state", eq.name)
    state = next(iter(leaves), "")
    for eq in program.equations:
        for r in refs(eq.expr):
            if r.index in (LEFT, RIGHT) and (r.name != eq.name or eq.index != ""):
                raise where(eq).fail(f"{r.name}[{r.index}] can only be read in {r.name}'s own equation", r.name)
            if r.shift:
                raise where(eq).fail("a tree-structured net has no t-1 or t+1: it combines children",
                                     f"{r.name}[t{r.shift:+d}]", r.name)
    if not state:
        eq = next(eq for eq in program.equations if any(r.index in (LEFT, RIGHT) for r in refs(eq.expr)))
        raise where(eq).fail(f"'{eq.name}' reads its children: write its leaves too, {eq.name}[leaf] = ...")
    tree_eq = own[state]
    if {r.index for r in refs(tree_eq.expr)} != {LEFT, RIGHT} or any(r.name != state for r in refs(tree_eq.expr)):
        raise where(tree_eq).fail(f"'{state}' combines its two children: read {state}[left] and {state}[right], "
                                  "and nothing else", state)
    if not refs(leaves[state].expr):   # a leaf per input position: a number or a param alone has no positions
        raise where(leaves[state]).fail(f"the leaves of '{state}' read the inputs, as in {state}[leaf] = tanh(V @ x)")
    for r in refs(leaves[state].expr):
        if r.name in own or r.index:
            raise where(leaves[state]).fail(f"a leaf reads the inputs at its own position, as in {r.name}", r.name)
    for eq in own.values():
        if eq.name != state and graph.node(eq.name).kind != "once":
            raise where(eq).fail(f"in a tree-structured net, other values are computed once at the root: "
                                 f"read {state}[τ]", eq.name)


def _check_axes(program: Program, graph: Graph, lines: list[str]) -> None:
    """Each per-step equation runs over one time axis (t, or u declared by `input y over u`)."""
    _, problems = axes.assign(program, {n.id for n in graph.kinds("once")})
    if problems:
        eq, read, message = problems[0]
        word = read.removeprefix("it reads ").removeprefix("written ")
        where = _Where(eq, lines[eq.line - 1] if 0 < eq.line <= len(lines) else "")
        raise where.fail(message, word) if word else where.fail(message)


def _check_once_loops(program: Program, graph: Graph, lines: list[str]) -> None:
    """A value computed once at the end (h[τ]) needs the whole sequence first: it cannot feed back into it."""
    own = {eq.name: eq for eq in program.equations if eq.index == ""}
    links = [(r.name, name) for name, eq in own.items() for r in refs(eq.expr) if r.name in own]
    once = {n.id for n in graph.kinds("once")}
    for group in scc.components(list(own), links):
        looped = len(group) > 1 or (group[0], group[0]) in links
        if looped and once & set(group):
            eq = own[sorted(once & set(group), key=list(own).index)[0]]
            raise _Where(eq, lines[eq.line - 1] if 0 < eq.line <= len(lines) else "").fail(
                f"'{eq.name}' is computed once at the end, yet what it reads depends on it ({', '.join(group)}): "
                "break the loop", eq.name)
