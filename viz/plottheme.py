"""Plots on the page's theme: a dark page gets light text, light axes and a transparent background.

Applied to a finished Figure just before it is written (viz.plots.to_svg), so every plot follows the theme
without each knowing about it; the data colours (lines, the heatmap's scale) are left as they are.
"""
from __future__ import annotations

from matplotlib.colors import same_color
from matplotlib.figure import Figure
from matplotlib.spines import Spine
from matplotlib.text import Text

INK = "#d1d5db"        # light grey on Streamlit's dark background (#0e1117)
PAPER = "#1f2937"      # a legend's box on a dark page


def on_dark(fig: Figure) -> Figure:
    """Recolour the figure's black texts, ticks and frames for a dark page; returns the same figure."""
    fig.patch.set_alpha(0)
    for ax in fig.axes:
        ax.patch.set_alpha(0)
        ax.tick_params(colors=INK, which="both")
        legend = ax.get_legend()
        if legend:
            legend.get_frame().set_facecolor(PAPER)
            legend.get_frame().set_edgecolor(INK)
    for text in fig.findobj(Text):
        if same_color(text.get_color(), "black"):
            text.set_color(INK)
    for spine in fig.findobj(Spine):
        spine.set_edgecolor(INK)
    return fig
