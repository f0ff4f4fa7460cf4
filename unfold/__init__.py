"""Unfold: recurrent nets drawn and run as in chapter 10 of the Deep Learning book — the whole API in one import.

>>> import unfold
>>> circuit = unfold.parse("input x\\nparam W, U\\nh = tanh(W @ h[t-1] + U @ x)")
>>> unfold.g_text(circuit, "h", 2)
'h(2) = f(f(h(0), x(1)), x(2))'
>>> sorted(n.id for n in unfold.unfold(circuit, 2).nodes if n.kind == "state")
['h@1', 'h@2']
"""
from __future__ import annotations

import importlib

from graphs import Edge, Graph, Node, ParseError, parse
from graphs.backends import run
from graphs.backends.bptt import gradient_norms, with_spectral_radius
from graphs.backends.data import from_file, from_numbers, from_text
from graphs.backends.torch_trace import from_module
from graphs.backends.weights import convert, load_state_dict
from graphs.catalog import CATALOG
from graphs.gtext import g_text
from graphs.unfold import unfold, window
from viz import Diagram, RenderError, diagram, load, render, render_svg, to_dot, view

__version__ = "0.1.0"

# matplotlib takes a while to import: the plotting modules load when first used (unfold.plots.heatmap(...))
_LAZY = {"plots": "viz.plots", "animate": "viz.animate"}

__all__ = ["parse", "Graph", "Node", "Edge", "ParseError", "CATALOG", "load", "unfold", "window", "view", "g_text",
           "Diagram", "diagram", "to_dot", "render", "render_svg", "RenderError", "run", "from_text",
           "from_numbers", "from_file", "convert", "load_state_dict", "from_module", "gradient_norms", "with_spectral_radius",
           "plots", "animate", "__version__"]


def __getattr__(name: str):
    if name in _LAZY:
        return importlib.import_module(_LAZY[name])
    raise AttributeError(f"module 'unfold' has no attribute '{name}'")
