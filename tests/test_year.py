import json
import subprocess
import sys

import pytest

from graphs.explainers.year import LENGTH, TRAIN_POSITIONS, accuracy_by_position, load, train

BOOK = [("I went to Nepal in 2009", 5), ("In 2009, I went to Nepal", 1),
        ("I went to Nepal in 2009.", 5), ("In 2009 , I went to Nepal", 1)]


def test_shipped_taggers_share_or_do_not_share_what_they_learned():
    scores = accuracy_by_position(load(), per_position=40)
    shared, positional = scores["shared (recurrent)"], scores["per-position (feedforward)"]
    assert min(shared) >= 0.95   # the year is found at every position
    for where in range(LENGTH):
        if where in TRAIN_POSITIONS:
            assert positional[where] >= 0.95
        else:
            assert positional[where] <= 0.2   # never saw a year here: its weights for this place are blank


@pytest.mark.parametrize("sentence, year_at", BOOK)
def test_the_books_sentences_as_typed(sentence, year_at):
    tagged = load().tag(sentence)   # the comma after 2009 is a token of its own, not part of an unknown "2009,"
    assert tagged["tokens"][year_at] == "2009"
    assert max(range(len(tagged["shared"])), key=tagged["shared"].__getitem__) == year_at
    assert tagged["shared"][year_at] >= 0.9


def test_cli_year_tags_both_sentences():
    done = subprocess.run([sys.executable, "-m", "viz", "year", "--json", BOOK[0][0], BOOK[1][0]],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert [r["tokens"][r["shared"].index(max(r["shared"]))] for r in out] == ["2009", "2009"]


def test_cli_year_rejects_an_empty_sentence_in_one_line():
    done = subprocess.run([sys.executable, "-m", "viz", "year", " "], capture_output=True, text=True)
    assert done.returncode == 2 and done.stderr == "error: type a sentence with at least one word\n"


def test_retraining_from_the_seed_reaches_the_stated_accuracy():
    scores = accuracy_by_position(train(epochs=8), per_position=30)
    assert min(scores["shared (recurrent)"]) >= 0.95
    assert max(scores["per-position (feedforward)"][k] for k in range(LENGTH) if k not in TRAIN_POSITIONS) <= 0.2
