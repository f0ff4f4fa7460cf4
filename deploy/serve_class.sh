#!/usr/bin/env bash
# Serve Unfold to a class: N app processes behind nginx with sticky sessions (deploy/nginx.conf).
#
#   bash deploy/serve_class.sh [N=2] [PORT=8500]
#
# App processes listen on 127.0.0.1:PORT+1 … PORT+N, nginx on PORT (all interfaces).
# Stop: Ctrl-C, or `kill <this script's pid>` (TERM or HUP). Every process it started stops with it: the app
# processes and nginx run in the foreground as its children, with the kernel's parent-death signal set
# (setpriv --pdeathsig), so they stop even when this script is killed with SIGKILL.
# N: about one process per core (a process runs a session's script on one core at a time).
# RUN_DIR=/some/empty/dir picks the folder for logs, app.pids and nginx's files (default: a new /tmp folder).
# Needs nginx (Debian: apt-get install nginx) and the project's .venv (bash setup.sh).
set -euo pipefail
N=${1:-2}
PORT=${2:-8500}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PY=${PYTHON:-$ROOT/.venv/bin/python}
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$NGINX" ] || { echo "serve_class.sh: nginx not found (Debian: apt-get install nginx)" >&2; exit 2; }
[[ "$N" =~ ^[1-9][0-9]*$ && "$PORT" =~ ^[1-9][0-9]*$ ]] || { echo "usage: serve_class.sh [N] [PORT]" >&2; exit 2; }
RUN=${RUN_DIR:-$(mktemp -d /tmp/unfold-class.XXXXXX)}
mkdir -p "$RUN/tmp"
cp "$ROOT/deploy/nginx.conf" "$RUN/nginx.conf"
echo "listen $PORT;" > "$RUN/listen.conf"
STATIC=$("$PY" -c "import os, streamlit; print(os.path.join(os.path.dirname(streamlit.__file__), 'static'))")
echo "root $STATIC;" > "$RUN/static.conf"
: > "$RUN/upstream.conf"
: > "$RUN/app.pids"
# children die with this script, whatever kills it (Linux; without setpriv, the trap below still stops them)
ORPHAN_GUARD=()
setpriv --pdeathsig TERM true 2>/dev/null && ORPHAN_GUARD=(setpriv --pdeathsig TERM --)
# one cookie secret for all processes: a form token made by one is accepted by any
SECRET=$(head -c 24 /dev/urandom | base64)
pids=()
stop() {   # $1: the exit status (0 when asked to stop by a signal)
    trap - EXIT INT TERM HUP
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for _ in $(seq 1 40); do   # up to 10 s for a clean shutdown, then KILL what is left
        alive=0
        for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
        [ "$alive" = 0 ] && break
        sleep 0.25
    done
    for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    [ -z "${RUN_DIR:-}" ] && rm -rf "$RUN"
    exit "$1"
}
trap 'stop $?' EXIT
trap 'stop 0' INT TERM HUP
# Deployment settings: no file watcher (the code does not change under a class; watching costs CPU on every
# event in the tree) and no full garbage collection after every rerun (.streamlit/config.toml says why).
for k in $(seq 1 "$N"); do
    p=$((PORT + k))
    echo "server 127.0.0.1:$p max_fails=0;" >> "$RUN/upstream.conf"
    (cd "$ROOT" && STREAMLIT_SERVER_COOKIE_SECRET="$SECRET" exec "${ORPHAN_GUARD[@]}" "$PY" -m streamlit run app.py \
        --server.address 127.0.0.1 --server.port "$p" --server.headless true --browser.gatherUsageStats false \
        --server.fileWatcherType none --runner.postScriptGC false > "$RUN/app-$p.log" 2>&1) &
    pids+=($!)
    echo $! >> "$RUN/app.pids"
done
for k in $(seq 1 "$N"); do   # wait until every process answers its health check
    until curl -sf "http://127.0.0.1:$((PORT + k))/_stcore/health" > /dev/null; do
        kill -0 "${pids[$((k - 1))]}" 2>/dev/null || { cat "$RUN/app-$((PORT + k)).log" >&2; exit 1; }
        sleep 0.5
    done
done
# nginx in the foreground (daemon off): a child of this script like the app processes, stopped the same way
"${ORPHAN_GUARD[@]}" "$NGINX" -p "$RUN" -c "$RUN/nginx.conf" -e "$RUN/error.log" -g "daemon off;" &
pids+=($!)
echo $! > "$RUN/nginx.pid.started"
until curl -sf "http://127.0.0.1:$PORT/_stcore/health" > /dev/null; do
    kill -0 "${pids[-1]}" 2>/dev/null || { cat "$RUN/error.log" >&2; exit 1; }
    sleep 0.2
done
echo "Unfold on http://localhost:$PORT with $N app processes (logs and app.pids in $RUN); Ctrl-C to stop."
wait -n "${pids[@]}" || true   # one process ended: stop the rest rather than serve a class half-broken
echo "serve_class.sh: a process stopped; stopping the others" >&2
