import json
import subprocess
import sys
from itertools import permutations

import pytest

from graphs.explainers.corpus import HELD_OUT_SUBJECTS, held_out_pairs, training_corpus
from graphs.explainers.natural import NATURAL
from graphs.explainers.sentiment import accuracy, load, train, words
from graphs.explainers.trace import trace_pair

SEED_PAIR = ["I am not sad, I'm happy.", "I am sad, I'm not happy."]


@pytest.fixture(scope="module")
def model():
    return load()


def test_the_seed_pair_is_right_and_the_bag_of_words_cannot_tell_them_apart(model):
    positive, negative = (model.classify(s) for s in SEED_PAIR)
    assert positive["recurrent"]["label"] == "positive" and negative["recurrent"]["label"] == "negative"
    assert positive["bag_of_words"]["p_positive"] == negative["bag_of_words"]["p_positive"]


def test_bag_of_words_scores_every_order_alike(model):
    tokens = words("She was hopeful, not afraid.")
    scores = {model.bag_score(" ".join(order)) for order in list(permutations(tokens))[:200]}
    assert len(scores) == 1


def test_held_out_pairs_are_never_in_the_training_corpus():
    trained = {text for text, _ in training_corpus()}
    pairs = held_out_pairs()
    assert not any(a in trained or b in trained for (a, _), (b, _) in pairs)
    assert all(any(a.lower().startswith(s.lower()) for s, _, _ in HELD_OUT_SUBJECTS) for (a, _), _ in pairs)


def test_shipped_model_generalises(model):
    scores = accuracy(model, held_out_pairs())
    assert scores["recurrent"]["pairs_both_right"] >= 0.99
    assert scores["bag_of_words"]["pairs_both_right"] == 0.0   # one of each pair is always wrong
    natural = sum(model.classify(t)["recurrent"]["label"] == ("positive" if y else "negative") for t, y in NATURAL)
    assert natural / len(NATURAL) >= 0.95


def test_unknown_words_are_handled(model):
    result = model.classify("Zorblax is not xyzzy at all, he is happy.")
    assert result["recurrent"]["label"] in ("positive", "negative")


def test_retraining_from_the_seed_reaches_the_stated_accuracy():
    fast = train(size=3_000, epochs=6)
    assert accuracy(fast, held_out_pairs(200))["recurrent"]["pairs_both_right"] >= 0.99


def test_cli_explain_prints_each_models_label_and_probability():
    done = subprocess.run([sys.executable, "-m", "viz", "explain", "--json", *SEED_PAIR], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)["sentences"]
    assert [r["recurrent"]["label"] for r in out] == ["positive", "negative"]
    assert out[0]["bag_of_words"] == out[1]["bag_of_words"]


def test_cli_explain_traces_each_pair():
    done = subprocess.run([sys.executable, "-m", "viz", "explain", "--json", *SEED_PAIR, "I love it.", "I hate it.",
                           "A lone sentence."], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    seed, unknown_verbs = json.loads(done.stdout)["pairs"]
    # "I am not sad …" / "I am sad …": the states part at the 3rd word, the verdicts at the last
    assert (seed["divergence_step"], seed["divergence_tokens"]) == (3, ["not", "sad"])
    assert seed["delta_h"][:2] == [0.0, 0.0] and seed["delta_h"][2] > seed["threshold"]
    assert (seed["flip_step"], seed["flip_tokens"]) == (8, [".", "."])
    assert seed["bag_of_words"][0] == seed["bag_of_words"][1]
    assert len(seed["p_positive"][0]) == len(seed["tokens"][0]) == 8


@pytest.mark.parametrize("first, second, parted, flipped", [
    ("I am not sad, I'm happy.", "I am sad, I'm not happy.", 3, 8),
    ("She is happy.", "She is sad.", 3, 3),
    ("She could not be happier.", "She could be happier.", 3, None),   # lengths differ: no common last step
])
def test_trace_pair_marks_where_states_and_verdicts_part(model, first, second, parted, flipped):
    trace = trace_pair(model, first, second)
    assert (trace["divergence_step"], trace["flip_step"]) == (parted, flipped)
    assert all(d <= trace["threshold"] for d in trace["delta_h"][:parted - 1])
