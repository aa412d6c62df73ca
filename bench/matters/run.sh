#!/usr/bin/env bash
# Matters benchmarks (issue 4 §7): lifecycles over HTTP, statistics, keyword search and
# server memory, on SQLite and optionally PostgreSQL. Numbers go to bench/README.md.
#
#   bench/matters/run.sh DIR            # SQLite; DIR holds the generated databases
#   PG_URL=postgres://USER@HOST/DB bench/matters/run.sh DIR   # also PostgreSQL (an existing, empty DB)
#
# Generating the data takes a while (the 1M set about 10-20 minutes on 2 cores; the 3M
# set is copied from it with bench/matters/copy3m.sql and the sqlite3 CLI); sets that
# exist in DIR are reused.
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
}

[ -e "$DIR/m1.db" ] || gen "sqlite://$DIR/m1.db" 10 100000
bench "SQLite, 10 townships x 100,000 matters" "sqlite://$DIR/m1.db"
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

if [ -n "${PG_URL:-}" ]; then
  gen "$PG_URL" 10 100000
  bench "PostgreSQL, 10 townships x 100,000 matters" "$PG_URL"
fi
