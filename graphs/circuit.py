"""Build the circuit Graph from a Program: one node per variable, delayed edges closing the loops."""
from __future__ import annotations

import dataclasses
import graphlib

from . import axes, scc
from .check import check
from .expr import FINAL, LEFT, RIGHT, Call, Expr, Num, Param, Ref, params, refs, walk
from .ir import Edge, Graph, Node
from .locate import locate
from .ops import LOSSES
from .parse import Equation, ParseError, Program, read_program


def parse(text: str) -> Graph:
    """The circuit Graph of a recurrence text; ParseError (with line and column) if it is not valid."""
    program = read_program(text)
    try:
        graph = circuit(program)
    except ParseError as err:
        raise locate(err, text) from None
    check(program, graph, text)   # what the grammar allows but nothing downstream can compute
    return dataclasses.replace(graph, source=text)


def circuit(program: Program) -> Graph:
    """The circuit of a parsed program, checked: no undelayed cycle, one direction per loop."""
    equations, inits, leaves = _split(program.equations)
    sizes = dict(program.sizes)
    for name in sizes:
        if name not in equations and name not in program.inputs:
            raise ParseError(f"size given for '{name}', which is neither an input nor defined", subject=name)
    edges = [edge for name, eq in equations.items() for edge in _edges(name, eq.expr)]
    edges += [edge for name, eq in leaves.items() for edge in _edges(name, eq.expr, kind="leaf")]
    _check_final_reads(equations)
    recurrent = _check_loops(equations, edges)
    tree = bool(leaves)
    bare = [name for name in _tree_states(equations) if name not in leaves] if tree else []
    if bare:
        raise ParseError(f"a tree-structured state needs its leaves: write {bare[0]}[leaf] = ... for it",
                         equations[bare[0]].line, 1)
    targets = {r.name for eq in equations.values() for call in walk(eq.expr)
               if isinstance(call, Call) and call.fn in LOSSES | {"teacher_forcing"}
               for r in refs(call.args[1 if call.fn in LOSSES else 0])} & set(program.inputs)
    kinds = {name: _kind(name, eq.expr, recurrent) for name, eq in equations.items()}
    # problems with axes are reported by the checker, which has the text to point into
    axis, _ = axes.assign(program, {name for name, kind in kinds.items() if kind == "once"})
    nodes = [Node(x, x, "target" if x in targets else "input", x, size=sizes.get(x, 0), axis=axis[x])
             for x in program.inputs]
    nodes += [Node(p, p, "param", p) for p in program.params]
    for name, eq in equations.items():
        bias = [p for p in params(eq.expr) if not any(p in e.params for e in edges if e.dst == name)]
        nodes.append(Node(name, name, kinds[name], name, expr=eq.expr, size=sizes.get(name, 0),
                          note=" + ".join(bias), axis=axis.get(name, "")))
    delayed = _delayed_reads(edges)
    for name, direction in delayed.items():
        if name in equations:   # a delayed input (x[t-1]) reads zeros before the start: no node
            init = _init_node(name, direction, inits.get(name))._replace(axis=axis.get(name, ""))
            nodes.append(init)
            edges.append(Edge(init.id, name, kind="init"))
    for name, eq in list(equations.items()) + list(leaves.items()):
        edges += [Edge(p, name, kind="param") for p in params(eq.expr)]
    for name in inits:
        if name not in delayed:
            raise ParseError(f"'{name}' has an initial state but never reads its own past: "
                             f"use {name}[t-1] or drop the line", inits[name].line, 1)
    graph = Graph(tuple(nodes), tuple(_merge(edges)), tree=tree,
                  leaves=tuple((name, eq.expr) for name, eq in leaves.items()))
    _check_undelayed_cycles(graph, equations)
    return graph


def _split(equations: tuple[Equation, ...]) -> tuple[dict, dict, dict]:
    """Equations by name: per-step definitions, initial states, tree leaves."""
    groups: dict[str, dict[str, Equation]] = {"": {}, "init": {}, "leaf": {}}
    for eq in equations:
        group = groups[eq.index]
        if eq.name in group:
            raise ParseError(f"'{eq.name}' is defined twice (first on line {group[eq.name].line})", eq.line, 1)
        group[eq.name] = eq
    for eq in list(groups["init"].values()) + list(groups["leaf"].values()):
        if eq.name not in groups[""]:
            raise ParseError(f"'{eq.name}' has no equation of its own: write {eq.name} = ... too", eq.line, 1)
    for eq in groups["init"].values():
        ok = isinstance(eq.expr, Param) or eq.expr == Num(0.0) or (isinstance(eq.expr, Ref) and eq.expr.shift == 0
                                                                   and not eq.expr.index and eq.expr.name not in groups[""])
        if not ok:
            raise ParseError("an initial state is 0, a param (trainable) or an input (given)", eq.line, 1)
    return groups[""], groups["init"], groups["leaf"]


def _edges(name: str, expr: Expr, kind: str = "") -> list[Edge]:
    """One edge per variable read, labelled with the params that act on it."""
    found = []
    stack: list[tuple[Expr, tuple[str, ...], str]] = [(expr, (), kind)]
    while stack:
        node, acting, mode = stack.pop()
        if isinstance(node, Ref):
            edge_kind = node.index or mode
            found.append(Edge(node.name, name, -node.shift, acting, edge_kind))
        elif isinstance(node, Call):
            args = node.args
            if node.fn == "matmul":
                stack += [(args[0], acting, mode), (args[1], acting + tuple(params(args[0])), mode)]
            elif node.fn == "mul":
                stack += [(args[0], acting + _weights(args[1], args[0]), mode),
                          (args[1], acting + _weights(args[0], args[1]), mode)]
            elif node.fn == "f":
                stack += [(a, acting + (args[-1].name,), mode) for a in args[:-1]]
            elif node.fn == "teacher_forcing":
                stack += [(args[0], acting, "train"), (args[1], acting, "test")]
            else:
                stack += [(a, acting, mode) for a in args]
    return found[::-1]


def _weights(factor: Expr, other: Expr) -> tuple[str, ...]:
    """What an element-wise factor shows on the edge of the other operand: its params, or a constant that
    weighs a variable directly (a leaky unit's 0.9 ⊙ h(t-1), §10.9.2)."""
    if isinstance(factor, Num) and isinstance(other, Ref):
        return (f"{factor.value:g}",)
    return tuple(params(factor))


def _merge(edges: list[Edge]) -> list[Edge]:
    """One edge per (src, dst, delay, kind), with the union of their params."""
    merged: dict[tuple, list[str]] = {}
    for e in edges:
        # a read weighed by a constant (a leaky unit's 0.9 ⊙ h(t-1)) stays an edge of its own: a second path
        weighed = bool(e.params) and all(_is_number(p) for p in e.params)
        labels = merged.setdefault((e.src, e.dst, e.delay, e.kind, weighed), [])
        labels += [p for p in e.params if p not in labels]
    return [Edge(src, dst, delay, tuple(labels), kind) for (src, dst, delay, kind, _), labels in merged.items()]


def _is_number(text: str) -> bool:
    return text.replace(".", "", 1).replace("e-", "", 1).isdigit()


def _kind(name: str, expr: Expr, recurrent: set[str]) -> str:
    if any(r.index == FINAL for r in refs(expr)):
        return "once"   # computed once at the end, even when it is a loss
    if isinstance(expr, Call) and (expr.fn in LOSSES or (
            expr.fn == "add" and all(isinstance(a, Call) and a.fn in LOSSES for a in expr.args))):
        return "loss"
    return "state" if name in recurrent else "output"


def _check_final_reads(equations: dict[str, Equation]) -> None:
    """A value read at the last step (h[τ]) is computed once: it may not also read per-step values."""
    once = {n for n, eq in equations.items() if any(r.index == FINAL for r in refs(eq.expr))}
    for name in once:
        eq = equations[name]
        for r in refs(eq.expr):
            if not r.index and r.name not in once:
                raise ParseError(f"'{name}' reads {r.name}[τ] at the end of the sequence, so it is computed "
                                 f"once: read {r.name} as {r.name}[τ] too", eq.line, 1)
    for name, eq in equations.items():
        for r in refs(eq.expr):
            if r.name in once and (r.shift or r.index):
                raise ParseError(f"'{r.name}' is computed once at the end; read it without an index", eq.line, 1)


def _check_loops(equations: dict[str, Equation], edges: list[Edge]) -> set[str]:
    """Names on a delayed loop; ParseError if one loop runs both forward and backward in time."""
    names = list(equations)
    groups = scc.components(names, [(e.src, e.dst) for e in edges if e.src in equations and e.kind != "leaf"])
    recurrent = set()
    for group in groups:
        members = set(group)
        inner = [e for e in edges if e.src in members and e.dst in members and e.kind != "leaf"]
        if not inner:
            continue
        recurrent |= members
        if {e.delay > 0 for e in inner if e.delay} == {True, False}:
            line = equations[group[0]].line
            raise ParseError(f"{', '.join(group)} read both their past (t-k) and their future (t+k) in one loop; "
                             "split the loop into a forward and a backward state", line, 1)
    return recurrent


def _tree_states(equations: dict[str, Equation]) -> set[str]:
    return {n for n, eq in equations.items() if any(r.index in (LEFT, RIGHT) for r in refs(eq.expr))}


def _delayed_reads(edges: list[Edge]) -> dict[str, int]:
    """Variables read at another step, with the direction: 1 for the past, -1 for the future."""
    return {e.src: (1 if e.delay > 0 else -1) for e in edges if e.delay and e.kind != "param"}


def _init_node(name: str, direction: int, eq: Equation | None) -> Node:
    """The node for h(0), or g(τ+1) for a backward state, with where its value comes from."""
    if direction < 0:
        return Node(f"{name}[end]", name, "init", f"{name}(τ+1)", note="zeros")
    if eq is None or isinstance(eq.expr, Num):
        note = "zeros"
    elif isinstance(eq.expr, Param):
        note = f"trainable: {eq.expr.name}"
    else:
        note = f"given: {eq.expr.name}"
    return Node(f"{name}[0]", name, "init", f"{name}(0)", expr=eq.expr if eq else None, note=note)


def _check_undelayed_cycles(graph: Graph, equations: dict[str, Equation]) -> None:
    try:
        graph.topo_order()
    except graphlib.CycleError as err:
        loop = [n for n in err.args[1] if n in equations]
        line = equations[loop[0]].line if loop else 0
        raise ParseError(f"{' → '.join(dict.fromkeys(err.args[1]))} is a loop within one step; "
                         f"a loop must pass through the past, as in {loop[0] if loop else 'h'}[t-1]", line, 1 if line else 0,
                         subject=err.args[1][0]) from None
