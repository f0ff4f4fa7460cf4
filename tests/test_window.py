import numpy as np
import pytest

from graphs.explainers import window
from graphs.explainers.corpus import held_out_pairs


@pytest.fixture(scope="module")
def model():
    return window.load()


def test_each_vote_sees_only_its_three_words(model):
    # the same last three words, different words before them: the same vote at those steps
    a_tokens, a = model.votes("I am not sad, I'm happy.")
    b_tokens, b = model.votes("You were very sad, I'm happy.")
    assert a_tokens[-3:] == b_tokens[-3:] == ["i'm", "happy", "."]
    np.testing.assert_allclose(a[-1], b[-1], atol=1e-12)
    assert abs(a[-4] - b[-4]) > 1e-6   # "sad ," differs from "very sad ," … inside the window it is seen


def test_the_score_is_the_mean_vote(model):
    _, votes = model.votes("She is happy.")
    assert model.score("She is happy.") == pytest.approx(1 / (1 + np.exp(-votes.mean())))


def test_shipped_window_model_against_the_held_out_sets(model):
    scores = window.accuracy(model)
    assert scores["pairs_both_right"] >= 0.99 and scores["natural"] >= 0.95   # README: 100% and 98.3%


def test_classify_reports_all_three_models(model):
    result = window.classify(model.words, model, "I am sad, I'm not happy.")
    assert set(result) == {"sentence", "recurrent", "bag_of_words", "time_delay"}
    assert result["time_delay"]["label"] == "negative"


def test_retraining_from_the_seed_learns_local_negation():
    fast = window.train(size=4_500, epochs=6)   # about 3,000 sentences of the pairs' shapes, as before the wider shapes
    pairs = held_out_pairs(100)
    right = sum((fast.score(a) >= 0.5) == bool(ya) and (fast.score(b) >= 0.5) == bool(yb) for (a, ya), (b, yb) in pairs)
    assert right / len(pairs) >= 0.8
