"""The SVG of svg.py's shapes: nodes' outlines, straight edges ending at a node's border, arrowheads, text."""
from __future__ import annotations

import math
from html import escape


def xml_text(text: str) -> str:
    """XML-escaped text; most labels need no escaping, so they are checked first (this runs 10⁵ times)."""
    return escape(text) if ("&" in text or "<" in text or ">" in text or '"' in text) else text


def stroke(style: dict[str, str]) -> str:
    dash = {"dashed": ' stroke-dasharray="5,2"', "dotted": ' stroke-dasharray="1,5"'}
    pattern = next((dash[w] for w in style.get("style", "").split(",") if w in dash), "")
    return f'stroke="{style.get("color", "black")}" stroke-width="{style.get("penwidth", "1")}"{pattern}'


def node_start(look, box) -> str:
    """A node's outline and the opening of its text element (the label and closing tags follow)."""
    x, y, rx, ry = box[:4]
    if look.shape == "circle":
        outline = f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{rx:.1f}" {look.paint}/>'
    elif look.shape == "doublecircle":
        outline = (f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{rx - 4:.1f}" {look.paint}/>'
                   f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{rx:.1f}" {look.outline}/>')
    elif look.shape == "plaintext":
        outline = ""
    else:
        outline = (f'<rect x="{x - rx:.1f}" y="{y - ry:.1f}" width="{2 * rx:.1f}" height="{2 * ry:.1f}"'
                   f'{look.corner} {look.paint}/>')
    return f'{outline}<text x="{x:.1f}" y="{y + 0.35 * look.size:.1f}" {look.font}>'


def edge_look(style: dict[str, str]) -> tuple[str, str, float]:
    """(line attributes, arrowhead attributes, arrow length) of an edge style."""
    color = style.get("color", "black")
    return stroke(style), f'fill="{color}" stroke="{color}"', 10 * float(style.get("arrowsize", 0.7))


def edge_svg(a, b, look, label: str, corner=None) -> str:
    """An edge from border to border of boxes a and b, straight or bent at corner (x, y), ending in
    Graphviz's normal arrowhead."""
    line, head, arrow = look
    if corner is None:
        return f'<g class="edge">{segment(a, b, line, head, arrow)}{label}</g>'
    point = (*corner, 0.0, 0.0, True)
    return f'<g class="edge">{segment(a, point, line, "", 0.0)}{segment(point, b, line, head, arrow)}{label}</g>'


def segment(a, b, line: str, head: str, arrow: float) -> str:
    """A straight line from box a's border to box b's, with an arrowhead of this length (0: none)."""
    (x1, y1, arx, ary, a_round), (x2, y2, brx, bry, b_round) = a, b
    dx, dy = x2 - x1, y2 - y1
    length = math.hypot(dx, dy)
    if length == 0:
        return ""
    ux, uy = dx / length, dy / length
    start = border(arx, ary, a_round, ux, uy)
    tip = length - border(brx, bry, b_round, ux, uy)
    end, half = tip - arrow, 0.35 * arrow
    bx, by = x1 + ux * end, y1 + uy * end
    drawn = f'<line x1="{x1 + ux * start:.1f}" y1="{y1 + uy * start:.1f}" x2="{bx:.1f}" y2="{by:.1f}" {line}/>'
    if arrow:
        drawn += (f'<polygon points="{x1 + ux * tip:.1f},{y1 + uy * tip:.1f} {bx - uy * half:.1f},{by + ux * half:.1f} '
                  f'{bx + uy * half:.1f},{by - ux * half:.1f}" {head}/>')
    return drawn


def border(rx: float, ry: float, round_: bool, ux: float, uy: float) -> float:
    """Distance from a node's centre to its outline along the unit direction (ux, uy)."""
    if round_:
        return rx
    return min(rx / abs(ux) if ux else math.inf, ry / abs(uy) if uy else math.inf)
