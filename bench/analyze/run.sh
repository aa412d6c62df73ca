#!/usr/bin/env bash
# Report-reading benchmarks: quality against the gold seeds, one-core throughput,
# the Python baseline side by side, end-to-end runs, and near-duplicates over 40,000
# synthetic reports. Usage: bench/analyze/run.sh [WORKDIR]   (run from the repository root)
#
# Needs: cargo, python3 with cn2an and datasketch (python3 -m venv .venv &&
# .venv/bin/pip install cn2an datasketch; set PYTHON=.venv/bin/python), GNU time. The
# seed reports are read from ../shared/seeds.
set -euo pipefail
WORK=${1:-${TMPDIR:-/tmp}/fazhi-bench}
PYTHON=${PYTHON:-python3}
SEEDS=${SEEDS:-../shared/seeds}
mkdir -p "$WORK"
cargo build -q --release -p fazhi-analyze --examples
BIN=${CARGO_TARGET_DIR:-target}/release/examples

best() { # best wall time of 3 runs of a command, output discarded
  local best=999999
  for _ in 1 2 3; do
    local t0 t1
    t0=$(date +%s.%N); "$@" > /dev/null; t1=$(date +%s.%N)
    best=$(python3 -c "print(min($best, $t1 - $t0))")
  done
  printf '%.3f\n' "$best"
}

echo "== quality (gold seeds)"
python3 bench/analyze/score.py --gold "$SEEDS/gold" --cmd "$BIN/analyze --format jsonl" | tail -6

echo "== corpora"
if [ ! -d "$WORK/seeds400" ]; then
  mkdir -p "$WORK/seeds400"
  for i in $(seq 1 400); do for f in "$SEEDS"/*.txt; do cp "$f" "$WORK/seeds400/$(basename "$f" .txt)_$i.txt"; done; done
fi
[ -d "$WORK/synthetic200" ] || "$BIN/gen_corpus" 200 "$WORK/synthetic200" 15 42
[ -d "$WORK/synthetic4k" ] || "$BIN/gen_corpus" 4000 "$WORK/synthetic4k" 15 7
[ -d "$WORK/synthetic40k" ] || "$BIN/gen_corpus" 40000 "$WORK/synthetic40k" 15 7

echo "== one core, sections + figures + checks (text in memory)"
for c in seeds400 synthetic200; do
  echo "fazhi  $c: $("$BIN/bench" "$WORK/$c" --seconds 5)"
  echo "python $c: $("$PYTHON" bench/analyze/baseline.py --seconds 5 "$WORK/$c")"
done

echo "== end to end, JSON lines to /dev/null (fazhi on all cores, Python on one)"
for c in seeds400 synthetic4k; do
  echo "fazhi  $c: $(best "$BIN/analyze" --format jsonl "$WORK/$c") s"
  echo "python $c: $(best "$PYTHON" bench/analyze/baseline.py --jsonl "$WORK/$c") s"
done

echo "== near-duplicates, 40,000 reports of ~15 KB"
/usr/bin/time -f "%e s wall, %P CPU, %M KB max RSS" "$BIN/analyze" --dups "$WORK/synthetic40k" | tail -1

echo "== near-duplicates with edits: 40,000 labelled reports (gen_corpus --edits)"
[ -d "$WORK/dups40k" ] || "$BIN/gen_corpus" 40000 "$WORK/dups40k" 15 7 --edits
/usr/bin/time -f "%e s wall, %P CPU, %M KB max RSS" "$BIN/analyze" --dups "$WORK/dups40k" | tail -1
"$BIN/dups_eval" "$WORK/dups40k"
echo "peer (datasketch MinHash, 5-grams, Jaccard >= 0.8):"
/usr/bin/time -f "%e s wall, %P CPU, %M KB max RSS" "$PYTHON" bench/analyze/dups_peer.py "$WORK/dups40k" > "$WORK/peer40k.json"
"$BIN/dups_eval" "$WORK/dups40k" --pred "$WORK/peer40k.json"

echo "== edited copies of the seed paragraphs: 10 corpora of 160 copies (gen_corpus --seeds)"
for s in $(seq 1 10); do
  [ -d "$WORK/dupseeds$s" ] || "$BIN/gen_corpus" --seeds "$SEEDS" "$WORK/dupseeds$s" 160 "$s" > /dev/null
  "$BIN/dups_eval" "$WORK/dupseeds$s" > "$WORK/dupseeds$s.fazhi"
  "$PYTHON" bench/analyze/dups_peer.py "$WORK/dupseeds$s" 2> /dev/null > "$WORK/dupseeds$s.json"
  "$BIN/dups_eval" "$WORK/dupseeds$s" --pred "$WORK/dupseeds$s.json" > "$WORK/dupseeds$s.peer"
done
echo "fazhi:"; python3 bench/analyze/dups_sum.py "$WORK"/dupseeds*.fazhi
echo "peer:"; python3 bench/analyze/dups_sum.py "$WORK"/dupseeds*.peer
