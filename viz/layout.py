"""Positions for an unfolded Graph: one column per step, a place per variable within it, in linear time.

The places come from the graph's Structure (`viz/structure.py`): rails, cells, phases.

Graphviz's own layout is superlinear on long chains; with positions given (`neato -n2`)
rendering stays linear, so every unfolded view is placed here.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from graphs.ir import Graph, Node
from graphs.unfold import TRAIN

from .structure import Structure, structure

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
    # a step read from rows away (y(t-1) → h(t), Fig 10.6) gets a corridor between the columns to pass in: on
    # the axis that reads it (a decoder's y(u-1) → s(u) widens the decoder's columns, not the encoder's)
    steep = {shape.phase.get(d, 0) > 0 for s, d, _ in shape.delayed
             if s in shape.row and d in shape.row and abs(shape.row[s] - shape.row[d]) > 1}
    column_width = unit * (width + (False in steep)) + COLUMN_GAP
    later_width = unit * (width + (True in steep)) + COLUMN_GAP
    steps = sorted(steps)
    column_x = {step: i * column_width for i, step in enumerate(steps)}
    later_x = {step: i * later_width for i, step in enumerate(sorted(later))}
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
    span = shift + (len(later) - 1) * later_width if later else (len(steps) - 1) * column_width
    fixed.update({p: (round(span * (k + 0.5) / len(params), 1), -ROW_HEIGHT) for k, p in enumerate(params)})
    lift = 0.0
    if captions:   # two panels, training above test (Fig 10.6), each under its caption
        # the test panel has no targets or losses: its caption sits over its own top row, not the training's
        test_top = max((shape.row[n.name] for n in graph.nodes if n.name in shape.row and n.kind != "caption"
                        and not n.id.startswith(TRAIN)), default=top)
        lift = (test_top + 2) * ROW_HEIGHT
        for n in captions:
            row = top + lift / ROW_HEIGHT if n.id.startswith(TRAIN) else test_top
            fixed[n.id] = (round(span / 2, 1), round((row + 0.75) * ROW_HEIGHT, 1))
    boxed = set(shape.cell) | set(shape.rails) if len(shape.cell) > 1 else set()
    return Grid(column_x=column_x, slot_x=slot_x, row_y=row_y, spare_y=(top + 1) * ROW_HEIGHT,
                slot=unit if width > 1 else min(column_width, later_width), fixed=fixed, lift=lift,
                cell=frozenset(boxed), gates=frozenset(shape.cell),
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
