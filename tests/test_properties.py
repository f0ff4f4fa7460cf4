"""Property-based: any text, and any valid-looking expression, parses into a graph or raises ParseError.

CI runs a fixed number of examples; for a longer run:
    HYPOTHESIS_PROFILE=long python3 -m pytest tests/test_properties.py
"""
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphs import Graph, ParseError, parse

settings.register_profile("ci", max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=20_000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

CANARY_ENV = "UNFOLD_CANARY"


def _parses_or_refuses(text: str) -> None:
    os.environ[CANARY_ENV] = "untouched"
    try:
        graph = parse(text)
        assert isinstance(graph, Graph)
    except ParseError as err:
        assert isinstance(err.line, int) and isinstance(err.col, int) and err.message
    assert os.environ[CANARY_ENV] == "untouched"
    assert not os.path.exists("/tmp/unfold-canary")


@given(st.text(max_size=400))
def test_any_text(text):
    _parses_or_refuses(text)


NAMES = st.sampled_from(["x", "h", "W", "U", "b", "q", "__class__", "__globals__", "__import__", "os", "eval",
                         "tanh", "f", "t", "τ", "left", "élan", "a" * 40, "open", "self", "exec"])
NUMBERS = st.sampled_from(["0", "1", "0.5", "9**9**9", "1e999", "10**100", "-3", "2" * 50, "0x10", "1j", "True"])
INDICES = st.sampled_from(["t", "t-1", "t+1", "t-9", "t-10", "t+0.5", "τ", "0", "left", "x", "t*2", "::", "-1"])


def _expressions():
    leaves = st.one_of(NAMES, NUMBERS)
    return st.recursive(leaves, lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from(["+", "-", "*", "@", "/", "**", "%", "//", "<<", "and", "if 1 else"]),
                  inner).map(" ".join),
        st.tuples(NAMES, st.lists(inner, max_size=3)).map(lambda t: f"{t[0]}({', '.join(t[1])})"),
        st.tuples(NAMES, INDICES).map(lambda t: f"{t[0]}[{t[1]}]"),
        st.tuples(inner, NAMES).map(lambda t: f"({t[0]}).{t[1]}"),
        inner.map(lambda e: f"({e})"),
        inner.map(lambda e: f"-{e}"),
        inner.map(lambda e: f"lambda: {e}"),
        inner.map(lambda e: f"[{e} for x in y]"),
    ), max_leaves=25)


@given(_expressions(), st.sampled_from(["h", "h[0]", "h.x", "h[t]", "x"]), st.booleans())
def test_valid_looking_programs(expression, target, with_null):
    text = f"input x\nparam W, U, b\n{target} = {expression}" + ("\x00" if with_null else "")
    _parses_or_refuses(text)


@given(st.integers(min_value=1, max_value=200))
def test_deep_nesting_never_crashes_the_parser(depth):
    _parses_or_refuses("input x\nh = " + "tanh(" * depth + "x" + ")" * depth)
    _parses_or_refuses("input x\nh = " + "(" * depth + "x" + ")" * depth)
    _parses_or_refuses("input x\nh = " + "-" * depth + "x")
