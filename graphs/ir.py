"""The one graph IR: the circuit and every unfolded view are a Graph of Nodes and Edges."""
from __future__ import annotations

import graphlib
from dataclasses import dataclass, field
from typing import NamedTuple

from .expr import Expr

PER_STEP_KINDS = ("input", "target", "state", "output", "loss")


class Node(NamedTuple):   # NamedTuples, not frozen dataclasses: far cheaper to make, and τ = 10,000 makes 10⁵
    """One variable, parameter or value of the recurrence (in an unfolded graph: at one step)."""

    id: str                   # stable and readable: "h", "h[0]", "h@3" after unfolding
    name: str                 # the variable it belongs to: "h"
    kind: str                 # input, target, param, state, output, loss, once, init, ellipsis
    label: str                # what a drawing shows: "h", "h(3)", "h(t-1)", "…"
    step: int | None = None   # position in an unfolded graph
    expr: Expr | None = None  # defining expression (circuit only)
    size: int = 0             # declared unit count; 0 means decided at run time
    note: str = ""            # extra words for a tooltip, e.g. "+ b" or "zeros"
    axis: str = ""            # the time axis it runs over: "" for t, or a second axis ("u", Fig 10.12)


class Edge(NamedTuple):
    """src feeds dst, possibly across time (delay) and through parameters θ."""

    src: str
    dst: str
    delay: int = 0                  # 1 for h[t-1], 2 for h[t-2], -1 for g[t+1]
    params: tuple[str, ...] = ()    # θ acting on this edge, e.g. ("W",)
    kind: str = ""                  # "", param, init, final, left, right, train, test


@dataclass(frozen=True)
class Graph:
    """A circuit (a cycle only through a delay) or one of its unfolded views: nodes and edges, compared by value."""

    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    steps: int | None = None        # τ of an unfolded graph, None for a circuit
    out_steps: int | None = None    # length of the second time axis in an unfolded graph, if it has one
    tree: bool = False              # a recursive (tree-structured) net
    leaves: tuple[tuple[str, Expr], ...] = ()   # a tree's leaf equations: h[leaf] = …
    circuit: Graph | None = field(default=None, compare=False, repr=False)   # what an unfolded graph unfolds
    source: str = field(default="", compare=False, repr=False)   # a parsed circuit's text, to place late errors
    _index: dict = field(default_factory=dict, compare=False, repr=False)

    def node(self, node_id: str) -> Node:
        """The node with this id; KeyError if absent."""
        if not self._index:
            self._index.update((n.id, n) for n in self.nodes)
        return self._index[node_id]

    def second_axis(self) -> str:
        """The name of the second time axis ("u"), or "" when everything runs over t."""
        return next((n.axis for n in self.nodes if n.axis), "")

    def kinds(self, *kinds: str) -> list[Node]:
        """Nodes of the given kinds, in graph order."""
        return [n for n in self.nodes if n.kind in kinds]

    def topo_order(self) -> list[str]:
        """Node ids in evaluation order; graphlib.CycleError on an undelayed loop."""
        # delay and tree-child edges excluded: a cycle is legal only through one
        deps: dict[str, set[str]] = {n.id: set() for n in self.nodes}
        for e in self.edges:
            if e.delay == 0 and e.kind not in ("init", "left", "right"):
                deps[e.dst].add(e.src)
        return list(graphlib.TopologicalSorter(deps).static_order())
