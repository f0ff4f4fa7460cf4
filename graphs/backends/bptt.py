"""Back-propagation through time: ∂L/∂h(t) for every t, from torch autograd on the unfolded run."""
from __future__ import annotations

import numpy as np

from ..ir import Graph
from ..parse import ParseError
from . import need_torch, run


def gradient_norms(graph: Graph, inputs: dict, params: dict, *, loss: str, state: str,
                   hidden: int = 8, mode: str = "train", at_step: int | None = None) -> np.ndarray:
    """‖∂L/∂h(t)‖ for t = 1..τ (summed over the batch), as a NumPy array of length τ.

    L is the loss summed over all steps, or only the loss at step `at_step` (1-based) when given.
    """
    return np.array([float(np.linalg.norm(g)) for g in state_gradients(graph, inputs, params, loss=loss, state=state,
                                                                        hidden=hidden, mode=mode, at_step=at_step)])


def state_gradients(graph: Graph, inputs: dict, params: dict, *, loss: str, state: str,
                    hidden: int = 8, mode: str = "train", at_step: int | None = None) -> list[np.ndarray]:
    """∂L/∂h(t) for t = 1..τ, each (batch, units); zeros where L does not depend on h(t)."""
    torch = need_torch()
    traces: dict = {}
    result = run(graph, inputs, backend="torch", params={k: torch.tensor(np.asarray(v), requires_grad=True) for k, v in params.items()},
                 hidden=hidden, mode=mode, traces=traces)
    if loss not in result.values:
        raise ParseError(f"'{loss}' is not computed by this recurrence")
    if state not in traces:
        raise ParseError(f"'{state}' is not a state that reads its own past")
    losses = result.values[loss]
    if at_step is not None and not 1 <= at_step <= losses.shape[0]:
        raise ParseError(f"there is no loss at step {at_step}: the run has {losses.shape[0]} steps")
    total = (losses if at_step is None else losses[at_step - 1]).sum()
    grads = torch.autograd.grad(total, traces[state], allow_unused=True)
    return [np.zeros(tuple(h.shape)) if g is None else g.detach().numpy() for g, h in zip(grads, traces[state])]


def with_spectral_radius(matrix: np.ndarray, radius: float) -> np.ndarray:
    """The matrix rescaled so that its largest |eigenvalue| is `radius` (small: vanishing, large: exploding)."""
    current = float(np.max(np.abs(np.linalg.eigvals(matrix))))
    if current == 0:
        raise ParseError("the matrix has spectral radius 0 and cannot be rescaled")
    return matrix * (radius / current)


def recurrent_matrices(graph: Graph, state: str, params: dict) -> list[str]:
    """The square matrices that carry `state` from one step to the next (W of h(t-1) → h(t)), sorted.

    Empty when the state's loop runs through something else (an output, a target) or through no square matrix.
    """
    names = {p for e in graph.edges if e.src == state and e.delay > 0 for p in e.params}
    return sorted(p for p in names if p in params and np.ndim(params[p]) == 2
                  and np.shape(params[p])[0] == np.shape(params[p])[1])


def spectral_sweep(graph: Graph, inputs: dict, params: dict, *, loss: str, state: str, hidden: int = 8,
                   at_step: int | None = None, radii: tuple[float, ...] = (0.5, 1.0, 2.0)) -> dict[str, np.ndarray]:
    """‖∂L/∂h(t)‖ with the state's recurrent matrices rescaled to each spectral radius, by legend label.

    With the loss of one step, steps after it get no gradient and are left out (a zero has no place on a
    log axis). Raises ParseError when the state has no square recurrent matrix to rescale.
    """
    matrices = recurrent_matrices(graph, state, params)
    if not matrices:
        raise ParseError(f"{state}(t) has no square recurrent matrix (its loop runs through another variable), "
                         "so there is no spectral radius to vary")
    if graph.node(loss).kind == "once":
        at_step = None   # a loss computed once, at the end (Fig 10.5): there is only one
    curves = {}
    for radius in radii:
        scaled = dict(params, **{m: with_spectral_radius(params[m], radius) for m in matrices})
        norms = gradient_norms(graph, inputs, scaled, loss=loss, state=state, hidden=hidden, at_step=at_step)
        curves[f"ρ({', '.join(matrices)}) = {radius:g}"] = norms[:at_step] if at_step else norms
    if not any(np.any(c > 0) for c in curves.values()):
        raise ParseError(f"no gradient reaches {state}(t): {loss} is constant for these targets "
                         "(a loss computed once has only the last step's target, and the last step has no next token)")
    return curves


def linear_sweep(graph: Graph, inputs: dict, params: dict, *, loss: str, state: str, hidden: int, at_step: int,
                 radii: tuple[float, ...] = (0.5, 1.0, 2.0)) -> dict[str, np.ndarray] | None:
    """‖∂L(at_step)/∂h(t)‖ in the linear regime (tanh′ = 1, the chapter's h(t) = Wᵀ h(t-1) of §10.7): the loss
    gradient at h(at_step) carried back through W's powers alone, W rescaled to each spectral radius.

    None when the state has not exactly one square recurrent matrix (a gated cell has no single W to power).
    """
    matrices = recurrent_matrices(graph, state, params)
    if len(matrices) != 1:
        return None
    start = state_gradients(graph, inputs, params, loss=loss, state=state, hidden=hidden, at_step=at_step)[at_step - 1]
    curves = {}
    for radius in radii:
        matrix, g, norms = with_spectral_radius(params[matrices[0]], radius), np.atleast_2d(start), []
        for _ in range(at_step):
            norms.append(float(np.linalg.norm(g)))
            g = g @ matrix   # h(t) = h(t-1) Wᵀ row-wise, so ∂L/∂h(t-1) = ∂L/∂h(t) W
        curves[f"ρ({matrices[0]}) = {radius:g}"] = np.array(norms[::-1])
    return curves
