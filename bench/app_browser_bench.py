"""The app as a user sees it, in headless chromium: first load to the first diagram, and τ change to new picture.

    python bench/app_browser_bench.py [--changes 20]

Starts `streamlit run app.py`, opens the default page, then moves the τ slider one step at a time (each τ not
drawn before) and times each change until the unfolded diagram shows h(τ). Prints first load, and the median
and 95th percentile of the τ changes.
"""
from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--changes", type=int, default=20)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port",
                               str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false"],
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(url + "/_stcore/health", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            unfolded = page.frame_locator("iframe").nth(1)
            start = time.perf_counter()
            page.goto(url)
            unfolded.locator("g.node[data-node='h@4']").wait_for(timeout=120_000)
            first = time.perf_counter() - start
            slider = page.get_by_role("slider").first
            changes = []
            for k in range(args.changes):
                slider.focus()
                start = time.perf_counter()
                slider.press("ArrowRight")
                unfolded.locator(f"g.node[data-node='h@{5 + k}']").wait_for(timeout=60_000)
                changes.append(time.perf_counter() - start)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    changes.sort()
    p95 = changes[max(0, round(0.95 * len(changes)) - 1)]
    print(f"first load to first diagram: {first * 1e3:.0f} ms (server started cold, nothing cached)")
    print(f"τ change to new picture: median {statistics.median(changes) * 1e3:.0f} ms, "
          f"p95 {p95 * 1e3:.0f} ms over {len(changes)} changes (τ 5..{4 + len(changes)})")


if __name__ == "__main__":
    main()
