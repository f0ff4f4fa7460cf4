"""Hostile and broken inputs typed into the app: each gives an error element, never an exception."""
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).parent.parent / "app.py")

RECURRENCES = [
    ("import", "import os"),
    ("dunder import", "h = __import__('os').system('touch /tmp/unfold-canary')"),
    ("attribute chain", "input x\nh = x.__class__.__mro__"),
    ("lambda", "h = (lambda: 1)()"),
    ("huge power", "input x\nh = 9**9**9"),
    ("unknown function", "input x\nh = tahn(Q @ x)"),
    ("capital element-wise", "h = tanh(W * h[t-1] + U * x)"),
    ("undelayed loop", "input x\nparam V\nh = V @ o + x\no = V @ h"),
    ("dot injection", 'input a" [shape=none]\nh = 1'),
    ("null byte", "input x\nh = x\x00"),
    ("too long", "#" * 5000),
    ("empty", ""),
]


@pytest.mark.parametrize("name, text", RECURRENCES, ids=[r[0] for r in RECURRENCES])
def test_hostile_recurrence(name, text, graphviz_dot):
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.text_area(key="source-elman").set_value(text).run()
    assert not at.exception
    assert at.error, f"{name}: no error shown"
    assert "Traceback" not in at.error[0].value


SEQUENCES = [("empty text", ""), ("only spaces", "   "), ("binary garbage", "\x00\x01\x02")]


@pytest.mark.parametrize("name, text", SEQUENCES, ids=[s[0] for s in SEQUENCES])
def test_hostile_sequence(name, text, graphviz_dot):
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.radio(key="view").set_value("Run").run()
    at.text_input(key="text").set_value(text).run()
    assert not at.exception
    if text.strip(" "):
        assert not at.error   # control characters are tokens like any other: the run goes through
    else:
        assert any("no tokens" in e.value for e in at.error)


def test_absurd_tau_in_the_long_view_is_answered_elided(graphviz_dot):
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.toggle(key="long").set_value(True).run()
    at.number_input(key="big_steps").set_value(10**9).run()
    assert not at.exception and not at.error
    assert [h.value for h in at.subheader][:2] == ["Circuit", "Unfolded (elided)"]


def test_missing_graphviz_still_draws_in_the_browser(monkeypatch):
    import streamlit as st
    st.cache_data.clear()   # drawings cached by earlier tests would hide the missing program
    monkeypatch.setenv("PATH", "/nonexistent")
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert any("apt-get install graphviz" in w.value for w in at.warning)
    assert len(at.get("graphviz_chart")) >= 2
