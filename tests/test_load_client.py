"""The load bench's protocol client (bench/st_session.py) drives a live app as a browser would, and the class
recipe (deploy/serve_class.sh) routes a session through nginx and stops every process it started.

No timings here: the figures come from bench/load_bench.py.
"""
import asyncio
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import require_program

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from load_bench import APP, free_port  # noqa: E402
from load_users import drawn  # noqa: E402
from st_session import ProtocolSession  # noqa: E402


def _wait_healthy(url: str, process: subprocess.Popen, seconds: float = 180, said: Path | None = None) -> None:
    """Wait for the health check; if the server stops first, fail with what it said (`said`: its output)."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        assert process.poll() is None, "the server stopped while starting" + (
            f"; it said:\n{said.read_text(errors='replace')[-3000:]}" if said and said.exists() else "")
        try:
            urllib.request.urlopen(url + "/_stcore/health", timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"{url} did not answer within {seconds:.0f} s")


async def _visit(url: str) -> ProtocolSession:
    """A student's visit: the page, τ to 6, the Run page, a new sentence."""
    session = ProtocolSession(url, timeout=120)
    await session.open()
    seen = {"page": session.last_run_text}
    await session.rerun({"τ (steps)": 6})
    seen["τ"] = session.last_run_text
    await session.rerun({"Page": "Run"})
    await session.rerun({"Sequence": "the class reads zqzq"})
    seen["run"] = session.last_run_text
    await session.close()
    session.seen = seen
    return session


async def _open_and_close(url: str) -> ProtocolSession:
    session = ProtocolSession(url, timeout=120)
    await session.open()
    await session.close()
    return session


def _drawn(text: str, tau: int) -> bool:
    import re
    present, absent = drawn(tau)
    return bool(re.search(present, text)) and not re.search(absent, text)


def test_the_protocol_client_completes_reruns_against_a_live_app(graphviz_dot):
    port = free_port()
    server = subprocess.Popen([sys.executable, *APP, "--server.port", str(port)], cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_healthy(url, server)
        session = asyncio.run(_visit(url))
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert _drawn(session.seen["page"], 4)   # the default τ
    assert _drawn(session.seen["τ"], 6)
    assert "zqzq" in session.seen["run"] and "Sequence" in session.widgets
    assert session.cache   # big unchanged deltas came back as references to the client's cache


def _alive(pid: int) -> bool:
    try:
        return "zombie" not in Path(f"/proc/{pid}/status").read_text().lower()
    except OSError:
        return False


@pytest.mark.parametrize("processes, stop", [(2, signal.SIGTERM), (1, signal.SIGKILL)])
def test_serve_class_routes_through_nginx_and_stops_every_process(graphviz_dot, tmp_path, processes, stop):
    if not Path("/usr/sbin/nginx").exists():   # Debian's place, outside a normal user's PATH
        require_program("nginx")
    port = free_port(processes + 1)
    said = tmp_path / "serve_class.out"   # the script's own words: on a failed start, the app's log or nginx's
    with said.open("w") as out:
        script = subprocess.Popen(["bash", str(ROOT / "deploy/serve_class.sh"), str(processes), str(port)],
                                  env={**os.environ, "RUN_DIR": str(tmp_path), "PYTHON": sys.executable},
                                  stdout=out, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_healthy(url, script, said=said)
        started = [int(p) for p in (tmp_path / "app.pids").read_text().split()]
        started.append(int((tmp_path / "nginx.pid.started").read_text()))
        assert len(started) == processes + 1 and all(_alive(p) for p in started)
        session = asyncio.run(_open_and_close(url))
        assert "unfold_route" in {c.name for c in session.cookies}   # the sticky cookie came back
        assert _drawn(session.last_run_text, 4)
    finally:
        script.send_signal(stop)   # SIGKILL: no trap runs; the children's parent-death signal stops them
        script.wait(timeout=60)
    deadline = time.time() + 30
    while any(_alive(p) for p in started) and time.time() < deadline:
        time.sleep(0.2)
    assert [p for p in started if _alive(p)] == []
