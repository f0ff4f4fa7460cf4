"""Train the character model, and print its figures: losses, the 3-gram beside them, samples, found units.

    python -m graphs.explainers.chartrain --train     # rebuild the shipped weights (README, character RNN)
    python -m graphs.explainers.chartrain             # print the shipped model's figures

Training prints each epoch's losses, the 3-gram baseline on the same split and the wall time. The defaults
are the shipped model's settings (SHIPPED).
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from .. import limits
from ..backends import init_params, run
from ..circuit import parse
from ..parse import ParseError
from ..shapes import infer
from . import pycorpus
from .charrnn import CELLS, HIDDEN, STORED, WEIGHTS, CharModel, load, model_text, save, starts

CHUNK = 50              # characters per step of truncated back-propagation through time (as char-rnn)
STREAMS = 64            # the training text is read as this many parallel streams
# How the shipped model was trained (README, character RNN): the command line's defaults
SHIPPED = {"epochs": 12, "hidden": HIDDEN, "chunk": 200, "streams": 16, "seed": 2, "layout": "tabs"}


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
    written, laid_out = (len(pycorpus.corpus(layout)[1]) for layout in ("written", model.layout))
    print(f"the same total over the held-out code as written: "
          f"{model.history['validation'][-1] * laid_out / written:.3f} nats per written character")
    print(f"validation {model.history['validation'][-1]:.3f} nats/char, "
          f"3-gram baseline {model.facts.get('baseline_3gram', float('nan')):.3f}, "
          f"trained in {model.facts.get('seconds', 0) / 60:.1f} min ({model.facts.get('cpu_seconds', 0) / 60:.1f} "
          "min CPU time)")
    print(model.sample("def ", 400, temperature=0.6))
    from .pylike import BAR, compare, figures, meets
    print("Does it look like Python? Shares over 8 samples (or pieces) of 1,500 characters:")
    print(f"{'':24}" + "".join(f"{name:>24}" for name in BAR))
    for who, found in compare(model).items():
        print(f"{who:24}" + "".join(f"{found[name]:>24.1%}" for name in BAR)
              + ("  (meets the bar)" if who.startswith("character") and meets(found) else ""))
    print(f"{'bar':24}" + "".join(f"{bar:>24.0%}" for bar in BAR.values()))
    more = figures(model.samples("def ", 1_500, 0.6, list(range(8, 40))))   # the 8 are not a lucky draw
    print(f"{'32 more (seeds 8-39)':24}" + "".join(f"{more[name]:>24.1%}" for name in BAR))
    for name, found in find_units(model).items():
        print(f"{name}: unit {found.name}, r = " + ", ".join(f"{r:+.2f}" for r in found.correlations))


if __name__ == "__main__":
    main()
