#!/usr/bin/env bash
# Runs the README's first command on a fresh Debian 12 and a fresh Ubuntu 24.04, each a root folder made by
# debootstrap (no Docker engine needed), then asks the started app for its health endpoint.
#   sudo bash bench/fresh_os.sh [bookworm|noble ...]      (default: both; about 10 minutes and 5 GB each)
# Each system starts as its cloud image does: its own python3 (no venv module, so PEP 668 applies), no
# Graphviz, no Unfold. Prints, per system, the seconds setup took, the size of .venv and the health answer.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
root_base="${ROOTS:-/var/tmp/unfold-os}"
command -v debootstrap >/dev/null || { apt-get update -qq; apt-get install -y -qq debootstrap >/dev/null; }

make_root() {  # $1 = suite; a minimal system with the distribution's python3 and the usual components
  local suite=$1 dir=$root_base/$1
  if [ ! -e "$dir/etc/os-release" ]; then
    case $suite in
      noble) debootstrap --variant=minbase --no-check-gpg noble "$dir" http://archive.ubuntu.com/ubuntu \
               /usr/share/debootstrap/scripts/gutsy >/dev/null ;;  # Debian 12's debootstrap has no noble script
      *)     debootstrap --variant=minbase "$suite" "$dir" http://deb.debian.org/debian >/dev/null ;;
    esac
  fi
  cp /etc/resolv.conf "$dir/etc/resolv.conf"
  # the components and pockets a standard Ubuntu install enables (debootstrap writes main only)
  [ "$suite" = noble ] && printf 'deb http://archive.ubuntu.com/ubuntu %s main universe\n' \
      noble noble-updates noble-security > "$dir/etc/apt/sources.list"
  [ -x "$dir/usr/bin/python3" ] ||
    chroot "$dir" bash -c "apt-get update -qq && apt-get install -y -qq python3 curl >/dev/null"
}

try_readme() {  # $1 = suite: a clean copy of the repository's HEAD, the README's command, the health answer
  local dir=$root_base/$1
  rm -rf "$dir/unfold" && mkdir -p "$dir/unfold"
  git -C "$here" archive HEAD | tar -x -C "$dir/unfold"
  mount --bind /proc "$dir/proc"; mount --bind /dev "$dir/dev"
  trap "umount '$dir/proc' '$dir/dev' 2>/dev/null || true" RETURN
  local start=$SECONDS
  # PIP_CONFIG_FILE=/dev/null: the fresh system's pip, not this machine's local wheel folders; PIP_CERT: this
  # machine's certificate bundle, which a network that inspects TLS needs (the fresh system's would be refused)
  cp /etc/ssl/certs/ca-certificates.crt "$dir/etc/host-ca.crt"
  chroot "$dir" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root PIP_CONFIG_FILE=/dev/null \
      PIP_CERT=/etc/host-ca.crt bash -c \
    'cd /unfold && bash setup.sh && (.venv/bin/python -m streamlit run app.py --server.headless=true \
       --server.port=8599 >/tmp/app.log 2>&1 &) && for i in $(seq 60); do
         curl -fs localhost:8599/_stcore/health && exit 0; sleep 1; done; cat /tmp/app.log; exit 1' \
    > "/tmp/fresh-$1.log" 2>&1 && health=$(tail -n 1 "/tmp/fresh-$1.log") || health="FAILED (/tmp/fresh-$1.log)"
  pkill -f "server.port=8599" || true
  printf '%-9s python %s  setup %4d s  .venv %s  health: %s\n' "$1" \
    "$(chroot "$dir" python3 -c 'import sys; print(sys.version.split()[0])')" $((SECONDS - start)) \
    "$(du -sh "$dir/unfold/.venv" 2>/dev/null | cut -f1)" "$health"
}

suites=("$@"); [ ${#suites[@]} -gt 0 ] || suites=(bookworm noble)
for suite in "${suites[@]}"; do make_root "$suite"; try_readme "$suite"; done
