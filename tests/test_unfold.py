import graphlib

import pytest

from graphs import ParseError, parse
from graphs.catalog import CATALOG
from graphs.unfold import unfold, window

ELMAN = parse(CATALOG["elman"].text)


@pytest.mark.parametrize("steps", [1, 2, 3, 10, 100])
def test_elman_counts_grow_linearly_with_tau(steps):
    g = unfold(ELMAN, steps)
    # x, y, h, o, y_hat, L at every step, plus h(0)
    assert len(g.nodes) == 6 * steps + 1
    # x→h, h→o, o→y_hat, y_hat→L, y→L at every step, plus h(t-1)→h(t) (from h(0) at t=1)
    assert len(g.edges) == 6 * steps
    assert len(g.topo_order()) == len(g.nodes)   # acyclic: no CycleError


@pytest.mark.parametrize("name", sorted(CATALOG))
def test_every_catalog_entry_unfolds_acyclic(name):
    g = unfold(parse(CATALOG[name].text), 5)
    g.topo_order()
    ids = {n.id for n in g.nodes}
    assert all(e.src in ids and e.dst in ids for e in g.edges)
    assert all(e.delay == 0 for e in g.edges)


def test_parameters_are_shared_by_every_step():
    g = unfold(ELMAN, 7)
    recurrent = [e for e in g.edges if e.src.startswith("h") and e.dst.startswith("h@")]
    assert len(recurrent) == 7 and all(e.params == ("W",) for e in recurrent)
    assert sorted(e.dst for e in g.edges if e.params == ("U",)) == sorted(f"h@{t}" for t in range(1, 8))


def test_parameters_as_single_nodes_wired_to_every_step():
    g = unfold(ELMAN, 5, param_nodes=True)
    assert {n.id for n in g.kinds("param")} == {"W", "U", "V", "b", "c"}
    assert sorted(e.dst for e in g.edges if e.src == "W") == [f"h@{t}" for t in range(1, 6)]


def test_elided_view_answers_for_a_million_steps():
    g = unfold(ELMAN, 1_000_000, elide=True)
    assert len(g.nodes) == 6 * 6 + 1 + 1   # three steps, three steps, h(0), and "…" for h only, the state carried
    assert [n.id for n in g.nodes if n.kind == "ellipsis"] == ["h@…1"]
    chain = [(e.src, e.dst) for e in g.edges if e.src.startswith("h") and e.dst.startswith("h")]
    assert chain == [("h[0]", "h@1"), ("h@1", "h@2"), ("h@2", "h@3"), ("h@3", "h@…1"),
                     ("h@…1", "h@999998"), ("h@999998", "h@999999"), ("h@999999", "h@1000000")]
    assert g.node("h@1000000").label == "h(1000000)"


def test_full_drawing_of_too_many_steps_is_refused_with_advice():
    with pytest.raises(ParseError, match="elided"):
        unfold(ELMAN, 20_000)


@pytest.mark.parametrize("steps", [0, -1, 2.5, True, 10**10])
def test_absurd_tau(steps):
    with pytest.raises(ParseError):
        unfold(ELMAN, steps, elide=True)


def test_generic_window_is_the_books_t_minus_1_t_t_plus_1():
    g = window(parse(CATALOG["driven"].text))
    labels = [n.label for n in g.nodes if n.name == "h"]
    assert labels == ["…", "h(t-1)", "h(t)", "h(t+1)", "…"]
    chain = [(e.src, e.dst) for e in g.edges if e.src.startswith("h")]
    assert chain == [("h@…1", "h@1"), ("h@1", "h@2"), ("h@2", "h@3"), ("h@3", "h@…2")]


def test_bidirectional_unfolds_with_a_backward_chain():
    g = unfold(parse(CATALOG["bidirectional"].text), 3)
    backward = sorted((e.src, e.dst) for e in g.edges if e.src.startswith("g") and e.dst.startswith("g@"))
    assert backward == [("g@2", "g@1"), ("g@3", "g@2"), ("g[end]", "g@3")]
    g.topo_order()


def test_single_output_reads_the_last_state_once():
    g = unfold(parse(CATALOG["single_output"].text), 4)
    assert [(e.src, e.dst) for e in g.edges if e.dst == "o@τ"] == [("h@4", "o@τ")]
    assert not any(n.id.startswith("o@") and n.id != "o@τ" for n in g.nodes)


def test_lag_two_reads_two_steps_back():
    g = unfold(parse(CATALOG["lag2"].text), 4)
    into_h4 = sorted((e.src, e.params) for e in g.edges if e.dst == "h@4" and e.src.startswith("h"))
    assert into_h4 == [("h@2", ("W2",)), ("h@3", ("W1",))]


def test_time_delay_net_has_no_cycle_and_pads_with_nothing():
    circuit = parse(CATALOG["tdnn"].text)
    assert not circuit.kinds("init") and all(e.src == "x" or e.kind == "param" for e in circuit.edges)
    g = unfold(circuit, 3)
    assert sorted(e.src for e in g.edges if e.dst == "y@1") == ["x@1"]
    assert sorted(e.src for e in g.edges if e.dst == "y@3") == ["x@1", "x@2", "x@3"]


@pytest.mark.parametrize("leaves, internal", [(1, 0), (2, 1), (4, 3), (5, 4), (8, 7)])
def test_recursive_net_unfolds_into_a_binary_tree(leaves, internal):
    g = unfold(parse(CATALOG["recursive"].text), leaves)
    states = [n for n in g.nodes if n.name == "h"]
    assert len(states) == leaves + internal
    combined = [e for e in g.edges if e.kind in ("left", "right")]
    assert len(combined) == 2 * internal
    g.topo_order()


def test_teacher_forcing_draws_both_train_and_test_feeds():
    g = parse(CATALOG["teacher_forcing"].text)
    kinds = {(e.src, e.kind) for e in g.edges if e.dst == "h" and e.delay == 1}
    assert kinds == {("y", "train"), ("y_hat", "test")}


def test_initial_state_node_says_where_it_comes_from():
    assert parse(CATALOG["elman"].text).node("h[0]").note == "zeros"
    assert parse(CATALOG["trainable_init"].text).node("h[0]").note == "trainable: h0"


def test_circuit_has_a_cycle_only_through_a_delay():
    g = parse(CATALOG["jordan"].text)
    delayed = [(e.src, e.dst) for e in g.edges if e.delay]
    assert delayed == [("o", "h")]
    g.topo_order()   # no CycleError: the loop passes through the delay
    with pytest.raises(graphlib.CycleError):
        type(g)(g.nodes, g.edges + (type(g.edges[0])("h", "o"), type(g.edges[0])("o", "h"))).topo_order()


def test_same_text_gives_identical_graphs():
    assert unfold(parse(CATALOG["lstm"].text), 6) == unfold(parse(CATALOG["lstm"].text), 6)


def test_a_value_computed_once_at_the_end_is_named_for_the_last_step():
    from viz.notation import book
    graph = unfold(parse(CATALOG["single_output"].text), 4)   # o(τ) = V h(τ) + c; its loss against y(τ)
    assert sorted(book(n.label) for n in graph.kinds("once")) == ["L⁽⁴⁾", "o⁽⁴⁾"]   # beside h⁽⁴⁾, y⁽⁴⁾ (Fig 10.5)


def test_every_lag_2_edge_joins_steps_two_apart_from_h_of_minus_1_on():
    graph = unfold(parse(CATALOG["lag2"].text), 4)   # h(t) = tanh(W1 h(t-1) + W2 h(t-2) + U x(t) + b)
    step = {n.id: n.step for n in graph.nodes}
    lag2 = [e for e in graph.edges if "W2" in e.params]
    assert sorted((e.src, e.dst) for e in lag2) == [("h@1", "h@3"), ("h@2", "h@4"), ("h[-1]", "h@1"), ("h[0]", "h@2")]
    assert all(step[e.dst] - step[e.src] == 2 for e in lag2)
    assert graph.node("h[-1]").kind == "init" and "as h(0)" in graph.node("h[-1]").note   # the same start


def test_a_backward_states_start_is_named_for_the_step_after_the_last():
    from viz.notation import book
    graph = unfold(parse(CATALOG["bidirectional"].text), 4)
    assert book(graph.node("g[end]").label) == "g⁽⁵⁾" and graph.node("g[end]").step == 5   # g(τ+1), τ = 4
