#!/usr/bin/env bash
# Install what Unfold needs into a project virtual environment, .venv, on a fresh Debian or Ubuntu machine.
#   bash setup.sh          the app's needs: Graphviz's dot, then the Python packages into .venv
#   bash setup.sh --test   also the test tools (pytest, hypothesis, Playwright, nbclient and Debian's chromium)
# A virtual environment because Debian's own Python refuses `pip install` outside one (PEP 668).
# PYTHON=/path/to/python3 picks the Python that creates .venv (default: python3 on the PATH).
set -euo pipefail
cd "$(dirname "$0")"
PYTHON="${PYTHON:-python3}"
packages=()
command -v dot >/dev/null || packages+=(graphviz)
[ "${1:-}" = "--test" ] && ! command -v chromium >/dev/null && packages+=(chromium)
# nginx for the test of the class recipe (deploy/serve_class.sh starts its own, on a port of its own)
[ "${1:-}" = "--test" ] && ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ] && packages+=(nginx)
# Debian splits venv's pip bootstrap into the python3-venv package
[ -x .venv/bin/python ] || "$PYTHON" -c "import ensurepip, venv" 2>/dev/null || packages+=(python3-venv)
if [ ${#packages[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${packages[@]}" >/dev/null
fi
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
# torch's CPU build first: PyPI's Linux wheel of torch is a multi-GB CUDA build. A wheel pip can already
# reach without an index (a find-links folder) comes first, then PyTorch's CPU index, then PyPI's build.
TORCH="torch==2.13.0"
if ! .venv/bin/python -c "import torch" 2>/dev/null; then
  .venv/bin/python -m pip install -q --disable-pip-version-check --no-deps --no-index "$TORCH" 2>/dev/null ||
  .venv/bin/python -m pip install -q --disable-pip-version-check --no-deps "$TORCH" \
      --index-url https://download.pytorch.org/whl/cpu --retries 1 --timeout 20 2>/dev/null ||
  { echo "setup: PyTorch's CPU index is out of reach; installing PyPI's torch (a CUDA build, several GB)" >&2
    .venv/bin/python -m pip install -q --disable-pip-version-check "$TORCH"; }
fi
requirements=requirements.txt
[ "${1:-}" = "--test" ] && requirements=requirements-test.txt
.venv/bin/python -m pip install -q --disable-pip-version-check -r "$requirements"
# numba compiles the LSTM's batch-1 loop once, into its cache on disk, so that no request waits for it
.venv/bin/python -c "from graphs.backends import numba_lstm as m; m.prepare() or print('setup: numba LSTM loop off:', m.failure())"
