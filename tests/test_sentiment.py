import json
import subprocess
import sys
from itertools import permutations

import pytest

from graphs.explainers.corpus import HELD_OUT_SUBJECTS, held_out_pairs, held_out_wider, training_corpus
from graphs.explainers.phrases import HELD_OUT_OBJECTS, QUANTIFIERS, VERBS
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
    seed, verbs = json.loads(done.stdout)["pairs"]
    # "I am not sad …" / "I am sad …": the states part at the 3rd word, the verdicts at the last
    assert (seed["divergence_step"], seed["divergence_tokens"]) == (3, ["not", "sad"])
    assert seed["delta_h"][:2] == [0.0, 0.0] and seed["delta_h"][2] > seed["threshold"]
    flip = seed["flip_step"]   # from here to the end the two verdicts differ, and not one step earlier
    assert flip is not None and seed["flip_tokens"] == [seed["tokens"][0][flip - 1], seed["tokens"][1][flip - 1]]
    verdicts = [[p >= 0.5 for p in ps] for ps in seed["p_positive"]]
    assert all(a != b for a, b in zip(verdicts[0][flip - 1:], verdicts[1][flip - 1:]))
    assert flip == 1 or verdicts[0][flip - 2] == verdicts[1][flip - 2]
    assert seed["bag_of_words"][0] == seed["bag_of_words"][1]
    assert len(seed["p_positive"][0]) == len(seed["tokens"][0]) == 8
    assert verbs["p_positive"][0][-1] > 0.5 > verbs["p_positive"][1][-1]   # "I love it." / "I hate it."


@pytest.mark.parametrize("first, second, parted, flipped", [
    ("I am not sad, I'm happy.", "I am sad, I'm not happy.", 3, 3),   # "I am not" reads negative, "I am sad" not yet
    ("She is happy.", "She is sad.", 3, 4),   # only the last step is trained: the verdicts part at the stop
    ("She could not be happier.", "She could be happier.", 3, None),   # lengths differ: no common last step
])
def test_trace_pair_marks_where_states_and_verdicts_part(model, first, second, parted, flipped):
    trace = trace_pair(model, first, second)
    assert (trace["divergence_step"], trace["flip_step"]) == (parted, flipped)
    assert all(d <= trace["threshold"] for d in trace["delta_h"][:parted - 1])


@pytest.mark.parametrize("sentence, expected", [
    ("I love it.", "positive"), ("I hate it.", "negative"), ("Happy.", "positive"), ("Sad.", "negative"),
    ("Everyone is sad, nobody is happy.", "negative"), ("She could not be happier.", "positive"),
    ("I don't like it.", "negative"), ("No one was sad.", "positive"),
])
def test_the_issues_sentences_get_their_verdicts_from_the_shipped_weights(model, sentence, expected):
    assert sentence not in {text for text, _ in training_corpus()}   # the natural set is kept out of training
    assert model.classify(sentence)["recurrent"]["label"] == expected


def test_the_generator_writes_the_wider_shapes_with_right_labels():
    corpus = dict(training_corpus(4_000))
    assert any(text.lower().startswith(q) for text in corpus for q in QUANTIFIERS)
    assert any(" could not be " in text or " couldn't be " in text for text in corpus)
    assert any(len(text.split()) == 1 for text in corpus)
    assert all(any(f" {v} " in f" {text} " or f" {third} " in f" {text} " for text in corpus)
               for v, (third, _, _) in VERBS.items())
    labelled = {"Nobody is happy.": 0, "Everyone is happy.": 1, "Happy.": 1, "Not happy.": 0}
    assert all(corpus[text] == y for text, y in labelled.items() if text in corpus)


def test_held_out_wider_sentences_are_disjoint_from_training_and_mostly_right(model):
    trained = {text for text, _ in training_corpus()}
    wider = held_out_wider()
    assert not {text for text, _ in wider} & trained
    assert not any(thing in text for text, _ in training_corpus() for thing in HELD_OUT_OBJECTS)
    right = sum(model.classify(text)["recurrent"]["label"] == ("positive" if y else "negative") for text, y in wider)
    assert right / len(wider) >= 0.95
