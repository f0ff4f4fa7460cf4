"""User trees for a recursive net (Fig 10.14): a bracketing read, unfolded, run, and drawn from the CLI."""
import json
import subprocess
import sys

import numpy as np
import pytest

from graphs import ParseError, parse
from graphs.backends import run
from graphs.catalog import CATALOG
from graphs.tree import balanced, read_bracketing, unfold_tree
from graphs.unfold import unfold

RECURSIVE = parse(CATALOG["recursive"].text)


@pytest.mark.parametrize("text, words, merges", [
    ("((the cat) (sat down))", ("the", "cat", "sat", "down"),
     (((1, 1), (2, 2)), ((3, 3), (4, 4)), ((1, 2), (3, 4)))),
    ("((1 2) 3)", (), (((1, 1), (2, 2)), ((1, 2), (3, 3)))),
    ("(1 (2 3))", (), (((2, 2), (3, 3)), ((1, 1), (2, 3)))),
    ("(I ((saw her) (duck)))", ("I", "saw", "her", "duck"),
     (((2, 2), (3, 3)), ((2, 3), (4, 4)), ((1, 1), (2, 4)))),
    ("word", ("word",), ()),
    ("  ( ( a b )c )", ("a", "b", "c"), (((1, 1), (2, 2)), ((1, 2), (3, 3)))),
])
def test_bracketings_are_read_into_merges(text, words, merges):
    bracketing = read_bracketing(text)
    assert (bracketing.words, bracketing.merges) == (words, merges)
    assert bracketing.leaves == len(merges) + 1


@pytest.mark.parametrize("text", ["x", "(1 2)", "((1 2) 3)", "((1 2) (3 4))", "(((1 2) (3 4)) 5)",
                                  "(((1 2) (3 4)) ((5 6) (7 8)))"])
def test_the_default_unfolding_is_the_balanced_bracketing(text):
    bracketing = read_bracketing(text)   # the same tree; its merges may come in another order
    default = unfold(RECURSIVE, bracketing.leaves)
    given = unfold_tree(RECURSIVE, bracketing.leaves, merges=bracketing.merges)
    assert (set(default.nodes), set(default.edges)) == (set(given.nodes), set(given.edges))
    assert set(bracketing.merges) == set(balanced(bracketing.leaves))


@pytest.mark.parametrize("text, message, col", [
    ("(a b c)", "a bracket joins two parts, this one 3", 1),
    ("((a b)", "never closed", 1),
    ("(a b))", "closes nothing", 6),
    ("(a b) c", "one tree around all the leaves", 1),
    ("((2 1) 3)", "1, 2, … n from left to right", 1),
    ("(a ())", "this one 0", 4),
    ("", "one tree around all the leaves", 1),
])
def test_bad_bracketings_say_what_to_write(text, message, col):
    with pytest.raises(ParseError) as info:
        read_bracketing(text)
    assert message in info.value.message and info.value.col == col


def test_the_unfolded_view_follows_the_users_tree():
    bracketing = read_bracketing("(1 (2 3))")
    g = unfold_tree(RECURSIVE, 3, merges=bracketing.merges)
    children = {(e.src, e.kind) for e in g.edges if e.dst == "h@1:3"}
    assert children == {("h@1", "left"), ("h@2:3", "right")}
    assert {(e.src, e.kind) for e in g.edges if e.dst == "h@2:3"} == {("h@2", "left"), ("h@3", "right")}
    assert ("h@1:3", "o@τ") in {(e.src, e.dst) for e in g.edges}
    g.topo_order()


@pytest.mark.parametrize("backend", ["numpy", "torch"])
def test_a_run_follows_the_users_tree(backend):
    xs = np.random.default_rng(0).normal(size=(3, 4))
    merges = read_bracketing("(1 (2 3))").merges
    result = run(RECURSIVE, {"x": xs}, hidden=5, tree=merges, backend=backend)
    p = {k: np.asarray(v) for k, v in result.params.items()}
    leaf = [np.tanh(p["V"] @ x) for x in xs]
    right = np.tanh(p["W"] @ np.concatenate([leaf[1], leaf[2]]) + p["b"])
    root = np.tanh(p["W"] @ np.concatenate([leaf[0], right]) + p["b"])
    o = result.arrays()["o"][0]
    np.testing.assert_allclose(o, p["U"] @ root + p["c"], atol=1e-12)
    balanced_o = run(RECURSIVE, {"x": xs}, hidden=5, backend=backend).arrays()["o"][0]
    assert not np.allclose(o, balanced_o)


def test_a_tree_of_the_wrong_size_or_for_a_chain_is_refused():
    merges = read_bracketing("((1 2) 3)").merges
    with pytest.raises(ParseError, match="3 leaves was given for a sequence of 4 steps"):
        run(RECURSIVE, {"x": np.ones((4, 2))}, tree=merges)
    with pytest.raises(ParseError, match="not tree-structured"):
        run(parse(CATALOG["elman"].text), {"x": np.ones((3, 2))}, tree=merges)


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "viz", *args], capture_output=True, text=True)


def test_cli_draws_and_runs_a_users_tree(tmp_path, graphviz_dot):
    out = tmp_path / "tree.svg"
    done = _cli("export", "--arch", "recursive", "--view", "unfolded", "--tree", "(1 (2 3))", "-o", str(out))
    assert done.returncode == 0, done.stderr
    svg = out.read_text()
    assert "<title>h@2:3</title>" in svg and "<title>h@1:3</title>" in svg and "<title>h@1:2</title>" not in svg
    done = _cli("run", "--arch", "recursive", "--tree", "((the cat) (sat down))", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["tokens"] == ["the", "cat", "sat", "down"]
    done = _cli("export", "--arch", "elman", "--view", "unfolded", "--tree", "(a b)", "-o", str(out))
    assert done.returncode == 2 and "tree-structured net" in done.stderr
