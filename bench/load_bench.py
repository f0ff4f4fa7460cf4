"""A class at once: N students use the app at the same time; p50/p95 of what they wait for, and the server's memory.

    python bench/load_bench.py [--sessions 10] [--processes 1] [--nginx] [--client protocol|browser] [--burst]
                               [--taus 3] [--runs 2] [--think 2 6] [--ramp 10] [--seed 0] [--cold]
                               [--url U --pid-file F]

Servers: one `streamlit run app.py` started here (default); --nginx or --processes N > 1: deploy/serve_class.sh
N processes behind nginx, driven through nginx (its sticky cookie kept per session), stopped at the end and
checked to have left no process behind; --url: a running server (its app processes' ids in --pid-file, for the
memory). Unless --cold, each app process is first visited once (the teacher opening the page before class:
the per-process warm-up, torch imported).
Clients: --client protocol (default) speaks Streamlit's websocket protocol (bench/st_session.py): a rerun is
timed from its request to its script_finished, every delta received; the client's own CPU is printed, to show it
is not what is measured. --client browser: headless chromium, timed to what the page shows (bench/load_browser.py).
What each student does and when: bench/load_users.py (think time, arrivals, worst case --burst).
Bounded: every wait has a timeout (--timeout), and what was started here is stopped at the end.
"""
from __future__ import annotations

import argparse
import asyncio
import math
import os
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from load_users import Tally, plan_for, protocol_student  # noqa: E402
from st_session import ProtocolSession  # noqa: E402

# deployment settings, as deploy/serve_class.sh starts its processes
APP = ["-m", "streamlit", "run", "app.py", "--server.headless", "true", "--browser.gatherUsageStats", "false",
       "--server.fileWatcherType", "none", "--runner.postScriptGC", "false", "--server.address", "127.0.0.1"]
ACTIONS = ("page load", "τ change", "switch to Run", "run")


def free_port(count: int = 1) -> int:
    """A port with the next count-1 ports also free (serve_class.sh uses PORT…PORT+N)."""
    import socket
    for base in range(20_000 + os.getpid() % 20_000, 60_000, 97):
        try:
            for port in range(base, base + count):
                with socket.socket() as s:
                    s.bind(("127.0.0.1", port))
            return base
        except OSError:
            continue
    raise SystemExit("no free ports")


def healthy(url: str, deadline: float) -> None:
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url + "/_stcore/health", timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not answer within the timeout")


class Servers:
    """The app processes this run drives: started here (one, or serve_class.sh's), or given by --url."""
    def __init__(self, args):
        self.script, self.run_dir, self.apps = None, None, []
        if args.url:
            self.url = args.url.rstrip("/")
            self.pids = [int(x) for x in Path(args.pid_file).read_text().split()] if args.pid_file else []
        elif args.nginx or args.processes > 1:
            port = free_port(args.processes + 1)
            self.run_dir = Path(f"/tmp/unfold-load-{os.getpid()}")
            self.run_dir.mkdir()
            command = ["bash", str(ROOT / "deploy/serve_class.sh"), str(args.processes), str(port)]
            env = {**os.environ, "RUN_DIR": str(self.run_dir), "PYTHON": sys.executable}
            self.script = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            self.url = f"http://127.0.0.1:{port}"
            self.apps = [f"http://127.0.0.1:{port + k}" for k in range(1, args.processes + 1)]
            healthy(self.url, time.time() + 240)
            self.pids = [int(x) for x in (self.run_dir / "app.pids").read_text().split()]
        else:
            port = free_port()
            self.script = subprocess.Popen([sys.executable, *APP, "--server.port", str(port)], cwd=ROOT,
                                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            self.url = f"http://127.0.0.1:{port}"
            self.apps, self.pids = [self.url], [self.script.pid]
            healthy(self.url, time.time() + 240)

    def stop(self) -> str:
        if self.script is None:
            return ""
        self.script.terminate()
        self.script.wait(timeout=60)
        nginx = self.run_dir / "nginx.pid.started" if self.run_dir else None
        pids = self.pids + ([int(nginx.read_text())] if nginx and nginx.exists() else [])
        time.sleep(0.5)
        left = [pid for pid in pids if Path(f"/proc/{pid}").exists() and "zombie" not in
                Path(f"/proc/{pid}/status").read_text().lower()]
        if self.run_dir:
            shutil.rmtree(self.run_dir, ignore_errors=True)
        return f"stopped: {len(pids) - len(left)} of {len(pids)} processes" + (f"; LEFT: {left}" if left else "")


def rss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            total += next(int(line.split()[1]) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
                          if line.startswith("VmRSS:"))
        except (OSError, StopIteration):
            pass
    return total / 1024


def load_average() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


class Monitor(threading.Thread):
    """The servers' resident memory and the machine's load average, twice a second."""
    def __init__(self, pids: list[int]):
        super().__init__(daemon=True)
        self.pids, self.running = pids, True
        self.start_mb, self.peak_mb, self.load_start, self.load_peak = rss_mb(pids), 0.0, load_average(), 0.0

    def run(self) -> None:
        while self.running:
            self.peak_mb, self.load_peak = max(self.peak_mb, rss_mb(self.pids)), max(self.load_peak, load_average())
            time.sleep(0.5)


async def warm(apps: list[str], timeout: float) -> None:
    """The teacher's visit to each process: the first page, then Run (which waits for torch's import)."""
    for url in apps:
        session = ProtocolSession(url, timeout=timeout)
        await session.open()
        await session.rerun({"Page": "Run"})
        await session.close()


async def drive(args, url: str, tally: Tally) -> None:
    plans = [plan_for(k, args.seed, args.taus, args.runs, tuple(args.think), args.ramp, args.burst,
                      tau_walk=args.client == "browser") for k in range(args.sessions)]
    barrier = asyncio.Barrier(args.sessions) if args.burst else None
    if args.client == "browser":
        from load_browser import drive_browsers
        await drive_browsers(url, plans, tally, barrier, args.timeout)
    else:
        await asyncio.gather(*(protocol_student(k, url, plan, tally, barrier, args.timeout, not args.no_assets)
                               for k, plan in enumerate(plans)))


def client_cpu() -> float:
    """CPU seconds of this process and of its ended children (playwright's driver and browsers, once closed)."""
    return sum(u.ru_utime + u.ru_stime for u in (resource.getrusage(resource.RUSAGE_SELF),
                                                  resource.getrusage(resource.RUSAGE_CHILDREN)))


def nearest_rank(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--processes", type=int, default=1, help="app processes (more than 1: behind nginx)")
    parser.add_argument("--nginx", action="store_true", help="behind nginx even with one process")
    parser.add_argument("--client", choices=["protocol", "browser"], default="protocol")
    parser.add_argument("--taus", type=int, default=3, help="τ changes per student")
    parser.add_argument("--runs", type=int, default=2, help="new sentences run per student")
    parser.add_argument("--think", type=float, nargs=2, default=[2.0, 6.0], metavar=("MIN", "MAX"))
    parser.add_argument("--ramp", type=float, default=10.0, help="students arrive within this many seconds")
    parser.add_argument("--burst", action="store_true", help="worst case: all at once, no think time")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cold", action="store_true", help="no teacher's visit first: the first students wait")
    parser.add_argument("--no-assets", action="store_true", help="protocol client: skip the page's JS and CSS")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds for any one wait")
    parser.add_argument("--url", help="a running app (or its nginx front); default: start one here")
    parser.add_argument("--pid-file", help="with --url: the app processes' ids, one a line (for the memory)")
    args = parser.parse_args()
    servers = Servers(args)
    tally, stopped = Tally(), ""
    try:
        if not args.cold and servers.apps:
            asyncio.run(warm(servers.apps, args.timeout))
        monitor = Monitor(servers.pids)
        monitor.start()
        cpu, started = client_cpu(), time.perf_counter()
        asyncio.run(drive(args, servers.url, tally))
        wall, used = time.perf_counter() - started, client_cpu() - cpu
        monitor.running = False
    finally:
        stopped = servers.stop()
    where = (f"nginx + {args.processes} process(es)" if servers.run_dir else
             f"{len(servers.pids)} process(es), no proxy" if not args.url else f"{servers.url}")
    model = "burst: all at once, no think time" if args.burst else \
        f"think {args.think[0]:g}–{args.think[1]:g} s, arrivals over {args.ramp:g} s"
    print(f"{args.sessions} sessions ({args.client}; {model}; seed {args.seed}) against {where}, "
          f"{'cold' if args.cold else 'warmed by one visit'}; {wall:.0f} s in all")
    for name in ACTIONS:
        ts = tally.times.get(name, [])
        if ts:
            print(f"  {name:<14} n={len(ts):<3} p50 {statistics.median(ts) * 1e3:6.0f}  "
                  f"p95 {nearest_rank(ts, 0.95) * 1e3:6.0f}  max {max(ts) * 1e3:6.0f} ms   "
                  f"content checked {tally.checked.get(name, 0)}/{len(ts)}")
    if servers.pids:
        print(f"server memory (RSS, {len(servers.pids)} app process(es)): {monitor.start_mb:.0f} MB before, "
              f"peak {monitor.peak_mb:.0f} MB")
    print(f"load average (1 min): {monitor.load_start:.1f} before, peak {monitor.load_peak:.1f}, "
          f"{load_average():.1f} after; this client{' and its browsers' if args.client == 'browser' else ''} "
          f"used {used:.1f} s CPU of {wall:.0f} s")
    print(f"errors: {len(tally.errors)}")
    for line in tally.errors:
        print("  " + line)
    if stopped:
        print(stopped)


if __name__ == "__main__":
    main()
