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
