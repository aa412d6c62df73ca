#!/usr/bin/env bash
# One lifecycle run (64 clients, 30 s) of a given build on a fresh copy of a data set,
# for interleaving two builds (bench/README.md ⁶):
#   bench/matters/lifecycle.sh DIR BIN [SET]     # SET defaults to m1.db in DIR
# Prints one line: lifecycles/s, p99 and the server's VmHWM. Needs the load driver
# (cd bench/load && cargo build --release) and FAZHI_KEY_FILE or DIR/key.
set -euo pipefail
cd "$(dirname "$0")/../.."
DIR=${1:?usage: lifecycle.sh DIR BIN [SET]}; BIN=${2:?}; SET=${3:-m1.db}
export FAZHI_KEY_FILE=${FAZHI_KEY_FILE:-$DIR/key}
LOAD=bench/load/target/release/fazhi-load
PORT=18090
cp "$DIR/$SET" "$DIR/run.db"; rm -f "$DIR"/run.db-wal "$DIR"/run.db-shm; sync
"$BIN" --db "sqlite://$DIR/run.db" serve --bind "127.0.0.1:$PORT" >"$DIR/serve.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; rm -f "$DIR"/run.db "$DIR"/run.db-wal "$DIR"/run.db-shm' EXIT
for _ in $(seq 1 300); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/login" && break; sleep 0.1; done
OUT=$("$LOAD" lifecycle --url "http://127.0.0.1:$PORT" --clients 64 --seconds 30 --pid "$PID" 2>&1)
echo "$(basename "$BIN") $(grep -E '^lifecycles:' <<<"$OUT") $(grep -E '^request latency' <<<"$OUT" | grep -oE 'p99=[0-9.]+ms') $(grep VmHWM <<<"$OUT" | tr -s ' \t' ' ')"
