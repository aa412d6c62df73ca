#!/bin/sh
# Pathological inputs for the report reader (issue 20, point 6): writes them to DIR and
# runs the analyze example (release) on each under /usr/bin/time -v, printing wall
# time, peak RSS and JSON size. The texts are our own, never report text.
# Usage: bench/analyze/pathological.sh DIR [BIN]
set -eu
dir=${1:?usage: pathological.sh DIR [BIN]}
bin=${2:-target/release/examples/analyze}
mkdir -p "$dir"
python3 - "$dir" <<'PY'
import sys
d = sys.argv[1]
def rep(name, unit, mb):
    open(f"{d}/{name}.txt", "w").write(unit * (int(mb * 1e6) // len(unit.encode()) + 1))
s = "开展普法宣传活动12次，发放宣传资料300份，排查化解矛盾纠纷45件，其中调解成功40件，满意率98%（含“四个亲自”），同比2023年50件下降10%；"
rep("one_line_5mb", s, 5)
rep("brackets_2.4mb", "（", 2.4)
cn = "一二三四五六七八九十"
h = []
for i in range(100_000):
    k = i % 4
    h.append([f"{cn[(i//4)%9]}、主要举措和成效", f"（{cn[(i//4)%9]}）加强学习",
              f"{(i%37)+1}.学法一是开展学习，二是开展培训。", f"（{(i%11)+1}）段落内容10件"][k])
open(f"{d}/headings_100k.txt", "w").write("\n".join(h) + "\n")
rep("figures_5mb", "1件", 5)
for mb in (0.5, 2):
    rep(f"rates_{mb}mb", "受理10件，办结9件，办结率90%，", mb)
    rep(f"lecture_{mb}mb", "开展讲座3次，合格率90%，", mb)
    rep(f"spam_{mb}mb", "皇冠足球比分12件，", mb)
open(f"{d}/closers_2mb.txt", "w").write("（" * 350_000 + "》" * 350_000)
rep("ascii_parens_5mb", "(", 5)
rep("newlines_5mb", "\n", 5)
rep("ascii_digits_5mb", "1", 5)
PY
for f in one_line_5mb brackets_2.4mb headings_100k figures_5mb rates_0.5mb rates_2mb \
    lecture_0.5mb lecture_2mb spam_0.5mb spam_2mb closers_2mb ascii_parens_5mb \
    newlines_5mb ascii_digits_5mb; do
    /usr/bin/time -v "$bin" --format jsonl "$dir/$f.txt" >"$dir/$f.json" 2>"$dir/$f.time"
    wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$dir/$f.time")
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$dir/$f.time")
    echo "$f $(stat -c %s "$dir/$f.txt") B in, $wall s, ${rss} KB peak, $(stat -c %s "$dir/$f.json") B JSON"
done
