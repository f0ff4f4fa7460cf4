"""Data attributes on the drawn SVG: what the page's hover and player read (viz/annotate.py)."""
import re

import pytest

from graphs.catalog import CATALOG
from viz.annotate import annotate
from viz.api import load, view
from viz.dot import to_dot
from viz.render import render_svg

GROUP = re.compile(r'<g id="(?:node|edge)\d+" class="(node|edge)"([^>]*)>\n<title>([^<]*)</title>')


def _groups(arch: str, steps: int | None):
    graph = load(recurrence=CATALOG[arch].text)
    if steps is not None:
        graph = view(graph, "unfolded", steps)
    svg = annotate(render_svg(to_dot(graph)), graph)
    return [(kind, dict(re.findall(r'data-([a-z]+)="([^"]*)"', attributes)), title)
            for kind, attributes, title in GROUP.findall(svg)]


def test_every_w_edge_and_label_of_elman_carries_w(graphviz_dot):
    groups = _groups("elman", 6)
    w_edges = sorted((a["src"], a["dst"]) for kind, a, _ in groups if kind == "edge" and a["params"] == "W")
    assert w_edges == sorted([("h[0]", "h@1")] + [(f"h@{t - 1}", f"h@{t}") for t in range(2, 7)])
    labels = [a["params"] for kind, a, title in groups if title.startswith("label:")]
    assert labels.count("W") == 6 and labels.count("U") == 6 and labels.count("V") == 6


def test_nodes_carry_their_variable_step_and_kind(graphviz_dot):
    nodes = {a["node"]: a for kind, a, _ in _groups("elman", 3) if "node" in a}
    assert nodes["h@3"] == {"node": "h@3", "var": "h", "kind": "state", "step": "3", "params": ""}
    assert nodes["h[0]"]["kind"] == "init" and nodes["x@2"]["step"] == "2"


def test_an_edge_drawn_in_two_halves_is_one_edge(graphviz_dot):
    halves = [(a["src"], a["dst"], a["params"]) for kind, a, title in _groups("lag2", 4)
              if kind == "edge" and "bend:" in title and a["src"] == "h@1"]
    assert halves == [("h@1", "h@3", "W2"), ("h@1", "h@3", "W2")]


@pytest.mark.parametrize("arch, squares", [("elman", {"W"}), ("lag2", {"W1", "W2"})])
def test_circuit_delay_squares_carry_the_parameters_of_their_loop(graphviz_dot, arch, squares):
    groups = _groups(arch, None)
    assert {a["params"] for kind, a, title in groups if title.startswith("delay:")} == squares
    assert {a["params"] for kind, a, title in groups if kind == "edge" and "delay:" in title} == squares


def test_user_names_are_escaped_in_attributes():
    from graphs.ir import Edge, Graph, Node
    g = Graph((Node('a"b', 'a"b', "input", "a"), Node("h", "h", "state", "h")), (Edge('a"b', "h", 0, ("U",)),))
    out = annotate('<g id="node1" class="node">\n<title>a&quot;b</title>', g)
    assert 'data-node="a&quot;b"' in out and 'a"b"' not in out
