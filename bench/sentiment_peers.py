"""The sentiment explainer beside the rule-based tools a user would pick instead, on the same sentences.

    pip install -r bench/requirements.txt
    python bench/sentiment_peers.py

Held-out pairs (generated, never trained on), the hand-written natural sentences, and held-out sentences of
the wider shapes ("wider": single words, everyone/nobody, comparatives, verbs); a rule-based score
above 0 counts as positive (0 itself, "neutral", counts as wrong).
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graphs.explainers.corpus import held_out_pairs, held_out_wider  # noqa: E402
from graphs.explainers.natural import NATURAL  # noqa: E402
from graphs.explainers.sentiment import load  # noqa: E402


def scorers() -> dict:
    from textblob import TextBlob
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    vader = SentimentIntensityAnalyzer()
    model = load()
    return {
        "Unfold recurrent": lambda s: model.classify(s)["recurrent"]["p_positive"] - 0.5,
        "Unfold bag of words": lambda s: model.bag_score(s) - 0.5,
        "VADER": lambda s: vader.polarity_scores(s)["compound"],
        "TextBlob": lambda s: TextBlob(s).sentiment.polarity,
    }


def main() -> None:
    pairs = held_out_pairs()
    seed = [("I am not sad, I'm happy.", 1), ("I am sad, I'm not happy.", 0)]
    wider = held_out_wider()
    print(f"{'model':<22} {'pairs both right':>17} {'pair sentences':>15} {'natural':>9} {'wider':>7}  seed pair")
    for name, score in scorers().items():
        def right(text, y):
            return (score(text) > 0) == bool(y)
        both = sum(right(*a) and right(*b) for a, b in pairs) / len(pairs)
        single = sum(right(*s) for pair in pairs for s in pair) / (2 * len(pairs))
        natural = sum(right(*s) for s in NATURAL) / len(NATURAL)
        shapes = sum(right(*s) for s in wider) / len(wider)
        seeds = " ".join("right" if right(*s) else "WRONG" for s in seed)
        print(f"{name:<22} {both:>17.1%} {single:>15.1%} {natural:>9.1%} {shapes:>7.1%}  {seeds}")


if __name__ == "__main__":
    main()
