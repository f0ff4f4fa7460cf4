"""Expression trees of the recurrence language: plain frozen data, never callables."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Union

# Index kinds a reference can carry besides a time shift.
FINAL = "final"   # x[τ]: the value at the last step of the sequence
LEFT = "left"     # h[left]: left child in a tree-structured (recursive) net
RIGHT = "right"   # h[right]: right child


@dataclass(frozen=True)
class Ref:
    """A variable read at step t+shift (shift -1 is h[t-1]), or at a special index."""
    name: str
    shift: int = 0
    index: str = ""   # "", FINAL, LEFT or RIGHT


@dataclass(frozen=True)
class Param:
    """A parameter of θ, shared by every step."""
    name: str


@dataclass(frozen=True)
class Num:
    value: float


@dataclass(frozen=True)
class Call:
    """An operation by name: binary operators are calls too ("add", "matmul", ...)."""
    fn: str
    args: tuple[Expr, ...]


Expr = Union[Ref, Param, Num, Call]


def walk(expr: Expr) -> Iterator[Expr]:
    """Every sub-expression, parents before children, without recursion."""
    stack = [expr]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, Call):
            stack.extend(reversed(node.args))


def refs(expr: Expr) -> list[Ref]:
    """The variable references in reading order, duplicates kept once."""
    seen: dict[Ref, None] = {}
    for node in walk(expr):
        if isinstance(node, Ref):
            seen.setdefault(node, None)
    return list(seen)


def params(expr: Expr) -> list[str]:
    """Parameter names in reading order, each once."""
    seen: dict[str, None] = {}
    for node in walk(expr):
        if isinstance(node, Param):
            seen.setdefault(node.name, None)
    return list(seen)
