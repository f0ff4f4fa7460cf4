"""Time to unfold the Elman RNN (labels shown) and draw it as SVG, for growing τ.

    python bench/unfold_bench.py [--rounds 3] [--steps 10 100 1000 10000] [--no-graphviz] [--keep-gc]

"SVG" is what `viz.Diagram.render("svg")` does: Graphviz (`neato -n2`, every position given) up to 2,000
nodes, the direct writer of viz/svg.py beyond. "via Graphviz" draws the same graph through Graphviz at
every τ, for comparison. Prints min and median seconds per stage, and the exponent of the total time
vs τ between the two largest τ.
"""
from __future__ import annotations

import argparse
import contextlib
import math
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graphs import parse  # noqa: E402
from graphs.catalog import CATALOG  # noqa: E402
from graphs.unfold import unfold  # noqa: E402
from viz import Diagram  # noqa: E402
from viz.dot import to_dot  # noqa: E402
from viz.render import render_svg  # noqa: E402


def measure(steps: int, param_nodes: bool, graphviz: bool) -> tuple[float, float, float]:
    """Seconds to unfold, to draw as exported, and (if asked) to draw through Graphviz."""
    circuit = parse(CATALOG["elman"].text)
    t0 = time.perf_counter()
    graph = unfold(circuit, steps, param_nodes=param_nodes)
    t1 = time.perf_counter()
    Diagram(graph, param_nodes=param_nodes).render("svg")
    t2 = time.perf_counter()
    if graphviz:
        render_svg(to_dot(graph, param_nodes=param_nodes), timeout=600)
    return t1 - t0, t2 - t1, time.perf_counter() - t2


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--steps", type=int, nargs="+", default=[10, 100, 1000, 10000])
    parser.add_argument("--no-graphviz", action="store_true", help="skip the comparison through Graphviz")
    parser.add_argument("--keep-gc", action="store_true",
                        help="leave the garbage collector running while graphs are built and drawn, to see its cost")
    args = parser.parse_args()
    if args.keep_gc:
        import graphs.unfold
        import viz.svg
        graphs.unfold.paused_gc = viz.svg.paused_gc = contextlib.nullcontext
    for param_nodes in (False, True):
        print(f"Elman RNN, labels shown, parameters as nodes: {param_nodes}")
        print(f"{'τ':>7} {'IR min':>9} {'SVG min':>9} {'SVG median':>11} {'total min':>10} {'via Graphviz min':>17}")
        totals = {}
        rounds: dict[int, list] = {steps: [] for steps in args.steps}
        for _ in range(args.rounds):   # every τ in each round, so that the machine's drift hits them alike
            for steps in args.steps:
                rounds[steps].append(measure(steps, param_nodes, not args.no_graphviz))
        for steps, runs in rounds.items():
            ir, svg, graphviz = (min(r[k] for r in runs) for k in range(3))
            totals[steps] = min(r[0] + r[1] for r in runs)
            print(f"{steps:>7} {ir:>9.4f} {svg:>9.3f} {statistics.median(r[1] for r in runs):>11.3f} "
                  f"{totals[steps]:>10.3f} {graphviz:>17.3f}")
        (a, ta), (b, tb) = sorted(totals.items())[-2:]
        print(f"exponent of total time vs τ from {a} to {b}: {math.log(tb / ta) / math.log(b / a):.2f}\n")
    t0 = time.perf_counter()
    render_svg(to_dot(unfold(parse(CATALOG["elman"].text), 10**6, elide=True)))
    print(f"elided τ = 10^6, IR + DOT + SVG: {time.perf_counter() - t0:.3f} s")

if __name__ == "__main__":
    main()
