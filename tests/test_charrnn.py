import math

import numpy as np
import pytest

from graphs import ParseError
from graphs.backends import run
from graphs.explainers import pycorpus
from graphs.explainers.charrnn import WEIGHTS, load
from graphs.explainers.chartrain import mean_loss, streams, train
from graphs.explainers.ngram import ngram_loss
from graphs.explainers.pylike import BAR as LOOKS, compare, meets
from graphs.explainers.units import BAR, correlations, find_units, labels


@pytest.fixture(scope="module")
def model():
    return load()


def test_shipped_weights_are_small_and_state_what_they_were_trained_on(model):
    assert WEIGHTS.stat().st_size <= 1_000_000
    assert model.alphabet == pycorpus.alphabet(model.layout) and model.facts["seconds"] > 0
    assert model.history["validation"][-1] < model.facts["baseline_3gram"]


def test_shipped_model_reaches_the_target_on_held_out_modules(model):
    train_text, valid_text = pycorpus.corpus(model.layout)   # rebuilt here, from this machine's standard library
    loss = mean_loss(model.graph(), model.params, streams(model.encode(valid_text), 16), model.cell)
    assert loss <= 1.5
    assert loss < ngram_loss(train_text, valid_text, model.alphabet) - 0.3


def test_units_follow_strings_and_bracket_depth_on_both_excerpts(model):
    found = find_units(model)
    assert set(found) == {"inside a string", "bracket depth", "indentation"}
    assert found["inside a string"].weakest >= BAR
    assert max(found["bracket depth"].weakest, found["indentation"].weakest) >= BAR


def test_shipped_samples_look_more_like_python_than_the_3grams_but_less_than_real_code(model):
    ours, ngram, real = compare(model, temperature=0.6).values()
    assert all(ngram[name] + 0.05 < ours[name] < real[name] for name in LOOKS), (ours, ngram, real)
    assert meets(ours), ours   # the README's figures: every one of the four clears the bar


def test_found_units_clear_the_bar_on_an_excerpt_not_used_to_find_them(model):
    found = find_units(model)
    name = "copy"    # neither trained on nor searched
    assert name not in pycorpus.TRAIN_MODULES + pycorpus.VALID_MODULES
    source = pycorpus.module_source(name, layout=model.layout)
    text, truth = source[:8_000], {k: v[:8_000] for k, v in labels(source).items()}
    states = model.states(text)
    r = {feature: correlations(states[f.state], truth[feature])[f.unit] for feature, f in found.items()}
    assert abs(r["inside a string"]) >= BAR and max(abs(r["bracket depth"]), abs(r["indentation"])) >= BAR


def test_comments_are_labelled_and_are_not_strings():
    truth = labels("x = 1  # a 'b'\ns = 'c'")
    assert _marks(truth["inside a comment"]) == "0000000111111100000000"
    assert _marks(truth["inside a string"]) == "0000000000000000000110"   # after each character


def test_the_corpus_is_code_without_prose():
    train_text, valid_text = pycorpus.corpus()
    assert len(train_text) >= 200_000 and len(valid_text) >= 20_000
    assert not labels(train_text)["inside a comment"].any() and not labels(valid_text)["inside a comment"].any()
    assert pycorpus.corpus() == (train_text, valid_text)   # rebuilt the same


def test_long_texts_run_in_pieces_with_the_state_carried_over(model):
    text = pycorpus.corpus(model.layout)[1][:2_500]
    whole = run(model.graph(), {"x": model.encode(text)}, params=model.params).values["h"][:, 0]
    np.testing.assert_allclose(model.hidden(text), whole, atol=1e-9)


def test_an_lstm_carries_both_its_states_between_pieces():
    lstm = train(pycorpus.module_source("glob"), epochs=1, hidden=12, cell="lstm")
    text = pycorpus.module_source("queue")[:2_300]
    whole = run(lstm.graph(), {"x": lstm.encode(text)}, params=lstm.params).values
    pieces = lstm.states(text)
    assert lstm.cell == "lstm" and set(pieces) == {"h", "s"}
    for state in ("h", "s"):
        np.testing.assert_allclose(pieces[state], whole[state][:, 0], atol=1e-9)


def test_sampling_is_seeded_and_temperature_bounded(model):
    a = model.sample("def ", 80, temperature=0.5, seed=3)
    assert a == model.sample("def ", 80, temperature=0.5, seed=3) and a.startswith("def ")
    assert 84 <= len(a) <= 84 + 3 * 80     # a tab-layout model's tab is shown as 4 spaces
    assert set(a[4:]) <= set(model.alphabet) and not any(line.startswith("\t") for line in a.split("\n"))
    with pytest.raises(ParseError):
        model.sample("x", 10, temperature=0)


def test_characters_outside_the_alphabet_read_as_the_placeholder(model):
    np.testing.assert_array_equal(model.encode("é\x0b"), model.encode("??"))


def test_retraining_from_the_seed_learns():
    losses = []
    text = pycorpus.module_source("textwrap", prose=True)   # an upload: any text, docstrings and all
    fast = train(text, epochs=3, hidden=48, progress=lambda e, t, v: losses.append(v))
    assert len(losses) == 3 and losses[-1] < 0.75 * math.log(len(fast.alphabet)) and losses[-1] < losses[0]
    assert fast.hidden_size == 48 and fast.facts["corpus"] == pycorpus.digest(text)


def test_stop_button_ends_training_early():
    seen = []
    train(pycorpus.module_source("glob"), epochs=10, hidden=16, progress=lambda e, t, v: seen.append(e) or True)
    assert seen == [0]


def test_too_short_a_text_is_refused_in_a_sentence():
    with pytest.raises(ParseError, match="at least 100 characters"):
        train("x = 1\n", epochs=1)


def _marks(values) -> str:
    return "".join(str(min(int(v), 9)) for v in values)


@pytest.mark.parametrize("text, feature, expected", [
    ("x = 'a#b'  # it's", "inside a string", "00001111000000000"),
    ('s = """a\n"b"\n""" + x', "inside a string", "00001111111110000000"),
    (r"'a\'b' + 1", "inside a string", "1111100000"),
    ("f(x[1], '(')", "bracket depth", "011221111110"),   # a bracket in a string does not count
    ("# (\nif x:\n    y = 1", "bracket depth", "0000000000000000000"),
    ("if x:\n    y(\n  z)", "indentation", "00000012344401222"),
])
def test_labels_follow_python_lexing(text, feature, expected):
    assert _marks(labels(text)[feature]) == expected


def test_the_ngram_baseline_knows_more_with_more_context():
    train_text, valid_text = pycorpus.module_source("shlex"), pycorpus.module_source("glob")
    losses = [ngram_loss(train_text, valid_text, pycorpus.ALPHABET, order) for order in (1, 2, 3)]
    assert math.log(len(pycorpus.ALPHABET)) > losses[0] > losses[1] > losses[2]
