import numpy as np
import pytest
import torch

from graphs import ParseError, parse
from graphs.backends import run
from graphs.backends.bptt import gradient_norms, recurrent_matrices, spectral_sweep, with_spectral_radius
from graphs.catalog import CATALOG

ELMAN = parse(CATALOG["elman"].text)


def _data(steps=12, units=3, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(steps, 1, units))
    y = np.eye(units)[rng.integers(0, units, size=steps)][:, None, :]
    return {"x": x, "y": y}


def test_norms_equal_autograd_on_a_hand_unfolded_loop():
    data = _data()
    params = run(ELMAN, data, hidden=5, seed=2).params
    ours = gradient_norms(ELMAN, data, params, loss="L", state="h", hidden=5)
    P = {k: torch.tensor(v, requires_grad=True) for k, v in params.items()}
    x, y = torch.tensor(data["x"]), torch.tensor(data["y"])
    h, hs, total = torch.zeros(1, 5, dtype=torch.float64), [], 0.0
    for t in range(x.shape[0]):
        h = torch.tanh(h @ P["W"].T + x[t] @ P["U"].T + P["b"])
        hs.append(h)
        p = torch.softmax(h @ P["V"].T + P["c"], dim=-1)
        total = total - (y[t] * torch.log(p + 1e-12)).sum()
    expected = [float(g.norm()) for g in torch.autograd.grad(total, hs)]
    np.testing.assert_allclose(ours, expected, rtol=1e-10)


def test_small_spectral_radius_vanishes_and_large_does_not():
    data = _data(steps=30)
    # only the last step has a target: how much of its loss reaches h(1) shows vanishing or not
    data["y"][:-1] = 0
    params = run(ELMAN, data, hidden=16, seed=0).params
    norms = {rho: gradient_norms(ELMAN, data, dict(params, W=with_spectral_radius(params["W"], rho)),
                                 loss="L", state="h", hidden=16) for rho in (0.3, 3.0)}
    assert norms[0.3][0] < 1e-6 * norms[0.3][-1]
    assert norms[3.0][0] > 100 * norms[0.3][0]


@pytest.mark.parametrize("arch, matrices", [
    ("elman", ["W"]), ("lag2", ["W1", "W2"]), ("encoder_decoder", ["Ws"]),
    ("jordan", []), ("teacher_forcing", []),   # their loops run through an output or a target
    ("lstm", []),                              # W acts on concat(h(t-1), x(t)): not square
])
def test_recurrent_matrices_of_the_state_shown(arch, matrices):
    graph = parse(CATALOG[arch].text)
    params = run(graph, _inputs(graph), hidden=4, seed=0).params
    assert recurrent_matrices(graph, CATALOG[arch].state, params) == matrices


def _inputs(graph, steps=6):
    from graphs.backends.data import from_text
    from graphs.backends.session import inputs_for
    return inputs_for(graph, from_text(" ".join("abcdefgh"[:steps]), "word"))


def test_last_step_loss_vanishes_for_small_radius_on_the_default_page():
    from graphs.backends.data import from_text
    from graphs.backends.session import inputs_for, last_target_step, run_sequence
    sequence = from_text("I am not sad, I'm happy.", "word")
    session = run_sequence(CATALOG["elman"].text, sequence)
    at = last_target_step(session.graph, len(session.tokens))
    assert at == len(session.tokens) - 1   # the last step has no next word to predict
    curves = spectral_sweep(session.graph, inputs_for(session.graph, sequence), session.result.params,
                            loss="L", state="h", at_step=at)
    assert list(curves) == ["ρ(W) = 0.5", "ρ(W) = 1", "ρ(W) = 2"]
    small, large = curves["ρ(W) = 0.5"], curves["ρ(W) = 2"]
    assert len(small) == at and np.all(small > 0)   # nothing after the loss, no zero for a log axis
    assert small[0] < 0.01 * small[-1]               # vanishing on its way back to h(1)
    assert large[0] > 10 * small[0]


def test_no_square_recurrent_matrix_is_a_sentence_not_a_plot():
    graph = parse(CATALOG["jordan"].text)
    params = run(graph, _inputs(graph), hidden=4, seed=0).params
    with pytest.raises(ParseError, match="no square recurrent matrix"):
        spectral_sweep(graph, _inputs(graph), params, loss="L", state="h")


LINEAR = parse(CATALOG["elman"].text.replace("h = tanh(W @ h[t-1] + U @ x + b)", "h = W @ h[t-1] + U @ x + b"))


@pytest.mark.parametrize("seed", [1, 2])
def test_the_linear_regime_is_backprop_through_a_network_without_tanh(seed):
    """linear_sweep carries ∂L/∂h(τ) back through W's powers: for the net h = W h(t-1) + U x + b, at W's own
    spectral radius, that is exactly back-propagation through time by autograd."""
    from graphs.backends.bptt import linear_sweep
    data = _data(steps=10, seed=seed)
    params = run(LINEAR, data, hidden=6, seed=seed).params
    rho = float(np.max(np.abs(np.linalg.eigvals(params["W"]))))
    expected = gradient_norms(LINEAR, data, params, loss="L", state="h", hidden=6, at_step=9)[:9]
    (curve,) = linear_sweep(LINEAR, data, params, loss="L", state="h", hidden=6, at_step=9, radii=(rho,)).values()
    np.testing.assert_allclose(curve, expected, rtol=1e-9)


def test_the_linear_regime_explodes_above_one_where_tanh_holds_it_back():
    from graphs.backends.bptt import linear_sweep
    data = _data(steps=30)
    data["y"][:-1] = 0
    params = run(ELMAN, data, hidden=16, seed=0).params
    linear = linear_sweep(ELMAN, data, params, loss="L", state="h", hidden=16, at_step=30)
    small, large = linear["ρ(W) = 0.5"], linear["ρ(W) = 2"]
    assert small[0] < 1e-6 * small[-1]     # vanishing: 0.5^29 ≈ 2e-9
    assert large[0] > 1e6 * large[-1]      # exploding: 2^29 ≈ 5e8
    as_run = spectral_sweep(ELMAN, data, params, loss="L", state="h", hidden=16, at_step=30)["ρ(W) = 2"]
    assert as_run[0] < 1e-3 * large[0]     # the network as it runs: tanh's saturation holds it far below


def test_no_linear_regime_for_a_gated_cell():
    from graphs.backends.bptt import linear_sweep
    gru = parse(CATALOG["gru"].text)
    data = {"x": _data(steps=5)["x"]}
    assert linear_sweep(gru, data, run(gru, data, hidden=4, seed=0).params, loss="L", state="h", hidden=4,
                        at_step=3) is None
