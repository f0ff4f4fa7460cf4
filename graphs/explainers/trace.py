"""Two sentences through the recurrent sentiment model, step by step: where their states part, where the verdicts do.

Steps are compared position by position (step t of one sentence with step t of the other), 1-based as on the
plots' axes.
"""
from __future__ import annotations

import numpy as np

THRESHOLD = 0.5    # ‖Δh(t)‖ above this (24 tanh units, each in ±1) counts as the states having parted


def first_step(flags) -> int | None:
    """The 1-based step of the first true flag, or None.

    >>> first_step([False, False, True, False]), first_step([False])
    (3, None)
    """
    return next((t for t, flag in enumerate(flags, start=1) if flag), None)


def apart_for_good(flags) -> int | None:
    """The 1-based step from which every flag to the end is true, or None if the last one is false.

    >>> apart_for_good([True, False, True, True]), apart_for_good([True, False])
    (3, None)
    """
    flags = list(flags)
    if not flags or not flags[-1]:
        return None
    start = len(flags)
    while start > 1 and flags[start - 2]:
        start -= 1
    return start


def trace_pair(model, first: str, second: str, threshold: float = THRESHOLD) -> dict:
    """‖h₁(t) − h₂(t)‖ and both P(positive) per step; the step the states part and the step the verdicts part."""
    (tokens_1, h_1, p_1), (tokens_2, h_2, p_2) = model.trajectory(first), model.trajectory(second)
    steps = min(len(tokens_1), len(tokens_2))
    delta = np.linalg.norm(h_1[:steps] - h_2[:steps], axis=1)
    parted = first_step(delta > threshold)
    labels_differ = (p_1[:steps] >= 0.5) != (p_2[:steps] >= 0.5)
    flip = apart_for_good(labels_differ) if len(tokens_1) == len(tokens_2) else None

    def at(step):
        return None if step is None else [tokens_1[step - 1], tokens_2[step - 1]]

    return {"first": first, "second": second, "tokens": [tokens_1, tokens_2], "threshold": threshold,
            "delta_h": [round(float(d), 4) for d in delta],
            "p_positive": [[round(float(p), 4) for p in p_1], [round(float(p), 4) for p in p_2]],
            "divergence_step": parted, "divergence_tokens": at(parted),
            "flip_step": flip, "flip_tokens": at(flip),
            "bag_of_words": [round(model.bag_score(first), 4), round(model.bag_score(second), 4)]}
