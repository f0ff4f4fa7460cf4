import ast
import random

import pytest

from graphs.explainers import pycorpus
from graphs.explainers.codeonly import SCOPES, strip_prose
from graphs.explainers.ngram import NGram
from graphs.explainers.pylike import figures, indentation_ok, real_pieces, statement_parses, statements
from graphs.explainers.tablayout import tabbed

SOURCE = '''"""Module docstring."""
import os  # the os module


class A:
    """Only a docstring."""


def f(x,  # first
      y):
    """Two lines
    of prose."""
    # a comment line
    s = "# not a comment"
    return (x +
            y)
'''


def test_prose_is_taken_out_and_the_code_kept_as_written():
    code = strip_prose(SOURCE)
    assert code == ('import os\n\n\nclass A:\n    pass\n\n\ndef f(x,\n      y):\n    s = "# not a comment"\n'
                    '    return (x +\n            y)\n')
    assert ast.dump(ast.parse(code).body[-1].body[-1]) == ast.dump(ast.parse(SOURCE).body[-1].body[-1])


def test_every_corpus_module_loses_its_docstrings_and_still_parses():
    for name in pycorpus.TRAIN_MODULES + pycorpus.VALID_MODULES:
        scopes = [n for n in ast.walk(ast.parse(pycorpus.module_source(name))) if isinstance(n, SCOPES)]
        assert not any(isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
                       and isinstance(first.value.value, str) for first in (s.body[0] for s in scopes)), name


@pytest.mark.parametrize("lines, ok", [(["x = f(a, 'b')"], True), (["return $x"], False), (["print('a)"], False),
                                       (["y = g(1,", "      2)"], True), (["elif x > 1:"], True), (["try:"], True),
                                       (["@property"], True), (["def f(self) x:"], False), (["s = ]"], False)])
def test_a_statement_parses_given_what_it_leans_on(lines, ok):
    assert statement_parses(lines) == ok


def test_statements_run_over_lines_until_their_brackets_close():
    found = statements("x = f(1,\n      2)\ny = [(]\nz = 3\n")
    assert [(len(lines), good) for lines, good in found] == [(2, True), (1, False), (1, True)]


def test_indentation_follows_blocks():
    lines = ["def f():", "    if x:", "        y", "    z", "  w", "q"]
    assert indentation_ok([[line] for line in lines]) == [True, True, True, False, True]


def test_real_code_looks_like_python_and_scrambled_code_does_not():
    text = pycorpus.module_source("selectors")
    real = figures(real_pieces(text, 1_500, 6))
    assert min(real.values()) >= 0.6 and real["statements that parse"] >= 0.95
    rng = random.Random(0)
    scrambled = figures(["\n".join("".join(rng.sample(line, len(line))) for line in piece.split("\n"))
                         for piece in real_pieces(text, 1_500, 6)])   # each line's characters shuffled
    assert scrambled["statements that parse"] < 0.5 and scrambled["indentation"] < 0.8
    assert scrambled["brackets"] < 0.9 and not scrambled["definitions that parse"] >= 0.1   # nan: no def left


def test_the_ngram_sampler_is_seeded_and_keeps_to_the_alphabet():
    ngram = NGram(pycorpus.module_source("glob"), pycorpus.ALPHABET)
    a = ngram.sample("def ", 200, 0.6, seed=1)
    assert a == ngram.sample("def ", 200, 0.6, seed=1) != ngram.sample("def ", 200, 0.6, seed=2)
    assert len(a) == 204 and set(a) <= set(pycorpus.ALPHABET)


def test_definitions_run_from_one_def_to_the_next_and_the_last_is_left_out():
    text = "x = 1\n@cache\ndef f():\n    return 1\n\nclass A:\n    def g(self) x:\n        pass\ndef h():\n    ret"
    found = statements(text + "\n")
    # @cache def f parses; class A (up to its def g) parses; def g does not; def h is the last: left out
    assert figures([text + "\n"])["definitions that parse"] == pytest.approx(2 / 3)
    assert sum(1 for lines, _ in found if lines[0].startswith("def ")) == 2


def test_one_misplaced_statement_costs_one_count_not_the_rest_of_its_block():
    lines = ["def f():", "    x", "            y", "            z", "    w", "", "def g():", "    v"]
    found = [lines for lines, _ in statements("\n".join(lines) + "\n")]
    assert indentation_ok(found) == [True, False, True, True, True, True]   # the levels follow the text again


def test_a_line_joined_by_a_backslash_belongs_to_its_statement():
    text = "if a and \\\n        b:\n    x = 1\n"
    assert [len(lines) for lines, _ in statements(text)] == [2, 1]
    found = figures([text])
    assert [found[name] for name in ("statements that parse", "indentation", "brackets")] == [1.0, 1.0, 1.0]


def test_tab_indented_code_is_measured_as_a_reader_sees_it():
    pieces = real_pieces(tabbed(pycorpus.module_source("selectors")), 1_500, 4)   # one tab a level
    assert "\n\t" in pieces[1]
    assert figures(pieces) == figures([piece.replace("\t", "    ") for piece in pieces])
    assert figures(pieces)["indentation"] == 1.0
