"""A character-level LSTM (or GRU), as in Karpathy's post the notes cite: read code, predict the next character.

The shipped weights (graphs/explainers/weights/charrnn.npz) come from standard-library modules
(pycorpus.py) and are rebuilt with:
    python -m graphs.explainers.charrnn --train
which prints each epoch's losses, the 3-gram baseline on the same split and the wall time.
"""
from __future__ import annotations

import argparse
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .. import limits
from ..backends import init_params, run
from ..circuit import parse
from ..parse import ParseError
from ..shapes import infer
from . import pycorpus
from .tablayout import spaces, tabs

WEIGHTS = Path(__file__).parent / "weights" / "charrnn.npz"
HIDDEN = 288            # the shipped model; a model trained on an upload is smaller (quicker)
STORED = np.float16     # weights are shipped (and measured) at this precision: twice the units in 1 MB
CHUNK = 50              # characters per step of truncated back-propagation through time (as char-rnn)
STREAMS = 64            # the training text is read as this many parallel streams
RUN_CHUNK = 1_000       # longer texts are run in pieces, the state carried over
# How the shipped model was trained (README, character RNN): the command line's defaults
SHIPPED = {"epochs": 12, "hidden": HIDDEN, "chunk": 100, "streams": 32, "seed": 2, "layout": "tabs"}
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


def streams(rows: np.ndarray, count: int) -> np.ndarray:
    """The text cut into `count` equal consecutive streams, (length, count, alphabet)."""
    length = len(rows) // count
    return rows[: length * count].reshape(count, length, -1).transpose(1, 0, 2)


def mean_loss(graph, params, data: np.ndarray, cell: str = "gru") -> float:
    """Nats per character of predicting each stream's next character, the state carried from piece to piece."""
    carry = {v: np.zeros((1, data.shape[1], params["V"].shape[1])) for v in CELLS[cell]}
    total, count = 0.0, 0
    for k in range(0, len(data) - 1, CHUNK * 4):
        piece = data[k:k + CHUNK * 4 + 1]
        values = run(graph, {"x": piece[:-1], **starts(carry, len(piece) - 1)}, params=params).arrays()
        o = values["o"]
        log_p = o - o.max(-1, keepdims=True)
        log_p -= np.log(np.exp(log_p).sum(-1, keepdims=True))
        total -= (log_p * piece[1:]).sum()
        count += len(piece) - 1
        carry = {v: values[v][-1:] for v in carry}
    return float(total / (count * data.shape[1]))


def train(text: str | None = None, epochs: int = 5, seed: int = 0, progress=None, hidden: int | None = None,
          lr: float = 4e-3, cell: str = "gru", checkpoint: Path | None = None, facts: dict | None = None,
          chunk: int = CHUNK, parallel: int = STREAMS, layout: str = "written") -> CharModel:
    """Train (no text: the standard-library corpus; a text: its first 90%); progress(epoch, train, valid) may stop it.

    checkpoint: a file the model is saved to after every epoch whose validation loss is the best so far, so a
    long run can be read (or stopped) while it goes on and the file always holds its best epoch.
    chunk, parallel: characters per back-propagation piece, and streams read side by side.
    layout: how the standard-library corpus is laid out (pycorpus.LAYOUTS).
    """
    import torch
    torch.manual_seed(seed)
    if text is None:
        train_text, valid_text = pycorpus.corpus(layout)
        alphabet, hidden = pycorpus.alphabet(layout), hidden or HIDDEN
        facts = {"layout": layout, **(facts or {})}
    else:
        if len(text) < 2 * CHUNK:
            raise ParseError(f"give at least {2 * CHUNK} characters to train on")
        text = text[:500_000]
        split = int(len(text) * 0.9)
        train_text, valid_text = text[:split], text[split:]
        alphabet, hidden = "".join(sorted(set(text)))[:limits.MAX_VOCAB], hidden or 64
    model = CharModel(alphabet, {}, facts={"corpus": pycorpus.digest(train_text + valid_text), **(facts or {})})
    graph = parse(model_text(len(alphabet), hidden, cell))
    data = streams(model.encode(train_text), max(1, min(parallel, len(train_text) // (4 * chunk))))
    valid = streams(model.encode(valid_text), max(1, min(16, len(valid_text) // (4 * CHUNK))))
    initial = init_params(infer(graph, {"x": len(alphabet)}), seed)
    if cell == "lstm":
        initial["bf"] = np.ones_like(initial["bf"])   # forget gate open at first: the cell state starts out remembering
    params = {k: torch.tensor(v, dtype=torch.float32, requires_grad=True) for k, v in initial.items()}
    optimiser = torch.optim.Adam(params.values(), lr=lr)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimiser, max(1, epochs), eta_min=lr / 10)
    began, cpu_began = time.perf_counter(), time.process_time()
    for epoch in range(epochs):
        losses, carry = [], {v: torch.zeros(1, data.shape[1], hidden) for v in CELLS[cell]}
        offset = (epoch * 37) % chunk   # pieces cut at other places each epoch
        for k in range(offset, len(data) - 1, chunk):
            piece = torch.as_tensor(data[k:k + chunk + 1], dtype=torch.float32)
            values = run(graph, {"x": piece[:-1], **starts(carry, len(piece) - 1, "torch")},
                         backend="torch", params=params, dtype="float32").values
            loss = -(torch.log_softmax(values["o"], dim=-1) * piece[1:]).sum(-1).mean()
            optimiser.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params.values(), 5.0)
            optimiser.step()
            losses.append(loss.item())
            carry = {v: values[v][-1:].detach() for v in carry}
        schedule.step()
        model.params = {k: v.detach().numpy().astype(STORED).astype(np.float64) for k, v in params.items()}
        model.history["train"].append(float(np.mean(losses)))
        model.history["validation"].append(mean_loss(graph, model.params, valid, cell))
        if checkpoint and model.history["validation"][-1] <= min(model.history["validation"]):
            model.facts["seconds"] = round(time.perf_counter() - began, 1)
            model.facts["cpu_seconds"] = round(time.process_time() - cpu_began, 1)
            save(model, checkpoint)
        if progress and progress(epoch, model.history["train"][-1], model.history["validation"][-1]):
            break
    model.facts["seconds"] = round(time.perf_counter() - began, 1)            # wall time, on a shared machine
    model.facts["cpu_seconds"] = round(time.process_time() - cpu_began, 1)   # what it costs on one free core
    return model


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--train", action="store_true", help="retrain and overwrite the shipped weights")
    parser.add_argument("--epochs", type=int, default=SHIPPED["epochs"])
    parser.add_argument("--cell", choices=sorted(CELLS), default="lstm")
    parser.add_argument("--hidden", type=int, default=SHIPPED["hidden"], help="units in the state")
    parser.add_argument("--stop-after", type=int, help="stop after this many epochs (the schedule still spans --epochs)")
    parser.add_argument("--chunk", type=int, default=SHIPPED["chunk"], help="characters per back-propagation piece")
    parser.add_argument("--streams", type=int, default=SHIPPED["streams"], help="streams of the text read side by side")
    parser.add_argument("--seed", type=int, default=SHIPPED["seed"], help="seed of the initial weights")
    parser.add_argument("--layout", choices=pycorpus.LAYOUTS, default=SHIPPED["layout"], help="how the corpus is laid out")
    parser.add_argument("--weights", type=Path, default=WEIGHTS, help="where to write (and read) the weights")
    args = parser.parse_args()
    import torch
    torch.set_num_threads(1)   # a shared machine: one core is the budget
    if args.train:
        from .ngram import ngram_loss
        train_text, valid_text = pycorpus.corpus(args.layout)
        baseline = ngram_loss(train_text, valid_text, pycorpus.alphabet(args.layout))
        print(f"corpus {pycorpus.digest(train_text + valid_text)}: {len(train_text):,} characters to train on, "
              f"{len(valid_text):,} held out; 3-gram baseline {baseline:.3f} nats/char", flush=True)
        began = time.perf_counter()

        def progress(epoch: int, train_loss: float, validation: float) -> bool:
            print(f"epoch {epoch + 1}: train {train_loss:.3f}, validation {validation:.3f} nats/char "
                  f"(3-gram {baseline:.3f}), {(time.perf_counter() - began) / 60:.1f} min", flush=True)
            return epoch + 1 >= (args.stop_after or args.epochs)
        train(epochs=args.epochs, cell=args.cell, hidden=args.hidden, checkpoint=args.weights, progress=progress,
              facts={"baseline_3gram": round(baseline, 4), "seed": args.seed}, seed=args.seed, chunk=args.chunk,
              parallel=args.streams, layout=args.layout)    # the checkpoint holds the best epoch
    model = load(args.weights)
    print(f"weights from epoch {len(model.history['validation'])}, trained in "
          f"{model.facts.get('seconds', 0) / 60:.1f} min wall time, {model.facts.get('cpu_seconds', 0) / 60:.1f} "
          "min CPU time", flush=True)
    report(model)


def report(model: CharModel) -> None:
    """Print the shipped model's figures: losses, a sample at T = 0.6, the units found on the held-out text."""
    from .units import find_units
    print(f"validation {model.history['validation'][-1]:.3f} nats/char, "
          f"3-gram baseline {model.facts.get('baseline_3gram', float('nan')):.3f}, "
          f"trained in {model.facts.get('seconds', 0) / 60:.1f} min ({model.facts.get('cpu_seconds', 0) / 60:.1f} "
          "min CPU time)")
    print(model.sample("def ", 400, temperature=0.6))
    from .pylike import BAR, compare, meets
    print("Does it look like Python? Shares over 8 samples (or pieces) of 1,500 characters:")
    print(f"{'':24}" + "".join(f"{name:>24}" for name in BAR))
    for who, found in compare(model).items():
        print(f"{who:24}" + "".join(f"{found[name]:>24.1%}" for name in BAR)
              + ("  (meets the bar)" if who.startswith("character") and meets(found) else ""))
    print(f"{'bar':24}" + "".join(f"{bar:>24.0%}" for bar in BAR.values()))
    for name, found in find_units(model).items():
        print(f"{name}: unit {found.name}, r = " + ", ".join(f"{r:+.2f}" for r in found.correlations))


if __name__ == "__main__":
    main()
