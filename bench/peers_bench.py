"""Unfolded Elman RNN to SVG: Unfold vs torchview and torchviz on the equivalent RNNCell loop.

Unfold is timed through its API, `viz.diagram(...).render("svg")`, as a user exports a drawing: Graphviz
draws up to 2,000 nodes, and bigger unfolded graphs are written directly (bench/unfold_bench.py compares
the two writers).

    pip install -r bench/requirements.txt
    python bench/peers_bench.py [--steps 10 100 1000 10000] [--limit 60] [--rounds 3]

Each case runs in a child process with a time limit (a peer that does not finish counts as "> limit").
Variants are interleaved over rounds; min and median seconds are printed, then the ratios, and the
exponent of Unfold's time vs τ.
"""
from __future__ import annotations

import argparse
import math
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CASES = {
    "unfold": """
from viz import diagram
diagram("elman", "unfolded", STEPS).render("svg")
""",
    "unfold, params as nodes": """
from viz import diagram
diagram("elman", "unfolded", STEPS, param_nodes=True).render("svg")
""",
    "torchview": """
import torch
from torchview import draw_graph
from peers_model import Unrolled
graph = draw_graph(Unrolled(STEPS), input_size=(STEPS, 1, 8), roll=False, depth=10)
graph.visual_graph.pipe(format="svg")
""",
    "torchviz": """
import torch
from torchviz import make_dot
from peers_model import Unrolled
model = Unrolled(STEPS)
out = model(torch.randn(STEPS, 1, 8))
make_dot(out, params=dict(model.named_parameters())).pipe(format="svg")
""",
}
ELIDED = """
from graphs import parse
from graphs.catalog import CATALOG
from graphs.unfold import unfold
from viz.dot import to_dot
from viz.render import render_svg
render_svg(to_dot(unfold(parse(CATALOG["elman"].text), 1_000_000, elide=True)))
"""


def timed(code: str, steps: int, limit: float) -> float | None:
    """Seconds for one case in a fresh process (imports excluded), or None past the limit."""
    program = f"import sys, time\nsys.path[:0] = [{str(ROOT)!r}, {str(ROOT / 'bench')!r}]\nSTEPS = {steps}\n"
    first_line = code.strip().splitlines()
    imports = "\n".join(line for line in first_line if line.startswith(("import", "from")))
    body = "\n".join(line for line in first_line if not line.startswith(("import", "from")))
    program += imports + "\nt0 = time.perf_counter()\n" + body + "\nprint(time.perf_counter() - t0)\n"
    # a session of its own, so that a peer's `dot` child is killed with it: an orphaned dot would go on
    # eating the CPU and slow every later measurement
    child = subprocess.Popen([sys.executable, "-c", program], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, start_new_session=True)
    try:
        out, err = child.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        child.communicate()
        return None
    if child.returncode != 0:
        print(f"    failed: {err.strip().splitlines()[-1] if err.strip() else child.returncode}")
        return None
    return float(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, nargs="+", default=[10, 100, 1000, 10000])
    parser.add_argument("--limit", type=float, default=60.0)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    results: dict[tuple[str, int], list[float | None]] = {}
    for steps in args.steps:
        gave_up = set()
        for _ in range(args.rounds):
            for name, code in CASES.items():
                if name in gave_up:
                    continue
                seconds = timed(code, steps, args.limit)
                results.setdefault((name, steps), []).append(seconds)
                if seconds is None:
                    gave_up.add(name)   # past the limit once: not worth repeating
                time.sleep(0.3)
    print(f"Elman RNN (input 8, hidden 16) unfolded to SVG; limit {args.limit:g} s per case")
    print(f"{'τ':>6}  " + "  ".join(f"{name:>26}" for name in CASES))
    for steps in args.steps:
        cells = []
        for name in CASES:
            runs = [r for r in results.get((name, steps), []) if r is not None]
            if len(runs) < len(results.get((name, steps), [])) or not runs:
                cells.append(f"{'> ' + format(args.limit, 'g') + ' s':>26}")
            else:
                cells.append(f"{min(runs):>11.3f} (med {statistics.median(runs):7.3f})")
        print(f"{steps:>6}  " + "  ".join(cells))
    for steps in args.steps:
        ours = [r for r in results[("unfold", steps)] if r is not None]
        for peer in ("torchview", "torchviz"):
            theirs = [r for r in results[(peer, steps)] if r is not None]
            if ours and len(theirs) == len(results[(peer, steps)]):
                print(f"τ={steps}: {peer} / unfold = {min(theirs) / min(ours):.0f}×")
            elif ours:
                print(f"τ={steps}: {peer} did not finish in {args.limit:g} s: > {args.limit / min(ours):.0f}× unfold")
    for name in ("unfold", "unfold, params as nodes"):
        big = [s for s in args.steps if all(r is not None for r in results[(name, s)])][-2:]
        if len(big) == 2:
            a, b = (min(results[(name, s)]) for s in big)
            print(f"exponent of {name} time vs τ from {big[0]} to {big[1]}: {math.log(b / a) / math.log(big[1] / big[0]):.2f}")
    print(f"elided τ = 10^6: {timed(ELIDED, 0, args.limit):.3f} s")


if __name__ == "__main__":
    main()
