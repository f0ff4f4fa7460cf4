"""Positions for an unfolded Graph: one column per step, one row per variable, in linear time.

Graphviz's own layout is superlinear on long chains; with positions given (`neato -n2`)
rendering stays linear, so every unfolded view is placed here.
"""
from __future__ import annotations

import bisect
import graphlib
import math
from dataclasses import dataclass
from typing import Callable

from graphs.ir import PER_STEP_KINDS, Graph, Node

COLUMN_GAP = 28.0   # points between the widest nodes of neighbouring columns
ROW_HEIGHT = 78.0
SLOT_WIDTH = 66.0


@dataclass
class Grid:
    """Where things go: a column per step, a slot within it and a row per variable; θ below the inputs."""
    column_x: dict[int, float]              # step → x of its column's left edge
    slot_x: dict[str, float]                # variable → x within a column
    row_y: dict[str, float]                 # variable → y; y grows upward as in the book's figures
    spare_y: float                          # y of variables without a row of their own
    slot: float                             # x from one slot of a row to the next (a column, if one slot)
    fixed: dict[str, tuple[float, float]]   # parameter node id → (x, y)

    def offset(self, n: Node) -> tuple[float, float]:
        """A node's position within its step's column (a parameter node's position in the drawing)."""
        if n.id in self.fixed:
            return self.fixed[n.id]
        return self.slot_x.get(n.name, 0.0), self.row_y.get(n.name, self.spare_y)

    def origin(self, n: Node) -> float:
        """x of the column a node sits in (0 for parameter nodes, which sit in none)."""
        return 0.0 if n.id in self.fixed else self.column_x[n.step]


def grid(graph: Graph) -> Grid:
    """The Grid of an unfolded graph, worked out per variable and per step, never per node."""
    where, kind, steps, params, longest = {}, {}, set(), [], 1
    for n in graph.nodes:   # one pass over the nodes: at τ = 10,000 there are 60,000
        where[n.id] = (n.name, n.step)
        longest = max(longest, len(n.label))
        if n.step is not None:
            steps.add(n.step)
        if n.kind in PER_STEP_KINDS or n.kind == "once":
            kind[n.name] = n.kind
        elif n.kind == "param":
            params.append(n.id)
    rows, slots = _rows(graph, where, kind)
    width = max(slots.values(), default=0) + 1
    column_width = max(SLOT_WIDTH, 7.0 * longest) * width + COLUMN_GAP
    steps = sorted(steps)
    span = (len(steps) - 1) * column_width
    return Grid(
        column_x={step: i * column_width for i, step in enumerate(steps)},
        slot_x={name: slot * (column_width - COLUMN_GAP) / width for name, slot in slots.items()},
        row_y={name: row * ROW_HEIGHT for name, row in rows.items()},
        spare_y=(max(rows.values(), default=0) + 1) * ROW_HEIGHT,
        slot=(column_width - COLUMN_GAP) / width if width > 1 else column_width,
        fixed={p: (round(span * (k + 0.5) / len(params), 1), -ROW_HEIGHT) for k, p in enumerate(params)})


def place(graph: Graph) -> dict[str, tuple[float, float]]:
    """Node id → (x, y) in points, for `pos`."""
    return place_on(graph, grid(graph))


def place_on(graph: Graph, where: Grid) -> dict[str, tuple[float, float]]:
    """Node id → (x, y) in points on a Grid already worked out."""
    found = {}
    for n in graph.nodes:
        x, y = where.offset(n)
        found[n.id] = (round(where.origin(n) + x, 1), round(y, 1))
    return found


class Lanes:
    """The nodes on each row and each column line, to find the edges that would run behind one.

    The lines are indexed on the first edge that could be in the way: most drawings have none.
    """

    def __init__(self, slot: float, positions: Callable[[], dict[str, tuple[float, float]]]):
        self.slot = slot   # the least x between two nodes of a row
        self.positions = positions
        self.rows: dict[float, list[float]] | None = None
        self.columns: dict[float, list[float]] = {}

    def between(self, src: tuple[float, float], dst: tuple[float, float]) -> int:
        """How many nodes a straight edge from src to dst would pass behind (0 for a slanted edge).

        Positions are compared as place() rounds them, to 0.1 pt.
        """
        (x1, y1), (x2, y2) = src, dst
        if y1 == y2 and abs(x2 - x1) > 1.01 * self.slot:
            lines, key, lo, hi = "rows", round(y1, 1), round(min(x1, x2), 1), round(max(x1, x2), 1)
        elif x1 == x2 and abs(y2 - y1) > 1.01 * ROW_HEIGHT:
            lines, key, lo, hi = "columns", round(x1, 1), round(min(y1, y2), 1), round(max(y1, y2), 1)
        else:
            return 0   # neighbours, or slanted: nothing lies exactly in the way
        if self.rows is None:
            self._index()
        line = getattr(self, lines).get(key, [])
        return bisect.bisect_left(line, hi) - bisect.bisect_right(line, lo)

    def _index(self) -> None:
        self.rows = {}
        for x, y in self.positions().values():
            x, y = round(x, 1), round(y, 1)
            self.rows.setdefault(y, []).append(x)
            self.columns.setdefault(x, []).append(y)
        for line in (*self.rows.values(), *self.columns.values()):
            line.sort()


def bend(src: tuple[float, float], dst: tuple[float, float], between: int, repeat: int = 0):
    """The point an edge bends at, so as not to run behind other nodes or along another edge; None if straight.

    An edge with `between` nodes in its way (h(t-2) → h(t) passes h(t-1)) bends around them, further the
    more there are. The second edge between the same two nodes (h(0) → h(1) for W1 and W2) bends too, so
    that the two and their θ labels stay apart.
    """
    if not between and not repeat:
        return None
    (x1, y1), (x2, y2) = src, dst
    length = math.hypot(x2 - x1, y2 - y1) or 1.0
    lift = min(0.25 + 0.1 * (between + repeat), 0.7) * ROW_HEIGHT   # to the left of the edge's direction
    return (round((x1 + x2) / 2 - (y2 - y1) / length * lift, 1), round((y1 + y2) / 2 + (x2 - x1) / length * lift, 1))


def label_position(src: tuple[float, float], dst: tuple[float, float], corner=None) -> tuple[float, float]:
    """Where an edge's parameter label goes: beside a vertical edge's midpoint, above a horizontal one's,
    just outside a bent edge's corner."""
    (x1, y1), (x2, y2) = src, dst
    if corner is not None:
        x, y = corner
        return (round(x, 1), round(y + 8, 1)) if y >= (y1 + y2) / 2 else (round(x, 1), round(y - 8, 1))
    x, y = (x1 + x2) / 2, (y1 + y2) / 2
    return (round(x + 8, 1), round(y, 1)) if x1 == x2 else (round(x, 1), round(y + 8, 1))


def _rows(graph: Graph, where: dict[str, tuple], kind: dict[str, str]) -> tuple[dict[str, int], dict[str, int]]:
    """Row of each variable (longest path within one step) and its slot within a crowded row.

    where: node id → (variable, step); kind: variable → its kind, for the variables drawn per step or once.
    """
    deps: dict[str, set[str]] = {name: set() for name in kind}
    for e in graph.edges:
        (src, src_step), (dst, dst_step) = where[e.src], where[e.dst]
        if src != dst and src in kind and dst in kind and (src_step == dst_step or kind[dst] == "once"):
            deps[dst].add(src)
    row: dict[str, int] = {}
    try:
        order = list(graphlib.TopologicalSorter(deps).static_order())
    except graphlib.CycleError:
        order = list(kind)
    for name in order:
        row[name] = 1 + max((row[d] for d in deps[name] if d in row), default=-1)
    top = max(row.values(), default=0)
    for name, k in kind.items():
        if k == "target":   # targets sit above, beside the loss they feed, as in Fig 10.3
            row[name] = top + 1
    slots: dict[str, int] = {}
    used: dict[int, int] = {}
    for name in kind:
        slots[name] = used.get(row[name], 0)
        used[row[name]] = slots[name] + 1
    return row, slots
