"""The evaluation plan's passes leave every result unchanged, and really rewrite what they claim to."""
import numpy as np
import pytest
import torch

from graphs import parse
from graphs.backends import run
from graphs.backends.plan import COLS, PASSES, plan_loop
from graphs.backends.weights import convert
from graphs.catalog import CATALOG
from graphs.expr import Call, Ref, walk
from graphs.shapes import infer


def _torch_text(kind, layers=2, bidirectional=True):
    torch.manual_seed(0)
    module = getattr(torch.nn, kind)(4, 6, num_layers=layers, bidirectional=bidirectional)
    converted = convert({k: v.detach().double().numpy() for k, v in module.state_dict().items()})
    return converted.text, converted.params


SOURCES = {name: (a.text, None) for name, a in CATALOG.items()}
SOURCES.update({f"torch {kind}": _torch_text(kind) for kind in ("RNN", "GRU", "LSTM")})
SOURCES["f with two inputs"] = ("input x, u\nparam θ\nh = f(h[t-1], x, u, θ)", None)
SOURCES["gates of unequal sizes"] = ("input x\nparam A, B, C, D, a, b\nsize p = 3\nsize q = 5\n"
                                     "p = sigmoid(A @ x + B @ q[t-1] + a)\nq = sigmoid(C @ x + D @ q[t-1] + b) * 2", None)
SOURCES["backward gates"] = ("input x\nparam A, B, C, D\ng = tanh(A @ x + B @ g[t+1])\n"
                             "k = tanh(C @ x + D @ g[t+1])", None)


def _inputs(graph, steps=7, batch=3, units=4):
    rng = np.random.default_rng(1)
    return {n.id: rng.normal(size=(steps, batch, units)) for n in graph.kinds("input", "target")}


@pytest.mark.parametrize("name", sorted(SOURCES))
@pytest.mark.parametrize("backend", ["numpy", "torch"])
@pytest.mark.parametrize("passes", [(p,) for p in PASSES] + [PASSES])
def test_every_pass_leaves_every_value_unchanged(name, backend, passes):
    text, params = SOURCES[name]
    graph = parse(text)
    inputs = _inputs(graph)
    for mode in ("test", "train"):
        written = run(graph, inputs, backend=backend, params=params, mode=mode, steps=7, hidden=5, passes=()).arrays()
        planned = run(graph, inputs, backend=backend, params=params, mode=mode, steps=7, hidden=5,
                      passes=passes).arrays()
        assert planned.keys() == written.keys()
        for key in written:
            np.testing.assert_allclose(planned[key], written[key], rtol=0, atol=1e-9, err_msg=key)


@pytest.mark.parametrize("name", ["lstm", "gru", "torch LSTM", "torch GRU"])
def test_gradients_through_the_plan_are_unchanged(name):
    text, given = SOURCES[name]
    graph = parse(text)
    inputs = _inputs(graph)
    grads = []
    for passes in ((), PASSES):
        result = run(graph, inputs, backend="torch", params=given, seed=3, hidden=5, passes=passes)
        leaves = {k: torch.tensor(np.asarray(v.detach()), requires_grad=True) for k, v in result.params.items()}
        values = run(graph, inputs, backend="torch", params=leaves, hidden=5, passes=passes).values
        sum(v.sum() for v in values.values()).backward()
        grads.append({k: v.grad.numpy() for k, v in leaves.items() if v.grad is not None})
    assert grads[0].keys() == grads[1].keys()
    for key in grads[0]:
        np.testing.assert_allclose(grads[1][key], grads[0][key], rtol=0, atol=1e-9, err_msg=key)


def test_the_plans_parameters_stay_inside_the_run():
    graph = parse(CATALOG["lstm"].text)
    result = run(graph, _inputs(graph), hidden=5)
    assert sorted(result.params) == sorted(n.id for n in graph.kinds("param"))


def _plan(text, passes=PASSES):
    graph = parse(text)
    shapes = infer(graph, {"x": 4}, 6)
    loop = [n.id for n in graph.nodes if n.kind == "state"]
    exprs = {name: graph.node(name).expr for name in loop}
    return plan_loop(exprs, set(loop), shapes.sizes, {k: tuple(v) for k, v in shapes.params.items()}, "__L", passes)


def _calls(plan, fn):
    return [node for e in plan.values() for node in walk(e) if isinstance(node, Call) and node.fn == fn]


def _reads_past(expr):
    return any(isinstance(r, Ref) and r.shift for r in walk(expr))


@pytest.mark.parametrize("name, rows", [("torch LSTM", 24), ("torch GRU", 18), ("lstm", 24), ("gru", 12)])
def test_the_gates_share_one_product_of_the_past_state_per_step(name, rows):
    text = _torch_text(name.split()[1], layers=1, bidirectional=False)[0] if name.startswith("torch") \
        else CATALOG[name].text
    plan, derived = _plan(text)
    products = [c for c in _calls(plan, "matmul") if _reads_past(c.args[1]) and isinstance(c.args[1], Ref)]
    assert len(products) == 1
    recipe = derived[products[0].args[0].name]
    assert recipe[0] == "rows" and len(recipe[1]) * 6 == rows


def test_concat_is_split_so_no_product_reads_a_concatenation():
    plan, derived = _plan(CATALOG["lstm"].text, ("split_concat",))
    assert not _calls(plan, "concat")
    assert derived["Wf[:, 0:6]"] == ("cols", "Wf", 0, 6) and derived["Wf[:, 6:10]"] == ("cols", "Wf", 6, 10)


def test_lstm_gates_get_one_sigmoid_and_one_tanh():
    plan, _ = _plan(CATALOG["lstm"].text)
    sigmoids = _calls(plan, "sigmoid")
    assert len(sigmoids) == 1 and sigmoids[0].args[0].fn == COLS   # f, i, o: one block of 18 columns
    assert (sigmoids[0].args[0].args[1].value, sigmoids[0].args[0].args[2].value) == (0, 18)
    gate_tanhs = [c for c in _calls(plan, "tanh") if isinstance(c.args[0], Call) and c.args[0].fn == COLS]
    assert len(gate_tanhs) == 1   # g: the last block of 6 columns
    assert (gate_tanhs[0].args[0].args[1].value, gate_tanhs[0].args[0].args[2].value) == (18, 24)


def test_without_passes_the_equations_run_as_written():
    text = CATALOG["lstm"].text
    plan, derived = _plan(text, ())
    graph = parse(text)
    assert derived == {} and plan == {n: graph.node(n).expr for n in plan}
