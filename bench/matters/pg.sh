#!/usr/bin/env bash
# PostgreSQL: the lifecycle load and pgbench in ONE run on the same cluster (issue 13 §6),
# with builds interleaved (bench/README.md ⁸).
#
#   bench/matters/pg.sh ADMIN_URL SET ROUNDS BIN [BIN …]
#
# ADMIN_URL is a PostgreSQL server without the database (postgres://USER@HOST:PORT);
# SET a database made with `fazhi --db ADMIN_URL/SET demo --no-serve --townships T
# --matters-per-township M` by the oldest build (it is the template of every run, so
# keep no connection open to it). Each round, for each BIN in turn: a fresh copy of SET
# (CREATE DATABASE … TEMPLATE; a newer build migrates its copy at start), `fazhi serve`
# on it, `fazhi-load lifecycle --clients $CLIENTS --seconds $SECONDS_PER_RUN`; then
# once per round `pgbench -N -M prepared` with the same clients and seconds on the
# database `pgbench` (made with `pgbench -i -s 10` when missing). Prints one line per
# run: lifecycles/s, requests/s, p50/p99, the CPU seconds of the server and of all
# PostgreSQL processes over the run, statements per lifecycle (with pg_stat_statements
# in shared_preload_libraries and created in the database postgres), and requests/s as
# a share of that round's pgbench tps. Needs FAZHI_KEY_FILE (the key file the set was made with) and the load
# driver (cd bench/load && cargo build --release).
set -euo pipefail
cd "$(dirname "$0")/../.."
ADMIN=${1:?usage: pg.sh ADMIN_URL SET ROUNDS BIN [BIN …]}; SET=${2:?}; ROUNDS=${3:?}; shift 3
CLIENTS=${CLIENTS:-64}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-30}
PGBENCH_JOBS=${PGBENCH_JOBS:-2}
LOAD=bench/load/target/release/fazhi-load
PORT=18093
: "${FAZHI_KEY_FILE:?set FAZHI_KEY_FILE to the key file of the set}"
PSQL=(env PGOPTIONS="-c client_min_messages=warning" psql -X -q -At "$ADMIN/postgres")

# COPY=0 runs on SET itself (a set too big to copy; each run adds its matters to it,
# and the first run of a newer build migrates it, so run the older builds first).
RUN_DB=fazhi_run
[ "${COPY:-1}" = 1 ] || RUN_DB=$SET

PID=
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; true' EXIT

# CPU seconds (user + system) of one process, and of every process named postgres.
cpu_of() { awk '{ printf "%.2f", ($14 + $15) / 100 }' "/proc/$1/stat"; }
pg_cpu() {
  local t=0 p
  for p in $(pgrep -x postgres); do
    t=$(awk -v t="$t" '{ printf "%.2f", t + ($14 + $15) / 100 }' "/proc/$p/stat" 2>/dev/null || echo "$t")
  done
  echo "$t"
}

if [ -z "$("${PSQL[@]}" -c "SELECT 1 FROM pg_database WHERE datname = 'pgbench'")" ]; then
  "${PSQL[@]}" -c "CREATE DATABASE pgbench"
  pgbench -q -i -s 10 "$ADMIN/pgbench" >/dev/null 2>&1
fi

one() { # BIN
  local bin=$1
  if [ "${COPY:-1}" = 1 ]; then
    "${PSQL[@]}" -c "DROP DATABASE IF EXISTS fazhi_run" -c "CREATE DATABASE fazhi_run TEMPLATE $SET"
  fi
  "${PSQL[@]}" -c "CHECKPOINT"
  sync
  "$bin" --db "$ADMIN/$RUN_DB" serve --bind "127.0.0.1:$PORT" >"/tmp/pg-bench-serve.log" 2>&1 &
  PID=$!
  for _ in $(seq 1 600); do
    curl -fs -o /dev/null "http://127.0.0.1:$PORT/login" && break
    kill -0 "$PID" 2>/dev/null || { cat /tmp/pg-bench-serve.log; return 1; }
    sleep 0.1
  done
  local s0 p0 s1 p1 out
  # Statements per lifecycle, when pg_stat_statements is loaded (it counts BEGIN and
  # COMMIT too); the logins and set-up of the load driver are included.
  "${PSQL[@]}" -c "SELECT pg_stat_statements_reset()" >/dev/null 2>&1 || true
  s0=$(cpu_of "$PID"); p0=$(pg_cpu)
  out=$("$LOAD" lifecycle --url "http://127.0.0.1:$PORT" --clients "$CLIENTS" --seconds "$SECONDS_PER_RUN" 2>&1)
  s1=$(cpu_of "$PID"); p1=$(pg_cpu)
  kill "$PID"; wait "$PID" 2>/dev/null || true
  PID=
  LIFE=$(grep -oE '= [0-9.]+/s' <<<"$out" | tr -d '=/s ')
  REQS=$(grep -oE '\([0-9]+ requests/s\)' <<<"$out" | tr -dc '0-9')
  LAT=$(grep -E '^request latency' <<<"$out" | grep -oE 'p(50|99)=[0-9.]+ms' | tr '\n' ' ')
  SCPU=$(awk -v a="$s0" -v b="$s1" 'BEGIN { printf "%.1f", b - a }')
  PCPU=$(awk -v a="$p0" -v b="$p1" 'BEGIN { printf "%.1f", b - a }')
  [ -n "$LIFE" ] || { echo "$out"; return 1; }
  local n calls
  n=$(grep -oE '^lifecycles: [0-9]+' <<<"$out" | tr -dc '0-9')
  calls=$("${PSQL[@]}" -c "SELECT sum(calls) FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = '$RUN_DB'" 2>/dev/null || true)
  STMTS=$(awk -v c="$calls" -v n="$n" 'BEGIN { if (c > 0 && n > 0) printf "%.1f", c / n; else print "-" }')
}

for r in $(seq 1 "$ROUNDS"); do
  lines=()
  for bin in "$@"; do
    one "$bin"
    lines+=("$(basename "$(dirname "$bin")")/$(basename "$bin") lifecycles/s=$LIFE requests/s=$REQS $LAT server-cpu=${SCPU}s postgres-cpu=${PCPU}s statements/lifecycle=$STMTS")
  done
  "${PSQL[@]}" -c "CHECKPOINT"
  TPS=$(pgbench -n -N -M prepared -c "$CLIENTS" -j "$PGBENCH_JOBS" -T "$SECONDS_PER_RUN" "$ADMIN/pgbench" 2>&1 | grep -oE 'tps = [0-9.]+' | head -1 | tr -dc '0-9.' | cut -d. -f1)
  for l in "${lines[@]}"; do
    req=$(grep -oE 'requests/s=[0-9]+' <<<"$l" | tr -dc '0-9')
    echo "round $r: $l pgbench-N-tps=$TPS ratio=$(awk -v a="$req" -v b="$TPS" 'BEGIN { printf "%.0f%%", 100 * a / b }')"
  done
done
if [ "${COPY:-1}" = 1 ]; then "${PSQL[@]}" -c "DROP DATABASE IF EXISTS fazhi_run"; fi
