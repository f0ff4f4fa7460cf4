"""Installing as a new user would, in throw-away folders: setup.sh on Debian's own Python, and pip without torch.

Each test copies the repository, so nothing here touches the project's own .venv. They take one to two
minutes each: most of it is pip unpacking wheels (torch's is 750 MB).
"""
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEBIAN_PYTHON = Path("/usr/bin/python3")
# Debian's own PATH: `python3` is the system Python, which refuses `pip install` outside a venv (PEP 668)
SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def copy_of_the_repository(folder: Path) -> Path:
    target = folder / "unfold"
    shutil.copytree(ROOT, target, symlinks=True, ignore=shutil.ignore_patterns(
        ".git", ".venv", "__pycache__", "test-artifacts", ".hypothesis", "build", "*.egg-info"))
    return target


def run(command: list, cwd: Path, timeout: float = 120, **env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}
    return subprocess.run([str(part) for part in command], cwd=cwd, capture_output=True, text=True, timeout=timeout,
                          env={**clean, **env})


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answers_health(url: str, seconds: float) -> bool:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as reply:
                return reply.read().decode() == "ok"
        except OSError:
            time.sleep(0.5)
    return False


@pytest.fixture
def debian_python():
    if not (DEBIAN_PYTHON.exists() and list(Path("/usr/lib").glob("python3*/EXTERNALLY-MANAGED"))):
        if os.environ.get("CI") == "true":
            pytest.fail("CI runs on Debian: /usr/bin/python3 and its EXTERNALLY-MANAGED marker must be there")
        pytest.skip("not a Debian machine with its own Python")


def test_setup_on_debian_python_then_the_app_answers(tmp_path, debian_python):
    repo = copy_of_the_repository(tmp_path)
    refused = run([DEBIAN_PYTHON, "-m", "pip", "install", "--dry-run", "six"], repo, PATH=SYSTEM_PATH)
    assert refused.returncode != 0 and "externally-managed-environment" in refused.stderr   # what setup.sh avoids
    setup = run(["bash", "setup.sh"], repo, timeout=900, PATH=SYSTEM_PATH)
    assert setup.returncode == 0, setup.stderr[-2000:]
    venv_python = repo / ".venv" / "bin" / "python"
    base = run([venv_python, "-c", "import sys; print(sys.base_prefix)"], repo)
    assert base.stdout.strip() == "/usr"   # the venv was made from Debian's Python
    version = run([repo / ".venv" / "bin" / "unfold", "--version"], tmp_path)
    assert version.returncode == 0 and version.stdout.startswith("unfold "), version.stderr
    port = free_port()
    # the README's command, with a port of its own and no browser
    server = subprocess.Popen(
        [str(venv_python), "-m", "streamlit", "run", "app.py", "--server.port", str(port), "--server.headless", "true",
         "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
        cwd=repo, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, "PATH": SYSTEM_PATH})
    try:
        assert answers_health(f"http://127.0.0.1:{port}/_stcore/health", 90), "the app did not answer in 90 s"
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_pip_install_without_torch_draws_and_runs(tmp_path):
    repo = copy_of_the_repository(tmp_path)
    venv = tmp_path / "venv"
    made = run([sys.executable, "-m", "venv", venv], tmp_path)   # a venv of a venv starts from the base Python, empty
    assert made.returncode == 0, made.stderr
    installed = run([venv / "bin" / "python", "-m", "pip", "install", "-q", repo], tmp_path, timeout=600)
    assert installed.returncode == 0, installed.stderr[-2000:]
    assert run([venv / "bin" / "python", "-c", "import torch"], tmp_path).returncode != 0   # really without torch
    unfold = venv / "bin" / "unfold"
    work = tmp_path / "elsewhere"
    work.mkdir()
    drawn = run([unfold, "export", "--arch", "elman", "--view", "unfolded", "-o", "a.svg"], work)
    assert drawn.returncode == 0 and (work / "a.svg").read_text().lstrip().startswith("<?xml"), drawn.stderr
    ran = run([unfold, "run", "--arch", "elman", "--text", "I am not sad", "--json"], work)
    assert ran.returncode == 0, ran.stderr
    assert len(json.loads(ran.stdout)["values"]["h"]) == 4
    explained = run([venv / "bin" / "python", "-m", "viz", "explain", "--json", "I am happy"], work)
    assert explained.returncode == 0 and json.loads(explained.stdout), explained.stderr   # weights shipped as data
    for argv, extra in ((["run", "--arch", "elman", "--text", "hi", "--backend", "torch"], "torch"), (["app"], "app")):
        missing = run([unfold, *argv], work)
        assert missing.returncode == 2 and missing.stderr.count("\n") == 1, missing.stderr
        assert f"pip install 'unfold[{extra}]'" in missing.stderr


def test_unfold_app_starts_from_any_folder(tmp_path, unfold_command):
    port = free_port()
    server = subprocess.Popen([str(unfold_command), "app", "--server.port", str(port), "--server.headless", "true",
                               "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
                              cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert answers_health(f"http://127.0.0.1:{port}/_stcore/health", 90), "`unfold app` did not answer in 90 s"
    finally:
        server.terminate()
        server.wait(timeout=30)
