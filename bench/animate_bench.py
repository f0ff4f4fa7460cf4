"""Time and peak memory to export a 60-step GRU animation (the app's maximum) as GIF and as animated SVG.

    python bench/animate_bench.py [--rounds 3] [--steps 60] [--per-frame]

Each export runs in a fresh Python process, so its peak memory (ru_maxrss) is its own; Graphviz's
processes are reported apart ("dot peak"). "reel" is viz/reel.py (laid out once, frames differ only in
colours); --per-frame adds the old path of viz/animate.py (Graphviz once per frame), slow: about a minute.
Prints min and median seconds, peak MB, and the file size.
"""
from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

EXPORTS = ("reel gif", "reel svg", "per-frame gif")


def export(kind: str, steps: int) -> dict:
    """One export, timed from the run's values to the file's bytes."""
    import numpy as np

    from graphs import parse
    from graphs.backends import run
    from graphs.catalog import CATALOG
    from graphs.unfold import unfold
    from viz import animate, reel

    graph = parse(CATALOG["gru"].text)
    values = run(graph, {"x": np.random.default_rng(0).normal(size=(steps, 4))}, hidden=8).values
    start = time.perf_counter()
    unfolded = unfold(graph, steps)
    numbers, tips = animate.node_values(unfolded, values)
    if kind == "per-frame gif":
        data = animate.gif(animate.frames(unfolded, numbers, tips))
    elif kind == "reel gif":
        data = reel.gif(reel.reel(unfolded, numbers, tips))
    else:
        data = reel.animated_svg(reel.reel(unfolded, numbers, tips)).encode()
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "bytes": len(data),
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "dot_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--steps", type=int, default=60)
    parser.add_argument("--per-frame", action="store_true", help="also time the old path (Graphviz per frame)")
    parser.add_argument("--one", choices=EXPORTS, help=argparse.SUPPRESS)   # a child process's single export
    args = parser.parse_args()
    if args.one:
        print(json.dumps(export(args.one, args.steps)))
        return
    kinds = EXPORTS if args.per_frame else EXPORTS[:2]
    results: dict[str, list[dict]] = {kind: [] for kind in kinds}
    for _ in range(args.rounds):
        for kind in kinds:
            done = subprocess.run([sys.executable, __file__, "--one", kind, "--steps", str(args.steps)],
                                  capture_output=True, text=True, check=True)
            results[kind].append(json.loads(done.stdout))
    print(f"GRU animation, {args.steps} steps ({args.steps + 1} frames), {args.rounds} rounds")
    for kind, runs in results.items():
        seconds = [r["seconds"] for r in runs]
        print(f"  {kind:<14} min {min(seconds):6.2f} s  median {statistics.median(seconds):6.2f} s  "
              f"peak {max(r['peak_mb'] for r in runs):6.0f} MB  dot peak {max(r['dot_peak_mb'] for r in runs):5.0f} MB  "
              f"file {runs[0]['bytes'] / 1e6:6.2f} MB")


if __name__ == "__main__":
    main()
