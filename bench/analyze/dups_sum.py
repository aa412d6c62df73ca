#!/usr/bin/env python3
"""Sums the outputs of several `dups_eval` runs: recall per edit kind and precision."""
import collections
import re
import sys

found, total = collections.Counter(), collections.Counter()
right = grouped = 0
for path in sys.argv[1:]:
    for line in open(path, encoding="utf-8"):
        m = re.match(r"^(.+?)\s+(\d+) / (\d+)\s+[\d.]+$", line)
        if m:
            found[m.group(1).strip()] += int(m.group(2))
            total[m.group(1).strip()] += int(m.group(3))
        m = re.match(r"^precision [\d.]+ \((\d+) of (\d+)", line)
        if m:
            right += int(m.group(1))
            grouped += int(m.group(2))
for k in sorted(total):
    print(f"{k:<14} {found[k]:>6} / {total[k]:<6} {found[k] / total[k]:.3f}")
print(f"precision {right} / {grouped} = {right / max(grouped, 1):.4f}")
