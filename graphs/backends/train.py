"""Fit a recurrence's parameters with torch autograd through the same IR evaluation (Adam)."""
from __future__ import annotations

from typing import Callable, Iterable

import numpy as np

from ..ir import Graph
from ..parse import ParseError
from . import run


def fit(graph: Graph, batches: Callable[[int], Iterable[tuple[dict, np.ndarray]]], loss: Callable,
        params: dict, *, epochs: int, lr: float = 0.01, hidden: int = 8,
        on_epoch: Callable[[int, float], bool | None] | None = None, expose: dict | None = None) -> dict:
    """Trained NumPy params. batches(epoch) yields (inputs, targets); loss(values, targets) is a scalar tensor.

    on_epoch(epoch, mean loss) may return True to stop early (a stop button, a progress bar);
    expose, if given, receives the live parameter tensors (to measure a validation loss in on_epoch).
    """
    import torch
    if not 1 <= epochs <= 1_000:
        raise ParseError("epochs must be between 1 and 1,000")
    torch.manual_seed(0)
    tensors = {k: torch.tensor(np.asarray(v), dtype=torch.float64, requires_grad=True) for k, v in params.items()}
    if expose is not None:
        expose.update(tensors)
    optimiser = torch.optim.Adam(tensors.values(), lr=lr)
    for epoch in range(epochs):
        losses = []
        for inputs, targets in batches(epoch):
            values = run(graph, inputs, backend="torch", params=tensors, hidden=hidden).values
            value = loss(values, torch.as_tensor(targets, dtype=torch.float64))
            optimiser.zero_grad()
            value.backward()
            optimiser.step()
            losses.append(value.item())
        if on_epoch is not None and on_epoch(epoch, float(np.mean(losses))):
            break
    return {k: v.detach().numpy().copy() for k, v in tensors.items()}
