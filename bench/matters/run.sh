#!/usr/bin/env bash
# Matters benchmarks (issue 4 §7): lifecycles over HTTP, statistics, keyword search and
# server memory, on SQLite and optionally PostgreSQL. Numbers go to bench/README.md.
#
#   bench/matters/run.sh DIR            # SQLite; DIR holds the generated databases
#   PG_URL=postgres://USER@HOST/DB bench/matters/run.sh DIR   # also PostgreSQL (an existing, empty DB)
#
# The PostgreSQL lifecycle load beside pgbench -N -M prepared on the same cluster, with
# builds interleaved on fresh copies of a set: bench/matters/pg.sh (bench/README.md ⁸).
#
# Generating the data takes a while (the 1M set 266 s on 2 cores, 4.4 GB; the 3M set is
# copied from it with bench/matters/copy3m.sql and the sqlite3 CLI); sets that exist in
# DIR are reused. The lifecycle load runs on a copy of the 1M set (as much disk again).
set -euo pipefail
cd "$(dirname "$0")/../.."
DIR=${1:?usage: bench/matters/run.sh DIR}
mkdir -p "$DIR"
SECONDS_PER_RUN=${SECONDS_PER_RUN:-30}
CLIENTS=${CLIENTS:-64}

cargo build --release -p fazhi
(cd bench/load && cargo build --release)
# Write the build's output to disk now: its writeback slows the log flushes of the
# first lifecycle run otherwise (by up to a fifth, measured).
sync
FAZHI=target/release/fazhi
LOAD=bench/load/target/release/fazhi-load
export FAZHI_KEY_FILE="$DIR/key"

gen() { # url townships per-township
  "$FAZHI" --db "$1" demo --no-serve --townships "$2" --matters-per-township "$3"
}

PID=
# A server left running by a failed step would answer the next run's requests.
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -f "$DIR"/run.db "$DIR"/run.db-wal "$DIR"/run.db-shm' EXIT

serve() { # url port -> sets PID
  "$FAZHI" --db "$1" serve --bind "127.0.0.1:$2" >"$DIR/serve-$2.log" 2>&1 &
  PID=$!
  for _ in $(seq 1 600); do
    curl -fs -o /dev/null "http://127.0.0.1:$2/login" && return 0
    kill -0 "$PID" 2>/dev/null || { cat "$DIR/serve-$2.log"; return 1; }
    sleep 0.1
  done
  echo "server on port $2 did not start"; return 1
}

bench() { # label url
  local label=$1 url=$2 port=18090
  echo "== $label"
  serve "$url" $port
  local base="http://127.0.0.1:$port"
  "$LOAD" stats --url "$base" --user district --division 500160102000 --from 2024-01-01 --to 2026-12-31 --n 20
  "$LOAD" stats --url "$base" --user district --division 500160000000 --from 2024-01-01 --to 2026-12-31 --n 5
  "$LOAD" search --url "$base" --user district --n 200
  "$LOAD" lifecycle --url "$base" --clients "$CLIENTS" --seconds "$SECONDS_PER_RUN" --pid "$PID"
  kill "$PID"; wait "$PID" 2>/dev/null || true
  PID=
}

[ -e "$DIR/m1.db" ] || gen "sqlite://$DIR/m1.db" 10 100000
# The lifecycle load adds 30,000-45,000 matters a run: it runs on a fresh copy, so that
# every run starts from the same 1,000,000 (a set grown to 2.4M ran 20-30% slower).
sqlite3 "$DIR/m1.db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
cp "$DIR/m1.db" "$DIR/run.db"
rm -f "$DIR/run.db-wal" "$DIR/run.db-shm"
sync
bench "SQLite, 10 townships x 100,000 matters (a copy)" "sqlite://$DIR/run.db"
rm -f "$DIR/run.db" "$DIR/run.db-wal" "$DIR/run.db-shm"
if [ ! -e "$DIR/m3.db" ]; then
  # The organisation of 30 townships, then m1's matters copied three times (sqlite3 CLI).
  gen "sqlite://$DIR/m3.db" 30 0
  (cd "$DIR" && sqlite3 m3.db < "$OLDPWD/bench/matters/copy3m.sql")
fi
echo "== SQLite, 30 townships x 100,000 matters (district statistics)"
serve "sqlite://$DIR/m3.db" 18091
"$LOAD" stats --url http://127.0.0.1:18091 --user district --division 500160102000 --from 2024-01-01 --to 2026-12-31 --n 20
"$LOAD" stats --url http://127.0.0.1:18091 --user district --division 500160000000 --from 2024-01-01 --to 2026-12-31 --n 5 --pid "$PID"
kill "$PID"; wait "$PID" 2>/dev/null || true
PID=

if [ -n "${PG_URL:-}" ]; then
  gen "$PG_URL" 10 100000
  bench "PostgreSQL, 10 townships x 100,000 matters" "$PG_URL"
fi
