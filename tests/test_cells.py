"""A loop that is exactly an RNN, GRU or LSTM cell runs in a fused kernel (torch's own, or ours in NumPy),
with every value unchanged.

The cell is recognised by its structure, however it is written; anything else runs op by op.
"""
import numpy as np
import pytest
import torch

from graphs import parse
from graphs.backends import PASSES, numba_lstm, numpy_ops, run, torch_ops
from graphs.backends.weights import convert
from graphs.catalog import CATALOG

LSTM_REWRITTEN = """
input x
param A, B, C, D, E, F, G, H, a, b, d, e
size cell = 5
o = sigmoid(G @ x + H @ out[t-1] + e)
keep = sigmoid(b + C @ x + D @ out[t-1])
cand = tanh(E @ x + F @ out[t-1] + d)
let = sigmoid(A @ x + a + B @ out[t-1])
cell = cand * let + cell[t-1] * keep
out = tanh(cell) * o
"""

GRU_TORCH_FORM = """
input x
param Wr, Ur, br, Wz, Uz, bz, W, U, b, bu
z = sigmoid(Wz @ x + Uz @ h[t-1] + bz)
r = sigmoid(Ur @ h[t-1] + Wr @ x + br)
n = tanh(r * (U @ h[t-1] + bu) + W @ x + b)
h = z * h[t-1] + (1 - z) * n
"""

TWO_INPUTS_BACKWARD = """
input x, u
param W, U, V, b
h = relu(U @ x + W @ h[t+1] + V @ u[t-1] + b)
"""

FUSED = {
    "catalog lstm (concat)": (CATALOG["lstm"].text, "lstm"),
    "catalog elman": (CATALOG["elman"].text, "rnn_tanh"),
    "catalog bidirectional": (CATALOG["bidirectional"].text, "rnn_tanh"),
    "lstm renamed and reordered": (LSTM_REWRITTEN, "lstm"),
    "gru in torch's form, reordered": (GRU_TORCH_FORM, "gru"),
    "relu, two inputs, backward": (TWO_INPUTS_BACKWARD, "rnn_relu"),
    "autonomous": (CATALOG["dynamical"].text, "rnn_tanh"),
}
NOT_FUSED = {
    "catalog gru (r before the product)": CATALOG["gru"].text,
    "peephole": LSTM_REWRITTEN.replace("keep = sigmoid(b + C @ x", "keep = sigmoid(b + cell[t-1] + C @ x"),
    "one more term in c": LSTM_REWRITTEN.replace("* keep\n", "* keep + a\n"),
    "o is a tanh": LSTM_REWRITTEN.replace("o = sigmoid(", "o = tanh("),
    "z keeps the new value": GRU_TORCH_FORM.replace("h = z * h[t-1] + (1 - z) * n", "h = z * n + (1 - z) * h[t-1]"),
    "sigmoid rnn": "input x\nparam W, U\nh = sigmoid(W @ h[t-1] + U @ x)",
    "two pasts": CATALOG["lag2"].text,
    "leaky": CATALOG["leaky"].text,
    "teacher forcing": CATALOG["teacher_forcing"].text,
}


def _torch_text(kind):
    torch.manual_seed(0)
    module = getattr(torch.nn, kind)(4, 5, num_layers=2, bidirectional=True)
    return convert({k: v.detach().double().numpy() for k, v in module.state_dict().items()})


def _inputs(graph, steps=6, batch=3):
    rng = np.random.default_rng(2)
    return {n.id: rng.normal(size=(steps, batch, 4)) for n in graph.kinds("input", "target")}


@pytest.fixture(autouse=True)
def numpy_kernels_only(monkeypatch):
    """NumPy's own kernels, whatever numba has loaded meanwhile (its LSTM loop: tests/test_numba_lstm.py)."""
    monkeypatch.setattr(numba_lstm, "enabled", False)


@pytest.fixture
def kernels(monkeypatch):
    """The kinds of fused kernel each run called."""
    called = []
    for module in (numpy_ops, torch_ops):
        monkeypatch.setattr(module, "fused_cell", lambda kind, *args, original=module.fused_cell: (
            called.append(kind), original(kind, *args))[1])
    return called


def _compare(text, params, kernels):
    graph = parse(text)
    inputs = _inputs(graph)
    for mode in ("test", "train"):
        written = run(graph, inputs, backend="numpy", params=params, mode=mode, steps=6, hidden=5, passes=()).arrays()
        called = {}
        for backend in ("numpy", "torch"):
            kernels.clear()
            fused = run(graph, inputs, backend=backend, params=params, mode=mode, steps=6, hidden=5).arrays()
            called[backend] = list(kernels)
            assert fused.keys() == written.keys()
            for key in written:
                np.testing.assert_allclose(fused[key], written[key], rtol=0, atol=1e-9, err_msg=f"{backend} {key}")
        assert called["numpy"] == called["torch"]
    return called["torch"]


@pytest.mark.parametrize("name", sorted(FUSED))
def test_a_cell_however_written_runs_fused_with_every_value_unchanged(name, kernels):
    text, kind = FUSED[name]
    assert kind in _compare(text, None, kernels)


@pytest.mark.parametrize("kind, kernel", [("RNN", "rnn_tanh"), ("GRU", "gru"), ("LSTM", "lstm")])
def test_torch_weights_run_fused_in_both_directions_and_layers(kind, kernel, kernels):
    converted = _torch_text(kind)
    assert _compare(converted.text, converted.params, kernels) == [kernel] * 4


@pytest.mark.parametrize("name", sorted(NOT_FUSED))
def test_anything_else_runs_op_by_op_unchanged(name, kernels):
    assert _compare(NOT_FUSED[name], None, kernels) == []


@pytest.mark.parametrize("text", [CATALOG["lstm"].text, GRU_TORCH_FORM, TWO_INPUTS_BACKWARD, LSTM_REWRITTEN])
def test_gradients_through_the_fused_kernel_are_unchanged(text, kernels):
    graph = parse(text)
    inputs = _inputs(graph)
    params = run(graph, inputs, seed=3, hidden=5).params
    grads = []
    for passes in ((), PASSES):
        leaves = {k: torch.tensor(v, requires_grad=True) for k, v in params.items()}
        values = run(graph, inputs, backend="torch", params=leaves, hidden=5, passes=passes).values
        sum((v ** 2).sum() for v in values.values()).backward()
        grads.append({k: v.grad.numpy() for k, v in leaves.items()})
    assert kernels   # the second run went through the kernel
    for key in grads[0]:
        np.testing.assert_allclose(grads[1][key], grads[0][key], rtol=0, atol=1e-9, err_msg=key)


def test_a_decoder_reading_a_value_computed_once_runs_op_by_op(kernels):
    assert _compare(CATALOG["encoder_decoder"].text, None, kernels) == ["rnn_tanh"]   # the encoder alone


def test_gates_are_computed_only_when_read(monkeypatch, kernels):
    graph = parse(CATALOG["lstm"].text)
    result = run(graph, _inputs(graph), backend="torch", hidden=5)
    assert kernels == ["lstm"]
    assert set(result.values) == {"f", "i", "g", "c", "o", "h"}
    assert sorted(result.values._data.keys() & {"f", "i", "g", "c", "o"}) == []
    assert result.values["c"].shape == (6, 3, 5)
    assert sorted(result.values._data.keys() & {"f", "i", "g", "c", "o"}) == ["c", "f", "g", "i", "o"]


def test_asking_for_traces_runs_the_loop_step_by_step(kernels):
    graph = parse(CATALOG["lstm"].text)
    traces: dict = {}
    run(graph, _inputs(graph), backend="torch", hidden=5, traces=traces)
    assert kernels == [] and len(traces["h"]) == 6


@pytest.mark.parametrize("kind, kernel", [("RNN", "rnn_tanh"), ("GRU", "gru"), ("LSTM", "lstm")])
def test_a_single_sample_runs_fused_as_vectors_with_every_value_unchanged(kind, kernel, kernels, monkeypatch):
    """Batch 1 takes its own path in the NumPy kernels (vectors; input parts made a few steps at a time)."""
    from graphs.backends import numpy_cells
    monkeypatch.setattr(numpy_cells, "BLOCK", 50)   # a few steps per block, so that blocks have seams
    converted = _torch_text(kind)
    graph = parse(converted.text)
    inputs = {name: x[:, :1] for name, x in _inputs(graph, steps=9).items()}
    written = run(graph, inputs, params=converted.params, passes=()).arrays()
    kernels.clear()
    fused = run(graph, inputs, params=converted.params).arrays()
    assert kernels == [kernel] * 4
    for key in written:
        np.testing.assert_allclose(fused[key], written[key], rtol=0, atol=1e-9, err_msg=key)


@pytest.mark.parametrize("kind", ["RNN", "GRU", "LSTM"])
@pytest.mark.parametrize("batch", [1, 3])
def test_float32_kernels_agree_with_torch_modules(kind, batch, kernels):
    torch.manual_seed(1)
    module = getattr(torch.nn, kind)(4, 5)
    converted = convert({k: v.detach().double().numpy() for k, v in module.state_dict().items()})
    xs = torch.randn(7, batch, 4)
    ours = run(parse(converted.text), {"x": xs.numpy()}, params=converted.params, dtype="float32")
    state = ours.values[converted.outputs[0]]
    assert state.dtype == np.float32 and kernels
    np.testing.assert_allclose(state, module(xs)[0].detach().numpy(), rtol=0, atol=2e-6)


@pytest.mark.parametrize("kind", ["GRU", "LSTM"])
@pytest.mark.parametrize("batch", [1, 3])
def test_saturated_gates_give_their_limits_without_warnings(kind, batch, kernels):
    """Weights × 1000: exp(-a) overflows to inf inside the kernel, where 1/inf = 0 is σ's right value."""
    import warnings
    converted = _torch_text(kind)
    params = {k: v * 1000 for k, v in converted.params.items()}
    graph = parse(converted.text)
    inputs = {name: x[:, :batch] for name, x in _inputs(graph).items()}
    with pytest.warns(RuntimeWarning, match="overflow"):   # the equations as written meet the same overflow
        written = run(graph, inputs, params=params, passes=()).arrays()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fused = run(graph, inputs, params=params)
        states = {name: fused.values[name] for name in fused.values._data if name in written}   # kernels made these
    assert kernels == [kind.lower()] * 4 and states
    for key, value in states.items():
        assert np.isfinite(value).all(), key
        np.testing.assert_allclose(value, written[key], rtol=0, atol=1e-9, err_msg=key)
