"""Server-side time of the app's default page: first load, a τ-slider change, switching to the Run page.

(Animation frames no longer reach the server: the browser plays them from data sent once.)

    python bench/app_bench.py [--rounds 5]

Uses streamlit's AppTest (the script run without a browser); prints min and median per interaction.
Every τ change asks for a τ not drawn before in this process, so its drawing is not cached.
"""
from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    times: dict[str, list[float]] = {"first load": [], "τ slider change": [], "Run page": []}
    for k in range(args.rounds):
        at = AppTest.from_file(APP, default_timeout=120)
        t0 = time.perf_counter()
        at.run()
        times["first load"].append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        at.slider(key="steps").set_value(5 + k).run()   # a τ not drawn before: nothing cached for it
        times["τ slider change"].append(time.perf_counter() - t0)
        at.session_state["text"] = f"I am not sad, I'm happy {k}."   # a run not cached
        t0 = time.perf_counter()
        at.radio(key="view").set_value("Run").run()
        times["Run page"].append(time.perf_counter() - t0)
    for name, ts in times.items():
        print(f"{name:<16} min {min(ts) * 1e3:7.1f} ms  median {statistics.median(ts) * 1e3:7.1f} ms")


if __name__ == "__main__":
    main()
