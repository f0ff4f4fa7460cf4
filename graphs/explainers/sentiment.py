"""Order matters: a recurrent sentiment classifier vs a bag-of-words baseline that cannot see order.

Retrain the shipped weights (graphs/explainers/weights/sentiment.npz) with:
    python -m graphs.explainers.sentiment --train
"""
from __future__ import annotations

import argparse
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..backends import init_params, run
from ..backends.data import UNKNOWN, tokenize
from ..circuit import parse
from ..parse import ParseError
from ..shapes import infer
from .corpus import SIZE, held_out_pairs, held_out_wider, training_corpus
from .natural import NATURAL

WEIGHTS = Path(__file__).parent / "weights" / "sentiment.npz"
EMBED, HIDDEN = 12, 24
RECURRENT = f"""
input x
param E, W, U, b, V, c
size e = {EMBED}
size h = {HIDDEN}
size p = 1
e = E @ x
h = tanh(W @ h[t-1] + U @ e + b)
p = sigmoid(V @ h + c)     # P(positive) after each word
"""


@dataclass
class Model:
    vocabulary: list[str]
    recurrent: dict          # params of RECURRENT
    bag: dict                # bag of words: embedding B, weights w, bias c0

    def one_hot(self, sentence: str) -> tuple[list[str], np.ndarray]:
        tokens = words(sentence)
        if not tokens:
            raise ParseError("type a sentence with at least one word")
        column = {w: i for i, w in enumerate(self.vocabulary)}
        rows = np.zeros((len(tokens), len(self.vocabulary)))
        rows[np.arange(len(tokens)), [column.get(t, column[UNKNOWN]) for t in tokens]] = 1.0
        return tokens, rows

    def trajectory(self, sentence: str) -> tuple[list[str], np.ndarray, np.ndarray]:
        """Tokens, h(t) for each word (T, hidden), and P(positive) after each word (T,)."""
        tokens, rows = self.one_hot(sentence)
        values = run(parse(RECURRENT), {"x": rows}, params=self.recurrent).values
        return tokens, values["h"][:, 0], values["p"][:, 0, 0]

    def bag_score(self, sentence: str) -> float:
        """P(positive) from the mean word embedding: the same for any order of the same words."""
        _, rows = self.one_hot(sentence)
        counts = rows.sum(axis=0)   # order is gone here, by construction
        mean = counts @ self.bag["B"] / counts.sum()
        return float(1 / (1 + np.exp(-(mean @ self.bag["w"] + self.bag["c0"]))))

    def classify(self, sentence: str) -> dict:
        """Each model's label and P(positive)."""
        p_rnn = float(self.trajectory(sentence)[2][-1])
        p_bag = self.bag_score(sentence)
        return {"sentence": sentence,
                "recurrent": {"label": label(p_rnn), "p_positive": round(p_rnn, 4)},
                "bag_of_words": {"label": label(p_bag), "p_positive": round(p_bag, 4)}}


def label(p: float) -> str:
    return "positive" if p >= 0.5 else "negative"


def words(sentence: str) -> list[str]:
    """Lower-cased word tokens, punctuation kept: "I'm" stays one token."""
    return [t.lower() for t in tokenize(sentence)]


def train(size: int = SIZE, epochs: int = 12, seed: int = 0, progress=None) -> Model:
    """Train both models on the generated corpus."""
    import torch
    held_out = {text for text, _ in NATURAL}
    corpus = [(text, y) for text, y in training_corpus(size, seed) if text not in held_out]
    vocabulary = sorted({w for text, _ in corpus for w in words(text)}) + [UNKNOWN]
    model = Model(vocabulary, {}, {})
    encoded = [(model.one_hot(text)[1], y) for text, y in corpus]
    graph = parse(RECURRENT)
    model.recurrent = _fit_recurrent(graph, encoded, len(vocabulary), epochs, seed, progress)
    model.bag = _fit_bag(encoded, len(vocabulary), epochs, seed, torch)
    return model


def _fit_recurrent(graph, encoded, vocab: int, epochs: int, seed: int, progress) -> dict:
    from ..backends.train import fit
    by_length: dict[int, list] = {}
    for rows, y in encoded:
        by_length.setdefault(len(rows), []).append((rows, y))

    def batches(epoch: int):
        rng = random.Random(seed + epoch)
        chunks = []
        for group in by_length.values():   # one length per batch: no padding to disturb h(t)
            rng.shuffle(group)
            chunks += [group[k:k + 64] for k in range(0, len(group), 64)]
        rng.shuffle(chunks)
        for chunk in chunks:
            yield {"x": np.stack([r for r, _ in chunk], axis=1)}, np.array([[y] for _, y in chunk], dtype=float)

    def loss(values, targets):
        import torch
        p = values["p"][-1].clamp(1e-7, 1 - 1e-7)
        return torch.nn.functional.binary_cross_entropy(p, targets)

    params = init_params(infer(graph, {"x": vocab}), seed)
    return fit(graph, batches, loss, params, epochs=epochs, lr=0.01, on_epoch=progress)


def _fit_bag(encoded, vocab: int, epochs: int, seed: int, torch) -> dict:
    torch.manual_seed(seed)
    counts = torch.tensor(np.stack([rows.sum(axis=0) for rows, _ in encoded]))
    means = counts / counts.sum(dim=1, keepdim=True)
    targets = torch.tensor([float(y) for _, y in encoded], dtype=torch.float64)
    B = torch.nn.Parameter(torch.randn(vocab, EMBED, dtype=torch.float64) * 0.1)
    w = torch.nn.Parameter(torch.zeros(EMBED, dtype=torch.float64))
    c0 = torch.nn.Parameter(torch.zeros((), dtype=torch.float64))
    optimiser = torch.optim.Adam([B, w, c0], lr=0.05)
    for _ in range(epochs * 20):
        p = torch.sigmoid(means @ B @ w + c0)
        loss = torch.nn.functional.binary_cross_entropy(p, targets)
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
    return {"B": B.detach().numpy(), "w": w.detach().numpy(), "c0": c0.item()}


def save(model: Model, path: Path = WEIGHTS) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    arrays = {f"rnn_{k}": v.astype(np.float32) for k, v in model.recurrent.items()}
    arrays |= {f"bag_{k}": np.asarray(v, dtype=np.float32) for k, v in model.bag.items()}
    np.savez_compressed(path, vocabulary=np.array(model.vocabulary), **arrays)


def load(path: Path = WEIGHTS) -> Model:
    """The shipped (or given) model; read without pickle."""
    with np.load(path, allow_pickle=False) as data:
        vocabulary = [str(w) for w in data["vocabulary"]]
        recurrent = {k[4:]: data[k].astype(np.float64) for k in data.files if k.startswith("rnn_")}
        bag = {k[4:]: data[k].astype(np.float64) for k in data.files if k.startswith("bag_")}
    bag["c0"] = float(bag["c0"])
    return Model(vocabulary, recurrent, bag)


def accuracy(model: Model, pairs) -> dict:
    """Share of held-out pairs with both sentences right, and of single sentences right, per model."""
    both = {"recurrent": 0, "bag_of_words": 0}
    single = {"recurrent": 0, "bag_of_words": 0}
    for pair in pairs:
        right = {m: 0 for m in both}
        for text, y in pair:
            result = model.classify(text)
            for m in both:
                ok = (result[m]["label"] == "positive") == bool(y)
                right[m] += ok
                single[m] += ok
        for m in both:
            both[m] += right[m] == 2
    n = len(pairs)
    return {m: {"pairs_both_right": both[m] / n, "sentences_right": single[m] / (2 * n)} for m in both}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--train", action="store_true", help="retrain and overwrite the shipped weights")
    parser.add_argument("--size", type=int, default=SIZE)
    parser.add_argument("--epochs", type=int, default=12)
    args = parser.parse_args()
    if args.train:
        model = train(args.size, args.epochs, progress=lambda e, l: print(f"epoch {e + 1}: loss {l:.4f}"))
        save(model)
    model = load()
    print("held-out pairs:", accuracy(model, held_out_pairs()))
    right = sum(model.classify(text)["recurrent"]["label"] == ("positive" if y else "negative") for text, y in NATURAL)
    print(f"natural sentences: recurrent {right}/{len(NATURAL)}")
    wider = held_out_wider()
    right = sum(model.classify(text)["recurrent"]["label"] == label(y) for text, y in wider)
    print(f"held-out sentences of the wider shapes: recurrent {right}/{len(wider)}")
    for text in ("Happy.", "I love it.", "I hate it.", "Everyone is sad, nobody is happy.", "She could not be happier."):
        result = model.classify(text)["recurrent"]
        print(f"  {text!r}: {result['label']} (P(positive) = {result['p_positive']:.3f})")


if __name__ == "__main__":
    main()
