"""Animation frames: the same to_dot with values, one frame per step (frame k: steps 1..k computed)."""
from __future__ import annotations

import io

import numpy as np

from graphs.axes import run_length, run_step
from graphs.ir import Graph

from .dot import to_dot
from .render import render

SUMMARIES = ("mean", "norm")   # or a unit's index


COLOURED = ("state", "output", "once")   # losses are left out: their scale would wash out the states


def node_values(unfolded: Graph, values: dict, summary: str | int = "mean", sample: int = 0
                ) -> tuple[dict[str, float], dict[str, str]]:
    """One number per state/output node (a vector summarised) and a tooltip with the whole vector."""
    numbers, tips = {}, {}
    for n in unfolded.nodes:
        if n.name not in values or n.kind not in COLOURED:
            continue
        data = np.asarray(values[n.name])
        if n.kind == "once":
            vector = data[sample]
        elif n.step is None or not 1 <= n.step <= data.shape[0] or n.id != f"{n.name}@{n.step}":
            continue   # outside the sequence, or an inner node of a tree, whose value is not kept
        else:
            vector = data[n.step - 1, sample]
        numbers[n.id] = _summarise(vector, summary)
        shown = ", ".join(f"{v:+.3f}" for v in vector[:16]) + (", …" if vector.size > 16 else "")
        tips[n.id] = f"{n.label} = [{shown}]  ({summary}: {numbers[n.id]:+.3f})"
    return numbers, tips


def _summarise(vector: np.ndarray, summary: str | int) -> float:
    if summary not in SUMMARIES and not isinstance(summary, int):
        raise ValueError(f"summarise a vector by {' or '.join(SUMMARIES)} or a unit's index, not {summary!r}")
    if summary == "mean":
        return float(vector.mean())
    if summary == "norm":
        return float(np.linalg.norm(vector))
    return float(vector[int(summary) % vector.size])


def frames(unfolded: Graph, numbers: dict[str, float], tips: dict[str, str], *, title: str = "") -> list[str]:
    """DOT text of frames 0..τ: frame k colours steps ≤ k on one fixed scale and greys the rest."""
    scale = max((abs(v) for v in numbers.values()), default=1.0) or 1.0
    last = run_length(unfolded)
    out = []
    for k in range(last + 1):
        done = {i: v for i, v in numbers.items() if _step(unfolded, i) <= k}
        muted = {n.id for n in unfolded.nodes if n.step is not None and 1 <= n.step and _step(unfolded, n.id) > k
                 and n.kind not in ("ellipsis",)}
        out.append(to_dot(unfolded, values=done, tooltips=tips, muted=muted, scale=scale,
                          title=title or f"step {k} of {last}"))
    return out


def _step(unfolded: Graph, node_id: str) -> int:
    step = run_step(unfolded.node(node_id), unfolded.steps or 0)
    return step if step is not None else 0


def gif(frame_dots: list[str], seconds_per_frame: float = 0.7) -> bytes:
    """An animated GIF of the frames (plays in a browser or a slide)."""
    from PIL import Image
    images = [Image.open(io.BytesIO(render(d, "png"))).convert("RGB") for d in frame_dots]
    width = max(i.width for i in images)
    height = max(i.height for i in images)
    padded = []
    for image in images:   # frames may differ by a few pixels: pad to one size
        canvas = Image.new("RGB", (width, height), "white")
        canvas.paste(image, (0, 0))
        padded.append(canvas)
    buffer = io.BytesIO()
    padded[0].save(buffer, "GIF", save_all=True, append_images=padded[1:], loop=0,
                   duration=int(seconds_per_frame * 1000))
    return buffer.getvalue()
