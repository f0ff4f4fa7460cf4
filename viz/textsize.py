"""How big Graphviz draws a label and the node around it, estimated without running Graphviz."""
from __future__ import annotations

INCH = 72.0
MIN_WIDTH = 0.45 * INCH   # the DOT writer's node default
MIN_HEIGHT = 0.5 * INCH   # Graphviz's default
LABEL_MARGIN = 2 * 0.02 * INCH
CIRCLE_FIT = 1.118   # diameter / label box width, read off Graphviz's circles
FONT_SIZE = 11.0
# advance widths in ems, close to DejaVu Sans, which Graphviz measures "Helvetica" with on Debian
NARROW, WIDE = set("il.,:;|!'()[]{}tfjrI -"), set("mwMW@")


def text_width(text: str, size: float) -> float:
    """Estimated width in points of text at a font size, within a few percent of Graphviz's measure.

    >>> round(text_width("y_hat(1)", 11))
    45
    """
    ems = sum(0.35 if c in NARROW else 0.9 if c in WIDE else 0.7 if c.isupper() else 0.61 for c in text)
    return ems * size


def circle_diameter(label: str, size: float = FONT_SIZE) -> float:
    """Diameter in points of the circle Graphviz draws around a label."""
    return max(MIN_WIDTH, CIRCLE_FIT * max(text_width(label, size) + LABEL_MARGIN, 1.2 * size + LABEL_MARGIN))


def size_key(n) -> str:
    """What a node's size is shared by: its variable's, at every step; an initial state (g(τ+1)) and the box a
    trainable h(0) comes from ("h0 (trainable)") their own."""
    return n.id if n.kind in ("init", "source") else n.name


def variable_diameters(nodes, display=str) -> dict[str, float]:
    """size_key → the diameter that fits its longest label as displayed, so that h(9) and h(10) are drawn the
    same size (and g(1) no bigger than h(1) for g(τ+1)'s sake)."""
    longest: dict[str, str] = {}
    for n in nodes:   # by length first: measuring every label would cost as much as drawing it
        if n.kind != "ellipsis" and len(n.label) > len(longest.get(size_key(n), "")):
            longest[size_key(n)] = n.label
    return {name: round(circle_diameter(display(label)), 1) for name, label in longest.items()}
