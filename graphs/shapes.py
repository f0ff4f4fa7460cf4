"""Unit counts of every variable and parameter shapes, inferred from how they are used.

Sizes are unified (a + b: equal sizes; W @ v: W has as many columns as v has units); what no use
decides takes the default hidden size.
"""
from __future__ import annotations

from dataclasses import dataclass

from . import limits
from .expr import Expr, Num, Param, Ref
from .ir import Graph
from .parse import ParseError

SCALAR = "scalar"


@dataclass(frozen=True)
class Shapes:
    sizes: dict[str, int]                   # variable → units
    params: dict[str, tuple[int, ...]]      # param → (rows, cols) or (units,)


class _Solver:
    def __init__(self):
        self.parent: dict[str, str] = {}
        self.value: dict[str, int] = {}
        self.sums: list[tuple[str, list[str], str]] = []   # concat: total = sum of parts, in whose equation
        self.matrices: dict[str, tuple[str, str]] = {}
        self.vectors: dict[str, str] = {}
        self.fresh = 0
        self.current = ""   # the variable whose equation is being read: the subject of a disagreement

    def symbol(self, name: str | None = None) -> str:
        if name is None:
            self.fresh += 1
            name = f"_{self.fresh}"
        self.parent.setdefault(name, name)
        return name

    def find(self, s: str) -> str:
        while self.parent[s] != s:
            self.parent[s] = self.parent[self.parent[s]]
            s = self.parent[s]
        return s

    def known(self, s: str) -> int | None:
        return self.value.get(self.find(s))

    def set(self, s: str, size: int, why: str) -> None:
        root = self.find(s)
        if root in self.value and self.value[root] != size:
            raise ParseError(f"sizes disagree: {why} needs {size} units but another use gives {self.value[root]}",
                             subject=self.current)
        self.value[root] = size

    def unify(self, a: str, b: str, why: str) -> str:
        if a == SCALAR:
            return b
        if b == SCALAR:
            return a
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            if ra in self.value:
                self.set(rb, self.value[ra], why)
            self.parent[ra] = rb
        return rb

    def size_of(self, expr: Expr, where: str) -> str:
        """The size symbol of an expression, recording the constraints it implies."""
        if isinstance(expr, Num):
            return SCALAR
        if isinstance(expr, Ref):
            return self.symbol(f"var:{expr.name}")
        if isinstance(expr, Param):
            vec = self.vectors.setdefault(expr.name, self.symbol(f"vec:{expr.name}"))
            return vec
        args = expr.args
        if expr.fn == "matmul":
            if not isinstance(args[0], Param):
                raise ParseError(f"in {where}, the left of @ must be a parameter, as in W @ h", subject=self.current)
            return self._matrix(args[0].name, self.size_of(args[1], where))
        if expr.fn == "f":
            parts = [self.size_of(a, where) for a in args[:-1]]
            total = self.symbol()
            self.sums.append((total, parts, self.current))
            return self._matrix(args[-1].name, total)
        if expr.fn == "concat":
            total = self.symbol()
            self.sums.append((total, [self.size_of(a, where) for a in args], self.current))
            return total
        if expr.fn in ("cross_entropy", "mse"):
            self.unify(self.size_of(args[0], where), self.size_of(args[1], where), f"{expr.fn} in {where}")
            one = self.symbol()
            self.set(one, 1, where)
            return one
        result = SCALAR
        for a in args:   # element-wise: every argument has the same size, numbers broadcast
            result = self.unify(result, self.size_of(a, where), where)
        return result

    def _matrix(self, name: str, cols: str) -> str:
        if name not in self.matrices:
            self.matrices[name] = (self.symbol(), cols)
        rows, known_cols = self.matrices[name]
        self.unify(known_cols, cols, f"the columns of {name}")
        return rows


def infer(graph: Graph, input_sizes: dict[str, int], hidden: int = 8) -> Shapes:
    """Sizes of all variables and parameters, given the inputs' sizes and the default hidden size."""
    solver = _Solver()
    for n in graph.nodes:
        if n.kind == "target" and n.id not in input_sizes and not n.size:
            solver.symbol(f"var:{n.id}")   # a missing target takes the size of what it is compared with
        elif n.kind in ("input", "target"):
            if n.id not in input_sizes and not n.size:
                raise ParseError(f"the size of input '{n.id}' is not known: give data for it or `size {n.id} = …`",
                                 subject=n.id)
            solver.set(solver.symbol(f"var:{n.id}"), input_sizes.get(n.id) or n.size, f"input {n.id}")
        elif n.expr is not None and n.kind != "init":
            solver.current = n.id
            target = solver.symbol(f"var:{n.id}")
            if n.size:
                solver.set(target, n.size, f"size {n.id}")
            solver.unify(target, solver.size_of(n.expr, f"the equation of {n.id}"), f"the equation of {n.id}")
    for name, expr in graph.leaves:   # a tree's leaves have an equation of their own
        solver.current = name
        solver.unify(solver.symbol(f"var:{name}"), solver.size_of(expr, f"the leaves of {name}"), name)
    for n in graph.kinds("init"):   # h(0) has the size of h
        solver.current = n.name
        if n.expr is not None and not isinstance(n.expr, Num):
            solver.unify(solver.size_of(n.expr, f"the initial state of {n.name}"), f"var:{n.name}", n.label)
    solver.current = ""
    _resolve(solver, [f"var:{n.id}" for n in graph.nodes if (n.expr is not None and n.kind != "init")
                      or n.kind == "target"], hidden)
    sizes = {n.id: solver.known(f"var:{n.id}") for n in graph.nodes
             if n.kind not in ("param", "init") and f"var:{n.id}" in solver.parent}
    for name in solver.matrices.keys() & solver.vectors.keys():
        raise ParseError(f"{name} is used as a matrix ({name} @ …) and element by element ({name} * … or + {name}): "
                         f"write {name} @ … everywhere, or use two parameters", subject=name)
    params = {}
    for n in graph.kinds("param"):
        if n.id in solver.matrices:
            rows, cols = solver.matrices[n.id]
            params[n.id] = (solver.known(rows), solver.known(cols))
        elif n.id in solver.vectors:
            params[n.id] = (solver.known(solver.vectors[n.id]),)
        else:
            params[n.id] = (1,)
    for name, shape in params.items():
        if any(s is None or s > limits.MAX_SIZE for s in shape):
            raise ParseError(f"the shape of {name} cannot be decided or is too large: {shape}", subject=name)
    return Shapes({k: v for k, v in sizes.items() if v is not None}, params)


def _resolve(solver: _Solver, variables: list[str], hidden: int) -> None:
    """Settle concat sums, then give the default size to the first undecided variable, until done."""
    _settle(solver, variables, hidden)
    for total, parts, owner in solver.sums:   # a default may have fixed a sum before its parts: they must still add up
        known = [solver.known(p) if p != SCALAR else 1 for p in parts]
        if None not in known and solver.known(total) not in (None, sum(known)):
            raise ParseError(f"sizes disagree: a concat of {' + '.join(map(str, known))} units is used where "
                             f"{solver.known(total)} are needed", subject=owner)


def _settle(solver: _Solver, variables: list[str], hidden: int) -> None:
    while True:
        progress = True
        while progress:
            progress = False
            for total, parts, owner in solver.sums:
                solver.current = owner
                known = [solver.known(p) if p != SCALAR else 1 for p in parts]
                if None not in known and solver.known(total) is None:
                    solver.set(total, sum(known), "concat")
                    progress = True
                elif known.count(None) == 1 and solver.known(total) is not None:
                    rest = solver.known(total) - sum(k for k in known if k is not None)   # the one part left
                    if rest < 1:
                        raise ParseError(f"a concat of {solver.known(total)} units cannot hold its other parts",
                                         subject=owner)
                    solver.set(parts[known.index(None)], rest, "concat")
                    progress = True
        undecided = [v for v in variables if solver.known(v) is None]
        if not undecided:
            break
        solver.current = undecided[0].removeprefix("var:")
        solver.set(undecided[0], hidden, "the default hidden size")
