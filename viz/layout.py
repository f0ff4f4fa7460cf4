"""Positions for an unfolded Graph: one column per step, one row per variable, in linear time.

Graphviz's own layout is superlinear on long chains; with positions given (`neato -n2`)
rendering stays linear, so every unfolded view is placed here.
"""
from __future__ import annotations

import graphlib

from graphs.ir import PER_STEP_KINDS, Graph

COLUMN_GAP = 28.0   # points between the widest nodes of neighbouring columns
ROW_HEIGHT = 78.0
SLOT_WIDTH = 66.0


def place(graph: Graph) -> dict[str, tuple[float, float]]:
    """Node id → (x, y) in points, for `pos`; y grows upward as in the book's figures."""
    rows, slots = _rows(graph)
    width = max(slots.values(), default=0) + 1
    column_width = max(SLOT_WIDTH, 7.0 * max((len(n.label) for n in graph.nodes), default=1)) * width + COLUMN_GAP
    steps = sorted({n.step for n in graph.nodes if n.step is not None})
    column = {step: i for i, step in enumerate(steps)}
    top = max(rows.values(), default=0)
    positions = {}
    for n in graph.nodes:
        if n.kind == "param":
            continue
        row = rows.get(n.name, top + 1)
        x = column[n.step] * column_width + slots.get(n.name, 0) * (column_width - COLUMN_GAP) / width
        positions[n.id] = (round(x, 1), round(row * ROW_HEIGHT, 1))
    params = graph.kinds("param")
    span = (len(steps) - 1) * column_width
    for k, n in enumerate(params):   # θ in a row below the inputs, spread across the steps
        positions[n.id] = (round(span * (k + 0.5) / len(params), 1), -ROW_HEIGHT)
    return positions


def _rows(graph: Graph) -> tuple[dict[str, int], dict[str, int]]:
    """Row of each variable (longest path within one step) and its slot within a crowded row."""
    kind = {n.name: n.kind for n in graph.nodes if n.kind in PER_STEP_KINDS or n.kind == "once"}
    step_of = {n.id: n.step for n in graph.nodes}
    name_of = {n.id: n.name for n in graph.nodes}
    deps: dict[str, set[str]] = {name: set() for name in kind}
    for e in graph.edges:
        src, dst = name_of[e.src], name_of[e.dst]
        if src in kind and dst in kind and src != dst and (step_of[e.src] == step_of[e.dst] or kind[dst] == "once"):
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
