"""What an unfolded drawing is made of, read from the graph itself, never from an architecture's name.

The first half of the layout (`viz/layout.py` does the geometry): for each variable, whether it is a
*rail* (a state carried from step to step, forward or backward in time), a member of a step's *cell*
(what a step computes between its rails: gates, an MLP), an input, a readout or a target; its row; and
its *phase* (an encoder's variables come before the value computed once, C, and a decoder's after it).
Everything here is per variable, worked out in one pass over the nodes and one over the edges.
"""
from __future__ import annotations

import graphlib
from dataclasses import dataclass

from graphs.ir import PER_STEP_KINDS, Graph

ENDS = ("once", "init", "param")


@dataclass
class Structure:
    kind: dict[str, str]                    # per-step variable → its kind (input, state, output …)
    within: set[tuple[str, str]]            # (src, dst) read at the same step
    delayed: set[tuple[str, str, int]]      # (src, dst, +1 or -1) read from an earlier or a later step
    rails: list[str]                        # states carried forward in time (h, c), bottom to top
    back_rails: list[str]                   # states carried backward in time (g of a bidirectional net)
    below: set[str]                         # rails drawn under their cell (an LSTM's h, under the gates)
    cell: list[str]                         # what a step computes between its rails (gates, an MLP)
    row: dict[str, int]                     # variable → row, 0 at the bottom
    phase: dict[str, int]                   # variable → 0, or 1 for those after a value computed once
    once_readers: dict[str, set[str]]       # value computed once → the per-step variables it reads
    loose: dict[str, str]                   # a variable read only by a value computed once (y(τ)) → that value


SAMPLE_STEPS = 4   # a long unfolding has the structure of a short one: every step repeats the same reads


def structure(graph: Graph) -> Structure:
    """The Structure of an unfolded graph (of a short unfolding of the same circuit, for a long one)."""
    if graph.circuit is not None and graph.steps and graph.steps > SAMPLE_STEPS and len(graph.nodes) > 500:
        from graphs.unfold import unfold
        return structure(unfold(graph.circuit, SAMPLE_STEPS))
    where: dict[str, tuple[str, int | None, str]] = {}
    kind: dict[str, str] = {}
    second: set[str] = set()   # variables over a second time axis (a decoder's u): drawn after the first
    for n in graph.nodes:
        where[n.id] = (n.name, n.step, n.kind)
        if n.kind in PER_STEP_KINDS:
            kind[n.name] = n.kind
            if n.axis:
                second.add(n.name)
    within, delayed, once_reads, reads_once, to_once = set(), set(), {}, set(), {}
    for e in graph.edges:
        src, src_step, src_kind = where[e.src]
        dst, dst_step, dst_kind = where[e.dst]
        if dst_kind == "once":
            if src in kind and src_kind != "once":
                once_reads.setdefault(dst, set()).add(src)
                if src_kind in ("input", "target"):
                    to_once[src] = e.dst
        elif src_kind == "once" and dst in kind:
            reads_once.add(dst)
        elif src_kind in ENDS or dst_kind in ENDS or src not in kind or dst not in kind:
            continue
        elif e.kind in ("left", "right"):
            continue
        elif src_step == dst_step and "ellipsis" not in (src_kind, dst_kind):
            within.add((src, dst))
        elif src_step is not None and dst_step is not None and dst_kind != "ellipsis":   # not "goes on into …"
            delayed.add((src, dst, 1 if dst_step > src_step else -1))
    touched = {v for pair in within for v in pair} | {v for s, d, _ in delayed for v in (s, d)}
    loose = {v: once for v, once in to_once.items() if v not in touched}
    for v in loose:
        del kind[v]
    # a state a loss reads at its own step is an output fed back (Fig 10.4): it stays above, not on a rail
    scored = {s for s, d in within if kind.get(d) == "loss"}
    carried = [(s, d) for s, _, d in delayed if kind.get(s) == "state" and s not in scored]
    forward = list(dict.fromkeys(s for s, d in carried if d > 0))
    backward = list(dict.fromkeys(s for s, d in carried if d < 0))
    self_reading = {s for s, t, _ in delayed if s == t}
    # a state that only its step's gates read (an LSTM's h) goes under the cell, beside the inputs,
    # when another state of the step carries itself (c): the two are parallel rails with the cell between
    below = {v for v in forward if v not in self_reading} if self_reading & set(forward) else set()
    cell = _cell(kind, within, delayed, forward + backward)
    inline = _chain(cell, within, set(forward + backward))
    row = _rows(kind, within, forward, backward, below, cell, inline)
    phase = _phases(kind, within, delayed, reads_once | second)
    return Structure(kind, within, delayed, forward, backward, below, cell, row, phase, once_reads, loose)


def _cell(kind, within, delayed, rails) -> list[str]:
    """Variables computed between a step's rails: read a rail's past (maybe through another) and feed a rail."""
    rails = set(rails)
    fed_by_past = {d for s, d, _ in delayed if s in rails and d not in rails}
    grew = True
    while grew:
        more = {d for s, d in within if s in fed_by_past and d not in rails and d not in fed_by_past}
        fed_by_past |= more
        grew = bool(more)
    feeds_rail = set()
    grew = True
    while grew:
        more = {s for s, d in within if (d in rails or d in feeds_rail) and s not in feeds_rail and s not in rails}
        feeds_rail |= more
        grew = bool(more)
    return [v for v in kind if v in fed_by_past and v in feeds_rail and kind[v] in ("state", "output")]


def _chain(cell: list[str], within: set, rails: set[str]) -> dict[str, str]:
    """Cell member → the rail it leads to, when the cell is a single chain from h(t-1) to h(t) (Fig 10.13b);
    empty when a step's cell branches (gates), which is drawn in rows of its own."""
    readers: dict[str, list[str]] = {v: [] for v in cell}
    for s, d in within:
        if s in readers:
            readers[s].append(d)
    if not cell or any(len(r) != 1 for r in readers.values()):
        return {}
    fed = [r[0] for r in readers.values()]
    if len(fed) != len(set(fed)):   # two cell values feed one: a branching cell
        return {}
    ends = {}
    for v in cell:
        end = v
        while end in readers:
            end = readers[end][0]
        if end not in rails:
            return {}
        ends[v] = end
    return ends


def _rows(kind, within, forward, backward, below, cell, inline) -> dict[str, int]:
    """Row of each variable: the longest path from the inputs within one step, with backward rails above
    the forward ones, cells above the inputs (or in line with their rail), targets on top (Fig 10.3)."""
    deps: dict[str, set[str]] = {v: set() for v in kind}
    for s, d in within:
        if d not in below and s not in inline:
            deps[d].add(s)
    for g in backward:   # the backward chain runs on its own row above the forward one (Fig 10.11)
        deps[g] |= {h for h in forward if h not in below}
    try:
        order = list(graphlib.TopologicalSorter(deps).static_order())
    except graphlib.CycleError:
        order = list(kind)
    row: dict[str, int] = {}
    for v in order:
        lowest = 1 if kind[v] in ("state", "output", "loss") else 0
        row[v] = max([lowest] + [row[d] + 1 for d in deps[v] if d in row])
    for v in below:
        row[v] = 0
    for v, rail in inline.items():
        row[v] = row[rail]
    top = max((r for v, r in row.items() if kind[v] != "target"), default=0)
    for v in kind:
        if kind[v] == "target":
            row[v] = top + 1
    return row


def _phases(kind, within, delayed, reads_once) -> dict[str, int]:
    """1 for what comes after a value computed once and read at every step (a decoder after C), else 0."""
    after = set(reads_once)
    edges = within | {(s, d) for s, d, _ in delayed}
    grew = True
    while grew:
        more = {d for s, d in edges if s in after and d not in after}
        after |= more
        grew = bool(more)
    for v in kind:   # an input belongs to the phase that reads it
        readers = {d for s, d in edges if s == v}
        if kind[v] in ("input", "target") and readers and readers <= after:
            after.add(v)
    return {v: int(v in after) for v in kind}
