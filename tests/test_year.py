from graphs.explainers.year import LENGTH, TRAIN_POSITIONS, accuracy_by_position, load, train


def test_shipped_taggers_share_or_do_not_share_what_they_learned():
    scores = accuracy_by_position(load(), per_position=40)
    shared, positional = scores["shared (recurrent)"], scores["per-position (feedforward)"]
    assert min(shared) >= 0.95   # the year is found at every position
    for where in range(LENGTH):
        if where in TRAIN_POSITIONS:
            assert positional[where] >= 0.95
        else:
            assert positional[where] <= 0.2   # never saw a year here: its weights for this place are blank


def test_the_nepal_sentences():
    taggers = load()
    for sentence, year_at in [("I went to Nepal in 2009", 5), ("In 2009 , I went to Nepal", 1)]:
        tokens = sentence.split()
        assert int(taggers.shared_scores(tokens).argmax()) == year_at


def test_retraining_from_the_seed_reaches_the_stated_accuracy():
    scores = accuracy_by_position(train(epochs=8), per_position=30)
    assert min(scores["shared (recurrent)"]) >= 0.95
    assert max(scores["per-position (feedforward)"][k] for k in range(LENGTH) if k not in TRAIN_POSITIONS) <= 0.2
