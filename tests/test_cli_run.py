"""`python -m viz run` for autonomous systems (--steps, --init), teacher forcing's --mode, and the book's notation."""
import json
import subprocess
import sys

import numpy as np
import pytest

from graphs import parse
from graphs.backends import run
from graphs.backends.data import from_numbers
from graphs.backends.session import inputs_for
from graphs.catalog import CATALOG


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "viz", *args], capture_output=True, text=True)


def test_an_autonomous_system_runs_for_steps_from_a_given_h0():
    done = _cli("run", "--arch", "dynamical", "--steps", "5", "--hidden", "3", "--init", "s=0.5,-1,0.25", "--json")
    assert done.returncode == 0, done.stderr
    values = np.array(json.loads(done.stdout)["values"]["s"])
    theta = run(parse(CATALOG["dynamical"].text), {}, steps=1, hidden=3, seed=0).params["θ"]
    s, expected = np.array([0.5, -1, 0.25]), []
    for _ in range(5):   # s(t) = f(s(t-1); θ) = tanh(θ s(t-1))
        s = np.tanh(theta @ s)
        expected.append(s)
    np.testing.assert_allclose(values, expected, atol=1e-12)
    assert json.loads(done.stdout)["tokens"] == ["1", "2", "3", "4", "5"]


def test_without_h0_an_autonomous_system_starts_from_its_own_initial_state():
    done = _cli("run", "--recurrence", "param W, h0; h[0] = h0; h = tanh(W @ h[t-1])", "--steps", "3", "--json")
    assert done.returncode == 0, done.stderr
    assert np.abs(json.loads(done.stdout)["values"]["h"]).sum() > 0   # a trainable h(0), not zeros


@pytest.mark.parametrize("args, message", [
    (("--arch", "elman", "--steps", "3"), "reads x, y: give a sequence"),
    (("--arch", "dynamical",), "or a number of steps"),
    (("--arch", "dynamical", "--text", "a b"), "no input to feed"),
    (("--arch", "dynamical", "--steps", "3", "--init", "s=1,2"), "s(0) has 2 numbers, but s has 8 units"),
    (("--arch", "dynamical", "--steps", "3", "--init", "h=1"), "h is not a state that reads its past"),
    (("--arch", "dynamical", "--steps", "3", "--init", "s=one"), "--init h=0.5,-1"),
    (("--arch", "dynamical", "--steps", "0"), "it must have 1 to"),
])
def test_bad_runs_are_one_line_errors(args, message):
    done = _cli("run", *args)
    assert done.returncode == 2
    assert message in done.stderr and len(done.stderr.splitlines()) == 1


def test_mode_chooses_teacher_forcing():
    numbers = "1, 0; 0, 1; 1, 1; 0, 0"
    outputs = {}
    for mode in ("train", "test"):
        done = _cli("run", "--arch", "teacher_forcing", "--numbers", numbers, "--mode", mode, "--json")
        assert done.returncode == 0, done.stderr
        outputs[mode] = np.array(json.loads(done.stdout)["values"]["h"])
        graph = parse(CATALOG["teacher_forcing"].text)
        expected = run(graph, inputs_for(graph, from_numbers(numbers)), mode=mode).arrays()["h"][:, 0]
        np.testing.assert_allclose(outputs[mode], expected, atol=1e-12)
    assert not np.allclose(outputs["train"][1:], outputs["test"][1:])   # y(t-1) against ŷ(t-1)


def test_the_books_notation_runs_and_the_assumptions_are_said():
    done = _cli("run", "--recurrence", "s(t) = f(s(t-1); θ)", "--steps", "2", "--json")
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == "assumed: param θ"
    assert len(json.loads(done.stdout)["values"]["s"]) == 2


def test_export_draws_the_books_notation(tmp_path):
    out = tmp_path / "book.svg"
    done = _cli("export", "--recurrence", "h(t) = tanh(W h(t−1) + U x(t) + b); o(t) = V h(t)",
                "--view", "unfolded", "--steps", "3", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == "assumed: input x; param W, U, b, V"
    assert "<title>h@3</title>" in out.read_text()
