"""Rendering: Graph → DOT → SVG, animation frames, plots and the command line (never imports torch)."""
from .api import Diagram, diagram, load, view
from .dot import to_dot
from .render import RenderError, render, render_svg

__all__ = ["Diagram", "diagram", "load", "view", "to_dot", "render", "render_svg", "RenderError"]
