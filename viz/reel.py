"""Animations laid out once: one drawing, and frames that differ from it only in colours.

Frame k of a run colours the nodes of steps ≤ k and greys the others, as animate.frames does; so every
frame has the same positions and shapes. The same to_dot draws two pictures, every value shown and every
step greyed, and each frame takes a node's pixels (GIF) or colours (animated SVG) from one or the other.
Graphviz runs three times, not once per frame.
"""
from __future__ import annotations

import html
import io
import math
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from graphs.axes import run_length, run_step
from graphs.ir import Graph

from .dot import to_dot
from .render import render
from .style import MUTED

MAX_GIF_WIDTH = 6500   # px: wider drawings get a lower dpi (a 60-step GRU is 12,950 px wide at 96 dpi)
SCREEN_DPI = 96        # Graphviz's default for PNG


@dataclass(frozen=True)
class Reel:
    coloured: str              # DOT of the last frame: every value shown
    greyed: str                # the same drawing with every step greyed (frame 0)
    switch: dict[str, int]     # node id → the first frame that shows it coloured
    frames: int                # frames 0..frames-1


def reel(unfolded: Graph, numbers: dict[str, float], tips: dict[str, str], *, title: str = "") -> Reel:
    """The two drawings of an animation of these node values and the frame at which each node turns."""
    scale = max((abs(v) for v in numbers.values()), default=1.0) or 1.0
    last = run_length(unfolded)
    switch = {n.id: run_step(n, unfolded.steps or 0) for n in unfolded.nodes
              if n.step is not None and n.step >= 1 and n.kind != "ellipsis"}
    title = title or f"steps 1 to {last}, one frame per step"
    drawn = dict(values=numbers, tooltips=tips, scale=scale, title=title)
    return Reel(to_dot(unfolded, **drawn), to_dot(unfolded, muted=set(switch), **drawn), switch, last + 1)


def animated_svg(r: Reel, seconds_per_frame: float = 0.7) -> str:
    """One self-contained SVG that plays the frames in a loop (SMIL: each node switches colour at its step)."""
    svg = render(r.coloured, "svg").decode()
    duration = r.frames * seconds_per_frame
    out = []
    for node_id, piece in _pieces(svg):
        start = r.switch.get(node_id)
        out.append(piece if start is None else _switching(piece, start / r.frames, duration))
    return "".join(out)


def _pieces(svg: str) -> list[tuple[str | None, str]]:
    """The SVG cut before each node and edge group, each piece with its node's id (None if not a node)."""
    out = []
    for piece in re.split(r'(?=<g id="(?:node|edge)\d+" class="(?:node|edge)">)', svg):
        found = re.match(r'<g id="node\d+" class="node">\s*<title>(.*?)</title>', piece)
        out.append((html.unescape(found.group(1)) if found else None, piece))
    return out


def _switching(piece: str, at: float, duration: float) -> str:
    """A node's SVG with its fill, outline and text greyed until the fraction `at` of each loop."""
    def animate(attribute: str, grey: str, colour: str) -> str:
        return (f'<animate attributeName="{attribute}" values="{grey};{colour}" keyTimes="0;{at:.6f}" '
                f'dur="{duration:g}s" calcMode="discrete" repeatCount="indefinite"/>')

    def shape(m: re.Match) -> str:
        tag, attributes = m.group(1), m.group(2)
        fill = re.search(r'\bfill="([^"]*)"', attributes)
        stroke = re.search(r'\bstroke="([^"]*)"', attributes)
        inner = (animate("fill", MUTED["fillcolor"], fill.group(1)) if fill and fill.group(1) != "none" else "") + \
            (animate("stroke", MUTED["color"], stroke.group(1)) if stroke else "")
        return f"<{tag}{attributes}>{inner}</{tag}>"

    def text(m: re.Match) -> str:
        fill = re.search(r'\bfill="([^"]*)"', m.group(1))
        return f"<text{m.group(1)}>{animate('fill', MUTED['fontcolor'], fill.group(1) if fill else 'black')}"
    piece = re.sub(r"<(ellipse|polygon|path)\b([^>]*?)/>", shape, piece)
    return re.sub(r"<text\b([^>]*)>", text, piece)


def gif(r: Reel, seconds_per_frame: float = 0.7, max_width: int = MAX_GIF_WIDTH) -> bytes:
    """An animated GIF of the frames: each node's pixels from the coloured or the greyed drawing."""
    from PIL import Image
    svg = render(r.coloured, "svg").decode()   # the boxes of the nodes, and the drawing's width
    points = float(re.search(r'viewBox="[\d.\-]+ [\d.\-]+ ([\d.]+)', svg).group(1))
    dpi = SCREEN_DPI / math.ceil(points * SCREEN_DPI / 72 / max_width)   # drawn small, not shrunk afterwards
    with ThreadPoolExecutor(2) as pool:   # two Graphviz processes at once
        pngs = pool.map(lambda dot: render(_at_dpi(dot, dpi), "png"), (r.coloured, r.greyed))
        pictures = [Image.open(io.BytesIO(png)).convert("RGB") for png in pngs]
    switch = _switch_map(svg, r.switch, pictures[0].size, *(np.asarray(p) for p in pictures))
    both = Image.fromarray(np.concatenate([np.asarray(p) for p in pictures]))   # one palette for both
    indexed = both.quantize(256, method=Image.Quantize.FASTOCTREE)
    palette, rows = indexed.getpalette(), np.asarray(indexed)
    shown, grey = rows[:pictures[0].height], rows[pictures[0].height:]

    def frame(k: int):
        image = Image.fromarray(np.where(switch <= k, shown, grey).astype(np.uint8), "P")
        image.putpalette(palette)
        return image
    buffer = io.BytesIO()
    frame(0).save(buffer, "GIF", save_all=True, append_images=(frame(k) for k in range(1, r.frames)), loop=0,
                  duration=int(seconds_per_frame * 1000))
    return buffer.getvalue()


def _at_dpi(dot: str, dpi: float) -> str:
    """The same DOT drawn at another resolution (a graph attribute; the layout is unchanged)."""
    head, rest = dot.split("\n", 1)
    return f"{head}\n  graph [dpi=\"{dpi:g}\"]\n{rest}"


def _switch_map(svg: str, switch: dict[str, int], size: tuple[int, int], coloured, greyed) -> np.ndarray:
    """For each pixel, the first frame that takes it from the coloured drawing (0: every frame)."""
    width, height = size
    view = re.search(r'viewBox="([\d.\-]+) ([\d.\-]+) ([\d.\-]+) ([\d.\-]+)"', svg)
    shift = re.search(r'<g id="graph0"[^>]*translate\(([\d.\-]+) ([\d.\-]+)\)', svg)
    scale = width / float(view.group(3))
    dx, dy = float(shift.group(1)), float(shift.group(2))
    changed = (coloured != greyed).any(axis=2)
    out = np.zeros((height, width), dtype=np.int32)
    for node_id, box in _boxes(svg).items():
        if node_id not in switch:
            continue
        left, top = (max(0, int((v + d) * scale) - 2) for v, d in zip(box[:2], (dx, dy)))
        right, bottom = (int((v + d) * scale) + 3 for v, d in zip(box[2:], (dx, dy)))
        out[top:bottom, left:right][changed[top:bottom, left:right]] = switch[node_id]
    return out


def _boxes(svg: str) -> dict[str, tuple[float, float, float, float]]:
    """Each node's bounding box (left, top, right, bottom) in the SVG's own units, from its shapes."""
    boxes = {}
    for node_id, piece in _pieces(svg):
        if node_id is None:
            continue
        xs, ys = [], []
        for e in re.finditer(r'<ellipse[^>]*cx="([\d.\-]+)" cy="([\d.\-]+)" rx="([\d.\-]+)" ry="([\d.\-]+)"', piece):
            cx, cy, rx, ry = map(float, e.groups())
            xs += [cx - rx, cx + rx]
            ys += [cy - ry, cy + ry]
        for p in re.finditer(r'<polygon[^>]*points="([^"]*)"', piece):
            for point in p.group(1).split():
                x, y = map(float, point.split(","))
                xs.append(x)
                ys.append(y)
        if xs:
            boxes[node_id] = (min(xs), min(ys), max(xs), max(ys))
    return boxes
