"""Forward-pass time of the IR-evaluating backends vs a hand-written NumPy loop and torch's own RNNs.

    python bench/backend_bench.py [--rounds 5] [--kinds rnn gru lstm] [--unplanned]

Input 16, hidden 128; (batch 1, T 1,000) and (batch 64, T 200). Our backends run in float64 (the default,
in which they agree to 1e-9) and in float32, the precision torch's modules use. Every variant keeps the
hidden state of every step, as torch.nn.RNN does; a fused cell's gates are computed when first read, so
"f32 all" variants also read every value (gates, c), which torch's modules never return. Variants are interleaved over rounds with a pause between
blocks (NumPy's BLAS threads keep spinning briefly after a matmul). Prints min and median ms and µs per
step, each variant's ratio to torch.nn.RNN, and the ratios the targets name, at equal precision.
--unplanned adds our float32 runs with the evaluation plan's passes off (graphs/backends/plan.py).
--cpu runs everything on one thread and times CPU, not wall clock: on a machine shared with other jobs,
wall-clock times swing by several times between rounds; CPU time much less.
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

from graphs import limits, parse  # noqa: E402
from graphs.backends import numba_lstm, run  # noqa: E402
from graphs.backends.weights import convert  # noqa: E402

INPUT, HIDDEN = 16, 128


def variants(kind: str, batch: int, steps: int, with_unplanned: bool = False) -> dict:
    """name → a function running one forward pass; every variant keeps the states of all steps."""
    torch.manual_seed(0)
    module = {"rnn": torch.nn.RNN, "gru": torch.nn.GRU, "lstm": torch.nn.LSTM}[kind](INPUT, HIDDEN)
    converted = convert({k: v.detach().double().numpy() for k, v in module.state_dict().items()})
    graph = parse(converted.text)
    state = converted.outputs[0]
    xs32 = torch.randn(steps, batch, INPUT)
    out = {}
    for dtype in ("float64", "float32"):
        xs = xs32.numpy().astype(dtype)
        tensors = {k: torch.tensor(v, dtype=getattr(torch, dtype)) for k, v in converted.params.items()}
        out[f"ours numpy {dtype}"] = lambda xs=xs, dtype=dtype: run(graph, {"x": xs}, params=converted.params,
                                                                     dtype=dtype).values[state]
        out[f"ours torch {dtype}"] = lambda xs=xs, tensors=tensors, dtype=dtype: run(
            graph, {"x": xs}, params=tensors, backend="torch", dtype=dtype).values[state]
    # a fused cell's gates (and torch's LSTM c) are computed when first read; nn.LSTM never returns them
    out["ours numpy f32 all"] = lambda xs=xs: _read_all(run(graph, {"x": xs}, params=converted.params,
                                                            dtype="float32"))
    out["ours torch f32 all"] = lambda xs=xs, tensors=tensors: _read_all(run(graph, {"x": xs}, params=tensors,
                                                                             backend="torch", dtype="float32"))
    if with_unplanned:   # the same runs with the equations evaluated as written (no plan passes)
        xs, tensors = xs32.numpy(), {k: torch.tensor(v, dtype=torch.float32) for k, v in converted.params.items()}
        out["numpy f32 unplanned"] = lambda: run(graph, {"x": xs}, params=converted.params, dtype="float32", passes=())
        out["torch f32 unplanned"] = lambda: run(graph, {"x": xs}, params=tensors, backend="torch", dtype="float32",
                                                 passes=())
    if kind == "lstm":   # the same run with numba's loop (numba_lstm.py) off
        out["numpy f32 no numba"] = lambda xs=xs: _without_numba(out["ours numpy float32"])
    out[f"torch.nn.{kind.upper()}"] = lambda: module(xs32)
    if kind == "rnn":
        p = converted.params
        for dtype in ("float64", "float32"):
            out[f"hand NumPy {dtype}"] = _numpy_loop(xs32.numpy().astype(dtype), *(a.astype(dtype) for a in (
                p["Wi0"], p["Wh0"], p["bi0"] + p["bh0"])))
        cell = torch.nn.RNNCell(INPUT, HIDDEN)

        def cell_loop():
            h, states = torch.zeros(batch, HIDDEN), []
            for t in range(steps):
                h = cell(xs32[t], h)
                states.append(h)
            return torch.stack(states)
        out["nn.RNNCell loop"] = cell_loop
    return out


def _without_numba(run_it) -> None:
    numba_lstm.enabled = False
    try:
        run_it()
    finally:
        numba_lstm.enabled = True


def _read_all(result) -> None:
    for value in result.values.values():
        assert value is not None


def _numpy_loop(xs, Wi, Wh, b):
    """The Elman recurrence written by hand, as a NumPy user would."""
    def loop():
        h, states = np.zeros((xs.shape[1], HIDDEN), dtype=xs.dtype), []
        for x in xs:
            h = np.tanh(x @ Wi.T + h @ Wh.T + b)
            states.append(h)
        return np.stack(states)
    return loop


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--kinds", nargs="+", default=["rnn", "gru", "lstm"])
    parser.add_argument("--unplanned", action="store_true", help="also run without the plan's passes (float32)")
    parser.add_argument("--cpu", action="store_true",
                        help="one thread everywhere and CPU time, not wall time: steadier on a busy machine")
    args = parser.parse_args()
    # the run-size guard counts every operation's values at every step, as if all were kept: an LSTM at
    # batch 64 × 200 steps passes it with room only if the bench lifts it (it keeps about 16 M numbers)
    limits.MAX_RUN_FLOATS = 10 ** 9
    torch.set_grad_enabled(False)
    # numba's LSTM loops are loaded before timing (and before the thread limit, which then covers the BLAS they
    # call), as a process that has run an LSTM once has them (they compile once, into numba's cache)
    print(f"numba LSTM loops: {'loaded' if numba_lstm.prepare() else 'not used: ' + str(numba_lstm.failure())}")
    clock = time.perf_counter
    if args.cpu:
        from threadpoolctl import threadpool_limits
        torch.set_num_threads(1)
        threadpool_limits(1)
        clock = time.process_time
    for kind in args.kinds:
        for batch, steps in ((1, 1000), (64, 200)):
            funcs = variants(kind, batch, steps, args.unplanned)
            times: dict[str, list[float]] = {name: [] for name in funcs}
            for _ in range(args.rounds):
                for name, f in funcs.items():
                    time.sleep(0.3)
                    t0 = clock()
                    f()
                    times[name].append(clock() - t0)
            best = {name: min(ts) for name, ts in times.items()}
            reference = best[f"torch.nn.{kind.upper()}"]
            print(f"{kind.upper()}  batch {batch}, T {steps}, input {INPUT}, hidden {HIDDEN}")
            for name, ts in times.items():
                print(f"  {name:<20} min {best[name] * 1e3:8.2f} ms  median {statistics.median(ts) * 1e3:8.2f} ms  "
                      f"{best[name] / steps * 1e6:7.1f} µs/step  ×{best[name] / reference:5.2f} of torch.nn.{kind.upper()}")
            if kind == "rnn":
                for dtype in ("float64", "float32"):
                    print(f"  {dtype}: ours numpy / hand NumPy ×{best[f'ours numpy {dtype}'] / best[f'hand NumPy {dtype}']:.2f}"
                          f"   ours torch / nn.RNNCell loop ×{best[f'ours torch {dtype}'] / best['nn.RNNCell loop']:.2f}")

if __name__ == "__main__":
    main()
