"""Server-side time of the app (streamlit's AppTest: the script run without a browser).

    python bench/app_bench.py [--rounds 5]

Prints, in ms:
- cold first load: a fresh Python process in which streamlit has started (an empty script run first, as a server
  does before its first visitor) and nothing of Unfold is imported or cached; run in --rounds processes;
- first load of a new session in a warm process (another student: shared caches);
- a τ change, each to a τ not drawn before in this process and not next to one (nothing cached for it);
- switching to Run and to Explain right after the first load, then again once the background warm-up
  (viz/warm.py) has finished, and a run of a new sentence on the Run page (not cached). Right after the first
  load, matplotlib and torch are still being imported in the background: the Run page is then drawn at once
  with its diagram (forward pass) and a note, without the plots, gradients and backward pass, and completes
  itself once they are imported; "Run complete, from the switch" is the time from the switch until that rerun has drawn
  the gradients. The Explain page, likewise, shows its scores at once and its plots once matplotlib is there.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def timed(at: AppTest, change=None) -> float:
    start = time.perf_counter()
    (change(at) if change else at).run()
    if at.exception:
        raise SystemExit(f"the app raised: {at.exception[0].message}")
    return time.perf_counter() - start


def app_session() -> AppTest:
    """A new session of the app, as on a running server. A real server scans the installed packages for
    components once, when it starts (streamlit/runtime/runtime.py); AppTest would do it inside a session's first
    run (about 0.4 s here), so it is done before the clock starts."""
    from streamlit.components.v2.component_manager import BidiComponentManager
    at = AppTest.from_file(APP, default_timeout=120)
    at._bidi_component_manager = BidiComponentManager()
    at._bidi_component_manager.discover_and_register_components(start_file_watching=False)
    return at


def cold_first_load() -> float:
    """In this (fresh) process: start streamlit with an empty script, then time the app's first run."""
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as empty:
        empty.write("import streamlit as st\nst.write('')\n")
    AppTest.from_file(empty.name, default_timeout=120).run()
    return timed(app_session())


def in_fresh_process() -> float:
    out = subprocess.run([sys.executable, __file__, "--cold-once"], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def warm_thread_done() -> None:
    from viz.warm import _started
    for thread in _started:
        thread.join()


def run_complete(at: AppTest, switched: float) -> float:
    """Back on the Run page: wait as its polling fragment does (twice a second) until torch is imported, then the
    rerun that draws the gradients; the time since the switch."""
    from viz.warm import imported, warming
    while not all(imported(m) for m in ("viz.plots", "torch")) and warming():
        time.sleep(0.5)
    at.radio(key="view").set_value("Run").run()
    # the gradients are a Vega-Lite chart (viz/charts.py) whose axis reads ‖∂L/∂h(t)‖
    if not any("∂" in json.dumps(json.loads(chart.proto.spec), ensure_ascii=False)
               for chart in at.get("vega_lite_chart")):
        raise SystemExit("the Run page has no gradient plot after torch was imported")
    return time.perf_counter() - switched


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--cold-once", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.cold_once:
        print(json.dumps(cold_first_load()))
        return
    times: dict[str, list[float]] = {k: [] for k in (
        "cold first load (fresh process)", "first load, new session", "τ change (not cached)",
        "switch to Run, at once", "switch to Explain, at once", "Run complete, from the switch",
        "switch to Run, warmed",
        "switch to Explain, warmed", "Run: a new sentence")}
    for _ in range(args.rounds):
        times["cold first load (fresh process)"].append(in_fresh_process())
    for k in range(args.rounds):
        fresh_process = k == 0
        at = app_session()
        times["first load, new session"].append(timed(at))
        if fresh_process:   # the first session of this process: the background warm-up has just started
            switched = time.perf_counter()
            times["switch to Run, at once"].append(timed(at, lambda a: a.radio(key="view").set_value("Run")))
            times["switch to Explain, at once"].append(timed(at, lambda a: a.radio(key="view").set_value("Explain")))
            times["Run complete, from the switch"].append(run_complete(at, switched))
            at.radio(key="view").set_value("Build").run()
        warm_thread_done()
        # 30, 37, 44…: never τ ± 1 of a τ drawn before, which the app draws ahead in the background
        times["τ change (not cached)"].append(timed(at, lambda a: a.slider(key="steps").set_value(30 + 7 * k)))
        times["switch to Run, warmed"].append(timed(at, lambda a: a.radio(key="view").set_value("Run")))
        times["switch to Explain, warmed"].append(timed(at, lambda a: a.radio(key="view").set_value("Explain")))
        at.radio(key="view").set_value("Run").run()
        times["Run: a new sentence"].append(timed(at, lambda a: a.text_input(key="text").input(f"a new one {k} .")))
    for name, ts in times.items():
        if ts:
            print(f"{name:<34} n={len(ts):<2} min {min(ts) * 1e3:7.0f}  median {statistics.median(ts) * 1e3:7.0f}"
                  f"  max {max(ts) * 1e3:7.0f} ms")


if __name__ == "__main__":
    main()
