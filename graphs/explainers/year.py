"""Parameter sharing: find the year in "I went to Nepal in 2009" and "In 2009, I went to Nepal".

A recurrent tagger (the same weights at every step) against a feedforward net with separate weights per
position, both trained only on sentences whose year stands at positions 2 and 6. Retrain the shipped
weights (graphs/explainers/weights/year.npz) with:
    python -m graphs.explainers.year --train
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

WEIGHTS = Path(__file__).parent / "weights" / "year.npz"
LENGTH = 10                      # sentences have exactly this many tokens
TRAIN_POSITIONS = (1, 5)         # 0-based: the year is the 2nd or the 6th token in training
WORDS = ("i we they she he went to nepal paris in the summer of flew moved back visited home school "
         "again first time my family with friends last was it").split()
YEARS = [str(y) for y in range(1950, 2031)]
TAGGER = """
input x
param W, U, b, V, c
size h = 16
size p = 1
h = tanh(W @ h[t-1] + U @ x + b)
p = sigmoid(V @ h + c)     # P(this token is the year)
"""


def sentences(count: int, positions, seed: int) -> list[tuple[list[str], int]]:
    """Random sentences of LENGTH tokens with one year at one of the given positions."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        tokens = [rng.choice(WORDS) for _ in range(LENGTH)]
        where = rng.choice(list(positions))
        tokens[where] = rng.choice(YEARS)
        out.append((tokens, where))
    return out


@dataclass
class Taggers:
    vocabulary: list[str]
    shared: dict        # the recurrent tagger's params
    positional: dict    # Wp (LENGTH, LENGTH·V), cp (LENGTH,): separate weights for every position

    def encode(self, tokens: list[str]) -> np.ndarray:
        column = {w: i for i, w in enumerate(self.vocabulary)}
        rows = np.zeros((len(tokens), len(self.vocabulary)))
        rows[np.arange(len(tokens)), [column.get(t.lower(), column[UNKNOWN]) for t in tokens]] = 1.0
        return rows

    def shared_scores(self, tokens: list[str]) -> np.ndarray:
        """P(year) for every token from the tagger that shares its weights over time."""
        if not tokens:
            raise ParseError("type a sentence with at least one word")
        return run(parse(TAGGER), {"x": self.encode(tokens)}, params=self.shared).values["p"][:, 0, 0]

    def tag(self, sentence: str) -> dict:
        """The sentence's tokens (punctuation split off) and each tagger's P(year) for every token."""
        tokens = tokenize(sentence)
        return {"sentence": sentence, "tokens": tokens,
                "shared": [round(float(p), 4) for p in self.shared_scores(tokens)],
                "per_position": [round(float(p), 4) for p in self.positional_scores(tokens)]}

    def positional_scores(self, tokens: list[str]) -> np.ndarray:
        """P(year) from the fixed-length net; tokens past LENGTH cannot be read at all."""
        rows = self.encode(tokens[:LENGTH])
        padded = np.zeros((LENGTH, len(self.vocabulary)))
        padded[: len(rows)] = rows
        scores = 1 / (1 + np.exp(-(self.positional["Wp"] @ padded.reshape(-1) + self.positional["cp"])))
        return scores[: len(tokens)]


def train(epochs: int = 30, seed: int = 0) -> Taggers:
    import torch
    data = sentences(2_000, TRAIN_POSITIONS, seed)
    vocabulary = WORDS + YEARS + [UNKNOWN]
    taggers = Taggers(vocabulary, {}, {})
    xs = np.stack([taggers.encode(tokens) for tokens, _ in data], axis=1)      # (LENGTH, N, V)
    tags = np.zeros((LENGTH, len(data), 1))
    tags[[w for _, w in data], np.arange(len(data)), 0] = 1.0
    from ..backends.train import fit
    graph = parse(TAGGER)

    def batches(epoch):
        order = np.random.default_rng(seed + epoch).permutation(len(data))
        for k in range(0, len(data), 100):
            pick = order[k:k + 100]
            yield {"x": xs[:, pick]}, tags[:, pick]

    def loss(values, targets):
        return torch.nn.functional.binary_cross_entropy(values["p"].clamp(1e-7, 1 - 1e-7), targets)

    taggers.shared = fit(graph, batches, loss, init_params(infer(graph, {"x": len(vocabulary)}), seed),
                         epochs=epochs, lr=0.02)
    torch.manual_seed(seed)
    flat = torch.tensor(xs.transpose(1, 0, 2).reshape(len(data), -1))
    target = torch.tensor(tags[:, :, 0].T)
    Wp = torch.nn.Parameter(torch.zeros(LENGTH, flat.shape[1], dtype=torch.float64))
    cp = torch.nn.Parameter(torch.zeros(LENGTH, dtype=torch.float64))
    optimiser = torch.optim.Adam([Wp, cp], lr=0.05)
    for _ in range(epochs * 10):
        p = torch.sigmoid(flat @ Wp.T + cp).clamp(1e-7, 1 - 1e-7)
        value = torch.nn.functional.binary_cross_entropy(p, target)
        optimiser.zero_grad()
        value.backward()
        optimiser.step()
    taggers.positional = {"Wp": Wp.detach().numpy(), "cp": cp.detach().numpy()}
    return taggers


def accuracy_by_position(taggers: Taggers, per_position: int = 100, seed: int = 7) -> dict[str, list[float]]:
    """For each position of the year, the share of sentences whose highest-scoring token is the year."""
    out = {"shared (recurrent)": [], "per-position (feedforward)": []}
    for where in range(LENGTH):
        tests = sentences(per_position, [where], seed + where)
        for name, score in (("shared (recurrent)", taggers.shared_scores),
                            ("per-position (feedforward)", taggers.positional_scores)):
            out[name].append(sum(int(np.argmax(score(tokens)) == w) for tokens, w in tests) / per_position)
    return out


def save(taggers: Taggers, path: Path = WEIGHTS) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    arrays = {f"shared_{k}": v.astype(np.float32) for k, v in taggers.shared.items()}
    arrays |= {f"positional_{k}": v.astype(np.float32) for k, v in taggers.positional.items()}
    np.savez_compressed(path, vocabulary=np.array(taggers.vocabulary), **arrays)


def load(path: Path = WEIGHTS) -> Taggers:
    with np.load(path, allow_pickle=False) as data:
        pick = {prefix: {k[len(prefix):]: data[k].astype(np.float64) for k in data.files if k.startswith(prefix)}
                for prefix in ("shared_", "positional_")}
        return Taggers([str(w) for w in data["vocabulary"]], pick["shared_"], pick["positional_"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--train", action="store_true", help="retrain and overwrite the shipped weights")
    args = parser.parse_args()
    if args.train:
        save(train())
    for name, accuracies in accuracy_by_position(load()).items():
        print(f"{name:<28} " + " ".join(f"{a:4.0%}" for a in accuracies))


if __name__ == "__main__":
    main()
