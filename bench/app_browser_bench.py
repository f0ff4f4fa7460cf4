"""The app as a user sees it, in headless chromium: first load to the first diagram, and τ change to new picture.

    python bench/app_browser_bench.py [--changes 20] [--jumps 8]

Starts `streamlit run app.py` (the repository's .streamlit/config.toml applies) and times:
- first load to first diagram, from a fresh server process (the server answers /_stcore/health, nothing of Unfold
  imported or cached yet: the first visitor of a freshly started server);
- first load to first diagram on a running server (a new browser, so nothing in its cache, once the server has
  served a first visitor and its background warm-up is done: the next student of a class);
- τ changes: the slider moved one step to the right at a time (each τ not drawn before), timed from the key
  press until the unfolded diagram shows h(τ) (the app draws τ ± 1 in the background while the reader looks,
  so these steps find their drawing cached when the reader is not faster than that);
- τ jumps: the slider moved by several steps at once (PageUp), to a τ nobody drew before: the whole drawing
  is computed while the reader waits.
- τ steps with the diagram's own stepper (→ on the focused diagram, viz/web/stepper.js), timed two ways: from the
  key press until Playwright sees h(τ) (as the slider), and inside the page from the key's event until the frame
  after h(τ) is in the drawing (performance.now(), no Playwright in between); and how many steps were swapped
  in the browser (the drawing at hand) rather than waited for from the server.
- with --floor, for reference: the first load of an empty Streamlit app (a title and a line of text) in the same
  browser, Streamlit's own front end booting, which no app can go below.
Prints the medians and 95th percentiles, with the load average of the machine (other processes slow everything).
"""
from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = dict(executable_path="/usr/bin/chromium", headless=True,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load_average() -> str:
    return "load %.1f" % os.getloadavg()[0]


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def shows(page, node: str, timeout_ms: int = 120_000) -> None:
    """Wait until the unfolded diagram (a component in the page: the locator reaches into it) shows node."""
    page.locator(f".unfold[data-name='unfolded'] g.node[data-node='{node}']").wait_for(timeout=timeout_ms)


STEP_IN_PAGE = """(tau) => new Promise((done) => {
  const view = window.unfoldViews.unfolded, start = performance.now();
  view.root.dispatchEvent(new KeyboardEvent("keydown", {key: "ArrowRight", bubbles: true}));
  (function look() {
    const now = window.unfoldViews.unfolded.root;
    if (now.querySelector(`g.node[data-node='h@${tau}']`))
      requestAnimationFrame(() => done(performance.now() - start));   // the frame that shows it
    else requestAnimationFrame(look);
  })();
})"""


def stepper_steps(page, tau: int, count: int, pause: int) -> tuple[list[float], list[float], list[int]]:
    """count steps of the diagram's stepper from tau: (Playwright-side seconds, in-page seconds, the steps (1 = the
    first) whose drawing was not at hand, so waited for from the server)."""
    outside, inside, waited = [], [], []
    root = page.locator(".unfold[data-name='unfolded']")
    for k in range(count):
        page.wait_for_timeout(pause)
        root.focus()
        if k % 2:   # in the page: the key's event to the frame showing h(τ + 1)
            inside.append(page.evaluate(STEP_IN_PAGE, tau + 1) / 1e3)
        else:
            start = time.perf_counter()
            page.keyboard.press("ArrowRight")
            shows(page, f"h@{tau + 1}", 60_000)
            outside.append(time.perf_counter() - start)
        tau += 1
        if not page.evaluate("window.unfoldLastStep && window.unfoldLastStep.instant"):
            waited.append(k + 1)
    return outside, inside, waited


def first_load(browser, url: str) -> float:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    start = time.perf_counter()
    page.goto(url)
    shows(page, "h@4")
    took = time.perf_counter() - start
    context.close()
    return took


def serve(script: Path, cwd: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
                               "--server.headless", "true", "--browser.gatherUsageStats", "false"],
                              cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(240):
        try:
            urllib.request.urlopen(url + "/_stcore/health", timeout=2)
            break
        except OSError:
            time.sleep(0.25)
    return server, url


def empty_app_floor(browser, rounds: int = 3) -> list[tuple[float, str]]:
    """First loads of an empty Streamlit app (after one to start it): the front end's own boot."""
    folder = Path(tempfile.mkdtemp())
    (folder / "empty.py").write_text("import streamlit as st\nst.title('Empty')\nst.write('first content')\n")
    server, url = serve(folder / "empty.py", folder)
    try:
        times = []
        for k in range(rounds + 1):
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            page = context.new_page()
            begin = time.perf_counter()
            page.goto(url)
            page.get_by_text("first content").wait_for(timeout=120_000)
            if k:
                times.append((time.perf_counter() - begin, load_average()))
            context.close()
        return times
    finally:
        server.terminate()
        server.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--changes", type=int, default=20)
    parser.add_argument("--jumps", type=int, default=8)
    parser.add_argument("--floor", action="store_true", help="also time an empty Streamlit app's first load")
    parser.add_argument("--pause", type=int, default=600, help="ms a reader looks at each picture before the next "
                        "change (0: as fast as the page allows, as the bench did before the drawing ahead)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright
    server, url = serve(ROOT / "app.py", ROOT)
    floor = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(**CHROMIUM)
            fresh = first_load(browser, url), load_average()
            time.sleep(20)   # the server's background warm-up (torch, the other pages' defaults) ends
            running = [(first_load(browser, url), load_average()) for _ in range(3)]
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(url)
            shows(page, "h@4")
            slider = page.get_by_role("slider").first
            tau, changes, jumps = 4, [], []
            loads = [os.getloadavg()[0]]
            for _ in range(args.changes):
                page.wait_for_timeout(args.pause)   # a reader looks at the picture before the next step
                slider.focus()
                start = time.perf_counter()
                slider.press("ArrowRight")
                tau += 1
                shows(page, f"h@{tau}", 60_000)
                changes.append(time.perf_counter() - start)
            loads.append(os.getloadavg()[0])
            for _ in range(args.jumps):
                page.wait_for_timeout(args.pause)
                slider.focus()
                start = time.perf_counter()
                slider.press("PageUp")   # a tenth of the range (6 steps)
                tau = int(slider.input_value())
                shows(page, f"h@{tau}", 60_000)
                jumps.append(time.perf_counter() - start)
                if tau >= 55:
                    break
            loads.append(os.getloadavg()[0])
            page.close()
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(url)
            shows(page, "h@4")
            outside, inside, waited = stepper_steps(page, 4, args.changes, args.pause)
            loads.append(os.getloadavg()[0])
            if args.floor:
                floor = empty_app_floor(browser)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"first load to first diagram, fresh server process: {fresh[0] * 1e3:.0f} ms ({fresh[1]})")
    print("first load to first diagram, running server (new browser): "
          + ", ".join(f"{t * 1e3:.0f} ms ({load})" for t, load in running))
    print(f"τ change (one step) to new picture: median {statistics.median(changes) * 1e3:.0f} ms, "
          f"p95 {p95(changes) * 1e3:.0f} ms over {len(changes)} changes (τ 5..{4 + len(changes)}, "
          f"{args.pause} ms between them); "
          f"load {loads[0]:.1f} → {loads[1]:.1f}")
    print(f"τ step with the diagram's stepper (→), key press to Playwright seeing h(τ): median "
          f"{statistics.median(outside) * 1e3:.0f} ms, p95 {p95(outside) * 1e3:.0f} ms over {len(outside)}; "
          f"in the page, key event to the frame showing h(τ): median {statistics.median(inside) * 1e3:.0f} ms, "
          f"p95 {p95(inside) * 1e3:.0f} ms over {len(inside)}; {len(outside) + len(inside) - len(waited)} of "
          f"{len(outside) + len(inside)} steps swapped in the browser (waited for the server: steps {waited}); "
          f"load {loads[2]:.1f} → {loads[3]:.1f}")
    if floor:
        print("for reference, an empty Streamlit app's first load (new browser): "
              + ", ".join(f"{t * 1e3:.0f} ms ({load})" for t, load in floor))
    if jumps:
        print(f"τ jump (PageUp, nothing cached) to new picture: median {statistics.median(jumps) * 1e3:.0f} ms, "
              f"p95 {p95(jumps) * 1e3:.0f} ms over {len(jumps)} jumps; load {loads[1]:.1f} → {loads[2]:.1f}")


if __name__ == "__main__":
    main()
