"""Real torch weights: an nn.RNN / nn.GRU / nn.LSTM state_dict (or an nn.RNNCell / nn.GRUCell /
nn.LSTMCell one, or an nn.LSTM with proj_size) becomes a recurrence text and its params.

The recurrence is written in the language itself, so it is drawn, run and animated like any other.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass

import numpy as np

from .. import limits
from ..parse import ParseError
from . import need_torch
from .torchfile import read_metadata

GATES = {1: "rnn", 3: "gru", 4: "lstm"}   # rows of weight_hh are gates × hidden
GATE_NAMES = {"rnn": [""], "gru": ["r", "z", "n"], "lstm": ["i", "f", "g", "o"]}


@dataclass(frozen=True)
class Converted:
    kind: str                      # rnn, gru or lstm
    text: str                      # the recurrence
    params: dict                   # name → float64 array
    outputs: tuple[str, ...]       # the states torch's output concatenates (last layer, each direction)


KEY = re.compile(r"(weight_ih|weight_hh|bias_ih|bias_hh|weight_hr)_l(\d)(_reverse)?")
CELL_KEYS = {"weight_ih", "weight_hh", "bias_ih", "bias_hh"}   # an nn.RNNCell/GRUCell/LSTMCell: one layer, no _l0
NONLINEARITIES = ("tanh", "relu")   # nn.RNN's choice; a state_dict does not record it, so the user says it


def load_state_dict(data: bytes) -> dict:
    """Tensors from a torch.save(state_dict) file, read with weights_only=True (no code runs).

    Every entry's size and every tensor's dtype, shape, strides and storage are checked from the file's own
    metadata (`torchfile.py`) before torch.load allocates anything: a tiny file can claim a storage of
    gigabytes or an expanded 40000×40000 view.
    """
    if len(data) > limits.MAX_UPLOAD_BYTES:
        raise ParseError(f"the weights file is larger than {limits.MAX_UPLOAD_BYTES:,} bytes")
    described = read_metadata(data)
    torch = need_torch()
    try:
        state = torch.load(io.BytesIO(data), weights_only=True, map_location="cpu")
    except Exception as err:  # noqa: BLE001 - torch raises many types for a broken file
        raise ParseError(f"this is not a readable torch weights file ({type(err).__name__}); "
                         "save one with torch.save(module.state_dict(), path)") from None
    if not isinstance(state, dict) or not all(isinstance(v, torch.Tensor) for v in state.values()) \
            or {str(k): tuple(v.shape) for k, v in state.items()} != {str(k): v.shape for k, v in described.items()}:
        raise ParseError("the file must hold a state_dict: a dict of tensors from module.state_dict()")
    arrays = {str(k): v.detach().to(torch.float64).numpy() for k, v in state.items()}
    for key, array in arrays.items():
        if not np.isfinite(array).all():
            raise ParseError(f"{key[:40]} holds NaN or infinite weights")
    return arrays


def weights_text(data: bytes, nonlinearity: str = "tanh") -> str:
    """The explicit cell equations a torch weights file becomes (its params' values are not in them)."""
    return convert(load_state_dict(data), nonlinearity).text


def convert(state: dict, nonlinearity: str = "tanh") -> Converted:
    """The recurrence and params equal to an nn.RNN, nn.GRU or nn.LSTM (or one of their cells) with these weights.

    Every tensor's shape is checked against the architecture: a matrix with extra rows is refused, not cut.
    """
    if nonlinearity not in NONLINEARITIES:
        raise ParseError(f"the nonlinearity of an nn.RNN is tanh or relu, not '{str(nonlinearity)[:20]}'")
    if "weight_hh" in state and set(state) <= CELL_KEYS:   # a cell's weights are one layer's, named without _l0
        state = {f"{key}_l0": value for key, value in state.items()}
    if "weight_hh_l0" not in state or "weight_ih_l0" not in state:
        raise ParseError("expected the weights of nn.RNN, nn.GRU or nn.LSTM (weight_ih_l0, weight_hh_l0, …) "
                         "or of nn.RNNCell, nn.GRUCell or nn.LSTMCell (weight_ih, weight_hh, …)")
    for key in state:
        if not KEY.fullmatch(key):
            raise ParseError(f"'{key[:40]}' is not a weight of nn.RNN, nn.GRU or nn.LSTM")
    if state["weight_hh_l0"].ndim != 2:
        raise ParseError(f"weight_hh_l0 has shape {state['weight_hh_l0'].shape}: not an RNN, GRU or LSTM")
    rows, recurrent = state["weight_hh_l0"].shape   # recurrent: the units of h (fewer, with proj_size)
    hidden = _projected_from(state) if "weight_hr_l0" in state else recurrent
    if rows % hidden or rows // hidden not in GATES or ("weight_hr_l0" in state and rows // hidden != 4):
        raise ParseError(f"weight_hh_l0 has shape {state['weight_hh_l0'].shape}: not an RNN, GRU or LSTM")
    kind = GATES[rows // hidden]
    if kind != "rnn" and nonlinearity != "tanh":
        raise ParseError(f"an nn.{kind.upper()} has no choice of nonlinearity; only nn.RNN takes relu")
    layers = 1 + max(int(KEY.fullmatch(k).group(2)) for k in state)
    directions = ["", "_r"] if "weight_hh_l0_reverse" in state else [""]
    bias = "bias_ih_l0" in state
    inputs_size = state["weight_ih_l0"].shape[-1]
    lines, params, inputs = [], {}, "x"
    for layer in range(layers):
        for d in directions:
            suffix = f"{layer}{d}"
            key = f"_l{layer}{'_reverse' if d else ''}"
            lines += _cell(kind, suffix, inputs, "t+1" if d else "t-1", nonlinearity, bias, recurrent != hidden)
            width = inputs_size if layer == 0 else recurrent * len(directions)
            params.update(_split(kind, state, key, suffix, (hidden, recurrent), width, bias))
        names = [f"h{layer}{d}" for d in directions]
        inputs = names[0] if len(names) == 1 else f"concat({', '.join(names)})"
    expected = {f"{p}_l{layer}{'_reverse' if d else ''}" for layer in range(layers) for d in directions
                for p in ("weight_ih", "weight_hh") + (("bias_ih", "bias_hh") if bias else ())
                + (("weight_hr",) if recurrent != hidden else ())}
    extra = sorted(set(state) - expected)
    if extra:
        raise ParseError(f"{extra[0][:40]} does not belong to a {layers}-layer {kind.upper()} "
                         f"{'with' if bias else 'without'} biases")
    sizes = [f"size {v}{layer}{d} = {n}" for layer in range(layers) for d in directions
             for v, n in (("h", recurrent), ("c", hidden))[:1 + (kind == "lstm")]]
    text = "\n".join(["input x", "param " + ", ".join(params), *sizes, *lines])
    return Converted(kind, text, params, tuple(f"h{layers - 1}{d}" for d in directions))


def _projected_from(state: dict) -> int:
    """The cell-state units of an nn.LSTM(proj_size=…): weight_hr_l0 maps them down to h."""
    shape = state["weight_hr_l0"].shape
    rows, recurrent = state["weight_hh_l0"].shape
    if len(shape) != 2 or shape[0] != recurrent or shape[0] >= shape[1] or rows != 4 * shape[1]:
        raise ParseError(f"weight_hr_l0 has shape {tuple(shape)}: the projection of an nn.LSTM whose weight_hh_l0 "
                         f"is {(rows, recurrent)} is ({recurrent}, {rows // 4})")
    return shape[1]


def _cell(kind: str, s: str, inputs: str, past: str, nonlinearity: str, bias: bool, projected: bool) -> list[str]:
    """Equations of one layer and direction; names end in the layer number (and _r for reverse)."""
    def b(name: str) -> str:
        return f" + {name}" if bias else ""
    if kind == "rnn":
        return [f"h{s} = {nonlinearity}(Wi{s} @ {inputs}{b(f'bi{s}')} + Wh{s} @ h{s}[{past}]{b(f'bh{s}')})"]

    def gate(g: str, fn: str) -> str:
        return f"{g}{s} = {fn}(Wi{g}{s} @ {inputs}{b(f'bi{g}{s}')} + Wh{g}{s} @ h{s}[{past}]{b(f'bh{g}{s}')})"
    if kind == "gru":
        return [gate("r", "sigmoid"), gate("z", "sigmoid"),
                f"n{s} = tanh(Win{s} @ {inputs}{b(f'bin{s}')} + r{s} * (Whn{s} @ h{s}[{past}]{b(f'bhn{s}')}))",
                f"h{s} = (1 - z{s}) * n{s} + z{s} * h{s}[{past}]"]
    return [gate("i", "sigmoid"), gate("f", "sigmoid"), gate("g", "tanh"), gate("o", "sigmoid"),
            f"c{s} = f{s} * c{s}[{past}] + i{s} * g{s}",
            f"h{s} = Whr{s} @ (o{s} * tanh(c{s}))" if projected else f"h{s} = o{s} * tanh(c{s})"]


def _split(kind: str, state: dict, key: str, s: str, units: tuple, width: int, bias: bool) -> dict:
    """torch stacks the gates' rows in one matrix; the language names each gate's own."""
    gates = len(GATE_NAMES[kind])
    hidden, recurrent = units
    shapes = {"weight_ih": (gates * hidden, width), "weight_hh": (gates * hidden, recurrent)}
    if recurrent != hidden:
        shapes["weight_hr"] = (recurrent, hidden)
    if bias:
        shapes.update(bias_ih=(gates * hidden,), bias_hh=(gates * hidden,))
    for long, shape in shapes.items():
        if f"{long}{key}" not in state:
            raise ParseError(f"the weights lack {long}{key}")
        if tuple(state[f"{long}{key}"].shape) != shape:
            raise ParseError(f"{long}{key} has shape {tuple(state[f'{long}{key}'].shape)}; "
                             f"a {kind.upper()} of {hidden} units needs {shape}")
    params = {}
    for k, g in enumerate(GATE_NAMES[kind]):
        rows = slice(k * hidden, (k + 1) * hidden)
        for short, long in (("Wi", "weight_ih"), ("Wh", "weight_hh"), ("bi", "bias_ih"), ("bh", "bias_hh")):
            if long in shapes:
                params[f"{short}{g}{s}"] = np.asarray(state[f"{long}{key}"][rows])
    if "weight_hr" in shapes:
        params[f"Whr{s}"] = np.asarray(state[f"weight_hr{key}"])
    return params
