#!/usr/bin/env bash
# Install what Unfold needs on a fresh Debian machine with Python 3.11 and pip.
#   bash setup.sh          the app's needs: Graphviz's dot and the Python packages
#   bash setup.sh --test   also the test tools (pytest, hypothesis, Playwright and Debian's chromium)
set -euo pipefail
cd "$(dirname "$0")"
packages=()
command -v dot >/dev/null || packages+=(graphviz)
[ "${1:-}" = "--test" ] && ! command -v chromium >/dev/null && packages+=(chromium)
if [ ${#packages[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${packages[@]}" >/dev/null
fi
requirements=requirements.txt
[ "${1:-}" = "--test" ] && requirements=requirements-test.txt
python3 -m pip install -q --disable-pip-version-check -r "$requirements"
