"""Positions for an unfolded Graph: one column per step, a place per variable within it, in linear time.

The places come from the graph's Structure (`viz/structure.py`): rails, cells, phases.

Graphviz's own layout is superlinear on long chains; with positions given (`neato -n2`)
rendering stays linear, so every unfolded view is placed here.
"""
from __future__ import annotations

import bisect
import math
from dataclasses import dataclass
from typing import Callable

from graphs.ir import Graph, Node
from graphs.unfold import TRAIN

from .structure import Structure, structure
from .textsize import text_width

COLUMN_GAP = 28.0   # points between the widest nodes of neighbouring columns
ROW_HEIGHT = 78.0
SLOT_WIDTH = 66.0
CLEARANCE = 24.0    # points: an edge closer than this to a node's centre runs behind it


@dataclass
class Grid:
    """Where things go: a column per step, and within it a place (slot, row) per variable; θ below the inputs."""
    column_x: dict[int, float]              # step → x of its column's left edge
    slot_x: dict[str, float]                # variable → x within a column (a decoder's: shifted past C)
    row_y: dict[str, float]                 # variable → y; y grows upward as in the book's figures
    spare_y: float                          # y of variables without a row of their own
    slot: float                             # x from one slot of a row to the next (a column, if one slot)
    fixed: dict[str, tuple[float, float]]   # node id → (x, y) of nodes in no column: θ, values computed once
    lift: float = 0.0                       # how far the training panel sits above the test panel
    cell: frozenset[str] = frozenset()      # the variables a step's cell box surrounds (gates and rails)
    gates: frozenset[str] = frozenset()     # the cell's own values (not its rails): drawn as plain values
    cell_box: tuple[float, float, float, float] | None = None   # (x, y, half width, half height) in a column
    later: frozenset[str] = frozenset()     # the variables after a value computed once (a decoder's, after C)
    later_x: dict[int, float] | None = None   # their steps' columns, counted on their own axis (n_y ≠ n_x)

    def offset(self, n: Node) -> tuple[float, float]:
        """A node's position within its step's column (a fixed node's position in the drawing)."""
        if n.id in self.fixed:
            return self.fixed[n.id]
        y = self.row_y.get(n.name, self.spare_y)
        if self.lift and n.id.startswith(TRAIN):
            y += self.lift
        return self.slot_x.get(n.name, 0.0), y

    def origin(self, n: Node) -> float:
        """x of the column a node sits in (0 for fixed nodes, which sit in none)."""
        return 0.0 if n.id in self.fixed else self.step_x(n.step, n.name)

    def step_x(self, step: int, name: str) -> float:
        """x of the column of a variable's step: a decoder's steps have columns of their own."""
        return (self.later_x if name in self.later and self.later_x else self.column_x)[step]


def grid(graph: Graph) -> Grid:
    """The Grid of an unfolded graph, worked out per variable and per step, never per node."""
    shape = structure(graph)
    steps, later, longest, once, params, captions, sources = set(), set(), 1, [], [], [], []
    for n in graph.nodes:   # one pass over the nodes: at τ = 10,000 there are 60,000
        if n.kind == "caption":
            captions.append(n)
            continue
        longest = max(longest, len(n.label))
        if n.kind == "once":
            once.append(n)
        elif n.kind == "source":
            sources.append(n)
        elif n.kind == "param":
            params.append(n.id)
        elif n.step is not None:   # the encoder's steps and a decoder's (after C) are counted apart
            (later if shape.phase.get(n.name, 0) else steps).add(n.step)
    slots, width = _slots(shape)
    unit = max(SLOT_WIDTH, 7.0 * longest)
    # a step read from rows away (y(t-1) → h(t), Fig 10.6) gets a corridor between the columns to pass in
    steep = any(abs(shape.row[s] - shape.row[d]) > 1 for s, d, _ in shape.delayed if s in shape.row and d in shape.row)
    column_width = unit * (width + steep) + COLUMN_GAP
    steps = sorted(steps)
    column_x = {step: i * column_width for i, step in enumerate(steps)}
    later_x = {step: i * column_width for i, step in enumerate(sorted(later))}
    # a decoder (what reads a value computed once at every step) starts after that value's own column
    shift = (len(steps) + 1) * column_width if any(shape.phase.values()) else 0.0
    slot_x = {v: s * unit + shift * shape.phase.get(v, 0) for v, s in slots.items()}
    row_y = {v: r * ROW_HEIGHT for v, r in shape.row.items()}
    top = max(shape.row.values(), default=0)
    fixed = _once_places(graph, shape, once, column_x, slot_x, row_y, column_width, unit, top)
    decoder = frozenset(v for v, p in shape.phase.items() if p)
    for n in sources:   # where a trainable or given h(0) comes from: left of it
        x = (later_x if n.name in decoder and later_x else column_x)[n.step]
        fixed[n.id] = (round(x + slot_x.get(n.name, 0.0) - unit, 1), row_y.get(n.name, 0.0))
    span = shift + (len(later) - 1) * column_width if later else (len(steps) - 1) * column_width
    fixed.update({p: (round(span * (k + 0.5) / len(params), 1), -ROW_HEIGHT) for k, p in enumerate(params)})
    lift = 0.0
    if captions:   # two panels, training above test (Fig 10.6), each under its caption
        lift = (top + 2) * ROW_HEIGHT
        for n in captions:
            fixed[n.id] = (round(span / 2, 1), round((top + 0.75) * ROW_HEIGHT + lift * n.id.startswith(TRAIN), 1))
    boxed = set(shape.cell) | set(shape.rails) if len(shape.cell) > 1 else set()
    return Grid(column_x=column_x, slot_x=slot_x, row_y=row_y, spare_y=(top + 1) * ROW_HEIGHT,
                slot=unit if width > 1 else column_width, fixed=fixed, lift=lift, cell=frozenset(boxed),
                gates=frozenset(shape.cell),
                cell_box=_box([slot_x[v] for v in boxed], [row_y[v] for v in boxed]) if boxed else None,
                later=decoder, later_x=later_x)


def _box(xs: list[float], ys: list[float]) -> tuple[float, float, float, float]:
    """(centre x, centre y, half width, half height) of a box around nodes at xs, ys, with room for them."""
    room = CLEARANCE + 6
    return ((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2, (max(xs) - min(xs)) / 2 + room,
            (max(ys) - min(ys)) / 2 + room)


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


def _slots(shape: Structure) -> tuple[dict[str, float], int]:
    """Each variable's slot within a column, and the column's width in slots.

    A step's cell spreads along its rows; a rail sits under the cell values it is made of (an LSTM's c over
    its gates), a rail under the cell at the cell's right (its h, read by the next step's gates); inputs under
    what reads them; a backward rail a slot right of the forward one, so x(t) reaches both (Fig 10.11).
    """
    rows: dict[int, list[str]] = {}
    cell = set(shape.cell)
    for v in sorted(shape.kind, key=lambda v: (v not in cell, v in shape.rails or v in shape.back_rails)):
        rows.setdefault(shape.row[v], []).append(v)
    width = max((len([v for v in row if v not in shape.below]) for row in rows.values()), default=1)
    sources: dict[str, list[str]] = {v: [] for v in shape.kind}
    readers: dict[str, list[str]] = {v: [] for v in shape.kind}
    for s, d in sorted(shape.within):
        sources[d].append(s)
        readers[s].append(d)
    slot: dict[str, float] = {}

    def mean(names: list[str]) -> float | None:
        known = [slot[n] for n in names if n in slot]
        return sum(known) / len(known) if known else None

    inputs = {v for v, k in shape.kind.items() if k in ("input", "target") and not sources[v]}
    for r in sorted(rows):
        wanted = {}
        for v in rows[r]:
            if v in inputs or v in shape.below:
                continue
            if v in shape.back_rails and shape.rails:
                wanted[v] = (mean(shape.rails) or 0.0) + 1.0
            else:
                wanted[v] = mean(sources[v])
        _spread(wanted, slot)
    right = max((slot[c] for c in shape.cell), default=max(slot.values(), default=-1.0)) + 1
    for v in shape.below:
        slot[v] = right
    for r in sorted(rows):   # inputs and targets last: under (or over) what reads them
        _spread({v: mean(readers[v]) for v in rows[r] if v in inputs}, slot, taken=[slot[v] for v in rows[r] if v in slot])
    return slot, max(width, int(math.ceil(max(slot.values(), default=0.0))) + 1)


def _spread(wanted: dict[str, float | None], slot: dict[str, float], taken: list[float] = ()) -> None:
    """Slots for one row's variables: each as near its wish as it can be, at least a slot from the others."""
    used = list(taken)
    free = 0.0
    for v, x in sorted(wanted.items(), key=lambda item: (item[1] is None, item[1] or 0.0)):
        if x is None:
            x = free
        while any(abs(x - u) < 0.99 for u in used):
            x = max(u for u in used if abs(x - u) < 0.99) + 1.0
        slot[v] = x
        used.append(x)
        free = max(used) + 1.0


def _once_places(graph: Graph, shape: Structure, once: list, column_x: dict, slot_x: dict, row_y: dict,
                 column_width: float, unit: float, top: int) -> dict[str, tuple[float, float]]:
    """Positions of values computed once: between the spans that make and read them (C between encoder
    and decoder, Fig 10.12), or stacked over the last step when nothing reads them at every step (Fig 10.5)."""
    fixed: dict[str, tuple[float, float]] = {}
    loose = [n for n in graph.nodes if n.name in shape.loose and n.kind != "param"]
    if not once:
        return fixed
    readers_of_once = any(shape.phase.values())
    last = max(column_x, default=0)   # none when nothing is drawn per step (h = x[τ] alone)
    column_x = {last: 0.0, **column_x}
    depth: dict[str, int] = {}
    for n in once:   # graph order follows the equations: a once value's sources come before it
        made_of = [v for v in shape.once_readers.get(n.name, ()) if v in shape.kind]
        chained = [e.src for e in graph.edges if e.dst == n.id and e.src in depth]
        depth[n.id] = 1 + max((depth[c] for c in chained), default=0)
        x_in = sum(slot_x.get(v, 0.0) for v in made_of) / len(made_of) if made_of else 0.0
        if not made_of and chained:   # made of other values computed once: over them
            x_in = fixed[chained[0]][0] - column_x[last] - (column_width if readers_of_once else 0.0)
        if readers_of_once:
            x = column_x[last] + column_width + x_in
            # half a row under the rails it joins, so that its edges to every decoder step pass below them
            y = sum(row_y.get(v, 0.0) for v in made_of) / len(made_of) - ROW_HEIGHT / 2 if made_of else 0.0
            y += (depth[n.id] - 1) * ROW_HEIGHT
        else:
            x, y = column_x[last] + x_in, (top + depth[n.id]) * ROW_HEIGHT
        fixed[n.id] = (round(x, 1), round(y, 1))
    for n in loose:   # y(τ) beside the loss that reads it
        x, y = fixed[shape.loose[n.name]]
        fixed[n.id] = (round(x + unit, 1), y)
    return fixed

class Lanes:
    """The nodes on each row and each column line, to find the edges that would run behind one.

    The lines are indexed on the first edge that could be in the way: most drawings have none.
    """

    def __init__(self, slot: float, positions: Callable[[], dict[str, tuple[float, float]]], thorough: bool = True):
        self.slot = slot   # the least x between two nodes of a row
        self.positions = positions
        self.thorough = thorough   # also look along slanted edges (small drawings: every node is checked)
        self.rows: dict[float, list[float]] | None = None
        self.columns: dict[float, list[float]] = {}
        self.by_x: list[tuple[float, float]] = []
        self.known: dict[str, tuple[float, float]] | None = None   # positions(), asked for once

    def between(self, src: tuple[float, float], dst: tuple[float, float]) -> int:
        """How many nodes a straight edge from src to dst would pass behind (0 for a slanted edge).

        Positions are compared as place() rounds them, to 0.1 pt.
        """
        (x1, y1), (x2, y2) = src, dst
        if y1 == y2 and abs(x2 - x1) > 1.01 * self.slot:
            lines, key, lo, hi = "rows", round(y1, 1), round(min(x1, x2), 1), round(max(x1, x2), 1)
        elif x1 == x2 and abs(y2 - y1) > 1.01 * ROW_HEIGHT:
            lines, key, lo, hi = "columns", round(x1, 1), round(min(y1, y2), 1), round(max(y1, y2), 1)
        elif self.thorough and (x1, y1) != (x2, y2):
            return self._near_slant(src, dst)
        else:
            return 0   # neighbours, or slanted: nothing lies exactly in the way
        if self.rows is None:
            self._index()
        line = getattr(self, lines).get(key, [])
        return bisect.bisect_left(line, hi) - bisect.bisect_right(line, lo)

    def route(self, src: tuple[float, float], dst: tuple[float, float], repeat: int = 0):
        """The corner an edge bends at (None: straight), so that neither of its halves runs behind a node.

        Small drawings try corners further and further out on either side and take the first clear one;
        big ones (long chains, where only a row's own edges can be in the way) take `bend` at once.
        """
        between = self.between(src, dst)
        if not between and not repeat:
            return None
        if self.thorough and between:
            for lift in (0.35, 0.6, 0.9, 1.3):
                for side in (1, -1):
                    corner = _corner(src, dst, side * lift * ROW_HEIGHT)
                    if not self.between(src, corner) and not self.between(corner, dst):
                        return corner
        return bend(src, dst, between, repeat)

    def _near_slant(self, src: tuple[float, float], dst: tuple[float, float]) -> int:
        """Nodes (other than the ends) closer than CLEARANCE to the segment src–dst."""
        by_x = self._sorted_by_x()
        (x1, y1), (x2, y2) = src, dst
        lo = bisect.bisect_left(by_x, (min(x1, x2) - CLEARANCE, -math.inf))
        hi = bisect.bisect_right(by_x, (max(x1, x2) + CLEARANCE, math.inf))
        dx, dy = x2 - x1, y2 - y1
        length2 = dx * dx + dy * dy
        count = 0
        for x, y in by_x[lo:hi]:
            if (x, y) in (src, dst):
                continue
            along = ((x - x1) * dx + (y - y1) * dy) / length2
            if 0.0 < along < 1.0 and math.hypot(x1 + along * dx - x, y1 + along * dy - y) < CLEARANCE:
                count += 1
        return count

    def _sorted_by_x(self) -> list[tuple[float, float]]:
        """Every node's position, by x (made on first need: long chains of level edges never need it)."""
        if not self.by_x:
            self.by_x = sorted((round(x, 1), round(y, 1)) for x, y in self._positions().values())
        return self.by_x

    def _positions(self) -> dict[str, tuple[float, float]]:
        if self.known is None:
            self.known = self.positions()
        return self.known

    def _index(self) -> None:
        self.rows = {}
        for x, y in self._positions().values():
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
    lift = min(0.25 + 0.1 * (between + repeat), 0.7) * ROW_HEIGHT   # to the left of the edge's direction
    return _corner(src, dst, lift)


def _corner(src: tuple[float, float], dst: tuple[float, float], lift: float) -> tuple[float, float]:
    """The point `lift` points to the left of the middle of src → dst."""
    (x1, y1), (x2, y2) = src, dst
    length = math.hypot(x2 - x1, y2 - y1) or 1.0
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


class LabelSpots:
    """Places θ labels one by one on small drawings, each where it overlaps no label placed before and no node.

    A label sits beside its edge (right of a steep one, above a flat one), first at the middle, then
    further along toward either end; if every spot is taken it goes to the middle anyway.
    """

    CELL = 40.0   # points: the side of the buckets the placed boxes are filed in

    def __init__(self, lanes: Lanes, radius: dict[tuple[float, float], float] | None = None, font_size: float = 10.0):
        self.lanes = lanes
        self.radius = radius or {}   # node position → its radius, where it is not about CLEARANCE
        self.font_size = font_size
        self.height = 1.4 * font_size
        self.boxes: dict[tuple[int, int], list[tuple[float, float, float, float]]] = {}

    def spot(self, src: tuple[float, float], dst: tuple[float, float], corner, text: str) -> tuple[float, float]:
        """Centre of the label `text` for the edge src → dst (bent at corner, if given)."""
        w, h = text_width(text, self.font_size) + 3, self.height
        legs = [(src, corner), (corner, dst)] if corner else [(src, dst)]
        first = None
        tries = [(frac, side) for side in (1, -1) for frac in (0.5, 0.32, 0.68, 0.2, 0.8)]   # this side first
        for frac, side in tries:
            for a, b in legs:
                centre = _beside(a, b, frac, w, h, side)
                first = first or centre
                box = (centre[0] - w / 2, centre[1] - h / 2, centre[0] + w / 2, centre[1] + h / 2)
                if not self._taken(box):
                    self._file(box)
                    return centre
        box = (first[0] - w / 2, first[1] - h / 2, first[0] + w / 2, first[1] + h / 2)
        self._file(box)
        return first

    def _buckets(self, box):
        x0, y0, x1, y1 = (int(math.floor(v / self.CELL)) for v in box)
        return [(i, j) for i in range(x0, x1 + 1) for j in range(y0, y1 + 1)]

    def _taken(self, box) -> bool:
        x0, y0, x1, y1 = box
        for key in self._buckets(box):
            for a0, b0, a1, b1 in self.boxes.get(key, ()):
                if x0 < a1 and a0 < x1 and y0 < b1 and b0 < y1:
                    return True
        by_x = self.lanes._sorted_by_x()
        lo = bisect.bisect_left(by_x, (x0 - CLEARANCE, -math.inf))
        hi = bisect.bisect_right(by_x, (x1 + CLEARANCE, math.inf))
        for x, y in by_x[lo - 1 if lo else 0:hi + 1]:
            reach = self.radius.get((x, y), CLEARANCE - 4)
            if x0 - reach < x < x1 + reach and y0 - reach < y < y1 + reach:
                return True
        return False

    def _file(self, box) -> None:
        for key in self._buckets(box):
            self.boxes.setdefault(key, []).append(box)


def _beside(a: tuple[float, float], b: tuple[float, float], frac: float, w: float, h: float,
            side: int = 1) -> tuple[float, float]:
    """A label's centre beside the point at frac along a → b: to the right of a steep line, above a flat one
    (side -1: the other side)."""
    (x1, y1), (x2, y2) = a, b
    dx, dy = x2 - x1, y2 - y1
    length = math.hypot(dx, dy) or 1.0
    nx, ny = -dy / length, dx / length
    if (abs(dy) > abs(dx) and nx < 0) or (abs(dy) <= abs(dx) and ny < 0):
        nx, ny = -nx, -ny
    nx, ny = side * nx, side * ny
    gap = 3 + abs(nx) * w / 2 + abs(ny) * h / 2
    return round(x1 + frac * dx + nx * gap, 1), round(y1 + frac * dy + ny * gap, 1)
