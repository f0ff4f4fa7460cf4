"""Errors found after parsing (building the circuit, inferring sizes, the run's cost) still point at the
user's line and column: the variable they are about, where it is defined, declared or first used."""
import numpy as np
import pytest

from graphs import ParseError, parse
from graphs.backends import run
from graphs.locate import locate

NESTED = ("input x\nsize x = 16\nh1 = concat(x,x,x,x,x,x,x,x)\nh2 = concat(h1,h1,h1,h1,h1,h1,h1,h1)\n"
          "h3 = concat(h2,h2,h2,h2,h2,h2,h2,h2)\nh4 = concat(h3,h3,h3,h3,h3,h3,h3,h3)")


@pytest.mark.parametrize("text, data, line, col, words", [
    ("input x\nsize q = 4\nh = tanh(W @ x)", None, 2, 6, "size given for 'q'"),
    ("input x\nh = tanh(W @ concat(h[left], h[right]))", None, 2, 1, "leaves"),
    ("input x\na = b + x\nb = a + x", None, 2, 1, "loop within one step"),
    ("input x\nsize h = 3\nh = tanh(x + h[t-1])", {"x": np.zeros((3, 2))}, 3, 1, "sizes disagree"),
    ("input x\nsize h = 2\nh = concat(x, x)", {"x": np.zeros((3, 2))}, 3, 1, "a concat of 2 + 2"),
    ("input x, y\nh = tanh(W @ x + U @ y)", {"x": np.zeros((3, 2))}, 1, 10, "input 'y' is not known"),
    ("# sizes\ninput x\nparam c\nh = tanh(c * x + h[t-1])\nsize h = 5", {"x": np.zeros((3, 2))}, 4, 1, "disagree"),
    (NESTED, {"x": np.zeros((3, 16))}, 6, 1, "'h4' works with vectors of 65,536 units"),
    ("input x\nh(t) = tanh(W h(t-1) + x(t))\nsize h = 3", {"x": np.zeros((3, 2))}, 2, 1, "disagree"),   # notation
])
def test_late_errors_carry_the_line_and_column_of_their_subject(text, data, line, col, words):
    with pytest.raises(ParseError) as caught:
        graph = parse(text)
        run(graph, data)
    assert (caught.value.line, caught.value.col) == (line, col), str(caught.value)
    assert words in caught.value.message


@pytest.mark.parametrize("text, subject, where", [
    ("input x\nh = x\n", "h", (2, 1)),               # its equation first
    ("input q, x\nh = q + x\n", "q", (1, 7)),       # else its declaration
    ("# x2 here\nh = x2 + x\n", "x2", (2, 5)),      # else its first use, never a comment
    ("h = x + np.x2\nh2 = x2\n", "x2", (2, 6)),     # a whole word: not part of another name
])
def test_locate_prefers_the_equation_then_the_declaration_then_a_use(text, subject, where):
    found = locate(ParseError("m", subject=subject), text)
    assert (found.line, found.col) == where


def test_an_error_with_a_line_or_no_subject_is_left_as_it_is():
    placed = ParseError("m", 3, 4, subject="h")
    assert locate(placed, "h = x") is placed
    unnamed = ParseError("m")
    assert locate(unnamed, "h = x") is unnamed
