import math

import pytest

from graphs import ParseError
from graphs.explainers.charrnn import default_text, load, tracking_units, train


@pytest.fixture(scope="module")
def model():
    return load()


def test_shipped_model_learned_more_than_letter_counts(model):
    uniform = math.log(len(model.alphabet))
    assert model.history["validation"][-1] < 0.5 * uniform
    assert model.history["train"][-1] < model.history["train"][0]


def test_sampling_is_seeded_and_temperature_bounded(model):
    a = model.sample("def ", 80, temperature=0.5, seed=3)
    assert a == model.sample("def ", 80, temperature=0.5, seed=3) and a.startswith("def ") and len(a) == 84
    assert set(a[4:]) <= set(model.alphabet)
    with pytest.raises(ParseError):
        model.sample("x", 10, temperature=0)


def test_units_can_be_matched_to_quotes_brackets_and_indentation(model):
    found = tracking_units(model, default_text()[:3000])
    assert set(found) == {"inside a string", "bracket depth", "indentation"}
    assert all(0 <= unit < 64 and 0 < corr <= 1 for unit, corr in found.values())


def test_retraining_from_the_seed_learns(tmp_path):
    losses = []
    fast = train(default_text()[:20_000], epochs=3, progress=lambda e, t, v: losses.append(v))
    assert len(losses) == 3 and losses[-1] < 0.75 * math.log(len(fast.alphabet))


def test_stop_button_ends_training_early():
    seen = []
    train(default_text()[:5_000], epochs=10, progress=lambda e, t, v: seen.append(e) or True)
    assert seen == [0]
