"""Data attributes on the drawn SVG: what the page's hover and player read (viz/annotate.py)."""
import re

import pytest

from graphs.catalog import CATALOG
from viz.annotate import annotate
from viz.api import load, view
from viz.dot import to_dot
from viz.render import render_svg

GROUP = re.compile(r'<g id="(?:node|edge)\d+" class="(node|edge)[^"]*"([^>]*)>\n<title>([^<]*)</title>')


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


# lag2's h(t-2) passes two chained squares: the first carries both loops, the second W2's alone
@pytest.mark.parametrize("arch, squares, edges", [("elman", {"W"}, {"W"}),
                                                  ("lag2", {"W1 W2", "W1", "W2"}, {"W1 W2", "W1", "W2"})])
def test_circuit_delay_squares_carry_the_parameters_of_their_loop(graphviz_dot, arch, squares, edges):
    groups = _groups(arch, None)
    assert {a["params"] for kind, a, title in groups if title.startswith("delay:")} == squares
    assert {a["params"] for kind, a, title in groups if kind == "edge" and "delay:" in title} == edges


def test_user_names_are_escaped_in_attributes():
    from graphs.ir import Edge, Graph, Node
    g = Graph((Node('a"b', 'a"b', "input", "a"), Node("h", "h", "state", "h")), (Edge('a"b', "h", 0, ("U",)),))
    out = annotate('<g id="node1" class="node">\n<title>a&quot;b</title>', g)
    assert 'data-node="a&quot;b"' in out and 'a"b"' not in out


def test_a_delay_square_shared_by_two_readers():
    from graphs.ir import Edge, Graph, Node
    g = Graph((Node("h", "h", "state", "h"), Node("o", "o", "output", "o")),
              (Edge("h", "h", 1, ("W",)), Edge("h", "o", 1, ("V",))))
    svg = "".join(f'<g id="edge{k}" class="edge">\n<title>{t}</title>' for k, t in
                  enumerate(("h&#45;&gt;delay:h:1", "delay:h:1&#45;&gt;h", "delay:h:1&#45;&gt;o")))
    svg += '<g id="node9" class="node">\n<title>delay:h:1</title>'
    found = [dict(re.findall(r'data-([a-z]+)="([^"]*)"', a)) for _, a, _ in GROUP.findall(annotate(svg, g))]
    assert found == [{"src": "h", "dst": "delay:h:1", "params": "V W"}, {"src": "h", "dst": "h", "params": "W"},
                     {"src": "h", "dst": "o", "params": "V"}, {"params": "V W"}]


def test_theta_labels_take_their_parameters_from_their_class_not_their_text():
    from graphs.ir import Graph
    svg = '<g id="node3" class="node p_W1 p_U">\n<title>label:0</title>\n<text>W₁, U</text>'
    assert 'data-params="U W1"' in annotate(svg, Graph((), ()))
