"""numba's LSTM loops (graphs/backends/numba_lstm.py): the same values as the equations as written
and as torch's modules, used only once loaded, never compiled on a request, and NumPy's kernel otherwise."""
import sys
import threading
import warnings

import numpy as np
import pytest
import torch

from graphs import parse
from graphs.backends import numba_lstm, numpy_cells, run
from graphs.backends.weights import convert
from graphs.catalog import CATALOG

from test_cells import LSTM_REWRITTEN, _inputs, _torch_text


@pytest.fixture
def compiled(monkeypatch):
    """The loops loaded, and the list of runs they made (one per fused LSTM)."""
    assert numba_lstm.prepare(), numba_lstm.failure()
    monkeypatch.setattr(numba_lstm, "enabled", True)
    made = []
    original = numpy_cells._compiled_lstm
    monkeypatch.setattr(numpy_cells, "_compiled_lstm", lambda *args: made.append(original(*args)) or made[-1])
    return made


def _single(graph, steps=9, batch=1):
    return {name: x[:, :batch] for name, x in _inputs(graph, steps=steps).items()}


@pytest.mark.parametrize("batch", [1, 3])
@pytest.mark.parametrize("text", ["torch", CATALOG["lstm"].text, LSTM_REWRITTEN])
def test_every_value_unchanged_in_float64_with_seams_between_blocks(text, batch, compiled, monkeypatch):
    monkeypatch.setattr(numpy_cells, "BLOCK", 50 * batch)   # two steps per block at 5 units: seams everywhere
    converted = _torch_text("LSTM") if text == "torch" else None
    graph = parse(converted.text if converted else text)
    sizes = {"params": converted.params} if converted else {"hidden": 5}
    inputs = _single(graph, batch=batch)
    written = run(graph, inputs, passes=(), **sizes).arrays()
    fused = run(graph, inputs, **sizes).arrays()
    assert compiled and all(m is not None for m in compiled)   # the loop ran (the torch LSTM: 4 directions × layers)
    for key in written:
        np.testing.assert_allclose(fused[key], written[key], rtol=0, atol=1e-9, err_msg=key)


@pytest.mark.parametrize("hidden, steps, batch", [(5, 7, 1), (128, 300, 1), (5, 7, 4), (128, 50, 64)])
def test_float32_agrees_with_torch_lstm(hidden, steps, batch, compiled):
    torch.manual_seed(1)
    module = torch.nn.LSTM(16, hidden)
    converted = convert({k: v.detach().double().numpy() for k, v in module.state_dict().items()})
    xs = torch.randn(steps, batch, 16)
    ours = run(parse(converted.text), {"x": xs.numpy()}, params=converted.params, dtype="float32")
    state = ours.values[converted.outputs[0]]
    assert state.dtype == np.float32 and len(compiled) == 1
    np.testing.assert_allclose(state, module(xs)[0].detach().numpy(), rtol=0, atol=2e-6)


def test_saturated_gates_give_their_limits_without_warnings(compiled):
    converted = _torch_text("LSTM")
    params = {k: v * 1000 for k, v in converted.params.items()}
    graph = parse(converted.text)
    inputs = _single(graph, steps=6)
    with pytest.warns(RuntimeWarning, match="overflow"):
        written = run(graph, inputs, params=params, passes=()).arrays()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fused = run(graph, inputs, params=params)
        states = {name: fused.values[name] for name in fused.values._data if name in written}   # the loop made these
    assert len(compiled) == 4 and states
    for key, value in states.items():
        assert np.isfinite(value).all()
        np.testing.assert_allclose(value, written[key], rtol=0, atol=1e-9, err_msg=key)


def test_switched_off_numpy_kernel_runs(compiled, monkeypatch):
    graph = parse(CATALOG["lstm"].text)
    monkeypatch.setattr(numba_lstm, "enabled", False)
    run(graph, _single(graph), hidden=5)
    run(graph, _inputs(graph), hidden=5)
    assert compiled == []


def test_arguments_of_another_type_are_refused_not_compiled():
    assert numba_lstm.prepare(), numba_lstm.failure()
    loops = numba_lstm.prepared("float64")
    before = [list(loop.signatures) for loop in loops]
    rng = np.random.default_rng(0)
    xs = rng.normal(size=(4, 3)).astype(np.float16)
    weights = [rng.normal(size=s).astype(np.float16) for s in ((8, 3), (8, 2), (8,), (8,))]
    starts = (np.zeros(2, np.float16), np.zeros(2, np.float16))
    assert numpy_cells._compiled_lstm(loops, xs, starts, *weights) is None   # then NumPy's kernel runs
    assert [list(loop.signatures) for loop in loops] == before


def test_first_request_runs_numpy_and_loads_the_loop_in_the_background(monkeypatch):
    monkeypatch.setattr(numba_lstm, "enabled", True)
    monkeypatch.setattr(numba_lstm, "_loaded", {})
    monkeypatch.setattr(numba_lstm, "_started", threading.Event())
    assert numba_lstm.prepared("float32") is None
    for thread in threading.enumerate():
        if thread.name == "unfold-numba":
            thread.join(timeout=120)
    assert numba_lstm.prepared("float32") is not None and numba_lstm.prepared("float64") is not None
    assert numba_lstm.prepared("int64") is None


def test_without_numba_numpy_kernel_gives_the_values(monkeypatch):
    monkeypatch.setitem(sys.modules, "graphs.backends._numba_loops", None)   # import fails, as without numba
    monkeypatch.setattr(numba_lstm, "_loaded", {})
    monkeypatch.setattr(numba_lstm, "_started", threading.Event())
    monkeypatch.setattr(numba_lstm, "_failure", [])
    monkeypatch.setattr(numba_lstm, "enabled", True)
    assert numba_lstm.prepare() is False and "ModuleNotFoundError" in numba_lstm.failure()
    graph = parse(CATALOG["lstm"].text)
    inputs = _single(graph)
    fused, written = run(graph, inputs, hidden=5).arrays(), run(graph, inputs, hidden=5, passes=()).arrays()
    for key in written:
        np.testing.assert_allclose(fused[key], written[key], rtol=0, atol=1e-9, err_msg=key)


def test_float32_exp_is_within_an_ulp_and_keeps_nan():
    """float32 exps are a vectorised polynomial (Cephes' expf), not libm's: checked over its whole range."""
    from numba import njit

    from graphs.backends._numba_loops import HIGH, LOW, exp_into

    @njit
    def exp32(v, out, bits):
        exp_into(v, out, bits)
    v = np.concatenate([np.linspace(-87, 88, 1_000_001), [0.0, -1e-30, 1e-30, -90, 100, np.inf, -np.inf, np.nan]])
    v = v.astype(np.float32)
    out = np.empty_like(v)
    exp32(v, out, np.empty(len(v), np.int32))
    exact = np.exp(np.clip(v.astype(np.float64), LOW, HIGH))   # beyond the range: the range's end, still normal
    finite = ~np.isnan(v)
    assert (np.abs(out[finite] - exact[finite]) <= np.spacing(exact[finite].astype(np.float32))).all()
    assert np.isnan(out[~finite]).all()


@pytest.mark.parametrize("batch", [1, 3])
def test_float32_saturated_gates_match_numpy_kernel(batch, compiled, monkeypatch):
    torch.manual_seed(3)
    module = torch.nn.LSTM(4, 6)
    converted = convert({k: v.detach().double().numpy() * 1000 for k, v in module.state_dict().items()})
    graph, xs = parse(converted.text), np.random.default_rng(4).normal(size=(8, batch, 4))
    state = converted.outputs[0]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fast = run(graph, {"x": xs}, params=converted.params, dtype="float32").values[state]
    monkeypatch.setattr(numba_lstm, "enabled", False)
    numpy_kernel = run(graph, {"x": xs}, params=converted.params, dtype="float32").values[state]
    assert len(compiled) == 1 and np.isfinite(fast).all()
    assert (np.abs(fast) <= 1).all()
    # pre-activations of about 1e3 carry float32 rounding of about 1e-4 (another BLAS, another order of sums)
    np.testing.assert_allclose(fast, numpy_kernel, rtol=0, atol=1e-4)
