"""Back-propagation through time: ∂L/∂h(t) for every t, from torch autograd on the unfolded run."""
from __future__ import annotations

import numpy as np

from ..ir import Graph
from ..parse import ParseError
from . import need_torch, run


def gradient_norms(graph: Graph, inputs: dict, params: dict, *, loss: str, state: str,
                   hidden: int = 8, mode: str = "train") -> np.ndarray:
    """‖∂(Σ_t L(t))/∂h(t)‖ for t = 1..τ (summed over the batch), as a NumPy array of length τ."""
    torch = need_torch()
    traces: dict = {}
    result = run(graph, inputs, backend="torch", params={k: torch.tensor(np.asarray(v), requires_grad=True) for k, v in params.items()},
                 hidden=hidden, mode=mode, traces=traces)
    if loss not in result.values:
        raise ParseError(f"'{loss}' is not computed by this recurrence")
    if state not in traces:
        raise ParseError(f"'{state}' is not a state that reads its own past")
    total = result.values[loss].sum()
    grads = torch.autograd.grad(total, traces[state], allow_unused=True)
    return np.array([0.0 if g is None else float(g.norm()) for g in grads])


def with_spectral_radius(matrix: np.ndarray, radius: float) -> np.ndarray:
    """The matrix rescaled so that its largest |eigenvalue| is `radius` (small: vanishing, large: exploding)."""
    current = float(np.max(np.abs(np.linalg.eigvals(matrix))))
    if current == 0:
        raise ParseError("the matrix has spectral radius 0 and cannot be rescaled")
    return matrix * (radius / current)
