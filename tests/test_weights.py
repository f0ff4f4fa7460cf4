import io

import numpy as np
import pytest
import torch

from graphs import ParseError, parse
from graphs.backends import run
from graphs.backends.weights import convert, load_state_dict

MODULES = {"rnn": torch.nn.RNN, "gru": torch.nn.GRU, "lstm": torch.nn.LSTM}


def _saved(module) -> bytes:
    buffer = io.BytesIO()
    torch.save(module.state_dict(), buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("kind", sorted(MODULES))
@pytest.mark.parametrize("layers, bidirectional", [(1, False), (2, False), (1, True), (2, True)])
def test_hidden_states_equal_the_torch_modules_output(kind, layers, bidirectional):
    torch.manual_seed(1)
    module = MODULES[kind](5, 7, num_layers=layers, bidirectional=bidirectional)
    converted = convert(load_state_dict(_saved(module)))
    assert converted.kind == kind
    xs = torch.randn(9, 2, 5)
    expected = module(xs)[0].detach().numpy()
    result = run(parse(converted.text), {"x": xs.numpy()}, params=converted.params, backend="torch")
    ours = np.concatenate([result.values[name].numpy() for name in converted.outputs], axis=-1)
    np.testing.assert_allclose(ours, expected, atol=1e-5)


@pytest.mark.parametrize("data, message", [
    (b"", "not a readable torch weights file"),
    (b"garbage" * 10, "not a readable torch weights file"),
    (_saved(torch.nn.Linear(2, 3)), "nn.RNN, nn.GRU or nn.LSTM"),
])
def test_broken_or_wrong_files_say_what_to_fix(data, message):
    with pytest.raises(ParseError, match=message):
        convert(load_state_dict(data))


def test_truncated_file():
    data = _saved(torch.nn.GRU(3, 4))
    with pytest.raises(ParseError, match="not a readable"):
        load_state_dict(data[: len(data) // 2])


def test_a_pickled_object_is_refused_not_run(tmp_path):
    class Evil:
        def __reduce__(self):
            return (open, (str(tmp_path / "pwned"), "w"))
    buffer = io.BytesIO()
    torch.save({"weight_hh_l0": Evil()}, buffer)
    with pytest.raises(ParseError):
        load_state_dict(buffer.getvalue())
    assert not (tmp_path / "pwned").exists()


@pytest.mark.parametrize("kind", sorted(MODULES))
def test_without_biases_equal_the_torch_module(kind):
    torch.manual_seed(2)
    module = MODULES[kind](3, 4, bias=False)
    converted = convert(load_state_dict(_saved(module)))
    xs = torch.randn(6, 1, 3)
    result = run(parse(converted.text), {"x": xs.numpy()}, params=converted.params, backend="torch")
    np.testing.assert_allclose(result.values["h0"].numpy(), module(xs)[0].detach().numpy(), atol=1e-6)


def test_relu_rnn_runs_as_relu():
    torch.manual_seed(3)
    module = torch.nn.RNN(3, 4, nonlinearity="relu")
    state = load_state_dict(_saved(module))
    xs = torch.randn(8, 1, 3)
    expected = module(xs)[0].detach().numpy()
    converted = convert(state, "relu")
    assert "relu(" in converted.text
    result = run(parse(converted.text), {"x": xs.numpy()}, params=converted.params)
    np.testing.assert_allclose(result.values["h0"], expected, atol=1e-6)
    as_tanh = run(parse(convert(state).text), {"x": xs.numpy()}, params=converted.params)
    assert np.abs(as_tanh.values["h0"] - expected).max() > 0.01   # the file alone cannot tell: the user says it


def _state_bytes(state: dict) -> bytes:
    buffer = io.BytesIO()
    torch.save(state, buffer)
    return buffer.getvalue()


def _rnn_state(**changes) -> dict:
    torch.manual_seed(4)
    state = dict(torch.nn.RNN(3, 4).state_dict())
    state.update(changes)
    return {k: v for k, v in state.items() if v is not None}


@pytest.mark.parametrize("state, message", [
    (_rnn_state(weight_ih_l0=torch.randn(6, 3)), "needs (4, 3)"),            # extra rows: refused, not cut
    (_rnn_state(bias_hh_l0=torch.randn(5)), "needs (4,)"),
    (_rnn_state(bias_hh_l0=None), "lack bias_hh_l0"),                        # one bias of two
    (_rnn_state(weight_hh_l1=torch.randn(4, 4)), "lack weight_ih_l1"),
    (_rnn_state(extra=torch.randn(2)), "not a weight of"),
    (_rnn_state(weight_ih_l0=torch.full((4, 3), float("nan"))), "NaN or infinite"),
    (_rnn_state(bias_ih_l0=torch.tensor([1.0, float("inf"), 0.0, 0.0])), "NaN or infinite"),
    (_rnn_state(weight_hh_l0=torch.randn(4)), "not an RNN"),
])
def test_weights_that_do_not_fit_the_architecture_are_refused(state, message):
    with pytest.raises(ParseError, match=message.replace("(", r"\(").replace(")", r"\)")):
        convert(load_state_dict(_state_bytes(state)))


@pytest.mark.parametrize("tensor, message", [
    (torch.zeros(1).expand(40_000, 40_000), "shape"),                  # a 1.9 KB file asking for 12.8 GB
    (torch.zeros(0, 0), "shape"),
    (torch.zeros(2, 2, 2), "shape"),
    (torch.zeros(())[None][0], "shape"),
    (torch.zeros(4, 4).to_sparse(), "dense"),
    (torch.zeros(4, 4, device="meta"), "dense"),
    (torch.zeros(4, 4, dtype=torch.int64), "floating-point"),
    (torch.zeros(4, 4, dtype=torch.complex64), "floating-point"),
])
def test_tensors_are_checked_before_they_are_copied(tensor, message):
    with pytest.raises(ParseError, match=message):
        load_state_dict(_state_bytes({"weight_hh_l0": tensor}))


def test_nonlinearity_is_refused_where_torch_has_none():
    state = load_state_dict(_saved(torch.nn.GRU(3, 4)))
    with pytest.raises(ParseError, match="only nn.RNN takes relu"):
        convert(state, "relu")
    with pytest.raises(ParseError, match="tanh or relu"):
        convert(state, "gelu")


CELLS = {"rnn": torch.nn.RNNCell, "gru": torch.nn.GRUCell, "lstm": torch.nn.LSTMCell}


@pytest.mark.parametrize("backend", ["numpy", "torch"])
@pytest.mark.parametrize("kind, options", [("rnn", {}), ("rnn", {"nonlinearity": "relu"}), ("gru", {}),
                                           ("lstm", {}), ("gru", {"bias": False}), ("lstm", {"bias": False})])
def test_cell_weights_equal_the_cell_looped_over_the_sequence(kind, options, backend):
    torch.manual_seed(5)
    cell = CELLS[kind](3, 4, **options)
    converted = convert(load_state_dict(_saved(cell)), options.get("nonlinearity", "tanh"))
    assert converted.kind == kind
    xs = torch.randn(7, 2, 3)
    state, expected = None, []
    with torch.no_grad():
        for x in xs:
            state = cell(x, state)
            expected.append((state[0] if kind == "lstm" else state).numpy())
    result = run(parse(converted.text), {"x": xs.numpy()}, params=converted.params, backend=backend)
    np.testing.assert_allclose(result.arrays()["h0"], np.stack(expected), atol=1e-6)


@pytest.mark.parametrize("layers, bidirectional", [(1, False), (2, True)])
def test_lstm_with_proj_size_projects_h_as_torch_does(layers, bidirectional):
    torch.manual_seed(6)
    module = torch.nn.LSTM(3, 6, num_layers=layers, bidirectional=bidirectional, proj_size=2)
    converted = convert(load_state_dict(_saved(module)))
    assert "h0 = Whr0 @ (o0 * tanh(c0))" in converted.text and "size c0 = 6" in converted.text
    xs = torch.randn(8, 2, 3)
    expected = module(xs)[0].detach().numpy()
    for backend in ("numpy", "torch"):
        result = run(parse(converted.text), {"x": xs.numpy()}, params=converted.params, backend=backend)
        ours = np.concatenate([result.arrays()[name] for name in converted.outputs], axis=-1)
        np.testing.assert_allclose(ours, expected, atol=1e-6)


def test_a_projection_of_the_wrong_shape_is_refused():
    state = dict(torch.nn.LSTM(3, 6, proj_size=2).state_dict())
    state["weight_hr_l0"] = torch.randn(2, 5)
    with pytest.raises(ParseError, match="weight_hr_l0"):
        convert(load_state_dict(_state_bytes(state)))


@pytest.mark.parametrize("module, nonlinearity, equation", [
    (torch.nn.GRUCell(3, 4), "tanh", "h0 = (1 - z0) * n0 + z0 * h0[t-1]"),
    (torch.nn.RNN(3, 4, nonlinearity="relu"), "relu", "h0 = relu(Wi0 @ x + bi0 + Wh0 @ h0[t-1] + bh0)"),
    (torch.nn.LSTM(3, 6, proj_size=2), "tanh", "h0 = Whr0 @ (o0 * tanh(c0))"),
])
def test_export_draws_a_weights_file(module, nonlinearity, equation, tmp_path, capsys):
    from viz.cli import main
    (tmp_path / "w.pt").write_bytes(_saved(module))
    assert equation in convert(load_state_dict(_saved(module)), nonlinearity).text.splitlines()
    code = main(["export", "--weights", str(tmp_path / "w.pt"), "--nonlinearity", nonlinearity,
                 "--view", "unfolded", "--steps", "3", "-o", str(tmp_path / "w.dot")])
    assert code == 0, capsys.readouterr().err
    assert '"h0@3"' in (tmp_path / "w.dot").read_text()
