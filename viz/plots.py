"""Plots as SVG text: the hidden state as a heatmap (units × steps), chosen units over time, ‖∂L/∂h(t)‖."""
from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")   # no display: plots are rendered to files and strings
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def _svg(fig) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()


def heatmap(states: np.ndarray, tokens: list[str] | None = None, title: str = "h(t)") -> str:
    """Units × steps on a diverging scale, the steps' tokens on the x axis."""
    states = np.asarray(states)
    limit = float(np.abs(states).max()) or 1.0
    steps, units = states.shape
    fig, ax = plt.subplots(figsize=(min(2 + 0.35 * steps, 18), min(1.5 + 0.22 * units, 10)))
    image = ax.imshow(states.T, aspect="auto", cmap="RdBu_r", vmin=-limit, vmax=limit, interpolation="nearest")
    if tokens is not None and steps <= 80:
        ax.set_xticks(range(steps), [str(t)[:12] for t in tokens], rotation=60, ha="right", fontsize=8)
    ax.set_xlabel("step t")
    ax.set_ylabel("unit")
    ax.set_title(title)
    fig.colorbar(image, ax=ax, fraction=0.03)
    return _svg(fig)


def unit_lines(states: np.ndarray, units: list[int], tokens: list[str] | None = None) -> str:
    """Chosen units' values against the step."""
    states = np.asarray(states)
    fig, ax = plt.subplots(figsize=(8, 3))
    for u in units:
        ax.plot(range(1, states.shape[0] + 1), states[:, u], marker=".", label=f"unit {u}")
    if tokens is not None and len(tokens) <= 40:
        ax.set_xticks(range(1, len(tokens) + 1), [str(t)[:12] for t in tokens], rotation=60, ha="right", fontsize=8)
    ax.axhline(0, color="#999", lw=0.5)
    ax.set_xlabel("step t")
    ax.legend(fontsize=8)
    return _svg(fig)


def gradient_norms(curves: dict[str, np.ndarray]) -> str:
    """‖∂L/∂h(t)‖ against t on a log scale, one curve per setting (e.g. spectral radius)."""
    fig, ax = plt.subplots(figsize=(8, 3))
    for label, norms in curves.items():
        ax.semilogy(range(1, len(norms) + 1), np.maximum(norms, 1e-300), marker=".", label=label)
    ax.set_xlabel("step t")
    ax.set_ylabel("‖∂L/∂h(t)‖")
    ax.legend(fontsize=8)
    return _svg(fig)
