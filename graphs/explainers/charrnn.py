"""A character-level RNN, as in Karpathy's post the notes cite: train on a text, sample, colour by a unit.

By default it reads Python's own `textwrap.py`, which every machine has. Retrain the shipped weights
(graphs/explainers/weights/charrnn.npz) with:
    python -m graphs.explainers.charrnn --train
"""
from __future__ import annotations

import argparse
import random
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .. import limits
from ..backends import init_params, run
from ..circuit import parse
from ..parse import ParseError
from ..shapes import infer

WEIGHTS = Path(__file__).parent / "weights" / "charrnn.npz"
HIDDEN = 64
CHUNK = 64


def model_text(alphabet_size: int, stepper: bool = False) -> str:
    """The recurrence; the stepper variant starts from a given h, to sample one character at a time."""
    start = "input x, h_start\nh[0] = h_start" if stepper else "input x"
    return f"""
{start}
param W, U, b, V, c
size h = {HIDDEN}
size o = {alphabet_size}
h = tanh(W @ h[t-1] + U @ x + b)
o = V @ h + c              # scores of the next character
"""


def default_text() -> str:
    """The source of textwrap.py from the standard library."""
    return Path(textwrap.__file__).read_text(encoding="utf-8")


@dataclass
class CharModel:
    alphabet: str
    params: dict
    history: dict = field(default_factory=lambda: {"train": [], "validation": []})

    def encode(self, text: str) -> np.ndarray:
        index = {ch: i for i, ch in enumerate(self.alphabet)}
        rows = np.zeros((len(text), len(self.alphabet)))
        rows[np.arange(len(text)), [index.get(ch, 0) for ch in text]] = 1.0
        return rows

    def hidden(self, text: str) -> np.ndarray:
        """h(t) after each character, (T, HIDDEN)."""
        if not text:
            raise ParseError("give at least one character")
        if len(text) > limits.MAX_SEQUENCE:
            raise ParseError(f"at most {limits.MAX_SEQUENCE:,} characters at a time")
        return run(parse(model_text(len(self.alphabet))), {"x": self.encode(text)}, params=self.params).values["h"][:, 0]

    def sample(self, prefix: str, length: int = 200, temperature: float = 0.7, seed: int = 0) -> str:
        """Text continuing the prefix, one character at a time from softmax(o / temperature)."""
        if not 0.05 <= temperature <= 5:
            raise ParseError("the temperature must be between 0.05 and 5")
        if not 1 <= length <= 2_000:
            raise ParseError("sample between 1 and 2,000 characters")
        rng = np.random.default_rng(seed)
        stepper = parse(model_text(len(self.alphabet), stepper=True))
        h = np.zeros((1, HIDDEN))
        out, ch = [], (prefix or "\n")
        for k in range(len(ch) + length):
            current = ch[k] if k < len(ch) else out[-1]
            values = run(stepper, {"x": self.encode(current), "h_start": h[None]}, params=self.params).values
            h = values["h"][0]
            if k >= len(ch) - 1:
                logits = values["o"][0, 0] / temperature
                p = np.exp(logits - logits.max())
                out.append(self.alphabet[rng.choice(len(p), p=p / p.sum())])
        return prefix + "".join(out[:length])


def train(text: str | None = None, epochs: int = 30, seed: int = 0, progress=None) -> CharModel:
    """Train on a text (90% train, 10% validation); progress(epoch, train_loss, validation_loss) may stop it."""
    import torch
    from ..backends.train import fit
    text = default_text() if text is None else text
    if len(text) < 2 * CHUNK:
        raise ParseError(f"give at least {2 * CHUNK} characters to train on")
    text = text[:200_000]
    alphabet = "".join(sorted(set(text)))
    model = CharModel(alphabet, {})
    rows = model.encode(text)
    split = int(len(text) * 0.9)
    graph = parse(model_text(len(alphabet)))

    def chunks(start: int, stop: int) -> list[int]:
        return list(range(start, stop - CHUNK - 1, CHUNK))

    train_starts, valid_starts = chunks(0, split), chunks(split, len(text))

    def batch(starts):
        xs = np.stack([rows[s:s + CHUNK] for s in starts], axis=1)
        ys = np.stack([rows[s + 1:s + CHUNK + 1] for s in starts], axis=1)
        return {"x": xs}, ys

    def batches(epoch):
        order = list(train_starts)
        random.Random(seed + epoch).shuffle(order)
        for k in range(0, len(order), 32):
            yield batch(order[k:k + 32])

    def loss(values, targets):
        return -(torch.log_softmax(values["o"], dim=-1) * targets).sum(-1).mean()

    def report(epoch, train_loss):
        with torch.no_grad():
            inputs, targets = batch(valid_starts)
            values = run(graph, inputs, backend="torch", params=current).values
            validation = float(loss(values, torch.as_tensor(targets)))
        model.history["train"].append(train_loss)
        model.history["validation"].append(validation)
        return progress(epoch, train_loss, validation) if progress else None

    current: dict = {}
    start = init_params(infer(graph, {"x": len(alphabet)}), seed)
    model.params = fit(graph, batches, loss, start, epochs=epochs, lr=0.01, on_epoch=report, expose=current)
    return model


def tracking_units(model: CharModel, text: str) -> dict[str, tuple[int, float]]:
    """For quotes, brackets and indentation: the unit whose activation follows each best (and how well)."""
    h = model.hidden(text)
    features = {"inside a string": [], "bracket depth": [], "indentation": []}
    quote, depth, indent, line_start = None, 0, 0, True
    for ch in text:
        if quote:
            quote = None if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        depth += (ch in "([{") - (ch in ")]}") if not quote else 0
        indent = 0 if ch == "\n" else indent + 1 if (line_start and ch == " ") else indent
        line_start = ch == "\n" or (line_start and ch == " ")
        features["inside a string"].append(float(quote is not None))
        features["bracket depth"].append(float(max(depth, 0)))
        features["indentation"].append(float(indent))
    best = {}
    for name, values in features.items():
        f = np.asarray(values)
        if f.std() == 0:
            continue
        corr = [abs(np.corrcoef(f, h[:, u])[0, 1]) if h[:, u].std() > 0 else 0.0 for u in range(h.shape[1])]
        unit = int(np.nanargmax(corr))
        best[name] = (unit, float(corr[unit]))
    return best


def save(model: CharModel, path: Path = WEIGHTS) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, alphabet=np.array(list(model.alphabet)),
                        train_loss=np.array(model.history["train"]), validation_loss=np.array(model.history["validation"]),
                        **{f"p_{k}": v.astype(np.float32) for k, v in model.params.items()})


def load(path: Path = WEIGHTS) -> CharModel:
    with np.load(path, allow_pickle=False) as data:
        params = {k[2:]: data[k].astype(np.float64) for k in data.files if k.startswith("p_")}
        history = {"train": data["train_loss"].tolist(), "validation": data["validation_loss"].tolist()}
        return CharModel("".join(str(c) for c in data["alphabet"]), params, history)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--train", action="store_true", help="retrain and overwrite the shipped weights")
    parser.add_argument("--epochs", type=int, default=30)
    args = parser.parse_args()
    if args.train:
        model = train(epochs=args.epochs,
                      progress=lambda e, t, v: print(f"epoch {e + 1}: train {t:.3f}, validation {v:.3f}"))
        save(model)
    model = load()
    print(model.sample("def ", 300, temperature=0.6))
    print(tracking_units(model, default_text()[:5000]))


if __name__ == "__main__":
    main()
