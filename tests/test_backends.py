import numpy as np
import pytest
import torch

from graphs import ParseError, parse
from graphs.backends import PASSES, run
from graphs.catalog import CATALOG


def _inputs(graph, steps=7, batch=3, units=4, seed=0):
    rng = np.random.default_rng(seed)
    return {n.id: rng.normal(size=(steps, batch, units)) for n in graph.kinds("input", "target")}


@pytest.mark.parametrize("name", sorted(CATALOG))
@pytest.mark.parametrize("mode", ["test", "train"])
def test_numpy_and_torch_agree_on_every_catalog_entry(name, mode):
    graph = parse(CATALOG[name].text)
    inputs = _inputs(graph)
    a = run(graph, inputs, backend="numpy", mode=mode, steps=7, hidden=5)
    b = run(graph, inputs, backend="torch", mode=mode, steps=7, hidden=5)
    assert a.values.keys() == b.values.keys()
    for key in a.values:
        np.testing.assert_allclose(a.values[key], b.values[key].numpy(), rtol=0, atol=1e-9)


@pytest.mark.parametrize("name", sorted(CATALOG))
@pytest.mark.parametrize("backend", ["numpy", "torch"])
def test_float32_runs_stay_in_float32_and_agree_with_float64(name, backend):
    graph = parse(CATALOG[name].text)
    inputs = _inputs(graph)
    exact = run(graph, inputs, steps=7, hidden=5).values
    single = run(graph, inputs, backend=backend, steps=7, hidden=5, dtype="float32").values
    for key, value in single.items():
        assert str(value.dtype).endswith("float32"), key
        np.testing.assert_allclose(np.asarray(value), exact[key], rtol=1e-4, atol=1e-4)


def test_a_sum_is_regrouped_so_the_loop_adds_once_per_step(monkeypatch):
    text = "input x\nparam U, W, b, c\nh = tanh(U @ x + b + W @ h[t-1] + c)"
    graph, xs = parse(text), np.random.default_rng(4).normal(size=(6, 2, 3))
    adds = []   # the ndim of each addition's result: 2 inside the time loop (one step's arrays)
    from graphs.backends import numpy_ops

    def counted(fn):
        return lambda *args: (lambda out: (adds.append(np.ndim(out)), out)[1])(fn(*args))
    monkeypatch.setattr(numpy_ops, "OPS", {**numpy_ops.OPS, "add": counted(numpy_ops.OPS["add"])})
    monkeypatch.setattr(numpy_ops, "INPLACE", {**numpy_ops.INPLACE, "add": counted(numpy_ops.INPLACE["add"])})
    monkeypatch.setattr(numpy_ops, "matmul_add", counted(numpy_ops.matmul_add))   # W @ h[t-1] + the rest
    # the step-by-step evaluator's regrouping: without "fuse", which would run this cell in one kernel
    result = run(graph, {"x": xs}, hidden=4, passes=tuple(p for p in PASSES if p != "fuse"))
    assert adds.count(2) == 6   # one addition of (batch, units) arrays per step
    p, h = result.params, np.zeros((2, 4))
    for t in range(6):
        h = np.tanh(xs[t] @ p["U"].T + p["b"] + h @ p["W"].T + p["c"])
        np.testing.assert_allclose(result.values["h"][t], h, atol=1e-12)


def test_elman_matches_a_hand_written_loop():
    graph = parse(CATALOG["driven"].text)
    xs = np.random.default_rng(1).normal(size=(9, 2, 3))
    result = run(graph, {"x": xs}, hidden=4, seed=3)
    W, U, b = (result.params[k] for k in ("W", "U", "b"))
    h = np.zeros((2, 4))
    for t in range(9):
        h = np.tanh(h @ W.T + xs[t] @ U.T + b)
        np.testing.assert_allclose(result.values["h"][t], h, atol=1e-12)


def test_matches_torch_nn_rnn_given_its_weights():
    torch.manual_seed(0)
    rnn = torch.nn.RNN(3, 6, dtype=torch.float64)
    text = "input x\nparam W_ih, W_hh, b_ih, b_hh\nh = tanh(W_ih @ x + b_ih + W_hh @ h[t-1] + b_hh)"
    names = {"weight_ih_l0": "W_ih", "weight_hh_l0": "W_hh", "bias_ih_l0": "b_ih", "bias_hh_l0": "b_hh"}
    params = {names[k]: v.detach().numpy() for k, v in rnn.state_dict().items()}
    xs = torch.randn(11, 2, 3, dtype=torch.float64)
    ours = run(parse(text), {"x": xs.numpy()}, params=params, hidden=6)
    theirs, _ = rnn(xs)
    np.testing.assert_allclose(ours.values["h"], theirs.detach().numpy(), atol=1e-12)


def test_torch_backend_gives_bptt_gradients():
    graph = parse(CATALOG["elman"].text)
    inputs = _inputs(graph, steps=5, batch=1)
    params = {k: torch.tensor(v, requires_grad=True) for k, v in
              run(graph, inputs, hidden=4).params.items()}
    result = run(graph, inputs, backend="torch", params=params, hidden=4)
    result.values["L"].sum().backward()
    assert params["W"].grad is not None and params["W"].grad.abs().sum() > 0


def test_time_delay_net_pads_the_past_with_zeros():
    graph = parse(CATALOG["tdnn"].text)
    xs = np.random.default_rng(2).normal(size=(4, 1, 2))
    r = run(graph, {"x": xs}, hidden=3)
    p = r.params
    expected = xs[0] @ p["W0"].T + p["b"]
    np.testing.assert_allclose(r.values["y"][0], expected, atol=1e-12)
    expected = xs[2] @ p["W0"].T + xs[1] @ p["W1"].T + xs[0] @ p["W2"].T + p["b"]
    np.testing.assert_allclose(r.values["y"][2], expected, atol=1e-12)


@pytest.mark.parametrize("kwargs, message", [
    ({"backend": "jax"}, "unknown backend"),
    ({"dtype": "float16"}, "unknown dtype"),
    ({"hidden": 0}, "hidden size"),
    ({"params": {}}, "missing"),
])
def test_bad_runs_say_what_to_fix(kwargs, message):
    graph = parse(CATALOG["driven"].text)
    with pytest.raises(ParseError, match=message):
        run(graph, {"x": np.zeros((3, 2))}, **kwargs)


def test_wrong_input_name_and_too_long_sequence():
    graph = parse(CATALOG["driven"].text)
    with pytest.raises(ParseError, match="not an input"):
        run(graph, {"q": np.zeros((3, 2))})
    with pytest.raises(ParseError, match="steps"):
        run(graph, {"x": np.zeros((30_000, 2))})


def test_initial_state_zeros_trainable_or_given_changes_the_trace():
    xs = np.random.default_rng(5).normal(size=(4, 1, 2))
    zeros = parse(CATALOG["driven"].text)
    trainable = parse(CATALOG["trainable_init"].text)
    given = parse("input x, h_start\nparam W, U, b\nh[0] = h_start\nh = tanh(W @ h[t-1] + U @ x + b)")
    base = run(zeros, {"x": xs}, hidden=3, seed=1)
    h0 = np.array([0.5, -0.5, 0.25])
    learned = run(trainable, {"x": xs}, hidden=3, params=dict(base.params, h0=h0))
    handed = run(given, {"x": xs, "h_start": np.tile(h0, (4, 1, 1))}, hidden=3, params=base.params)
    W, U, b = (base.params[k] for k in "WUb")
    np.testing.assert_allclose(base.values["h"][0, 0], np.tanh(xs[0, 0] @ U.T + b))
    np.testing.assert_allclose(learned.values["h"][0, 0], np.tanh(h0 @ W.T + xs[0, 0] @ U.T + b))
    np.testing.assert_allclose(handed.values["h"], learned.values["h"])


def test_both_backends_implement_exactly_the_languages_operations():
    from graphs.backends import numpy_ops, torch_ops
    from graphs.ops import ALL, EVALUATOR_ONLY
    assert set(numpy_ops.OPS) == set(torch_ops.OPS) == ALL - EVALUATOR_ONLY


def test_numpy_time_loop_runs_blas_on_one_thread():
    from threadpoolctl import threadpool_info

    from graphs.backends import numpy_ops
    with numpy_ops.time_loop():
        inside = [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]
    assert inside and set(inside) == {1}
