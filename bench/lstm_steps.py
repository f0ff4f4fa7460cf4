"""Where a step of the NumPy LSTM kernel (graphs/backends/numpy_cells.py) spends its time, call by call.

    python bench/lstm_steps.py [--batch 1] [--rounds 15]

The loop below is the kernel's own (_lstm, with _feed's steps), input 16, hidden 128, float32, one BLAS
thread, CPU time. A call's cost is the loop with that call made once more (into scratch memory, so that the
values stay the same) minus the loop, min over interleaved rounds. "Steps" is the loop with no call at all:
iterating (and, at batch 1, the input parts' products, made a block of steps at a time). "Setup" is the
kernel's work before its loop (weights reordered, memory), per step. Compare with torch.nn.LSTM's whole step.
At batch 1 it also times numba's compiled loop (graphs/backends/numba_lstm.py), which the NumPy backend runs
there once loaded: its product alone, the loop alone (input parts made beforehand) and the kernel as run.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402
import torch  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

from graphs.backends import numba_lstm  # noqa: E402
from graphs.backends.numpy_cells import _compiled_lstm, _feed  # noqa: E402

INPUT, HIDDEN = 16, 128
CALLS = ["product", "+ input part", "exp (σ gates)", "+1 (σ gates)", "tanh g", "[g | c] / [d_i | d_f]",
         "+ → c", "tanh c", "h = tanh c / d_o"]


def loop(xs, weights_in, extra) -> tuple[float, float]:
    """(CPU seconds in the loop, CPU seconds before it), with call number `extra` made twice (None: none;
    "steps": the loop without any call)."""
    n, lead, dtype = HIDDEN, xs.shape[1:-1], xs.dtype
    i, f, g, o = (slice(k * n, (k + 1) * n) for k in range(4))
    start = time.process_time()
    weights, hs, steps = _feed(xs, np.zeros(lead + (n,), dtype), *weights_in,
                               [(o, -1.0), (i, -1.0), (f, -1.0), (g, 1.0)])
    pairs = np.zeros((len(xs) + 1, *lead, 2 * n), dtype)
    gates, both, tmp = (np.empty(lead + (k * n,), dtype) for k in (4, 2, 1))
    d, d_o, d_if, a_g = gates[..., :3 * n], gates[..., :n], gates[..., n:3 * n], gates[..., 3 * n:]
    ig, fc = both[..., :n], both[..., n:]
    one = np.ones(3 * n, dtype)
    spare = {k: np.empty(lead + (k * n,), dtype) for k in (1, 2, 3, 4)}
    twice = [lambda: np.dot(now, weights, spare[4]), lambda: np.add(gates, x, spare[4]),
             lambda: np.exp(d, spare[3]), lambda: np.add(d, one, spare[3]), lambda: np.tanh(a_g, spare[1]),
             lambda: np.divide(pair, d_if, spare[2]), lambda: np.add(ig, fc, spare[1]),
             lambda: np.tanh(c_t, spare[1]), lambda: np.divide(tmp, d_o, spare[1])]
    again = twice[extra] if isinstance(extra, int) else None
    if extra == 1 and xs.ndim == 3:   # with a batch, the product adds the input part: nothing to repeat
        again = None
    began = time.process_time()
    if extra == "steps":
        for _ in zip(steps, pairs, pairs[..., :n], pairs[1:, ..., n:]):
            pass
        return time.process_time() - began, began - start
    for (now, x, h_t), pair, g_t, c_t in zip(steps, pairs, pairs[..., :n], pairs[1:, ..., n:]):
        np.dot(now, weights, gates)
        if x is not None:
            np.add(gates, x, gates)
        np.exp(d, d)
        np.add(d, one, d)
        np.tanh(a_g, g_t)
        np.divide(pair, d_if, both)
        np.add(ig, fc, c_t)
        np.tanh(c_t, tmp)
        np.divide(tmp, d_o, h_t)
        if again is not None:
            again()
    return time.process_time() - began, began - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    numba_lstm.prepare()   # before the thread limit, so that it covers the BLAS numba's products call
    threadpool_limits(1)
    torch.set_num_threads(1)
    torch.set_grad_enabled(False)
    steps = 1000 if args.batch == 1 else 200
    torch.manual_seed(0)
    module = torch.nn.LSTM(INPUT, HIDDEN)
    weights = [p.detach().numpy() for p in (module.weight_ih_l0, module.weight_hh_l0)]
    weights.append((module.bias_ih_l0 + module.bias_hh_l0).detach().numpy())
    x_torch = torch.randn(steps, args.batch, INPUT)
    xs = x_torch.numpy()[:, 0] if args.batch == 1 else x_torch.numpy()   # the kernel's batch-1 path: vectors
    variants: list = [None, "steps", *range(len(CALLS))]
    compiled = _compiled_variants(xs, weights, module) if args.batch == 1 else {}
    best = {v: float("inf") for v in variants}
    setup, reference = float("inf"), float("inf")
    with np.errstate(over="ignore"):
        for _ in range(args.rounds):
            for v in variants:
                spent, before = loop(xs, weights, v)
                best[v], setup = min(best[v], spent), min(setup, before)
            began = time.process_time()
            module(x_torch)
            reference = min(reference, time.process_time() - began)
            for name, run_it in compiled.items():
                began = time.process_time()
                run_it()
                best[name] = min(best.get(name, float("inf")), time.process_time() - began)
    per_step = 1e6 / steps
    print(f"NumPy LSTM kernel, batch {args.batch}, T {steps}, µs per step (min of {args.rounds} rounds):")
    print(f"  the loop as it runs      {best[None] * per_step:7.2f}")
    for k, name in enumerate(CALLS):
        print(f"    {name:<22} {(best[k] - best[None]) * per_step:7.2f}")
    print(f"    {'steps (no call)':<22} {best['steps'] * per_step:7.2f}")
    print(f"  setup before the loop    {setup * per_step:7.2f}")
    for name in compiled:
        print(f"  {name:<24} {best[name] * per_step:7.2f}")
    print(f"  torch.nn.LSTM, whole run {reference * per_step:7.2f}")


def _compiled_variants(xs, weights, module) -> dict:
    """name → a run of numba's loop (its product alone; the loop; the kernel with its input parts)."""
    if not numba_lstm.prepare():
        print(f"numba's loop not timed: {numba_lstm.failure()}")
        return {}
    from graphs.backends._numba_loops import lstm_product
    loops = numba_lstm.prepared(xs.dtype)
    loop = loops[0]
    w_ih, w_hh = (p.detach().numpy() for p in (module.weight_ih_l0, module.weight_hh_l0))
    biases = [p.detach().numpy() for p in (module.bias_ih_l0, module.bias_hh_l0)]
    parts, w_t = xs @ weights[0].T + weights[2], np.ascontiguousarray(w_hh.T)
    hs, cs, zero = np.empty((len(xs), HIDDEN), xs.dtype), np.empty((len(xs), HIDDEN), xs.dtype), np.zeros(HIDDEN, xs.dtype)
    return {"numba: product only": lambda: lstm_product(parts, w_t, zero, hs),
            "numba: loop": lambda: loop(parts, w_t, zero, zero, hs, cs),
            "numba: kernel as run": lambda: _compiled_lstm(loops, xs, (zero, zero), w_ih, w_hh, *biases)}


if __name__ == "__main__":
    main()
