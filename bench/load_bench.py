"""A class at once: N browsers (headless chromium, one context each) use the app at the same time.

    python bench/load_bench.py [--sessions 10] [--taus 5] [--runs 2] [--url http://host:port --pid-file F]

Without --url it starts one `streamlit run app.py` itself; with --url it drives a running server, e.g. the
nginx front of deploy/serve_class.sh (whose app processes' ids are in the pid file it prints), so the memory
reported is theirs. Each session, all at once:
  page load  open the page until the unfolded diagram is drawn;
  τ change   move the τ slider one step (--taus times) until the new h(τ) is drawn;
  page switch go to the Run page until its player is drawn;
  run        type a new sentence (--runs times, every one unique: never cached) until the player shows it.
Prints p50/p95/max per action, timeouts, and the servers' resident memory (start and peak).
Bounded: every wait has a timeout, and the browsers and the server it started are closed at the end.
"""
from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from app_browser_bench import free_port  # noqa: E402

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"]
TIMEOUT = 120_000   # ms for any one wait


def letters(n: int) -> str:
    """0 → "a", 25 → "z", 26 → "ba": a number as a word."""
    return (letters(n // 26) if n >= 26 else "") + chr(97 + n % 26)


def rss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


class Memory(threading.Thread):
    """Samples the servers' resident memory twice a second."""
    def __init__(self, pids: list[int]):
        super().__init__(daemon=True)
        self.pids, self.start_mb, self.peak_mb, self.running = pids, rss_mb(pids), 0.0, True

    def run(self) -> None:
        while self.running:
            self.peak_mb = max(self.peak_mb, rss_mb(self.pids))
            time.sleep(0.5)


async def session(browser, url: str, k: int, args, times: dict, errors: list) -> None:
    await asyncio.sleep(k * args.stagger)
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await context.new_page()
    try:
        unfolded = page.frame_locator("iframe").nth(1)
        start = time.perf_counter()
        await page.goto(url, timeout=TIMEOUT, wait_until="commit")
        await unfolded.locator("g.node[data-node='h@4']").wait_for(timeout=TIMEOUT)
        times["page load"].append(time.perf_counter() - start)
        slider = page.get_by_role("slider").first
        for step in range(args.taus):
            await slider.focus()
            start = time.perf_counter()
            await slider.press("ArrowRight")
            await unfolded.locator(f"g.node[data-node='h@{5 + step}']").wait_for(timeout=TIMEOUT)
            times["τ change"].append(time.perf_counter() - start)
        start = time.perf_counter()
        await page.get_by_text("Run", exact=True).click()
        player = page.frame_locator("iframe").first
        await player.locator(".status").wait_for(timeout=TIMEOUT)
        times["page switch to Run"].append(time.perf_counter() - start)
        box = page.get_by_label("Sequence", exact=True)
        for r in range(args.runs):
            word = "zq" + letters(k) + "q" + letters(r)   # letters only: the tokenizer splits digits off
            await box.fill(f"student {k} reads {word}")
            start = time.perf_counter()
            await box.press("Enter")
            await player.locator(".status", has_text=word).wait_for(timeout=TIMEOUT)
            times["run"].append(time.perf_counter() - start)
    except Exception as err:  # noqa: BLE001 - counted and reported; the other sessions go on
        errors.append(f"session {k}: {type(err).__name__}: {str(err).splitlines()[0][:120]}")
    finally:
        await context.close()


async def drive(url: str, args, times: dict, errors: list) -> None:
    from playwright.async_api import async_playwright
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
        await asyncio.gather(*(session(browser, url, k, args, times, errors) for k in range(args.sessions)))
        await browser.close()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(q * len(ordered)) - 1)]


def start_server() -> tuple[subprocess.Popen, str]:
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port",
                               str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
                               "--browser.gatherUsageStats", "false"],
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(240):
        try:
            urllib.request.urlopen(url + "/_stcore/health", timeout=2)
            return server, url
        except OSError:
            time.sleep(0.5)
    server.kill()
    raise SystemExit("streamlit did not start within 2 minutes")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--taus", type=int, default=5)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--stagger", type=float, default=0.0, help="seconds between two sessions' arrivals")
    parser.add_argument("--url", help="a running app (or its nginx front); default: start one here")
    parser.add_argument("--pid-file", help="with --url: the app processes' ids, one a line (for the memory)")
    args = parser.parse_args()
    server = None
    if args.url:
        url = args.url.rstrip("/")
        pids = [int(x) for x in Path(args.pid_file).read_text().split()] if args.pid_file else []
    else:
        server, url = start_server()
        pids = [server.pid]
    memory = Memory(pids)
    memory.start()
    times: dict[str, list[float]] = {"page load": [], "τ change": [], "page switch to Run": [], "run": []}
    errors: list[str] = []
    started = time.perf_counter()
    try:
        asyncio.run(drive(url, args, times, errors))
    finally:
        memory.running = False
        if server:
            server.terminate()
            server.wait(timeout=20)
    print(f"{args.sessions} sessions at once against {url} ({len(pids)} app process(es)), "
          f"{time.perf_counter() - started:.0f} s in all; load average now {Path('/proc/loadavg').read_text().split()[0]}")
    for name, ts in times.items():
        if ts:
            print(f"{name:<20} n={len(ts):<3} p50 {statistics.median(ts) * 1e3:7.0f}  p95 {percentile(ts, 0.95) * 1e3:7.0f}"
                  f"  max {max(ts) * 1e3:7.0f} ms")
    if pids:
        print(f"server memory (RSS, all app processes): {memory.start_mb:.0f} MB at start, peak {memory.peak_mb:.0f} MB")
    print(f"errors: {len(errors)}")
    for line in errors:
        print("  " + line)


if __name__ == "__main__":
    main()
