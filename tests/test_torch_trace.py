"""A user's own nn.Module cell, traced into the language: drawn, and run equal to the module itself."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn

import unfold
from graphs import ParseError
from graphs.backends import run
from graphs.backends.torch_trace import from_module


class Elman(nn.Module):
    def __init__(self, n_in, n_h):
        super().__init__()
        self.W_ih = nn.Parameter(torch.randn(n_h, n_in) * 0.5)
        self.W_hh = nn.Parameter(torch.randn(n_h, n_h) * 0.5)
        self.b = nn.Parameter(torch.randn(n_h) * 0.1)

    def forward(self, x, h):
        return torch.tanh(x @ self.W_ih.t() + h @ self.W_hh.T + self.b)


class GRULike(nn.Module):
    def __init__(self, n_in, n_h):
        super().__init__()
        self.ih = nn.Linear(n_in, 3 * n_h)
        self.hh = nn.Linear(n_h, 3 * n_h)

    def forward(self, x, h):
        i_r, i_z, i_n = self.ih(x).chunk(3, 1)
        h_r, h_z, h_n = self.hh(h).chunk(3, 1)
        r = torch.sigmoid(i_r + h_r)
        z = torch.sigmoid(i_z + h_z)
        n = torch.tanh(i_n + r * h_n)
        return (1 - z) * n + z * h


class PeepholeLSTM(nn.Module):
    """Gers & Schmidhuber's LSTM: the gates also read the cell state, element by element."""

    def __init__(self, n_in, n_h):
        super().__init__()
        self.lin = nn.Linear(n_in + n_h, 4 * n_h)
        self.p_i = nn.Parameter(torch.randn(n_h) * 0.3)
        self.p_f = nn.Parameter(torch.randn(n_h) * 0.3)
        self.p_o = nn.Parameter(torch.randn(n_h) * 0.3)

    def forward(self, x, state):
        h, c = state
        gates = self.lin(torch.cat([x, h], dim=1))
        i, f, g, o = gates.chunk(4, 1)
        i = torch.sigmoid(i + self.p_i * c)
        f = torch.sigmoid(f + self.p_f * c)
        c = f * c + i * torch.tanh(g)
        o = torch.sigmoid(o + self.p_o * c)
        return o * torch.tanh(c), c


class TwoStates(nn.Module):
    """forward(input, h, c) with separate states, F.linear, split, addcmul and a softmax read-out."""

    def __init__(self, n_in, n_h):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(2 * n_h, n_in) * 0.5)
        self.U = nn.Parameter(torch.randn(2 * n_h, n_h) * 0.5)

    def forward(self, input, h, c):
        a, b = torch.split(F.linear(input, self.weight) + h @ self.U.t(), [h.shape[1], h.shape[1]], dim=-1)
        c = torch.addcmul(0.5 * c, torch.sigmoid(a), torch.relu(b))
        return F.softmax(c - h, dim=-1), c


CELLS = {"elman": Elman, "gru-like": GRULike, "peephole lstm": PeepholeLSTM}


def _module_states(module, xs: torch.Tensor, sizes: tuple, pair: bool) -> np.ndarray:
    """h(1…T) as the module itself computes it, from zero states."""
    state = [torch.zeros(xs.shape[1], size) for size in sizes]
    found = []
    with torch.no_grad():
        for x in xs:
            out = module(x, tuple(state)) if pair else module(x, *state)
            state = list(out) if isinstance(out, tuple) else [out]
            found.append(state[0].numpy())
    return np.stack(found)


@pytest.mark.parametrize("backend", ["numpy", "torch"])
@pytest.mark.parametrize("name", sorted(CELLS) + ["two states"])
def test_traced_cells_reproduce_the_modules_own_hidden_states(name, backend):
    torch.manual_seed(4)
    module = CELLS.get(name, TwoStates)(3, 5)
    traced = from_module(module)
    xs = torch.randn(12, 2, 3)
    expected = _module_states(module, xs, traced.state_sizes, name == "peephole lstm")
    result = run(traced.graph, {"x": xs.numpy().astype(np.float64)}, params=traced.params, backend=backend)
    np.testing.assert_allclose(result.arrays()["h"], expected, atol=1e-5)
    assert np.abs(expected).max() > 0.05   # the states moved: the comparison is not of zeros


@pytest.mark.parametrize("name, lines", [
    ("elman", ["param W_ih, W_hh, b", "size h = 5", "h = tanh(W_ih @ x + W_hh @ h[t-1] + b)"]),
    ("gru-like", ["r = sigmoid(i_r + h_r)", "i_r = ih_weight_i_r @ x + ih_bias_i_r", "n = tanh(i_n + r * h_n)",
                  "h = (1 - z) * n + z * h[t-1]"]),
    ("peephole lstm", ["size c = 5", "i1 = lin_weight_i @ xh + lin_bias_i", "f = sigmoid(f1 + p_f * c[t-1])", "c = f * c[t-1] + i * tanh(g)",
                       "o = sigmoid(o1 + p_o * c)", "h = o * tanh(c)"]),
])
def test_the_text_keeps_the_modules_own_names(name, lines):
    text = from_module(CELLS[name](3, 5)).text
    for line in lines:
        assert line in text.splitlines()


def test_separate_states_reserved_argument_names_and_split_sizes():
    traced = from_module(TwoStates(3, 5))
    assert traced.states == ("h", "c") and traced.input_size == 3 and traced.state_sizes == (5, 5)
    assert traced.text.splitlines()[0] == "input x"   # `input` is a word of the language: the input is x
    assert "c = 0.5 * c[t-1] + sigmoid(a) * relu(b)" in traced.text
    assert "h = softmax(c - h[t-1])" in traced.text


@pytest.mark.parametrize("name", sorted(CELLS))
def test_a_traced_cell_is_drawn_as_circuit_and_unfolded(name):
    module = CELLS[name](3, 5)
    circuit = unfold.diagram(module).dot
    unfolded = unfold.diagram(module, "unfolded", 3).dot
    assert "t-1" in circuit   # the delay edge of the recurrence
    for step in (1, 2, 3):
        assert f'"h@{step}"' in unfolded


class FFT(nn.Module):
    def __init__(self):
        super().__init__()
        self.W = nn.Linear(4, 4)

    def forward(self, x, h):
        spectrum = torch.fft.fft(h).real
        return torch.tanh(self.W(x) + spectrum)


class Branchy(nn.Module):
    def __init__(self):
        super().__init__()
        self.W = nn.Linear(4, 4)

    def forward(self, x, h):
        if h.sum() > 0:
            return torch.tanh(self.W(x))
        return h


class Summed(nn.Module):
    def __init__(self):
        super().__init__()
        self.W = nn.Linear(4, 4)

    def forward(self, x, h):
        return torch.tanh(self.W(x) + h.sum(dim=1, keepdim=True))


class TorchCellInside(nn.Module):
    def __init__(self):
        super().__init__()
        self.cell = nn.GRUCell(4, 4)

    def forward(self, x, h):
        return self.cell(x, h)


class SplitsTheState(nn.Module):
    def __init__(self):
        super().__init__()
        self.W = nn.Linear(4, 4)

    def forward(self, x, h):
        a, b = h.chunk(2, 1)
        return torch.tanh(self.W(x) + torch.cat([b, a], 1))


class BatchAxis(nn.Module):
    def __init__(self):
        super().__init__()
        self.W = nn.Linear(4, 4)

    def forward(self, x, h):
        return torch.cat([self.W(x), h], dim=0)


@pytest.mark.parametrize("module, words", [
    (FFT(), ["torch.fft.fft", "spectrum = torch.fft.fft(h).real", "line "]),
    (Branchy(), ["control flow", "if h.sum() > 0:"]),
    (Summed(), ["Tensor.sum()", "h.sum(dim=1, keepdim=True)"]),
    (TorchCellInside(), ["GRUCell", "weights file"]),
    (SplitsTheState(), ["the state h", "slicing"]),
    (BatchAxis(), ["axis 0", "feature axis"]),
    (nn.Linear(3, 3), ["forward(x, h)"]),
])
def test_what_cannot_be_traced_is_named_with_its_line(module, words):
    with pytest.raises(ParseError) as caught:
        from_module(module, input_size=4, hidden_size=4)
    for word in words:
        assert word in str(caught.value)


def test_sizes_are_guessed_from_the_weights_or_asked_for():
    assert from_module(Elman(3, 5)).state_sizes == (5,)
    with pytest.raises(ParseError, match="input_size"):
        from_module(Elman(4, 4).eval(), input_size=9)
    with pytest.raises(ParseError, match="nn.Module"):
        from_module("h = tanh(W @ h[t-1])")


def test_given_sizes_that_do_not_fit_the_weights_are_refused():
    with pytest.raises(ParseError, match="columns but multiplies a vector of 7 units"):
        from_module(Elman(3, 5), input_size=3, hidden_size=7)


@pytest.mark.parametrize("module", [nn.GRUCell(3, 4), nn.RNNCell(3, 4, nonlinearity="relu"), nn.LSTM(3, 4)])
def test_torchs_own_modules_go_through_their_weights(module):
    traced = from_module(module)
    xs = torch.randn(6, 1, 3)
    with torch.no_grad():
        if isinstance(module, nn.LSTM):
            expected = module(xs)[0].numpy()
        else:
            state, expected = None, []
            for x in xs:
                state = module(x, state)
                expected.append(state.numpy())
    result = run(traced.graph, {"x": xs.numpy().astype(np.float64)}, params=traced.params)
    np.testing.assert_allclose(result.arrays()[traced.states[0]], np.stack(expected), atol=1e-6)


class Dropped(nn.Module):
    def __init__(self):
        super().__init__()
        self.W = nn.Linear(4, 4)
        self.drop = nn.Dropout(0.2)

    def forward(self, x, h):
        return torch.tanh(self.drop(self.W(x)) + F.dropout(h, 0.1, training=self.training))


def test_dropout_is_the_identity_in_eval_mode_and_refused_while_training():
    assert "h = tanh(W_weight @ x + w_bias + h[t-1])" in from_module(Dropped().eval()).text
    with pytest.raises(ParseError, match="dropout is random while training"):
        from_module(Dropped().train())


class MethodStyle(nn.Module):
    """Method calls, alpha, addmm, slices, split by size and size(): the forms code writes besides functions."""

    def __init__(self, n_in, n_h):
        super().__init__()
        self.W = nn.Parameter(torch.randn(n_in, 2 * n_h) * 0.5)   # stored (in, out): used as x @ W
        self.U = nn.Parameter(torch.randn(2 * n_h, n_h) * 0.5)
        self.b = nn.Parameter(torch.randn(1, 2 * n_h) * 0.1)      # a (1, H) row
        self.act = nn.Tanh()

    def forward(self, x, h):
        pre = torch.addmm(self.b, x, self.W).add(h.mm(self.U.t()), alpha=0.5)
        units = h.size(1)
        gate = pre[:, :units].sigmoid()
        cand, = torch.split(pre, units, dim=-1)[1:]
        return torch.sub(gate * self.act(cand), h, alpha=0.25).softmax(-1) - (-h).relu() / 2


def test_method_forms_alpha_and_slices_reproduce_the_module():
    torch.manual_seed(7)
    module = MethodStyle(3, 4)
    traced = from_module(module)
    xs = torch.randn(10, 2, 3)
    expected = _module_states(module, xs, traced.state_sizes, False)
    for backend in ("numpy", "torch"):
        result = run(traced.graph, {"x": xs.numpy().astype(np.float64)}, params=traced.params, backend=backend)
        np.testing.assert_allclose(result.arrays()["h"], expected, atol=1e-5)
    assert "cand = b_1 + W_T_1 @ x + 0.5 * (U_1 @ h[t-1])" in traced.text   # x @ W reads Wᵀ @ x, split by rows
    np.testing.assert_array_equal(traced.params["W_T_1"], module.W.detach().double().numpy()[:, 4:].T)


class Clashing(nn.Module):
    """Parameters named like the state, the input, a word of the language, and far too long."""

    def __init__(self):
        super().__init__()
        self.h = nn.Parameter(torch.randn(4, 4) * 0.5)
        self.x = nn.Parameter(torch.randn(4, 3) * 0.5)
        self.size = nn.Parameter(torch.randn(4) * 0.1)
        self.a_very_long_name_for_the_recurrent_weights = nn.Parameter(torch.randn(4, 4) * 0.1)

    def forward(self, x, h):
        mixed = h @ self.a_very_long_name_for_the_recurrent_weights.t()
        return torch.tanh(x @ self.x.t() + h @ self.h.t() + self.size + mixed)


def test_parameter_names_never_clash_with_the_states_the_input_or_the_language():
    torch.manual_seed(8)
    module = Clashing()
    traced = from_module(module)
    assert set(traced.params).isdisjoint({"h", "x", "size"})
    assert all(len(name) <= 24 for name in traced.params)
    xs = torch.randn(5, 1, 3)
    expected = _module_states(module, xs, (4,), False)
    result = run(traced.graph, {"x": xs.numpy().astype(np.float64)}, params=traced.params)
    np.testing.assert_allclose(result.arrays()["h"], expected, atol=1e-5)
