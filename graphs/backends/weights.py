"""Real torch weights: an nn.RNN / nn.GRU / nn.LSTM state_dict becomes a recurrence text and its params.

The recurrence is written in the language itself, so it is drawn, run and animated like any other.
"""
from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np

from .. import limits
from ..parse import ParseError
from . import need_torch

GATES = {1: "rnn", 3: "gru", 4: "lstm"}   # rows of weight_hh are gates × hidden
GATE_NAMES = {"rnn": [""], "gru": ["r", "z", "n"], "lstm": ["i", "f", "g", "o"]}


@dataclass(frozen=True)
class Converted:
    kind: str                      # rnn, gru or lstm
    text: str                      # the recurrence
    params: dict                   # name → float64 array
    outputs: tuple[str, ...]       # the states torch's output concatenates (last layer, each direction)


def load_state_dict(data: bytes) -> dict:
    """Tensors from a torch.save(state_dict) file, read with weights_only=True (no code runs)."""
    torch = need_torch()
    if len(data) > limits.MAX_UPLOAD_BYTES:
        raise ParseError(f"the weights file is larger than {limits.MAX_UPLOAD_BYTES:,} bytes")
    try:
        state = torch.load(io.BytesIO(data), weights_only=True, map_location="cpu")
    except Exception as err:  # noqa: BLE001 - torch raises many types for a broken file
        raise ParseError(f"this is not a readable torch weights file ({type(err).__name__}); "
                         "save one with torch.save(module.state_dict(), path)") from None
    if not isinstance(state, dict) or not all(isinstance(v, torch.Tensor) for v in state.values()):
        raise ParseError("the file must hold a state_dict: a dict of tensors from module.state_dict()")
    return {str(k): v.detach().to(torch.float64).numpy() for k, v in state.items()}


def convert(state: dict, nonlinearity: str = "tanh") -> Converted:
    """The recurrence and params equal to an nn.RNN, nn.GRU or nn.LSTM with these weights."""
    if "weight_hh_l0" not in state or "weight_ih_l0" not in state:
        raise ParseError("expected the weights of nn.RNN, nn.GRU or nn.LSTM (weight_ih_l0, weight_hh_l0, …)")
    rows, hidden = state["weight_hh_l0"].shape
    if rows % hidden or rows // hidden not in GATES:
        raise ParseError(f"weight_hh_l0 has shape {state['weight_hh_l0'].shape}: not an RNN, GRU or LSTM")
    kind = GATES[rows // hidden]
    layers = 1 + max(int(k.split("_l")[-1].split("_")[0]) for k in state if k.startswith("weight_hh_l"))
    directions = ["", "_r"] if "weight_hh_l0_reverse" in state else [""]
    lines, params, inputs = [], {}, "x"
    for layer in range(layers):
        for d in directions:
            suffix = f"{layer}{d}"
            key = f"_l{layer}{'_reverse' if d else ''}"
            lines += _cell(kind, suffix, inputs, "t+1" if d else "t-1", nonlinearity)
            params.update(_split(kind, state, key, suffix, hidden))
        names = [f"h{layer}{d}" for d in directions]
        inputs = names[0] if len(names) == 1 else f"concat({', '.join(names)})"
    sizes = [f"size h{layer}{d} = {hidden}" for layer in range(layers) for d in directions]
    text = "\n".join(["input x", "param " + ", ".join(params), *sizes, *lines])
    return Converted(kind, text, params, tuple(f"h{layers - 1}{d}" for d in directions))


def _cell(kind: str, s: str, inputs: str, past: str, nonlinearity: str) -> list[str]:
    """Equations of one layer and direction; names end in the layer number (and _r for reverse)."""
    if kind == "rnn":
        return [f"h{s} = {nonlinearity}(Wi{s} @ {inputs} + bi{s} + Wh{s} @ h{s}[{past}] + bh{s})"]

    def gate(g: str, fn: str) -> str:
        return f"{g}{s} = {fn}(Wi{g}{s} @ {inputs} + bi{g}{s} + Wh{g}{s} @ h{s}[{past}] + bh{g}{s})"
    if kind == "gru":
        return [gate("r", "sigmoid"), gate("z", "sigmoid"),
                f"n{s} = tanh(Win{s} @ {inputs} + bin{s} + r{s} * (Whn{s} @ h{s}[{past}] + bhn{s}))",
                f"h{s} = (1 - z{s}) * n{s} + z{s} * h{s}[{past}]"]
    return [gate("i", "sigmoid"), gate("f", "sigmoid"), gate("g", "tanh"), gate("o", "sigmoid"),
            f"c{s} = f{s} * c{s}[{past}] + i{s} * g{s}", f"h{s} = o{s} * tanh(c{s})"]


def _split(kind: str, state: dict, key: str, s: str, hidden: int) -> dict:
    """torch stacks the gates' rows in one matrix; the language names each gate's own."""
    try:
        parts = {p: state[f"{p}{key}"] for p in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")}
    except KeyError as err:
        raise ParseError(f"the weights lack {err.args[0]}: is this an RNN saved with bias=False?") from None
    params = {}
    for k, g in enumerate(GATE_NAMES[kind]):
        rows = slice(k * hidden, (k + 1) * hidden)
        for short, long in (("Wi", "weight_ih"), ("Wh", "weight_hh"), ("bi", "bias_ih"), ("bh", "bias_hh")):
            value = np.asarray(parts[long][rows])
            if value.shape[0] != hidden:
                raise ParseError(f"{long}{key} has {parts[long].shape[0]} rows, expected {len(GATE_NAMES[kind]) * hidden}")
            params[f"{short}{g}{s}"] = value
    return params
