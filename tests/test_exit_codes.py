"""Issue 15's leftover exit codes and small refusals, each run as a user would: exit 2 and one line."""
import subprocess
import sys
from pathlib import Path

import pytest

from graphs import parse
from graphs.backends.data import from_text
from graphs.parse import ParseError

ROOT = Path(__file__).resolve().parent.parent


def _cli(*args: str, stdout=subprocess.PIPE) -> tuple[int, str]:
    done = subprocess.run([sys.executable, "-m", "viz", *args], cwd=ROOT, stdout=stdout, stderr=subprocess.PIPE,
                          text=True, timeout=120)
    return done.returncode, done.stderr


@pytest.mark.parametrize("args", [["list"], ["gt", "--arch", "elman"], ["run", "--arch", "elman", "--text", "a b"]])
def test_a_full_disk_behind_stdout_is_the_users_to_fix(args):
    with open("/dev/full", "w") as full:
        code, err = _cli(*args, stdout=full)
    assert code == 2 and err == "error: cannot write the output: No space left on device\n"


def test_an_animation_onto_a_full_disk_is_the_users_to_fix(tmp_path):
    (tmp_path / "a.gif").symlink_to("/dev/full")
    code, err = _cli("run", "--arch", "elman", "--text", "a b", "--gif", str(tmp_path / "a.gif"))
    assert code == 2 and err.startswith("error: cannot write") and err.count("\n") == 1


@pytest.mark.parametrize("seed", ["-1", str(2**64)])
def test_a_seed_numpy_cannot_take_exits_2(seed):
    code, err = _cli("run", "--arch", "elman", "--text", "a b", "--seed", seed)
    assert code == 2 and "the seed is a whole number" in err and err.count("\n") == 1


def test_declarations_are_normalised_like_equations():
    graph = parse("param W_ℌ\ninput x\nh = tanh(W_ℌ @ x + h[t-1])")
    assert [n.id for n in graph.kinds("param")] == ["W_H"]
    with pytest.raises(ParseError, match="'W_H' is declared twice"):
        parse("param W_ℌ, W_H\ninput x\nh = tanh(W_H @ x)")


def test_the_vocabulary_limit_is_5000_of_the_texts_own_tokens():
    words = " ".join(f"w{chr(0x4e00 + i)}" for i in range(5_000))   # 5,000 distinct words
    sequence = from_text(words, embed=8)
    assert len(sequence.vocabulary) == 5_001 and sequence.values.shape == (5_000, 8)   # and <unk>
    with pytest.raises(ParseError, match="5,001 distinct tokens; the limit is 5,000"):
        from_text(words + " 我", embed=8)


def test_embedding_equals_the_one_hot_product():
    import numpy as np
    from graphs.backends.data import one_hot
    text = "the cat sat on the mat"
    embedded = from_text(text, embed=4, seed=3)
    table = np.random.default_rng(3).normal(size=(len(embedded.vocabulary), 4)) / 2
    assert np.array_equal(embedded.values, one_hot(list(embedded.tokens)).values @ table)
