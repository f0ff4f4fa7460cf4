"""A traced cell's values as small expression terms, and those terms written out as recurrence text.

torch code slices a stacked result (`r, z = gates.chunk(2, 1)`); the language has no slicing, so a slice is
pushed down to the parameters it came from: rows of `lin.weight` become a parameter of their own.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

import numpy as np

from ..limits import MAX_NAME_CHARS
from ..parse import RESERVED, ParseError

ELEMENTWISE = {"neg", "tanh", "sigmoid", "relu", "exp"}   # one argument, one value per unit
BINARY = {"add": ("+", 1), "sub": ("-", 1), "mul": ("*", 2), "div": ("/", 2), "matmul": ("@", 2)}
ATOM = 4   # precedence of a name, a number or a call


_CREATED = itertools.count()   # terms are numbered as made: that order is a topological one


class TraceError(ParseError):
    """A module the language cannot say, with the operation and the line of the module that did it."""


@dataclass(eq=False)
class Term:
    op: str                       # input, past, param, num, or an op of the language
    args: tuple = ()
    width: int = 0                # units along the feature axis (rows, for a matrix param); 0 for a number
    name: str = ""                # the input's, state's or param's name; for an op, the user's own name if known
    value: float = 0.0            # a number's value
    where: str = field(default="", repr=False)   # the module's line that made it, for messages
    order: int = field(default_factory=lambda: next(_CREATED), repr=False)   # after its arguments, always


class Cell:
    """The params of a traced cell, and the row slices of them that splitting asks for."""

    def __init__(self, taken: set[str]):
        self.taken = taken   # the input's and states' names, which a param must not take
        self.params: dict[str, np.ndarray] = {}
        self._pieces: dict[tuple, Term] = {}
        self._rows: dict[tuple, Term] = {}

    def param(self, name: str, array: np.ndarray) -> Term:
        name = legal_name(name, set(self.params) | self.taken, lower=array.ndim == 1)
        self.params[name] = array
        return Term("param", width=array.shape[0], name=name)

    def rows(self, term: Term, start: int, stop: int, label: str) -> Term:
        """term[..., start:stop], written without slicing: pushed down to the params it is made of."""
        if start == 0 and stop == term.width:
            return term
        key = (id(term), start, stop)
        if key not in self._rows:
            self._rows[key] = self._slice(term, start, stop, label)
        return self._rows[key]

    def _slice(self, term: Term, start: int, stop: int, label: str) -> Term:
        if term.op == "param":
            key = (term.name, start, stop)
            if key not in self._pieces:
                self._pieces[key] = self.param(f"{term.name}_{label}", self.params[term.name][start:stop])
            return self._pieces[key]
        if term.op == "matmul" and term.args[0].op == "param":
            return Term("matmul", (self.rows(term.args[0], start, stop, label), term.args[1]), stop - start,
                        where=term.where)
        if term.op in ELEMENTWISE:
            return Term(term.op, (self.rows(term.args[0], start, stop, label),), stop - start, where=term.where)
        if term.op in ("add", "sub", "mul", "div"):
            args = tuple(a if a.width <= 1 else self.rows(a, start, stop, label) for a in term.args)
            return Term(term.op, args, stop - start, where=term.where)
        if term.op == "concat":
            parts, offset = [], 0
            for part in term.args:
                low, high = max(start, offset), min(stop, offset + part.width)
                if low < high:
                    parts.append(self.rows(part, low - offset, high - offset, label))
                offset += part.width
            return parts[0] if len(parts) == 1 else Term("concat", tuple(parts), stop - start, where=term.where)
        what = {"input": f"the input {term.name}", "past": f"the state {term.name}"}.get(term.op, f"a {term.op}")
        raise TraceError(f"{term.where}splitting {what} into parts needs slicing, which the recurrence language "
                         "has not: split the output of a Linear (or of sums and products of them) instead")


def legal_name(name: str, taken: set[str], lower: bool = False) -> str:
    """A name the language accepts, unlike any taken: lin.weight → lin_weight, input → input_.

    >>> legal_name("cell.lin.weight", set())
    'cell_lin_weight'
    >>> legal_name("size", {"size1"})
    'size2'
    """
    name = re.sub(r"\W", "_", name).strip("_") or "v"
    if len(name) > MAX_NAME_CHARS - 3:   # keep the end, where torch's names differ (…_ih_l0, …weight_r)
        name = name[-(MAX_NAME_CHARS - 3):].lstrip("_") or "v"
    if name[0].isdigit():
        name = "v" + name
    if lower and name[0].isupper():   # the language reads a capital as a matrix; a vector is written in lower case
        name = name[0].lower() + name[1:]
    if name.endswith("_t"):   # h_t would read as h at step t
        name += "_"
    base, k = name, 0
    while name in RESERVED or name in taken:
        k += 1
        name = f"{base}{k}"
    return name


class Writer:
    """Terms → equations: one per state, and one per value the user named or that is used twice."""

    def __init__(self, outputs: dict[str, Term], taken: set[str]):
        self.outputs = outputs
        self.names = {id(term): state for state, term in outputs.items()}
        self.taken = set(taken) | set(outputs)
        self.uses: dict[int, int] = {}
        self.lines: list[tuple[int, str]] = []
        self._done: set[int] = set()
        self.params: list[str] = []   # the params the equations use, in reading order
        for term in outputs.values():
            self._count(term)

    def _count(self, root: Term) -> None:
        stack = [root]
        while stack:
            term = stack.pop()
            self.uses[id(term)] = self.uses.get(id(term), 0) + 1
            if self.uses[id(term)] == 1:
                stack.extend(term.args)

    def equations(self) -> list[str]:
        """The equations in the order the module computes their values (a term is made after its arguments)."""
        for term in self.outputs.values():
            self._define(term)
        return [line for _, line in sorted(self.lines)]

    def _define(self, root: Term) -> None:
        """Equations for root and every named value under it, dependencies first (no recursion)."""
        stack, done = [(root, False)], self._done
        while stack:
            term, ready = stack.pop()
            if ready:
                self.lines.append((term.order, f"{self.names[id(term)]} = {self._text(term, top=True)[0]}"))
                continue
            if id(term) in done:
                continue
            done.add(id(term))
            if term is root or self._named(term):
                stack.append((term, True))
            stack.extend((arg, False) for arg in reversed(term.args))   # the first argument is defined first

    def _named(self, term: Term) -> bool:
        if id(term) in self.names:
            return True
        if term.op in ("input", "past", "param", "num") or not (term.name or self.uses[id(term)] > 1):
            return False
        self.names[id(term)] = legal_name(term.name or _default_name(term), self.taken, lower=True)
        self.taken.add(self.names[id(term)])
        return True

    def _text(self, term: Term, top: bool = False) -> tuple[str, int]:
        """(text, precedence) of a term, naming the values that have equations of their own."""
        if not top and id(term) in self.names:
            return self.names[id(term)], ATOM
        if term.op == "param" and term.name not in self.params:
            self.params.append(term.name)
        if term.op == "input" or term.op == "param":
            return term.name, ATOM
        if term.op == "past":
            return f"{term.name}[t-1]", ATOM
        if term.op == "num":
            text = str(int(term.value)) if float(term.value).is_integer() else repr(float(term.value))
            return (f"({text})", ATOM) if term.value < 0 else (text, ATOM)
        if term.op in BINARY:
            symbol, prec = BINARY[term.op]
            left, lp = self._text(term.args[0])
            right, rp = self._text(term.args[1])
            left = f"({left})" if lp < prec else left
            right = f"({right})" if rp <= prec else right
            return f"{left} {symbol} {right}", prec
        if term.op == "neg":
            inner, prec = self._text(term.args[0])
            return f"-({inner})" if prec < ATOM else f"-{inner}", 3
        return f"{term.op}({', '.join(self._text(a)[0] for a in term.args)})", ATOM


def _default_name(term: Term) -> str:
    """A name for a value used twice that the user did not name: xh for concat(x, h[t-1]), else its op."""
    if term.op == "concat" and all(a.op in ("input", "past") for a in term.args):
        return "".join(a.name for a in term.args)
    return term.op
