"""Forward-pass time of the IR-evaluating backends vs a hand-written NumPy loop and torch's own RNNs.

    python bench/backend_bench.py [--rounds 5]

Input 16, hidden 128; (batch 1, T 1,000) and (batch 64, T 200). Variants are interleaved over rounds with
a pause between blocks (NumPy's BLAS threads keep spinning briefly after a matmul). Prints min and median
ms and µs per step, and each variant's ratio to torch.nn.RNN.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402
import torch  # noqa: E402

from graphs import parse  # noqa: E402
from graphs.backends import run  # noqa: E402
from graphs.backends.weights import convert  # noqa: E402

INPUT, HIDDEN = 16, 128


def variants(kind: str, batch: int, steps: int) -> dict:
    torch.manual_seed(0)
    module = {"rnn": torch.nn.RNN, "gru": torch.nn.GRU, "lstm": torch.nn.LSTM}[kind](INPUT, HIDDEN)
    converted = convert({k: v.detach().double().numpy() for k, v in module.state_dict().items()})
    graph = parse(converted.text)
    xs32 = torch.randn(steps, batch, INPUT)
    xs = xs32.double().numpy()
    params32 = {k: torch.tensor(v, dtype=torch.float64) for k, v in converted.params.items()}
    out = {
        "ours numpy (IR)": lambda: run(graph, {"x": xs}, params=converted.params),
        "ours torch (IR)": lambda: run(graph, {"x": xs}, params=params32, backend="torch"),
        f"torch.nn.{kind.upper()}": lambda: module(xs32),
    }
    if kind == "rnn":
        p = converted.params
        Wi, Wh, b = p["Wi0"], p["Wh0"], p["bi0"] + p["bh0"]

        def numpy_loop():
            h = np.zeros((batch, HIDDEN))
            for t in range(steps):
                h = np.tanh(xs[t] @ Wi.T + h @ Wh.T + b)
            return h
        cell = torch.nn.RNNCell(INPUT, HIDDEN)

        def cell_loop():
            h = torch.zeros(batch, HIDDEN)
            for t in range(steps):
                h = cell(xs32[t], h)
            return h
        out["hand NumPy loop"] = numpy_loop
        out["nn.RNNCell loop"] = cell_loop
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--kinds", nargs="+", default=["rnn", "gru", "lstm"])
    args = parser.parse_args()
    torch.set_grad_enabled(False)
    for kind in args.kinds:
        for batch, steps in ((1, 1000), (64, 200)):
            funcs = variants(kind, batch, steps)
            times: dict[str, list[float]] = {name: [] for name in funcs}
            for _ in range(args.rounds):
                for name, f in funcs.items():
                    time.sleep(0.3)
                    t0 = time.perf_counter()
                    f()
                    times[name].append(time.perf_counter() - t0)
            reference = min(times[f"torch.nn.{kind.upper()}"])
            print(f"{kind.upper()}  batch {batch}, T {steps}, input {INPUT}, hidden {HIDDEN}")
            for name, ts in times.items():
                print(f"  {name:<18} min {min(ts) * 1e3:8.2f} ms  median {statistics.median(ts) * 1e3:8.2f} ms  "
                      f"{min(ts) / steps * 1e6:7.1f} µs/step  ×{min(ts) / reference:5.2f} of torch.nn.{kind.upper()}")


if __name__ == "__main__":
    main()
