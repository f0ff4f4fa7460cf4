#!/usr/bin/env bash
# Serve Unfold to a class: N app processes behind nginx with sticky sessions (deploy/nginx.conf).
#
#   bash deploy/serve_class.sh [N=2] [PORT=8500]
#
# App processes listen on 127.0.0.1:PORT+1 … PORT+N, nginx on PORT (all interfaces). Ctrl-C stops all.
# N: about one process per core (a process runs one script at a time per session, on one core).
# Needs nginx (Debian: apt-get install nginx) and the project's .venv (bash setup.sh).
set -euo pipefail
N=${1:-2}
PORT=${2:-8500}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PY=${PYTHON:-$ROOT/.venv/bin/python}
RUN=$(mktemp -d /tmp/unfold-class.XXXXXX)
mkdir -p "$RUN/tmp"
cp "$ROOT/deploy/nginx.conf" "$RUN/nginx.conf"
echo "listen $PORT;" > "$RUN/listen.conf"
: > "$RUN/upstream.conf"
# one cookie secret for all processes: a form token made by one is accepted by any
SECRET=$(head -c 24 /dev/urandom | base64)
pids=()
stop() {
    [ -f "$RUN/nginx.pid" ] && kill "$(cat "$RUN/nginx.pid")" 2>/dev/null || true
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$RUN"
}
trap stop EXIT INT TERM
for k in $(seq 1 "$N"); do
    p=$((PORT + k))
    echo "server 127.0.0.1:$p max_fails=0;" >> "$RUN/upstream.conf"
    (cd "$ROOT" && STREAMLIT_SERVER_COOKIE_SECRET="$SECRET" exec "$PY" -m streamlit run app.py \
        --server.address 127.0.0.1 --server.port "$p" --server.headless true --browser.gatherUsageStats false \
        > "$RUN/app-$p.log" 2>&1) &
    pids+=($!)
    echo $! >> "$RUN/app.pids"
done
for k in $(seq 1 "$N"); do   # wait until every process answers its health check
    until curl -sf "http://127.0.0.1:$((PORT + k))/_stcore/health" > /dev/null; do
        kill -0 "${pids[$((k - 1))]}" 2>/dev/null || { cat "$RUN/app-$((PORT + k)).log"; exit 1; }
        sleep 0.5
    done
done
nginx -p "$RUN" -c "$RUN/nginx.conf" -e "$RUN/error.log"
echo "Unfold on http://localhost:$PORT with $N app processes (logs and app.pids in $RUN); Ctrl-C to stop."
wait "${pids[@]}"
