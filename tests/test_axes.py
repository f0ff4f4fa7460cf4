"""Two sequence lengths (Fig 10.12): an encoder over t, a decoder over its own axis u, joined by C = h[τ]."""
import re

import numpy as np
import pytest

from graphs import ParseError, parse
from graphs.backends import run
from graphs.catalog import CATALOG
from graphs.cost import check_run, check_unfolding
from graphs.gtext import g_text
from graphs.shapes import infer
from graphs.unfold import unfold, window
from viz.layout import place

ENCODER_DECODER = """
input x
input y over u
param W, U, b, Ws, Wy, Wc, bs, V, c
h = tanh(W @ h[t-1] + U @ x + b)
C = h[τ]
s = tanh(Ws @ s[u-1] + Wy @ y[u-1] + Wc @ C + bs)
o = V @ s + c
L = cross_entropy(softmax(o), y)
"""


def _sequences(n_x=5, n_y=3, batch=2, seed=3):
    rng = np.random.default_rng(seed)
    return {"x": rng.normal(size=(n_x, batch, 4)), "y": rng.normal(size=(n_y, batch, 6))}


def _by_hand(p, x, y):
    """The encoder–decoder as a plain NumPy loop, written from the equations, not from the evaluator."""
    h = np.zeros((x.shape[1], p["W"].shape[0]))
    for t in range(x.shape[0]):
        h = np.tanh(h @ p["W"].T + x[t] @ p["U"].T + p["b"])
    context = h
    s = np.zeros((y.shape[1], p["Ws"].shape[0]))
    y_before = np.zeros_like(y[0])   # y(0): nothing before the first output
    states, outputs, losses = [], [], []
    for u in range(y.shape[0]):
        s = np.tanh(s @ p["Ws"].T + y_before @ p["Wy"].T + context @ p["Wc"].T + p["bs"])
        o = s @ p["V"].T + p["c"]
        e = np.exp(o - o.max(axis=-1, keepdims=True))
        probabilities = e / e.sum(axis=-1, keepdims=True)
        states.append(s)
        outputs.append(o)
        losses.append(-(y[u] * np.log(probabilities + 1e-12)).sum(axis=-1, keepdims=True))
        y_before = y[u]   # teacher forcing: the decoder reads the true y(u-1)
    return {"h": h, "C": context, "s": np.stack(states), "o": np.stack(outputs), "L": np.stack(losses)}


def test_each_variable_runs_over_its_own_axis():
    axes = {n.id: n.axis for n in parse(ENCODER_DECODER).nodes if n.kind != "param"}
    assert axes == {"x": "", "y": "u", "h": "", "C": "", "s": "u", "o": "u", "L": "u", "h[0]": "", "s[0]": "u"}


def test_unfolded_view_has_five_encoder_steps_one_context_and_three_decoder_steps():
    graph = unfold(parse(ENCODER_DECODER), 5, out_steps=3)
    steps = {name: sorted(n.step for n in graph.nodes if n.name == name and n.kind not in ("init", "once"))
             for name in ("x", "h", "C", "y", "s", "o", "L")}
    assert steps == {"x": [1, 2, 3, 4, 5], "h": [1, 2, 3, 4, 5], "C": [], "y": [1, 2, 3], "s": [1, 2, 3],
                     "o": [1, 2, 3], "L": [1, 2, 3]}
    assert [n.label for n in graph.kinds("once")] == ["C"]   # the book's context, of no one step (Fig 10.12)
    into_context = [e.src for e in graph.edges if e.dst == "C@τ"]
    out_of_context = sorted(e.dst for e in graph.edges if e.src == "C@τ")
    assert into_context == ["h@5"] and out_of_context == ["s@1", "s@2", "s@3"]
    assert (graph.steps, graph.out_steps) == (5, 3)
    assert not any(e.src.startswith(("h@", "x@")) and e.dst.startswith(("s@", "o@", "y@", "L@")) for e in graph.edges)


@pytest.mark.parametrize("n_x, n_y", [(5, 3), (3, 5), (1, 4), (6, 1)])
def test_numpy_and_torch_agree_and_equal_a_hand_written_loop(n_x, n_y):
    graph = parse(ENCODER_DECODER)
    inputs = _sequences(n_x, n_y)
    a = run(graph, inputs, backend="numpy", hidden=5)
    b = run(graph, inputs, backend="torch", hidden=5)
    expected = _by_hand(a.params, inputs["x"], inputs["y"])
    assert a.values["h"].shape[0] == n_x and a.values["s"].shape[0] == n_y
    for name, value in expected.items():
        np.testing.assert_allclose(b.arrays()[name], a.values[name], rtol=0, atol=1e-9)
        np.testing.assert_allclose(a.values[name][-1] if name == "h" else a.values[name], value, rtol=0, atol=1e-9)


@pytest.mark.parametrize("backend", ["numpy", "torch"])
def test_the_plan_leaves_every_value_unchanged_on_two_axes(backend):
    graph = parse(ENCODER_DECODER)
    inputs = _sequences()
    planned, written = (run(graph, inputs, backend=backend, passes=p).arrays() for p in (("split_concat", "stack"), ()))
    for name in planned:
        np.testing.assert_allclose(planned[name], written[name], rtol=0, atol=1e-12)


def test_teacher_forcing_over_u_reads_the_target_in_training_and_the_output_at_test_time():
    text = ENCODER_DECODER.replace("Wy @ y[u-1]", "Wy @ teacher_forcing(y[u-1], y_hat[u-1])").replace(
        "L = cross_entropy(softmax(o), y)", "y_hat = softmax(o)\nL = cross_entropy(y_hat, y)")
    graph = parse(text)
    inputs = _sequences(4, 3)
    train = [run(graph, inputs, backend=b, mode="train").arrays() for b in ("numpy", "torch")]
    test = [run(graph, inputs, backend=b, mode="test").arrays() for b in ("numpy", "torch")]
    np.testing.assert_allclose(train[0]["s"], train[1]["s"], atol=1e-9)
    np.testing.assert_allclose(test[0]["s"], test[1]["s"], atol=1e-9)
    np.testing.assert_allclose(train[0]["s"][0], test[0]["s"][0], atol=1e-12)   # step 1 reads y(0) = 0 either way
    assert np.abs(train[0]["s"][1:] - test[0]["s"][1:]).max() > 1e-3
    drawn = unfold(graph, 4, out_steps=3)
    assert sorted(n.id for n in drawn.nodes if n.name == "s" and n.kind == "state") == [
        "s@1", "s@2", "s@3", "train:s@1", "train:s@2", "train:s@3"]


def test_a_decoder_without_its_sequence_runs_for_out_steps():
    graph = parse(ENCODER_DECODER)
    x = _sequences()["x"]
    assert run(graph, {"x": x}, out_steps=7).values["s"].shape == (7, 2, 8)
    assert run(graph, {"x": x}).values["s"].shape[0] == 3   # the default: about 3/5 of n_x


@pytest.mark.parametrize("inputs, message", [
    ({"x": np.zeros((5, 2, 4)), "y": np.zeros((3, 1, 6))}, "like the other inputs over u"),
    ({"x": np.zeros((5, 4)), "z": np.zeros((3, 6))}, "'z' is not an input"),
])
def test_bad_sequences_are_refused(inputs, message):
    with pytest.raises(ParseError, match=message):
        run(parse(ENCODER_DECODER), inputs)


@pytest.mark.parametrize("out_steps", [0, -2, True, 2.5, 10**9])
def test_bad_decoder_lengths_are_refused(out_steps):
    with pytest.raises(ParseError):
        run(parse(ENCODER_DECODER), {"x": np.zeros((5, 4))}, out_steps=out_steps)
    with pytest.raises(ParseError):
        check_unfolding(parse(ENCODER_DECODER), 5, False, out_steps=out_steps)
        unfold(parse(ENCODER_DECODER), 5, out_steps=out_steps)


@pytest.mark.parametrize("text, message, col", [
    ("input x\ninput y over u\nh = tanh(W @ h[t-1] + U @ x + V @ y)", "runs over t (written t) and over u", 35),
    ("input x\ninput y over u\nh = tanh(W @ h[u-1] + U @ x)", "runs over u (written u) and over t", 27),
    ("input x\ninput y over u\nh = tanh(W @ h[t-1] + U @ y[u])", "indexes by both t and u", 29),
    ("input x\ninput y over u\nh = tanh(W @ h[t-1] + U @ x + u)", "u is the second time index", 31),
    ("input x\ninput y over u\ninput z over v\nh = tanh(W @ x + V @ y)", "two second time axes", 1),
    ("input x over u\nparam u\nh = tanh(W @ x)", "names a time axis", 1),
    ("param W over u\nh = tanh(W @ h[t-1])", "only inputs run over a time axis", 14),
    ("input x over 9\nh = tanh(W @ x)", "cannot name a time axis", 14),
    ("input x\ninput y over u\nh = tanh(W @ h[v-1] + U @ x)", "an index must be t, t-k or t+k", 16),
    ("input x over u\nh[leaf] = tanh(V @ x)\nh = tanh(W @ concat(h[left], h[right]))", "no second time axis", 1),
])
def test_axes_are_checked_with_line_and_column(text, message, col):
    with pytest.raises(ParseError, match=re.escape(message)) as err:
        parse(text)
    assert err.value.col == col


def test_the_axis_spreads_through_equations_that_name_none():
    graph = parse("input x\ninput y over u\nC = tanh(W @ x[τ])\nz = tanh(A @ y + B @ C)\nq = V @ z")
    assert {n.id: n.axis for n in graph.kinds("output")} == {"z": "u", "q": "u"}


def test_window_view_shows_u_minus_1_u_and_u_plus_1():
    labels = [n.label for n in window(parse(ENCODER_DECODER)).nodes if n.name == "s" and n.kind == "state"]
    assert labels == ["s(u-1)", "s(u)", "s(u+1)"]


def test_elided_view_elides_each_axis_on_its_own():
    graph = unfold(parse(ENCODER_DECODER), 20, out_steps=12, elide=True)
    assert [n.step for n in graph.nodes if n.name == "h" and n.kind == "state"] == [1, 2, 3, 18, 19, 20]
    assert [n.step for n in graph.nodes if n.name == "s" and n.kind == "state"] == [1, 2, 3, 10, 11, 12]


def test_the_drawing_puts_the_encoder_left_then_c_then_the_decoder():
    graph = unfold(parse(ENCODER_DECODER), 5, out_steps=3)
    at = place(graph)
    encoder = [at[f"h@{t}"][0] for t in range(1, 6)]
    decoder = [at[f"s@{u}"][0] for u in range(1, 4)]
    assert encoder == sorted(encoder) and decoder == sorted(decoder)
    assert max(encoder) < at["C@τ"][0] < at["s[0]"][0] < min(decoder)
    longer = place(unfold(parse(ENCODER_DECODER), 3, out_steps=6))   # a decoder longer than its encoder
    assert longer["h@3"][0] < longer["C@τ"][0] < longer["s[0]"][0] < longer["s@1"][0] < longer["s@6"][0]


def test_costs_count_each_axis_over_its_own_length():
    graph = parse(ENCODER_DECODER)
    shapes = infer(graph, {"x": 4, "y": 6}, 8)
    check_run(graph, shapes, 5, 1, {"": 5, "u": 3})
    with pytest.raises(ParseError, match="would keep about"):
        check_run(graph, shapes, 5, 1, {"": 5, "u": 10**8})
    with pytest.raises(ParseError, match="would draw about"):
        check_unfolding(graph, 5, False, out_steps=50_000)


def test_the_catalog_encoder_decoder_uses_the_second_axis():
    graph = unfold(parse(CATALOG["encoder_decoder"].text), 5)
    assert graph.out_steps == 3
    assert len([n for n in graph.nodes if n.name == "s" and n.kind == "state"]) == 3


def test_g_text_writes_the_decoder_over_its_own_steps():
    graph = parse(ENCODER_DECODER)
    assert g_text(graph, "s", 5, out_steps=3) == "s(3) = f(f(f(s(0), 0, C), y(1), C), y(2), C)"
    assert g_text(graph, "s", 2) == "s(2) = f(f(s(0), 0, C), y(1), C)"   # steps: the state's own, by default
    assert g_text(graph, "h", 2) == "h(2) = f(f(h(0), x(1)), x(2))"
    with pytest.raises(ParseError, match="no second time axis"):
        g_text(parse(CATALOG["elman"].text), "h", 2, out_steps=3)


BOOK_FORMS = [   # the same encoder–decoder as ENCODER_DECODER, written as the book, a paper or LaTeX would
    """input x\ninput y over u\nh(t) = tanh(W h(t-1) + U x(t) + b)\nC = h(τ)
s(u) = tanh(Ws s(u-1) + Wy y(u-1) + Wc C + bs)\no(u) = V s(u) + c\nL = cross_entropy(softmax(o), y)""",
    """input x\ninput y over u\nh_t = tanh(W h_{t-1} + U x_t + b)\nC = h_τ
s_u = tanh(Ws s_{u-1} + Wy y_{u-1} + Wc C + bs)\no = V s_u + c\nL = cross_entropy(softmax(o), y)""",
    """input x\ninput y over u\nh^{(t)} = \\tanh(W h^{(t-1)} + U x^{(t)} + b)\nC = h^{(τ)}
s^{(u)} = \\tanh(W_s·s^{(u-1)} + W_y·y^{(u-1)} + W_c·C + b_s)\no^{(u)} = V s^{(u)} + c\nL = cross_entropy(softmax(o), y)""",
]


@pytest.mark.parametrize("text", BOOK_FORMS)
def test_the_books_notation_reaches_the_second_axis(text):
    graph = parse(text)
    assert {n.id: n.axis for n in graph.kinds("state")} == {"h": "", "s": "u"}
    assert len([n for n in unfold(graph, 5, out_steps=3).nodes if n.name == "s" and n.kind == "state"]) == 3
    inputs = _sequences()
    canonical = parse(ENCODER_DECODER)
    params = run(canonical, inputs).params
    renamed = {"Ws": "W_s", "Wy": "W_y", "Wc": "W_c", "bs": "b_s"}
    mine = {renamed.get(k, k) if renamed.get(k) in {n.id for n in graph.kinds("param")} else k: v
            for k, v in params.items()}
    np.testing.assert_allclose(run(graph, inputs, params=mine).arrays()["s"], run(canonical, inputs, params=params)
                               .arrays()["s"], rtol=0, atol=1e-12)


@pytest.mark.parametrize("n_x, n_y, elide", [(3, 6, False), (6, 3, False), (20, 12, True), (12, 20, True)])
def test_each_span_has_columns_of_its_own(n_x, n_y, elide):
    """No empty columns in a span for the other span's steps, and C right after the encoder's last column."""
    graph = unfold(parse(ENCODER_DECODER), n_x, out_steps=n_y, elide=elide)
    at = place(graph)
    for name, length in (("h", n_x), ("s", n_y)):
        xs = [at[n.id][0] for n in graph.nodes if n.name == name and n.kind in ("state", "ellipsis")]
        gaps = {round(b - a, 1) for a, b in zip(xs, xs[1:])}
        assert len(gaps) == 1, (name, gaps)   # evenly spaced: the "…" takes one column like a step
    column = at["h@2"][0] - at["h@1"][0]
    assert at["C@τ"][0] - at[f"h@{n_x}"][0] < 2 * column


def test_a_second_chain_that_reads_no_context_is_drawn_after_the_first_not_over_it():
    graph = unfold(parse("input x\ninput y over u\nh = tanh(W @ h[t-1] + U @ x)\ns = tanh(A @ s[u-1] + B @ y)"), 4,
                   out_steps=2)
    at = place(graph)
    assert len(set(at.values())) == len(at)   # no two nodes in one place
    assert max(at[f"h@{t}"][0] for t in range(1, 5)) < at["s[0]"][0] < at["s@1"][0] < at["s@2"][0]


def test_a_graph_with_one_axis_has_no_second_length():
    assert unfold(parse(CATALOG["elman"].text), 4).out_steps is None


def test_the_cli_takes_a_second_sequence_or_length(tmp_path, capsys):
    import json

    from viz.cli import main
    assert main(["run", "--arch", "encoder_decoder", "--text", "the cat sat on the mat", "--out-text", "le chat"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert len(out["tokens"]) == 6 and out["out_tokens"] == ["le", "chat"]
    assert len(out["values"]["h"]) == 6 and len(out["values"]["s"]) == 2
    assert main(["run", "--arch", "encoder_decoder", "--numbers", "1;2;3;4;5", "--out-steps", "4"]) == 0
    assert len(json.loads(capsys.readouterr().out)["values"]["s"]) == 4
    assert main(["export", "--arch", "encoder_decoder", "--view", "unfolded", "--steps", "5", "--out-steps", "3",
                 "-o", str(tmp_path / "ed.dot")]) == 0
    capsys.readouterr()
    dot = (tmp_path / "ed.dot").read_text()
    assert sum(f'"s@{u}"' in dot for u in range(1, 9)) == 3 and sum(f'"h@{t}"' in dot for t in range(1, 9)) == 5
    assert main(["gt", "--arch", "encoder_decoder", "--out-steps", "2"]) == 0
    assert capsys.readouterr().out.startswith("s(2) = f(f(s(0), 0, C), y(1), C)")
    for refused in (["export", "--arch", "elman", "--view", "unfolded", "--out-steps", "3", "-o", str(tmp_path / "e.svg")],
                    ["run", "--arch", "elman", "--numbers", "1;2", "--out-numbers", "1;2"],
                    ["run", "--arch", "encoder_decoder", "--numbers", "1;2", "--out-numbers", "1", "--out-steps", "2"]):
        assert main(refused) == 2
        assert len(capsys.readouterr().err.strip().splitlines()) == 1


def test_an_animation_counts_the_decoders_steps_as_frames():
    from graphs.cost import check_frames
    with pytest.raises(ParseError, match="an animation of 205 steps"):
        check_frames(unfold(parse(ENCODER_DECODER), 5, out_steps=200))


def test_only_the_decoder_whose_y_u_minus_1_climbs_rows_gets_the_wider_columns():
    from viz.layout import grid
    cells = grid(unfold(parse(CATALOG["encoder_decoder"].text), 4, out_steps=3))
    encoder, decoder = cells.column_x[2] - cells.column_x[1], cells.later_x[2] - cells.later_x[1]
    assert encoder < decoder   # y(u-1) → s(u) passes between the decoder's columns; the encoder has no such read
