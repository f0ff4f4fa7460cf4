"""One run as users ask for it: a recurrence (or torch weights) on their text or numbers."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..circuit import parse
from ..ir import Graph
from ..parse import ParseError
from . import Run, run
from .data import Sequence
from .weights import convert, load_state_dict


MODES = ("test", "train")   # train: teacher forcing reads the targets; test: the model's own outputs


@dataclass
class Session:
    graph: Graph
    result: Run
    tokens: tuple[str, ...]
    text: str          # the recurrence that ran (written out for torch weights)
    out_tokens: tuple[str, ...] = ()   # the steps of a second time axis (a decoder's y over u), if any


def inputs_for(graph: Graph, sequence: Sequence, out_sequence: Sequence | None = None) -> dict:
    """The sequence feeds the first input; a target, if any, is the next step's input (next-token).

    With a second time axis (`input y over u`, a decoder), out_sequence feeds its first input or target as
    given: y(1…n_y), read as y(u-1) by the decoder (teacher forcing) and scored at u.
    """
    inputs = [n for n in graph.kinds("input") if not n.axis]
    if not inputs:
        raise ParseError("this recurrence has no input to feed a sequence to: run it for a number of steps instead")
    feeds = {inputs[0].id: sequence.values}
    for target in graph.kinds("target"):
        if not target.axis:
            shifted = np.zeros_like(sequence.values)
            shifted[:-1] = sequence.values[1:]
            feeds[target.id] = shifted
    if out_sequence is not None:
        second = [n for n in graph.kinds("input", "target") if n.axis]
        if not second:
            raise ParseError("a second sequence is for a recurrence with a second time axis (input y over u); "
                             "this one has none")
        feeds[second[0].id] = out_sequence.values
    return feeds


def last_target_step(graph: Graph, steps: int) -> int:
    """The last step with a loss to learn from: targets are the next input, so the last step has none."""
    return steps - 1 if graph.kinds("target") and steps > 1 else steps


def run_sequence(text: str | None, sequence: Sequence | None, *, weights: bytes | None = None,
                 backend: str = "numpy", hidden: int = 8, seed: int = 0, mode: str = "test",
                 dtype: str = "float64", steps: int | None = None, initial: dict | None = None,
                 tree: tuple | None = None, nonlinearity: str = "tanh", out_sequence: Sequence | None = None,
                 out_steps: int | None = None) -> Session:
    """Run a recurrence text, or the recurrence of torch weights (an nn.RNN's nonlinearity given), on a
    sequence; or, when the recurrence reads no input (an autonomous system), for `steps` steps from its h(0).
    `tree`: a recursive net's merges (graphs.tree.read_bracketing), balanced if None. A decoder over a second
    axis u reads out_sequence (y(1…n_y)), or runs for out_steps steps (axes.default_length if neither)."""
    params = None
    if weights is not None:
        converted = convert(load_state_dict(weights), nonlinearity)
        text, params = converted.text, converted.params
    if text is None:
        raise ParseError("give a recurrence, an architecture or a weights file")
    if mode not in MODES:
        raise ParseError(f"unknown mode '{mode}': use train (teacher forcing) or test")
    graph = parse(text)
    if sequence is None:
        reads = [n.id for n in graph.kinds("input", "target")]
        if reads:
            raise ParseError(f"this recurrence reads {', '.join(reads)}: give a sequence for it")
        if steps is None:
            raise ParseError("give a sequence, or a number of steps for a recurrence without inputs")
        feeds, tokens = {}, tuple(str(t) for t in range(1, steps + 1))
    else:
        feeds, tokens = inputs_for(graph, sequence, out_sequence), sequence.tokens
    with np.errstate(all="ignore"):   # log(-1) and the like: reported with the values (to_json_ready)
        result = run(graph, feeds, backend=backend, params=params, hidden=hidden, seed=seed, mode=mode,
                     dtype=dtype, steps=steps if sequence is None else None, initial=initial, tree=tree,
                     out_steps=out_steps)
    second = graph.second_axis()
    out_tokens = () if not second else out_sequence.tokens if out_sequence is not None else tuple(
        str(u) for u in range(1, result.lengths[second] + 1))
    return Session(graph, result, tokens, text, out_tokens)


def to_json_ready(session: Session, sample: int = 0) -> dict:
    """Plain lists: each variable's per-step vectors (or its one vector if computed once), and the tokens."""
    values, broken = {}, []
    for name, array in session.result.arrays().items():
        array = array[sample] if array.ndim == 2 else array[:, sample]
        finite = np.isfinite(array)
        if not finite.all():   # JSON has no NaN or Infinity: such a value becomes null, and is named
            broken.append(name)
            array = np.where(finite, array, None)
        values[name] = array.tolist()
    ready = {"tokens": list(session.tokens), "values": values}
    if session.out_tokens:
        ready["out_tokens"] = list(session.out_tokens)
    if broken:
        ready["non_finite"] = f"{', '.join(broken)} reached NaN or ±infinity (shown as null): " \
                              "check for log of numbers ≤ 0, division by zero or overflow"
    return ready
