import numpy as np
import torch

from graphs import parse
from graphs.backends import run
from graphs.backends.bptt import gradient_norms, with_spectral_radius
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
