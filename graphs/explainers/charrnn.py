"""A character-level LSTM (or GRU), as in Karpathy's post the notes cite: read code, predict the next character.

The shipped weights (graphs/explainers/weights/charrnn.npz) come from standard-library modules
(pycorpus.py) and are rebuilt by chartrain.py:
    python -m graphs.explainers.chartrain --train
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .. import limits
from ..backends import run
from ..circuit import parse
from ..parse import ParseError
from . import pycorpus
from .tablayout import spaces, tabs

WEIGHTS = Path(__file__).parent / "weights" / "charrnn.npz"
HIDDEN = 288            # the shipped model; a model trained on an upload is smaller (quicker)
STORED = np.float16     # weights are shipped (and measured) at this precision: twice the units in 1 MB
RUN_CHUNK = 1_000       # longer texts are run in pieces, the state carried over
WARM = "\n\n"           # read before a sample's prefix: a sample starts as a new module does in the corpus


CELLS = {
    "gru": ("h",),
    "lstm": ("h", "s"),    # s: the LSTM's cell state (named s: c is the output bias)
}


def model_text(alphabet_size: int, hidden: int, cell: str = "gru") -> str:
    """The GRU or LSTM in the recurrence language; each state's *_start input carries it over between pieces."""
    states = CELLS[cell]
    head = f"""
input x, {", ".join(f"{v}_start" for v in states)}
size h = {hidden}
size o = {alphabet_size}
""" + "".join(f"size {v}_start = {hidden}\n{v}[0] = {v}_start\n" for v in states)
    if cell == "lstm":
        return head + """param Wf, Uf, bf, Wi, Ui, bi, Wg, Ug, bg, Wq, Uq, bq, V, c
f_t = sigmoid(Wf @ x + Uf @ h[t-1] + bf)      # forget gate
i_t = sigmoid(Wi @ x + Ui @ h[t-1] + bi)      # input gate
g_t = tanh(Wg @ x + Ug @ h[t-1] + bg)         # candidate
s = f_t * s[t-1] + i_t * g_t                  # the cell state: a gated self-loop
q_t = sigmoid(Wq @ x + Uq @ h[t-1] + bq)      # output gate
h = q_t * tanh(s)
o = V @ h + c                                 # scores of the next character
"""
    return head + """param Wz, Uz, bz, Wr, Ur, br, Wn, Un, bn, V, c
z = sigmoid(Wz @ x + Uz @ h[t-1] + bz)        # update gate: how much of h(t-1) to keep
r = sigmoid(Wr @ x + Ur @ h[t-1] + br)        # reset gate: how much of h(t-1) the candidate reads
n = tanh(Wn @ x + Un @ (r * h[t-1]) + bn)     # candidate state
h = (1 - z) * n + z * h[t-1]
o = V @ h + c                                 # scores of the next character
"""


def starts(carry: dict, steps: int, backend: str = "numpy") -> dict:
    """The carried states as *_start inputs (only their first step is read)."""
    return {f"{v}_start": (np.broadcast_to(h, (steps, *h.shape[1:])) if backend == "numpy"
                           else h.expand(steps, -1, -1)) for v, h in carry.items()}


@dataclass
class CharModel:
    alphabet: str
    params: dict
    history: dict = field(default_factory=lambda: {"train": [], "validation": []})
    facts: dict = field(default_factory=dict)     # how it was trained: baseline, corpus digest, seconds

    @property
    def cell(self) -> str:
        return "lstm" if "Uf" in self.params else "gru"

    @property
    def layout(self) -> str:
        """How the model's code is laid out (pycorpus.LAYOUTS): "written" unless it was trained on tabs."""
        return str(self.facts.get("layout", "written"))

    @property
    def hidden_size(self) -> int:
        return self.params["V"].shape[1]

    def graph(self):
        return parse(model_text(len(self.alphabet), self.hidden_size, self.cell))

    def zeros(self, batch: int = 1) -> dict:
        return {v: np.zeros((1, batch, self.hidden_size)) for v in CELLS[self.cell]}

    def states(self, text: str) -> dict:
        """Every state after each character (h, and the LSTM's cell state s), each (T, hidden)."""
        if not text:
            raise ParseError("give at least one character")
        if len(text) > limits.MAX_SEQUENCE:
            raise ParseError(f"at most {limits.MAX_SEQUENCE:,} characters at a time")
        graph, rows, carry = self.graph(), self.encode(text), self.zeros()
        out = {v: [] for v in carry}
        for k in range(0, len(text), RUN_CHUNK):
            piece = rows[k:k + RUN_CHUNK]
            values = run(graph, {"x": piece[:, None], **starts(carry, len(piece))}, params=self.params).values
            for v in carry:
                out[v].append(values[v][:, 0])
                carry[v] = values[v][-1:]
        return {v: np.concatenate(parts) for v, parts in out.items()}

    def encode(self, text: str) -> np.ndarray:
        """One-hot rows; a character outside the alphabet reads as the alphabet's OTHER (or first) character."""
        index = {ch: i for i, ch in enumerate(self.alphabet)}
        other = index.get(pycorpus.OTHER, 0)
        rows = np.zeros((len(text), len(self.alphabet)))
        rows[np.arange(len(text)), [index.get(ch, other) for ch in text]] = 1.0
        return rows

    def hidden(self, text: str) -> np.ndarray:
        """h(t) after each character, (T, hidden)."""
        return self.states(text)["h"]

    def to_model(self, text: str) -> str:
        """A reader's text in the model's layout: 4 spaces at a line's start as a tab, for a tab-layout model."""
        return text if self.layout == "written" else tabs(text)

    def to_reader(self, text: str) -> str:
        """The model's text as a reader is shown it: each leading tab as 4 spaces."""
        return text if self.layout == "written" else spaces(text)

    def sample(self, prefix: str, length: int = 200, temperature: float = 0.7, seed: int = 0) -> str:
        """Text continuing the prefix, one character at a time from softmax(o / temperature)."""
        return self.samples(prefix, length, temperature, [seed])[0]

    def samples(self, prefix: str, length: int, temperature: float, seeds: list[int]) -> list[str]:
        """One sample per seed, all run side by side as a batch (each with its own random stream).

        The prefix and the samples are in the reader's layout (4 spaces a level), whatever the model's. The
        state is warmed on WARM first: training carries the state along the whole text, so a zero state is
        one the model has almost never started from (its samples then began `def =`)."""
        if not 0.05 <= temperature <= 5:
            raise ParseError("the temperature must be between 0.05 and 5")
        if not 1 <= length <= 2_000:
            raise ParseError("sample between 1 and 2,000 characters")
        if not 1 <= len(seeds) <= 64:
            raise ParseError("between 1 and 64 samples at a time")
        rngs = [np.random.default_rng(seed) for seed in seeds]
        graph, carry = self.graph(), self.zeros(len(seeds))
        outs, given = [[] for _ in seeds], WARM + self.to_model(prefix)
        for k in range(len(given) + length - 1):
            current = given[k] * len(seeds) if k < len(given) else "".join(out[-1] for out in outs)
            values = run(graph, {"x": self.encode(current)[None], **starts(carry, 1)}, params=self.params).values
            carry = {v: values[v] for v in carry}
            if k >= len(given) - 1:
                logits = values["o"][0] / temperature
                p = np.exp(logits - logits.max(-1, keepdims=True))
                p /= p.sum(-1, keepdims=True)
                for out, rng, row in zip(outs, rngs, p):
                    out.append(self.alphabet[rng.choice(len(row), p=row)])
        return [self.to_reader(self.to_model(prefix) + "".join(out)) for out in outs]


def save(model: CharModel, path: Path = WEIGHTS) -> None:
    """Weights as float16 with the alphabet, loss history and training facts; no pickle."""
    path.parent.mkdir(parents=True, exist_ok=True)
    facts = {f"fact_{k}": np.array(v) for k, v in model.facts.items()}
    np.savez_compressed(path, alphabet=np.array(list(model.alphabet)),
                        train_loss=np.array(model.history["train"]),
                        validation_loss=np.array(model.history["validation"]), **facts,
                        **{f"p_{k}": v.astype(STORED) for k, v in model.params.items()})


def load(path: Path = WEIGHTS) -> CharModel:
    with np.load(path, allow_pickle=False) as data:
        params = {k[2:]: data[k].astype(np.float64) for k in data.files if k.startswith("p_")}
        history = {"train": data["train_loss"].tolist(), "validation": data["validation_loss"].tolist()}
        facts = {k[5:]: data[k].item() for k in data.files if k.startswith("fact_")}
        return CharModel("".join(str(c) for c in data["alphabet"]), params, history, facts)
