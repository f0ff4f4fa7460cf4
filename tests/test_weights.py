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
