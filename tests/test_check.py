"""The checker between parse and run: what it refuses (with line and column), and that whatever it accepts
unfolds, draws, writes g(t) and runs on both backends.

The property test runs 10,000 generated programs in CI; UNFOLD_LONG=1 runs 100,000:
    UNFOLD_LONG=1 python3 -m pytest -q tests/test_check.py -k pipeline
"""
import os
import random
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from graphs import ParseError, parse
from graphs.gtext import g_text
from graphs.unfold import unfold, window
from viz.dot import to_dot

PROGRAMS = 100_000 if os.environ.get("UNFOLD_LONG") else 10_000

# The examples and their kin: (text, line, col, words of the message).
REFUSED = [
    ("input x\nh = softmax(0)", 2, 5, "softmax needs a vector"),
    ("input x\nh = concat(1, x)", 2, 5, "concat needs a vector"),
    ("input x\nparam W\nh = W @ 0", 3, 7, "right of @"),
    ("input x\nparam W\nh[leaf] = x\nh = tanh(W @ h[left])", 4, 14, "h[left] and h[right]"),
    ("input x\nh = tanh(o[left]) + x\no = x", 2, 10, "own equation"),
    ("input x\nparam W\nh = tanh(W @ h[left] + W @ h[right])", 3, 1, "write its leaves"),
    ("input x\nparam b\nh = b", 3, 1, "reads no variable"),
    ("input x\nh = 1 + 2", 2, 1, "reads no variable"),
    ("input x\nh = x + 1/0", 2, 10, "divides by zero"),
    ("input x\nh = mse(0.5, 0.5) + x", 2, 5, "mse compares vectors"),
    ("input x\nh = cross_entropy(0.5, x) + x", 2, 5, "first argument must be"),
    ("input x\nh = exp(-1) * x", 2, 5, "exp needs a vector"),
    ("input x, y\nh = teacher_forcing(1, x)", 2, 5, "teacher_forcing"),
    ("input x\nparam W\nh = f(0.5, x, W)", 3, 5, "f(inputs"),
    ("input x\nparam W\nh = tanh(W @ x) + W", 3, 10, "both as a matrix"),
    ("input x\nparam w\nh = w @ x\no = h * w", 4, 9, "(line 3)"),   # lower case: a capital is refused sooner
    ("input x\nparam W\nh = tanh(h[t-1] @ x)", 3, 17, "left of @"),
    ("input x\nparam W\nh[leaf] = x\nh = tanh(W @ concat(h[left], h[right]))\no = h", 5, 1, "computed once"),
    ("input x\nparam W\no = x\nh[leaf] = o\nh = tanh(W @ concat(h[left], h[right]))", 4, 11, "inputs at its own"),
    ("input x\nparam W\nh[leaf] = x\nh = tanh(W @ concat(h[left], h[right], h[t-1]))", 4, 40, "no t-1"),
    ("input x, y\nparam b\nh = o[τ]\ng = h\no = softmax(b * g[t+1])", 3, 1, "computed once at the end, yet"),
    ("input x\nparam W, c\nh[leaf] = c\nh = tanh(W @ concat(h[left], h[right]))\no = x[τ]", 3, 1, "read the inputs"),
    ("input x\nparam W\nh[leaf] = 0.5\nh = tanh(W @ concat(h[left], h[right]))", 3, 1, "read the inputs"),
    ("input x\nparam W\nh[leaf] = x\nh = tanh(W @ concat(h[left], h[right]))\ng[leaf] = x\n"
     "g = tanh(W @ concat(g[left], g[right]))", 5, 1, "at most one tree"),
]


@pytest.mark.parametrize("text, line, col, words", REFUSED)
def test_refused_with_line_and_column(text, line, col, words):
    with pytest.raises(ParseError) as caught:
        parse(text)
    assert words in caught.value.message
    assert (caught.value.line, caught.value.col) == (line, col)


ACCEPTED = [
    "input x\nh = x + -1",                       # -1 is neg(1): folded to a number before torch sees it
    "input x\nh = tanh(h[t+1]) + x",             # a backward state: drawn and run; g(t) refuses it cleanly
    "input x\nh = x[τ]",
    "input x\nparam W, b\nh = tanh(W @ h[t-1] + x * (2 - 1) / 4 + b)",
    "input x, y\nparam V, W, b\nh[leaf] = tanh(V @ x)\nh = tanh(W @ concat(h[left], h[right]) + b)\n"
    "L = mse(h[τ], y[τ])",
]


@pytest.mark.parametrize("text", ACCEPTED)
def test_accepted_programs_go_all_the_way(text):
    through_the_pipeline(text)


@pytest.mark.parametrize("text", ["input x\nh = tanh(h[t+1])", "input x\nh = tanh(h[t+2]) + x"])
def test_g_of_t_refuses_a_state_reading_its_future(text):
    with pytest.raises(ParseError, match="its own past"):   # was KeyError 2, reachable from a shared link
        g_text(parse(text), "h", 3)


def through_the_pipeline(text: str) -> None:
    """parse → unfold (full and elided) → DOT → g(t) → NumPy → torch; ParseError is the only way out."""
    from graphs.backends import run
    try:
        graph = parse(text)
    except ParseError as err:
        assert err.message and (err.line >= 1) == (err.col >= 1), err
        return
    to_dot(graph)
    to_dot(unfold(graph, 3))
    to_dot(unfold(graph, 9, elide=True))
    second = graph.second_axis()
    if second:   # a second time axis (input z over u): its own length, shorter and longer than τ
        to_dot(unfold(graph, 3, out_steps=2))
        to_dot(unfold(graph, 9, elide=True, out_steps=12))
    if not graph.tree:
        to_dot(window(graph))
    for n in graph.nodes:
        if n.expr is not None and n.kind != "init":
            for substitute in (False, True):
                try:
                    g_text(graph, n.id, 3, substitute=substitute, out_steps=2 if second else None)
                except ParseError:
                    pass   # g(t) is written only for a state reading its own past
    lengths = {"": 4, second: 3}
    inputs = {n.id: np.linspace(-1, 1, lengths[n.axis] * (n.size or 2)).reshape(lengths[n.axis], -1)
              for n in graph.kinds("input")}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)   # log(-1) is NaN: a value, reported as such
        try:
            numpy_run = run(graph, inputs, hidden=3, steps=4).arrays()
        except ParseError:
            return   # sizes that disagree are found once the inputs' sizes are known
        torch_run = run(graph, inputs, hidden=3, steps=4, backend="torch").arrays()
    assert numpy_run.keys() == torch_run.keys()
    for name in numpy_run:   # values are compared on chosen programs in test_backends; chaotic ones diverge
        assert numpy_run[name].shape == torch_run[name].shape, name


FUNCTIONS_1 = ["tanh", "sigmoid", "relu", "exp", "log", "softmax"]


INDICES = ['t-1', 't-1', 't-1', 't-2', 't+1', 'τ', 'left']
SECOND_INDICES = INDICES + ['u-1', 'u-1', 'u+1', 'u']   # a second time axis, declared by `input z over u`


def _expression(rng: random.Random, now: list[str], past: list[str], depth: int = 0, indices=INDICES) -> str:
    """A random expression: reads of `now` at t, of `past` at another step, params, numbers and calls."""
    if depth > 3 or rng.random() < 0.35:
        roll = rng.random()
        if roll < 0.45 and now:
            return rng.choice(now)
        if roll < 0.75 and past:
            return f"{rng.choice(past)}[{rng.choice(indices)}]"
        return rng.choice(["b", "c", "0", "1", "0.5", "-2", "x"])

    def inner():
        return _expression(rng, now, past, depth + 1, indices)
    roll = rng.random()
    if roll < 0.25:
        return f"({inner()} {rng.choice('+-*/')} {inner()})"
    if roll < 0.45:
        return f"({rng.choice(['W', 'V'])} @ {inner()})"
    if roll < 0.65:
        return f"{rng.choice(FUNCTIONS_1)}({inner()})"
    if roll < 0.75:
        return f"concat({', '.join(inner() for _ in range(rng.randint(2, 3)))})"
    if roll < 0.85:
        return f"{rng.choice(['mse', 'cross_entropy', 'teacher_forcing'])}({inner()}, {inner()})"
    if roll < 0.93:
        return f"f({', '.join(inner() for _ in range(rng.randint(1, 2)))}, U)"
    return f"-({inner()})"


def _program(seed: int) -> str:
    """A valid-looking program: declared inputs and params, every variable defined, mostly delayed loops."""
    rng = random.Random(seed)
    inputs = rng.choice([["x"], ["x", "y"]])
    lines = [f"input {', '.join(inputs)}", "param W, U, V, b, c"]
    indices = INDICES
    if rng.random() < 0.2:   # an encoder–decoder's second axis: z over u, read as z, z[u-1], and h[τ] across
        lines.insert(1, "input z over u")
        inputs, indices = inputs + ["z"], SECOND_INDICES
    lines += rng.choice([[], [], ["size h = 2"], [f"size {inputs[-1]} = 3"]])
    if rng.random() < 0.1:   # a recursive net: leaves from the inputs, children combined, a value at the root
        lines.append(f"h[leaf] = {_expression(rng, inputs, [])}")
        lines.append(f"h = {_expression(rng, [], ['h'])}".replace("h[t-1]", "h[left]").replace("h[t-2]", "h[right]"))
        lines.append(f"o = {_expression(rng, [], ['h', *inputs])}".replace("[t-1]", "[τ]"))
        return "\n".join(lines)
    defined = rng.choice([["h"], ["h", "g"], ["h", "o"], ["h", "g", "o"]])
    for k, name in enumerate(defined):   # reading a later variable at t would risk a loop within one step
        if rng.random() < 0.15:
            lines.append(f"{name}[0] = {rng.choice(['0', 'b', 'x'])}")
        lines.append(f"{name} = {_expression(rng, inputs + defined[:k], defined, indices=indices)}")
    return "\n".join(lines)


@settings(max_examples=PROGRAMS, deadline=None, database=None, derandomize=not os.environ.get("UNFOLD_LONG"),
          suppress_health_check=list(HealthCheck))
@given(st.integers(min_value=0, max_value=2**32))
def test_pipeline_accepts_or_refuses_never_crashes(seed):
    # programs come from a seeded generator: Hypothesis's own grammar strategies cost ~25 ms an example
    text = _program(seed)
    note(text)
    through_the_pipeline(text)
