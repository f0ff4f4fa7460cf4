"""More sentence shapes for the sentiment corpus: single words, everyone/nobody, comparatives, verbs.

Each function writes one clause (or a whole short sentence) whose polarity is `wanted` (1 positive, 0 negative):
- "Happy." / "Not happy at all.": an adjective alone, maybe negated;
- "Nobody is sad.": a negative quantifier flips its clause as "not" does, "everyone" does not;
- "She could not be happier.": "could not be" keeps the comparative's polarity, "could be" turns it around
  ("I could be happier" is a complaint);
- "I love it." / "He doesn't enjoy the food.": a verb's polarity, flipped by a negation.
`adjective(positive)` is the caller's pick of an adjective, so the corpus keeps one list of them.
"""
from __future__ import annotations

import random

QUANTIFIERS = {"everyone": 1, "everybody": 1, "nobody": 0, "no one": 0}    # 0: the quantifier negates
COMPARATIVES = {"happier": 1, "better": 1, "calmer": 1, "prouder": 1, "luckier": 1,
                "sadder": 0, "worse": 0, "angrier": 0, "lonelier": 0, "unhappier": 0}
VERBS = {"love": ("loves", "loved", 1), "like": ("likes", "liked", 1), "enjoy": ("enjoys", "enjoyed", 1),
         "adore": ("adores", "adored", 1), "hate": ("hates", "hated", 0), "dislike": ("dislikes", "disliked", 0),
         "dread": ("dreads", "dreaded", 0), "loathe": ("loathes", "loathed", 0)}
TRAIN_OBJECTS = ["it", "this", "that", "the film", "the music", "my job", "school", "the food", "the book",
                 "the weather", "them", "her", "him"]
HELD_OUT_OBJECTS = ["the show", "the game", "our trip", "the city", "the new house"]


def single_word(rng: random.Random, wanted: int, adjective, intensifiers: list[str]) -> str:
    """ "Happy.", "Very sad.", "Not happy.", "Not happy at all." """
    negated = rng.random() < 0.3
    word = adjective((wanted == 1) != negated)
    intensifier = rng.choice(intensifiers) + " " if intensifiers and rng.random() < 0.3 else ""
    if negated:
        return f"Not {word} at all." if rng.random() < 0.3 else f"Not {intensifier}{word}."
    text = f"{intensifier}{word}."
    return text[0].upper() + text[1:]


def quantified(rng: random.Random, tense: int, wanted: int, adjective, intensifiers: list[str]) -> str:
    """ "everyone is happy", "nobody was sad", "everybody isn't calm": quantifier, maybe "not", adjective."""
    quantifier = rng.choice(list(QUANTIFIERS))
    negated = QUANTIFIERS[quantifier] == 1 and rng.random() < 0.3    # no "nobody isn't": a double negative
    positive = ((wanted == 1) != negated) == (QUANTIFIERS[quantifier] == 1)
    intensifier = rng.choice(intensifiers) + " " if intensifiers and rng.random() < 0.3 else ""
    be = ("is", "was")[tense]
    if negated:
        be = rng.choice([("isn't", "wasn't")[tense], f"{be} not"])
    return f"{quantifier} {be} {intensifier}{adjective(positive)}"


def comparative(rng: random.Random, subject: str, person: str, wanted: int) -> str:
    """ "she could not be happier", "I have never been sadder", "we could be calmer" (a complaint)."""
    form = rng.choice(["could not be", "couldn't be", "never been", "could be"])
    keeps = form != "could be"
    word = rng.choice([w for w, p in COMPARATIVES.items() if (p == wanted) == keeps])
    if form == "never been":
        form = ("has" if person == "single" else "have") + " never been"
    return f"{subject} {form} {word}"


def verb_clause(rng: random.Random, subject: str, person: str, tense: int, wanted: int, objects: list[str]) -> str:
    """ "I love it", "he doesn't enjoy the food", "they never liked school", "nobody likes it"."""
    flips = subject in QUANTIFIERS and QUANTIFIERS[subject] == 0
    negated = not flips and rng.random() < 0.4
    positive_verb = (wanted == 1) ^ negated ^ flips
    verb = rng.choice([v for v, (_, _, p) in VERBS.items() if p == positive_verb])
    third, past, _ = VERBS[verb]
    thing = rng.choice(objects)
    if not negated:
        return f"{subject} {past if tense else third if person == 'single' else verb} {thing}"
    if rng.random() < 0.25:
        return f"{subject} never {past if tense else third if person == 'single' else verb} {thing}"
    do = ("did", "didn't")[rng.randrange(2)] if tense else \
        rng.choice(["does", "doesn't"] if person == "single" else ["do", "don't"])
    do = do if do.endswith("n't") else do + " not"
    return f"{subject} {do} {verb} {thing}"
