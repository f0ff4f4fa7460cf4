"""Every frame's data at once, for the browser's player: each node's step, vector and unit colours.

The page plays, pauses and scrubs from this alone (no round trip to the server per frame). One colour scale,
the largest |value| of every coloured node, serves the strips, the legend and the heatmap.
"""
from __future__ import annotations

import numpy as np

from graphs.axes import run_length, run_step
from graphs.ir import Graph

from .colors import diverging, text_on

COLOURED = ("state", "output", "once")   # losses are left out: their scale would wash out the states
DECIMALS = 4


def node_vectors(unfolded: Graph, values: dict, sample: int = 0) -> dict[str, np.ndarray]:
    """Each coloured node's vector (one sample of the batch), by node id."""
    vectors = {}
    for n in unfolded.nodes:
        if n.name not in values or n.kind not in COLOURED:
            continue
        data = np.asarray(values[n.name])
        if n.kind == "once":
            vectors[n.id] = data[sample]
        elif n.step is not None and 1 <= n.step <= data.shape[0] and n.id == f"{n.name}@{n.step}":
            vectors[n.id] = data[n.step - 1, sample]   # inner nodes of a tree keep no value: left out
    return vectors


def shared_scale(vectors: dict[str, np.ndarray]) -> float:
    """The colour scale's end: the largest |value| shown, or 1 when everything is 0."""
    return max((float(np.abs(v).max()) for v in vectors.values() if np.size(v)), default=1.0) or 1.0


def playback(unfolded: Graph, values: dict, tokens: list[str], sample: int = 0) -> dict:
    """JSON-ready frames: steps, tokens, the shared scale, and per node its step, values and unit colours.

    >>> from graphs.ir import Node
    >>> g = Graph((Node("h@1", "h", "state", "h(1)", 1),), (), steps=1)
    >>> playback(g, {"h": np.array([[[0.5, -1.0]]])}, ["hi"])["nodes"]
    {'h@1': {'step': 1, 'values': [0.5, -1.0], 'colors': ['#ee9292', '#2563eb']}}
    """
    vectors = node_vectors(unfolded, values, sample)
    scale = shared_scale(vectors)
    steps = run_length(unfolded)
    nodes = {}
    for node_id, vector in vectors.items():
        vector = np.asarray(vector, dtype=float).ravel()
        step = run_step(unfolded.node(node_id), unfolded.steps or 0)
        nodes[node_id] = {"step": step, "values": [round(float(v), DECIMALS) for v in vector],
                          "colors": [diverging(float(v), scale) for v in vector]}
    inputs = [n.name for n in unfolded.nodes if n.kind == "input"]
    return {"steps": steps, "tokens": [str(t) for t in tokens], "input": inputs[0] if inputs else "",
            "scale": scale, "legend": [{"value": f * scale, "color": diverging(f * scale, scale),
                                        "text": text_on(f * scale, scale)} for f in (-1, -0.5, 0, 0.5, 1)],
            "nodes": nodes}


def backward(state: str, norms, loss_step: int) -> dict:
    """JSON-ready backward pass: ‖∂L(loss_step)/∂state(t)‖ by node id, for t up to the loss's step.

    >>> backward("h", [0.01, 0.5, 0.0], 2)
    {'state': 'h', 'loss_step': 2, 'norms': {'h@1': 0.01, 'h@2': 0.5}}
    """
    return {"state": state, "loss_step": loss_step,
            "norms": {f"{state}@{t}": float(v) for t, v in enumerate(norms, start=1) if t <= loss_step}}
