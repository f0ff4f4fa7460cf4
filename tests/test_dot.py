import re

import pytest

from graphs import parse
from graphs.catalog import CATALOG
from graphs.unfold import unfold
from viz.dot import quote, to_dot

ELMAN = parse(CATALOG["elman"].text)


def test_circuit_marks_the_delay_with_a_black_square():
    dot = to_dot(ELMAN)
    squares = re.findall(r'"delay:h:1" \[[^\]]*fillcolor="black"[^\]]*shape="square"', dot)
    assert len(squares) == 1
    assert '"h" -> "delay:h:1"' in dot and '"delay:h:1" -> "h" [constraint="false" xlabel="W"]' in dot


def test_a_longer_delay_is_a_chain_of_squares_each_read_where_it_is_due():
    dot = to_dot(parse(CATALOG["lag2"].text))
    assert '"h" -> "delay:h:1"' in dot and '"delay:h:1" -> "delay:h:2"' in dot
    assert '"delay:h:1" -> "h" [constraint="false" xlabel="W₁"]' in dot
    assert '"delay:h:2" -> "h" [constraint="false" xlabel="W₂"]' in dot


def _looks(dot: str) -> dict[str, str]:
    """Each node's fill colour in a DOT text."""
    return dict(re.findall(r'^  "([^"]+)" \[[^\]]*fillcolor="([^"]+)"', dot, re.M))


def test_only_what_the_next_step_reads_is_drawn_as_a_state():
    from viz.style import NODE_STYLE
    state, value = NODE_STYLE["state"]["fillcolor"], NODE_STYLE["output"]["fillcolor"]
    for name, carried, of_the_step in [("jordan", ["o"], ["h"]), ("lstm", ["h", "c"], ["f", "i", "g", "o"]),
                                       ("deep_transition", ["h"], ["z"])]:
        graph = parse(CATALOG[name].text)
        for dot, node in [(to_dot(graph), "{}"), (to_dot(unfold(graph, 3)), "{}@2")]:
            looks = _looks(dot)
            assert [looks[node.format(v)] for v in carried] == [state] * len(carried), (name, dot)
            assert [looks[node.format(v)] for v in of_the_step] == [value] * len(of_the_step), name


def test_an_lstm_circuit_takes_h_of_t_minus_1_from_below_beside_x():
    dot = to_dot(parse(CATALOG["lstm"].text))
    assert '{rank=min; "delay:h:1"}' in dot and '"h" -> "delay:h:1" [arrowhead="none" constraint="false"]' in dot
    reads = re.findall(r'^  "delay:h:1" -> "(\w+)"(.*)$', dot, re.M)
    assert sorted(gate for gate, _ in reads) == ["f", "g", "i", "o"]
    assert not any("constraint" in attributes for _, attributes in reads)   # they rise to the gates, as x does
    assert '{rank=same; "c"; "delay:c:1"}' in dot   # the cell's own loop stays beside it


def test_teacher_forcings_two_reads_have_labels_in_their_own_colour():
    dot = to_dot(parse(CATALOG["teacher_forcing"].text))
    for state, words in [("y", "W (train)"), ("y_hat", "W (test)")]:
        edge = re.search(rf'^  "delay:{state}:1" -> "h" \[(.*)\]$', dot, re.M).group(1)
        colour = re.search(r' color="([^"]+)"', " " + edge).group(1)
        assert f'fontcolor="{colour}"' in edge and f'label="{words}"' in edge and colour != "black"
        unfolded = to_dot(unfold(parse(CATALOG["teacher_forcing"].text), 3))   # labels beside the edges too
        label = rf'^  "label:\d+" \[[^\]]*fontcolor="([^"]+)"[^\]]*label="{re.escape(words)}"'
        labels = re.findall(label, unfolded, re.M)
        assert labels and set(labels) == {colour}


def test_a_recursive_nets_circuit_reads_each_child_from_a_white_square_on_its_side():
    dot = to_dot(parse(CATALOG["recursive"].text))
    assert '"h" -> "h"' not in dot   # no self-loops wound round each other
    for side, read in [("left", '"child:h:left" -> "h" [label="W (left)"]'),
                       ("right", '"h" -> "child:h:right" [dir="back" label="W (right)"]')]:
        assert read in dot and f'{{rank=same; "h"; "child:h:{side}"}}' in dot
        marker = re.search(rf'^  "child:h:{side}" \[(.*)\]$', dot, re.M).group(1)
        assert 'fillcolor="white"' in marker and f'xlabel="{side} child\'s h"' in marker


def test_a_read_of_the_future_says_t_plus_1_in_its_label_clear_of_the_loop():
    dot = to_dot(parse(CATALOG["bidirectional"].text))   # g(t) = tanh(Wg g(t+1) + Ug x(t) + bg), Fig 10.11
    assert '"delay:g:-1" -> "g" [constraint="false" xlabel="Wg (t+1)"]' in dot
    assert 'xlabel="t+1"' not in dot   # no longer on the square, where the loop ran through it


def test_circuit_labels_edges_with_parameters():
    dot = to_dot(ELMAN)
    assert '"x" -> "h" [label="U"]' in dot and '"h" -> "o" [label="V"]' in dot


def test_params_drawn_as_nodes_only_on_request():
    assert '"W" [' not in to_dot(ELMAN)
    assert '"W" [' in to_dot(ELMAN, param_nodes=True) and '"W" -> "h"' in to_dot(ELMAN, param_nodes=True)


def test_unfolded_view_is_positioned_and_has_no_delay_squares():
    dot = to_dot(unfold(ELMAN, 3))
    assert 'layout="neato"' in dot and "delay:" not in dot
    assert dot.count('pos="') == 19 + 3 * 3   # 19 nodes and a label on each W, U and V edge
    assert dot.count('label="W"') == 3


def test_same_graph_gives_byte_identical_dot():
    assert to_dot(unfold(ELMAN, 5)) == to_dot(unfold(parse(CATALOG["elman"].text), 5))


def test_quote_escapes_quotes_and_backslashes():
    assert quote('a" [shape=none label=<<b>x</b>>]') == '"a\\" [shape=none label=<<b>x</b>>]"'
    assert quote("back\\slash") == '"back\\\\slash"'


def test_values_colour_nodes_on_a_diverging_scale_with_a_legend():
    g = unfold(parse(CATALOG["driven"].text), 2)
    dot = to_dot(g, values={"h@1": -1.0, "h@2": 1.0}, muted={"x@2"})
    assert re.search(r'"h@1" \[[^\]]*fillcolor="#2563eb"', dot)
    assert re.search(r'"h@2" \[[^\]]*fillcolor="#dc2626"', dot)
    assert re.search(r'"x@2" \[[^\]]*fillcolor="#f9fafb"', dot)
    assert dot.count('"legend:') == 5


def test_the_key_shows_every_kind_of_node_a_drawing_has():
    from viz.legend import KEY, legend_dot
    drawn = {n.kind for name in CATALOG for n in unfold(parse(CATALOG[name].text), 3, param_nodes=True).nodes}
    helpers = {"ellipsis", "caption", "source"}   # "…", panel titles, where a given h(0) comes from
    assert drawn - helpers <= {kind for kind, _, _ in KEY}
    assert legend_dot().count('"key:') >= len(KEY) and "one-step delay" in legend_dot()
    drawn_edges = {e.kind for name in CATALOG for e in unfold(parse(CATALOG[name].text), 3).edges}
    assert drawn_edges - {"left", "right", "leaf"} <= {kind.removeprefix("edge:") for kind, _, _ in KEY}
    assert "cell" in {kind for kind, _, _ in KEY}   # and the dashed box of a step's gates


def test_an_exported_unfolded_view_renders_as_drawn_with_plain_dot(graphviz_dot):
    import subprocess
    from viz.render import render_svg

    def centres(svg: str) -> dict:
        found = re.findall(r"<title>([^<]+)</title>[^<]*(?:<[ga][^>]*>\s*)*<ellipse[^>]*cx=\"([-\d.]+)\" cy=\"([-\d.]+)\"", svg)
        return {name: (float(x), float(y)) for name, x, y in found}
    dot = to_dot(unfold(parse(CATALOG["lstm"].text), 3))
    ours = centres(render_svg(dot))
    plain = centres(subprocess.run(["dot", "-Tsvg"], input=dot.encode(), capture_output=True, check=True).stdout.decode())
    assert len(ours) > 20 and ours.keys() == plain.keys()
    assert all(abs(ours[n][0] - plain[n][0]) <= 1.5 and abs(ours[n][1] - plain[n][1]) <= 1.5 for n in ours)


@pytest.mark.parametrize("name", ["gru", "lstm"])
def test_no_theta_label_sits_on_a_side_of_a_cells_dashed_box(name):
    from viz.textsize import text_width
    dot = to_dot(unfold(parse(CATALOG[name].text), 4))
    boxes = [(float(x), float(y), float(w) * 36, float(h) * 36) for w, h, x, y in
             re.findall(r'"cell:\d+" \[[^\]]*width="([\d.]+)" height="([\d.]+)"[^\]]*pos="([\d.-]+),([\d.-]+)!"', dot)]
    labels = re.findall(r'"label:\d+" \[[^\]]*label="([^"]+)" pos="([\d.-]+),([\d.-]+)!"', dot)
    assert boxes and labels
    for text, x, y in labels:
        half_w, half_h = text_width(text, 10) / 2, 7.0
        for cx, cy, hw, hh in boxes:
            for edge in (cx - hw, cx + hw):   # a vertical side between the label's left and right ends
                assert not (float(x) - half_w < edge < float(x) + half_w and cy - hh < float(y) < cy + hh), text
            for edge in (cy - hh, cy + hh):
                assert not (float(y) - half_h < edge < float(y) + half_h and cx - hw < float(x) < cx + hw), text
