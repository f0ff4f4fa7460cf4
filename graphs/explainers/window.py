"""The middle ground between bag of words and recurrence: a time-delay net (1-D convolution over words).

Each step sees a window of three words, e(t-2), e(t-1), e(t), with the same weights at every step, and
votes; the sentence's score is the mean vote. It knows local order ("not happy") but nothing outside its
window. Trained on the same corpus and vocabulary as sentiment.py. Retrain the shipped weights
(graphs/explainers/weights/window.npz) with:
    python -m graphs.explainers.window --train
"""
from __future__ import annotations

import argparse
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..backends import init_params, run
from ..circuit import parse
from ..shapes import infer
from . import sentiment
from .corpus import SIZE, held_out_pairs, training_corpus
from .natural import NATURAL

WEIGHTS = Path(__file__).parent / "weights" / "window.npz"
WINDOW = f"""
input x
param E, A0, A1, A2, b, V, c
size e = {sentiment.EMBED}
size h = {sentiment.HIDDEN}
size s = 1
e = E @ x
h = tanh(A2 @ e[t-2] + A1 @ e[t-1] + A0 @ e + b)    # three words, the same weights at every step
s = V @ h + c                                      # this window's vote; the sentence's score is the mean
"""


@dataclass
class WindowModel:
    words: sentiment.Model     # its vocabulary and one-hot encoding are shared
    params: dict

    def votes(self, sentence: str) -> tuple[list[str], np.ndarray]:
        """Tokens and each window's vote (a logit) ending at each word."""
        tokens, rows = self.words.one_hot(sentence)
        return tokens, run(parse(WINDOW), {"x": rows}, params=self.params).values["s"][:, 0, 0]

    def score(self, sentence: str) -> float:
        """P(positive): the sigmoid of the mean vote."""
        return float(1 / (1 + np.exp(-self.votes(sentence)[1].mean())))


def classify(words: sentiment.Model, model: WindowModel, sentence: str) -> dict:
    """The three models' labels and P(positive): recurrent, bag of words, and this window."""
    result = words.classify(sentence)
    p = model.score(sentence)
    return result | {"time_delay": {"label": sentiment.label(p), "p_positive": round(p, 4)}}


def train(size: int = SIZE, epochs: int = 12, seed: int = 0, words: sentiment.Model | None = None) -> WindowModel:
    """Train on the generated corpus, in batches of one sentence length (no padding)."""
    import torch

    from ..backends.train import fit
    words = words or sentiment.load()
    held_out = {text for text, _ in NATURAL}
    by_length: dict[int, list] = {}
    for text, y in training_corpus(size, seed):
        if text not in held_out:
            rows = words.one_hot(text)[1]
            by_length.setdefault(len(rows), []).append((rows, y))

    def batches(epoch: int):
        rng = random.Random(seed + epoch)
        chunks = []
        for group in by_length.values():
            rng.shuffle(group)
            chunks += [group[k:k + 64] for k in range(0, len(group), 64)]
        rng.shuffle(chunks)
        for chunk in chunks:
            yield {"x": np.stack([r for r, _ in chunk], axis=1)}, np.array([[y] for _, y in chunk], dtype=float)

    def loss(values, targets):
        return torch.nn.functional.binary_cross_entropy_with_logits(values["s"].mean(dim=0), targets)

    graph = parse(WINDOW)
    start = init_params(infer(graph, {"x": len(words.vocabulary)}), seed)
    return WindowModel(words, fit(graph, batches, loss, start, epochs=epochs, lr=0.01))


def save(model: WindowModel, path: Path = WEIGHTS) -> None:
    np.savez_compressed(path, **{k: v.astype(np.float32) for k, v in model.params.items()})


def load(path: Path = WEIGHTS, words: sentiment.Model | None = None) -> WindowModel:
    with np.load(path, allow_pickle=False) as data:
        return WindowModel(words or sentiment.load(), {k: data[k].astype(np.float64) for k in data.files})


def accuracy(model: WindowModel) -> dict:
    """Held-out pairs with both sentences right, and natural sentences right."""
    def right(text, y):
        return (model.score(text) >= 0.5) == bool(y)
    pairs = held_out_pairs()
    return {"pairs_both_right": sum(right(*a) and right(*b) for a, b in pairs) / len(pairs),
            "natural": sum(right(t, y) for t, y in NATURAL) / len(NATURAL)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--train", action="store_true", help="retrain and overwrite the shipped weights")
    args = parser.parse_args()
    import torch
    torch.set_num_threads(1)   # a shared machine: one core is the budget
    if args.train:
        save(train())
    print(accuracy(load()))


if __name__ == "__main__":
    main()
