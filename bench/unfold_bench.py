"""Time to build, write and draw the unfolded Elman RNN (labels shown) for growing τ.

    python bench/unfold_bench.py [--rounds 3] [--steps 10 100 1000 10000]

Prints min and median seconds per stage, and the exponent of SVG time vs τ between the two largest τ.
"""
from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graphs import parse  # noqa: E402
from graphs.catalog import CATALOG  # noqa: E402
from graphs.unfold import unfold  # noqa: E402
from viz.dot import to_dot  # noqa: E402
from viz.render import render_svg  # noqa: E402


def measure(steps: int, param_nodes: bool) -> tuple[float, float, float]:
    circuit = parse(CATALOG["elman"].text)
    t0 = time.perf_counter()
    graph = unfold(circuit, steps, param_nodes=param_nodes)
    t1 = time.perf_counter()
    dot = to_dot(graph, param_nodes=param_nodes)
    t2 = time.perf_counter()
    render_svg(dot, timeout=600)
    t3 = time.perf_counter()
    return t1 - t0, t2 - t1, t3 - t2


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--steps", type=int, nargs="+", default=[10, 100, 1000, 10000])
    args = parser.parse_args()
    for param_nodes in (False, True):
        print(f"Elman RNN, labels shown, parameters as nodes: {param_nodes}")
        print(f"{'τ':>7} {'IR min':>9} {'DOT min':>9} {'SVG min':>9} {'SVG median':>11} {'total min':>10}")
        totals = {}
        for steps in args.steps:
            runs = [measure(steps, param_nodes) for _ in range(args.rounds)]
            ir, dot, svg = (min(r[k] for r in runs) for k in range(3))
            totals[steps] = min(sum(r) for r in runs)
            print(f"{steps:>7} {ir:>9.4f} {dot:>9.4f} {svg:>9.3f} {statistics.median(r[2] for r in runs):>11.3f} "
                  f"{totals[steps]:>10.3f}")
        (a, ta), (b, tb) = sorted(totals.items())[-2:]
        print(f"exponent of total time vs τ from {a} to {b}: {math.log(tb / ta) / math.log(b / a):.2f}\n")
    t0 = time.perf_counter()
    render_svg(to_dot(unfold(parse(CATALOG["elman"].text), 10**6, elide=True)))
    print(f"elided τ = 10^6, IR + DOT + SVG: {time.perf_counter() - t0:.3f} s")


if __name__ == "__main__":
    main()
