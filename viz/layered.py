"""Positions for a circuit too densely connected for Graphviz's `dot`, in near-linear time.

Structure first: each variable's layer is its longest path of same-step reads (delays excluded, since a
cycle must pass through one), inputs at the bottom as in the book's circuits; an initial state h(0) sits at
the left of its state. Then geometry: a few sweeps order each layer by the mean x of what it reads and
feeds, and each layer is packed, centred, in rows of a width chosen for a picture about 16:10; a wide layer
wraps onto several rows, and a deep circuit's rows continue in stacks side by side.
"""
from __future__ import annotations

import graphlib
import math

from graphs.ir import Graph, Node

from .notation import show
from .textsize import circle_diameter

ROW = 90.0         # points between rows
GAP = 30.0         # points between neighbours in a row
SQUARE = 14.0      # points from one delay mark to the next (h → ■ → ■ for h[t-2])
SWEEPS = 6


def layers(graph: Graph, shown: list[Node]) -> dict[str, int]:
    """Node id → layer: 0 for what reads nothing in the same step, else one more than the highest it reads."""
    ids = {n.id for n in shown}
    reads: dict[str, set[str]] = {i: set() for i in ids}
    for e in graph.edges:
        if e.delay == 0 and e.src in ids and e.dst in ids and e.src != e.dst:
            reads[e.dst].add(e.src)
    layer: dict[str, int] = {}
    for i in graphlib.TopologicalSorter(reads).static_order():
        layer[i] = 1 + max((layer[s] for s in reads[i]), default=-1)
    return layer


def marks(graph: Graph) -> dict[str, int]:
    """Variable → how many delay marks sit at its right: its longest read into the past or the future."""
    found: dict[str, int] = {}
    for e in graph.edges:
        if e.delay:
            found[e.src] = max(found.get(e.src, 0), abs(e.delay))
    return found


def place_layered(graph: Graph, shown: list[Node], notation: str = "book") -> dict[str, tuple[float, float]]:
    """Node id → (x, y) in points for the shown nodes of a circuit; y grows upward."""
    width = {n.id: circle_diameter(show(n.label, notation)) for n in shown}
    beside = {e.dst: e.src for e in graph.edges if e.kind == "init" and e.src in width and e.dst in width}
    placed = [n for n in shown if n.id not in beside.values()]   # h(0) goes with its state, not in a layer
    layer = layers(graph, placed)
    delays = marks(graph)
    room = {n.id: width[n.id] + SQUARE * delays.get(n.id, 0) + (width[beside[n.id]] + 8 if n.id in beside else 0)
            for n in placed}
    centre = {i: width[beside[i]] + 8 if i in beside else 0.0 for i in room}   # from the room's left edge
    near: dict[str, list[str]] = {i: [] for i in layer}
    for e in graph.edges:
        if e.src in near and e.dst in near and e.src != e.dst:
            near[e.src].append(e.dst)
            near[e.dst].append(e.src)
    layered: dict[int, list[str]] = {}
    for n in placed:   # first order: the graph's own, which follows the text
        layered.setdefault(layer[n.id], []).append(n.id)
    widest = max(600.0, math.sqrt(1.6 * ROW * sum(r + GAP for r in room.values())))   # about a 16:10 picture
    spots = _pack(layered, room, centre, width, widest)
    for _ in range(SWEEPS):   # barycentre sweeps: each node moves toward what it is connected to
        for row in layered.values():
            row.sort(key=lambda i: sum(spots[j][0] for j in near[i]) / len(near[i]) if near[i] else spots[i][0])
        spots = _pack(layered, room, centre, width, widest)
    for state, start in beside.items():
        x, y = spots[state]
        spots[start] = (x - width[state] / 2 - 8 - width[start] / 2, y)
    return {i: (round(x, 1), round(y, 1)) for i, (x, y) in spots.items()}


def _pack(layered: dict[int, list[str]], room: dict[str, float], centre: dict[str, float],
          width: dict[str, float], widest: float) -> dict[str, tuple[float, float]]:
    """(x, y) of each node: layers bottom to top in rows of at most `widest` points; when the rows would stand
    taller than `widest`, they continue in a new stack to the right (a deep circuit snakes, not a thin tower)."""
    rows: list[list[str]] = []
    for k in sorted(layered):
        current, used = [], 0.0
        for i in layered[k]:
            if current and used + room[i] > widest:
                rows.append(current)
                current, used = [], 0.0
            current.append(i)
            used += room[i] + GAP
        rows.append(current)
    stacks = max(1, round(len(rows) / max(1, int(widest // ROW))))   # a row or two over: one stack still
    per_stack = math.ceil(len(rows) / stacks)
    spots: dict[str, tuple[float, float]] = {}
    left_of_stack = 0.0
    for first in range(0, len(rows), per_stack):
        stack = rows[first:first + per_stack]
        spans = [sum(room[i] for i in row) + GAP * (len(row) - 1) for row in stack]
        for j, (row, span) in enumerate(zip(stack, spans)):
            left = left_of_stack + (max(spans) - span) / 2
            for i in row:
                spots[i] = (left + centre[i] + width[i] / 2, j * ROW)
                left += room[i] + GAP
        left_of_stack += max(spans) + 3 * GAP
    return spots
