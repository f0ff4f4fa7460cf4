"""A circuit too dense for `dot`: our own layered positions, pinned, drawn by `neato -n2` in seconds."""
import re

import pytest

from graphs import limits, parse
from graphs.catalog import CATALOG
from viz.dot import to_dot
from viz.layered import layers, place_layered
from viz.render import render_svg


def dense(equations: int = 58) -> str:
    """Each variable reads five others one step back and up to two lower ones now: 518 connections at 58."""
    lines = ["input x"]
    for i in range(equations):
        terms = [f"v{(i * 7 + k * 11) % equations}[t-1]" for k in range(5)]
        terms += [f"v{j}" for j in sorted({i // 2, i // 3}) if j < i]
        lines.append(f"v{i} = tanh({'+'.join(terms)}+x)")
    return "\n".join(lines)


def deep(equations: int = 58, reads: int = 20) -> str:
    """Each variable reads up to `reads` lower ones in the same step: 903 connections at 58 and 20, over 40
    layers deep (`dot` did not finish it in 120 s)."""
    lines = ["input x"]
    for i in range(equations):
        terms = sorted({f"v{(i * 13 + j * 7) % i}" for j in range(reads)}) if i else []
        lines.append(f"v{i}=tanh({'+'.join(terms + ['x'])})")
    return "\n".join(lines)


def test_layers_follow_same_step_reads_and_ignore_delays():
    graph = parse("input x\na = tanh(x + b[t-1])\nb = tanh(a + x)\nc = a + b")
    layer = layers(graph, [n for n in graph.nodes if n.kind != "param"])
    assert layer["x"] < layer["a"] < layer["b"] < layer["c"]


def test_positions_keep_nodes_apart_and_readers_above_what_they_read():
    graph = parse(dense())
    shown = [n for n in graph.nodes if n.kind != "param"]
    where = place_layered(graph, shown)
    assert set(where) == {n.id for n in shown}
    spots = sorted(where.values())
    assert len(set(spots)) == len(spots)
    for a, b in zip(spots, spots[1:]):   # same row: at least a node's width apart
        if a[1] == b[1]:
            assert b[0] - a[0] >= 30
    for e in graph.edges:
        if e.delay == 0 and e.kind != "init" and e.src in where and e.dst in where:
            assert where[e.src][1] < where[e.dst][1]
    xs, ys = [x for x, _ in spots], [y for _, y in spots]
    assert (max(xs) - min(xs)) < 2.5 * (max(ys) - min(ys))   # wide layers wrap: no 6:1 strip


def test_a_deep_circuit_snakes_into_stacks_instead_of_a_tower():
    graph = parse(deep())
    where = place_layered(graph, [n for n in graph.nodes if n.kind != "param"])
    xs, ys = [x for x, _ in where.values()], [y for _, y in where.values()]
    assert 1 / 3 < (max(xs) - min(xs)) / (max(ys) - min(ys)) < 3   # 45 layers: no 1:20 tower
    for e in graph.edges:   # a reader is above what it reads, or in a stack further right
        if e.delay == 0 and e.kind != "init" and e.src in where and e.dst in where:
            (x0, y0), (x1, y1) = where[e.src], where[e.dst]
            assert y0 < y1 or x1 > x0


@pytest.mark.parametrize("text, squares", [(dense(), 58), (deep(), 0)])
def test_dense_58_equation_circuits_are_pinned_and_render_in_seconds(text, squares, graphviz_dot):
    graph = parse(text)
    assert len(graph.edges) > limits.MAX_CIRCUIT_EDGES
    dot = to_dot(graph)
    assert 'layout="neato"' in dot and 'inputscale="72"' in dot
    nodes = re.findall(r'^  "([^"]+)" \[', dot, re.M)
    assert all(re.search(rf'^  "{re.escape(i)}" \[[^\n]*pos="', dot, re.M) for i in nodes)   # every node pinned
    assert sum(1 for n in nodes if n.startswith("delay:")) == squares   # one delay square per state, shared
    svg = render_svg(dot)   # seconds, where `dot`'s own layout took over 120 s on the deep one (bench/attack_bench.py)
    assert svg.count('class="node"') == len(nodes)


@pytest.mark.parametrize("arch", ["elman", "lstm", "bidirectional"])
def test_catalog_circuits_still_go_through_dot(arch):
    assert 'layout="neato"' not in to_dot(parse(CATALOG[arch].text))
