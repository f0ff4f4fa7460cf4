"""A deterministic generator of everyday sentences about feelings, labelled positive (1) or negative (0).

A sentence has one or two clauses that agree in polarity: "I am not sad, I'm happy." is positive,
"I am sad, I'm not happy." negative. A clause's polarity is its adjective's, flipped by a negation
("not", "n't", "never", "not ... at all"). Subjects are split between training and held-out sets, so
held-out sentences are never in the training corpus. A third of the sentences take the wider shapes of
phrases.py (single words, everyone/nobody, comparatives, verbs), whose objects are split the same way.
"""
from __future__ import annotations

import random

from . import phrases
from .natural import NATURAL

POSITIVE = ["happy", "glad", "good", "great", "fine", "calm", "cheerful", "content", "joyful", "relaxed",
            "hopeful", "proud", "pleased", "delighted", "thrilled", "excited", "grateful", "confident"]
NEGATIVE = ["sad", "unhappy", "bad", "awful", "angry", "upset", "miserable", "terrible", "worried", "gloomy",
            "lonely", "afraid", "scared", "nervous", "anxious", "tired", "bored", "disappointed"]
INTENSIFIERS = ["very", "really", "so", "quite", "truly", "extremely"]
TRAIN_INTENSIFIERS = ["very", "really", "truly"]
HELD_OUT_INTENSIFIERS = ["so", "quite", "extremely"]
WIDER = 0.35      # share of sentences in the wider shapes
SIZE = 18_000     # sentences in the shipped models' training corpus

# subject, its pronoun for a second clause, and the forms of "to be": present, past, contractions
PERSONS = {
    "first":  {"be": ("am", "was"), "short": "I'm", "neg": ("'m not", "wasn't"), "pronoun": "I"},
    "plural": {"be": ("are", "were"), "neg": ("aren't", "weren't")},
    "single": {"be": ("is", "was"), "neg": ("isn't", "wasn't")},
}
TRAIN_SUBJECTS = [("I", "first", "I"), ("you", "plural", "you"), ("we", "plural", "we"),
                  ("he", "single", "he"), ("she", "single", "she"), ("my friend", "single", "she"),
                  ("the teacher", "single", "he"), ("my parents", "plural", "they")]
HELD_OUT_SUBJECTS = [("they", "plural", "they"), ("my brother", "single", "he"), ("Maria", "single", "she"),
                     ("the children", "plural", "they"), ("our team", "single", "it"), ("Tom", "single", "he")]
PRONOUN_PERSON = {"I": "first", "you": "plural", "we": "plural", "they": "plural", "he": "single",
                  "she": "single", "it": "single"}
SHORT = {"you": "you're", "we": "we're", "they": "they're", "he": "he's", "she": "she's", "it": "it's", "I": "I'm"}


def clause(rng: random.Random, subject: str, person: str, tense: int, adjective: str, negated: bool,
           intensifiers: list[str], contract: bool | None = None, style: str | None = None) -> str:
    """One clause: subject, "to be" (maybe negated, maybe contracted), maybe an intensifier, the adjective."""
    forms = PERSONS[person]
    be = forms["be"][tense]
    contract = rng.random() < 0.4 if contract is None else contract
    intensifier = rng.choice(intensifiers) + " " if intensifiers and rng.random() < 0.3 else ""
    if not negated:
        head = SHORT[subject] if contract and tense == 0 and subject in SHORT else f"{subject} {be}"
        return f"{head} {intensifier}{adjective}"
    style = style or rng.choice(["not", "n't", "never", "at all"])
    if style == "never":
        return f"{subject} {be} never {intensifier}{adjective}"
    if style == "n't" and not (person == "first" and tense == 0):
        return f"{subject} {forms['neg'][tense]} {intensifier}{adjective}"
    head = SHORT[subject] if contract and tense == 0 and subject in SHORT else f"{subject} {be}"
    if style == "at all":
        return f"{head} not {adjective} at all"
    return f"{head} not {intensifier}{adjective}"


def sentence(rng: random.Random, subjects: list, intensifiers: list[str], objects: list[str] = phrases.TRAIN_OBJECTS,
             wider: float = WIDER) -> tuple[str, int]:
    """A random sentence of one or two agreeing clauses and its label."""
    subject, person, pronoun = rng.choice(subjects)
    tense = rng.randrange(2)
    label = rng.randrange(2)

    def adjective_for(negated: bool) -> str:
        wanted_positive = (label == 1) != negated
        return rng.choice(POSITIVE if wanted_positive else NEGATIVE)

    if rng.random() < wider:
        text = wider_shape(rng, label, (subject, person, pronoun), tense, intensifiers, objects)
        return text[0].upper() + text[1:], label

    negated = rng.random() < 0.5
    first = clause(rng, subject, person, tense, adjective_for(negated), negated, intensifiers)
    shape = rng.choice(["one", "comma", "and", "stop", "not alone"])
    if shape == "one":
        text = first + "."
    elif shape == "not alone":   # "She was hopeful, not afraid."
        plain = clause(rng, subject, person, tense, adjective_for(False), False, intensifiers)
        text = f"{plain}, not {adjective_for(True)}."
    else:
        negated2 = rng.random() < 0.5
        second = clause(rng, pronoun, PRONOUN_PERSON[pronoun], tense, adjective_for(negated2), negated2, intensifiers)
        joint = {"comma": ", ", "and": " and ", "stop": ". "}[shape]
        second = second[0].upper() + second[1:] if shape == "stop" else second
        text = first + joint + second + "."
    return text[0].upper() + text[1:], label


def wider_shape(rng: random.Random, label: int, who: tuple, tense: int, intensifiers: list[str],
                objects: list[str]) -> str:
    """ "Happy.", "Everyone is sad, nobody is happy.", "She could not be happier.", "Nobody likes it." """
    def adjective(positive: bool) -> str:
        return rng.choice(POSITIVE if positive else NEGATIVE)

    subject, person, _ = who
    shape = rng.choice(["word", "quantifier", "quantifier", "comparative", "verb", "verb"])
    if shape == "word":
        return phrases.single_word(rng, label, adjective, intensifiers)
    if shape == "comparative":
        return phrases.comparative(rng, subject, person, label) + "."
    if shape == "verb":
        if rng.random() < 0.25:
            subject, person = rng.choice(list(phrases.QUANTIFIERS)), "single"
        return phrases.verb_clause(rng, subject, person, tense, label, objects) + "."
    text = phrases.quantified(rng, tense, label, adjective, intensifiers)
    if rng.random() < 0.5:
        joint = rng.choice([", ", " and ", ". "])
        second = phrases.quantified(rng, tense, label, adjective, intensifiers)
        text += joint + (second[0].upper() + second[1:] if joint == ". " else second)
    return text + "."


def training_corpus(size: int = SIZE, seed: int = 0) -> list[tuple[str, int]]:
    """Sentences from the training subjects and intensifiers only, minus the hand-written natural test set."""
    rng = random.Random(seed)
    natural = {text for text, _ in NATURAL}
    drawn = (sentence(rng, TRAIN_SUBJECTS, TRAIN_INTENSIFIERS) for _ in range(size))
    return [(text, y) for text, y in drawn if text not in natural]


def held_out_pairs(count: int = 500, seed: int = 1) -> list[tuple[tuple[str, int], tuple[str, int]]]:
    """Pairs of the same words in another order, like the seed pair, with held-out subjects and intensifiers:
    "S is not A, S' is (very) B." and "S is A, S' is not (very) B." with A and B of opposite polarity."""
    rng = random.Random(seed)
    pairs = []
    for _ in range(count):
        subject, person, pronoun = rng.choice(HELD_OUT_SUBJECTS)
        tense = rng.randrange(2)
        a, b = rng.choice(NEGATIVE), rng.choice(POSITIVE)
        if rng.random() < 0.5:
            a, b = b, a
        joint = rng.choice([", ", " and "])
        style = rng.choice(["not", "n't", "never"])
        intensifier = rng.choice(["", "so ", "quite ", "extremely "])
        pair = []
        for negate_first in (True, False):
            c1 = clause(rng, subject, person, tense, a, negate_first, [], contract=False, style=style)
            c2 = clause(rng, pronoun, PRONOUN_PERSON[pronoun], tense, intensifier + b, not negate_first, [],
                        contract=False, style=style)
            text = c1 + joint + c2 + "."
            polarity_a = a in POSITIVE
            label = int(polarity_a != negate_first)   # the first clause decides; the second agrees
            pair.append((text[0].upper() + text[1:], label))
        pairs.append((pair[0], pair[1]))
    return pairs


def held_out_wider(count: int = 500, seed: int = 2) -> list[tuple[str, int]]:
    """Sentences of the wider shapes only, from held-out subjects, intensifiers and objects, minus any sentence the
    training corpus holds (a bare "Happy." or "Nobody is sad." can come out of both)."""
    rng = random.Random(seed)
    trained = {text for text, _ in training_corpus()}
    out = []
    while len(out) < count:
        text, y = sentence(rng, HELD_OUT_SUBJECTS, HELD_OUT_INTENSIFIERS, phrases.HELD_OUT_OBJECTS, wider=1.0)
        if text not in trained:
            out.append((text, y))
    return out
