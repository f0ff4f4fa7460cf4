"""Plots as matplotlib Figures: the hidden state as a heatmap (units × steps), chosen units over time, ‖∂L/∂h(t)‖.

Figures are made with matplotlib.figure.Figure, never pyplot: importing this module leaves the user's backend
and open figures alone, and Jupyter shows a returned Figure like any other. `to_svg(fig)` gives SVG text.
"""
from __future__ import annotations

import io

import matplotlib
import numpy as np
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure

from .colors import NEGATIVE, POSITIVE, ZERO

# the diagrams' own blue · white · red (viz/colors.py), so a heatmap cell and a node's unit read alike
DIVERGING = LinearSegmentedColormap.from_list("unfold", [tuple(c / 255 for c in rgb) for rgb in (NEGATIVE, ZERO, POSITIVE)])


class Plot(Figure):
    """A Figure that Jupyter shows as a PNG even where pyplot, and so its inline backend, was never loaded."""

    def _repr_png_(self) -> bytes:
        buffer = io.BytesIO()
        with matplotlib.rc_context({"text.parse_math": False}):   # ticks made while drawing: text too
            self.savefig(buffer, format="png", bbox_inches="tight")
        return buffer.getvalue()


def to_svg(fig: Figure, dark: bool = False) -> str:
    """The figure as SVG text, cropped to what is drawn; for a dark page (light ink, no background) if dark."""
    buffer = io.StringIO()
    if dark:
        from .plottheme import on_dark
        on_dark(fig)
    with matplotlib.rc_context({"text.parse_math": False}):   # ticks made while drawing: text too
        fig.savefig(buffer, format="svg", bbox_inches="tight", transparent=dark)
    return buffer.getvalue()


def _axes(width: float, height: float):
    fig = Plot(figsize=(width, height))
    return fig, fig.subplots()


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _powers_of_ten(ax) -> None:
    """A log y axis labelled 10⁻³ … in plain text: these figures never parse mathtext (users' words are text), so
    matplotlib's own $10^{-3}$ labels would show raw."""
    from matplotlib.ticker import FuncFormatter, NullFormatter
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: "10" + str(round(np.log10(v))).translate(_SUPERSCRIPT)
                                               if v > 0 else ""))
    ax.yaxis.set_minor_formatter(NullFormatter())


def _as_text(make):
    """Users' words are labels, never mathtext ("$ happy $" stays text): set for the figure's own texts only,
    so importing Unfold leaves matplotlib's settings alone."""
    def plain(*args, **kwargs):
        with matplotlib.rc_context({"text.parse_math": False}):
            return make(*args, **kwargs)
    plain.__name__, plain.__doc__ = make.__name__, make.__doc__
    return plain


@_as_text
def heatmap(states: np.ndarray, tokens: list[str] | None = None, title: str = "h(t)",
            limit: float | None = None) -> Figure:
    """Units × steps on a diverging scale of ±limit (default: the largest |value|), the tokens on the x axis."""
    states = np.asarray(states)
    limit = limit or float(np.abs(states).max()) or 1.0
    steps, units = states.shape
    fig, ax = _axes(min(2 + 0.35 * steps, 18), min(1.5 + 0.22 * units, 10))
    image = ax.imshow(states.T, aspect="auto", cmap=DIVERGING, vmin=-limit, vmax=limit, interpolation="nearest")
    if tokens is not None and steps <= 80:
        ax.set_xticks(range(steps), [str(t)[:12] for t in tokens], rotation=60, ha="right", fontsize=8)
    ax.set_xlabel("step t")
    ax.set_ylabel("unit")
    ax.set_title(title)
    fig.colorbar(image, ax=ax, fraction=0.03)
    return fig


@_as_text
def unit_lines(states: np.ndarray, units: list[int], tokens: list[str] | None = None) -> Figure:
    """Chosen units' values against the step."""
    states = np.asarray(states)
    fig, ax = _axes(8, 3)
    for u in units:
        ax.plot(range(1, states.shape[0] + 1), states[:, u], marker=".", label=f"unit {u}")
    if tokens is not None and len(tokens) <= 40:
        ax.set_xticks(range(1, len(tokens) + 1), [str(t)[:12] for t in tokens], rotation=60, ha="right", fontsize=8)
    ax.axhline(0, color="#999", lw=0.5)
    ax.set_xlabel("step t")
    ax.legend(fontsize=8)
    return fig


@_as_text
def gradient_norms(curves: dict[str, np.ndarray], ylabel: str = "‖∂L/∂h(t)‖") -> Figure:
    """‖∂L/∂h(t)‖ against t on a log scale, one curve per setting (e.g. spectral radius); zeros are not drawn."""
    fig, ax = _axes(8, 3)
    for label, norms in curves.items():
        norms = np.asarray(norms, dtype=float)
        shown = np.where(norms > 0, norms, np.nan)   # log(0) = -inf would stretch the axis to 1e-300
        ax.semilogy(range(1, len(norms) + 1), shown, marker=".", label=label)
    _powers_of_ten(ax)
    ax.set_xlabel("step t")
    ax.set_ylabel(ylabel)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))   # beside the axes: never over a curve
    return fig


@_as_text
def gradient_panels(as_run: dict[str, np.ndarray], linear: dict[str, np.ndarray] | None, ylabel: str) -> Figure:
    """‖∂L/∂h(t)‖ as the network runs and, beside it when given, in the linear regime (W's powers alone)."""
    if linear is None:
        return gradient_norms(as_run, ylabel=ylabel)
    fig = Plot(figsize=(10, 3.2))
    panels = fig.subplots(1, 2)
    for ax, curves, title in ((panels[0], as_run, "as run: tanh saturates and holds ρ > 1 back"),
                              (panels[1], linear, "linear regime (tanh′ = 1): W's powers alone")):
        for label, norms in curves.items():
            norms = np.asarray(norms, dtype=float)
            ax.semilogy(range(1, len(norms) + 1), np.where(norms > 0, norms, np.nan), marker=".", label=label)
        _powers_of_ten(ax)
        ax.set_title(title, fontsize=9)
        ax.set_xlabel("step t")
    panels[0].set_ylabel(ylabel)
    # one legend for both panels, above them: inside an axes it would cover a curve's end (ρ = 2 at the loss)
    fig.legend(*panels[0].get_legend_handles_labels(), loc="upper center", ncol=len(as_run), fontsize=8,
               frameon=False)
    fig.tight_layout(rect=(0, 0, 1, 0.9))
    return fig


@_as_text
def probability_lines(series: dict[str, tuple[list[str], np.ndarray]]) -> Figure:
    """P(positive) after each word, one line per sentence, each word written at its point."""
    fig, ax = _axes(9, 3.2)
    for label, (tokens, p) in series.items():
        steps = range(1, len(p) + 1)
        line, = ax.plot(steps, p, marker="o", label=label)
        for t, (token, value) in enumerate(zip(tokens, p), start=1):
            ax.annotate(token, (t, value), textcoords="offset points", xytext=(0, 6), ha="center", fontsize=8,
                        color=line.get_color())
    ax.axhline(0.5, color="#999", lw=0.6, ls="--")
    ax.set_ylim(-0.05, 1.12)
    ax.set_xlabel("after word t")
    ax.set_ylabel("P(positive)")
    ax.legend(fontsize=8, loc="lower left")
    return fig


@_as_text
def projection(trajectories: dict[str, tuple[list[str], np.ndarray]]) -> Figure:
    """h(t) of several sentences projected on the two main directions of all their states (PCA)."""
    stacked = np.concatenate([h for _, h in trajectories.values()])
    centre = stacked.mean(axis=0)
    _, _, directions = np.linalg.svd(stacked - centre, full_matrices=False)
    fig, ax = _axes(6, 4.5)
    for label, (tokens, h) in trajectories.items():
        xy = (h - centre) @ directions[:2].T
        line, = ax.plot(xy[:, 0], xy[:, 1], marker="o", label=label)
        for token, (x, y) in zip(tokens, xy):
            ax.annotate(token, (x, y), textcoords="offset points", xytext=(4, 4), fontsize=8, color=line.get_color())
    ax.set_xlabel("first principal direction")
    ax.set_ylabel("second principal direction")
    ax.legend(fontsize=8)
    return fig


@_as_text
def accuracy_by_position(scores: dict[str, list[float]], trained: tuple[int, ...] = ()) -> Figure:
    """Accuracy against the year's position, one bar group per model; trained positions shaded."""
    fig, ax = _axes(8, 3)
    width = 0.8 / len(scores)
    for k, (label, values) in enumerate(scores.items()):
        ax.bar(np.arange(1, len(values) + 1) + (k - (len(scores) - 1) / 2) * width, values, width, label=label)
    for position in trained:
        ax.axvspan(position + 0.5, position + 1.5, color="#fde68a", alpha=0.4, lw=0)
    ax.set_xlabel("position of the year in the sentence (shaded: positions seen in training)")
    ax.set_ylabel("accuracy")
    ax.set_ylim(0, 1.05)
    ax.legend(fontsize=8, loc="lower right")
    return fig


@_as_text
def loss_curves(history: dict[str, list[float]]) -> Figure:
    """Training and validation loss per epoch."""
    fig, ax = _axes(6, 3)
    for label, values in history.items():
        ax.plot(range(1, len(values) + 1), values, marker=".", label=label)
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss (nats per character)")
    ax.legend(fontsize=8)
    return fig


@_as_text
def pair_trace(trace: dict) -> Figure:
    """‖Δh(t)‖ above the two sentences' P(positive), words on the shared axis, the parting steps marked."""
    (tokens_1, tokens_2), (p_1, p_2) = trace["tokens"], trace["p_positive"]
    steps = max(len(p_1), len(p_2))
    fig = Plot(figsize=(max(6.0, 0.9 * steps), 5))
    top, bottom = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [1, 1.3]})
    top.plot(range(1, len(trace["delta_h"]) + 1), trace["delta_h"], marker="o", color="#444")
    top.axhline(trace["threshold"], color="#999", lw=0.6, ls="--")
    top.set_ylabel("‖h₁(t) − h₂(t)‖")
    for line, p in (("first", p_1), ("second", p_2)):
        bottom.plot(range(1, len(p) + 1), p, marker="o", label=trace[line])
    for k, (label, score) in enumerate(zip(("bag of words, first", "bag of words, second"), trace["bag_of_words"])):
        bottom.axhline(score, color="#7c3aed", lw=1, ls=(0, (4, 2 + 2 * k)), label=f"{label}: {score:.3f}")
    bottom.axhline(0.5, color="#999", lw=0.6, ls="--")
    for step, name, colour in ((trace["divergence_step"], "states part", "#d97706"),
                               (trace["flip_step"], "verdicts part", "#dc2626")):
        if step is not None:
            for ax in (top, bottom):
                ax.axvline(step, color=colour, lw=1.5, alpha=0.7)
            top.annotate(name, (step, top.get_ylim()[1]), xytext=(3, -12), textcoords="offset points",
                         color=colour, fontsize=8)
    words = [f"{a}\n{b}" for a, b in zip(tokens_1 + [""] * steps, tokens_2 + [""] * steps)][:steps]
    bottom.set_xticks(range(1, steps + 1), words, fontsize=8)
    bottom.set_ylim(-0.05, 1.05)
    bottom.set_ylabel("P(positive)")
    bottom.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.0, 0.5))
    return fig
