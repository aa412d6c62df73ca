#!/usr/bin/env python3
"""The peer of `fazhi analyze --dups`: plain datasketch MinHash over character 5-grams,
LSH at Jaccard >= 0.8 (what an analyst would reach for), on the same paragraphs.

    .venv/bin/python bench/analyze/dups_peer.py DIR [--threshold 0.8] [--ngram 5] [--perm 128] > peer.json

Paragraphs: lines of .txt files under DIR, normalised like fazhi (Han characters and
Latin letters only, numerals dropped), at least 30 normalised characters, short
numbered headings skipped. Output: a JSON array of groups {"members":[{"file","line"}]}
spanning at least two files, for `dups_eval DIR --pred peer.json`. Timing on stderr.
"""
import json
import os
import re
import sys
import time

from datasketch import MinHash, MinHashLSH

KEEP = re.compile(r"[^\u4e00-\u9fff\u3400-\u4dbfA-Za-z]")
NUMERALS = re.compile(r"[零〇一二两三四五六七八九十百千万亿]")
HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．])")


def paragraphs(root):
    files = []
    for d, _, names in os.walk(root):
        files += [os.path.join(d, n) for n in names if n.endswith(".txt")]
    for f in sorted(files):
        with open(f, encoding="utf-8", errors="replace") as fh:
            for i, line in enumerate(fh, 1):
                if HEADING.match(line) and len(line.strip()) < 50:
                    continue
                n = NUMERALS.sub("", KEEP.sub("", line)).lower()
                if len(n) >= 30:
                    yield f, i, n


def main():
    args = sys.argv[1:]
    opt = {"--threshold": 0.8, "--ngram": 5, "--perm": 128}
    root = None
    while args:
        a = args.pop(0)
        if a in opt:
            opt[a] = type(opt[a])(args.pop(0))
        else:
            root = a
    t0 = time.time()
    k, perm = opt["--ngram"], opt["--perm"]
    lsh = MinHashLSH(threshold=opt["--threshold"], num_perm=perm)
    keys = []  # (file, line)
    parent = []

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for f, line, n in paragraphs(root):
        m = MinHash(num_perm=perm)
        m.update_batch([n[i : i + k].encode() for i in range(len(n) - k + 1)])
        idx = len(keys)
        keys.append((f, line))
        parent.append(idx)
        for other in lsh.query(m):
            ra, rb = find(idx), find(other)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
        lsh.insert(idx, m)
    groups = {}
    for i in range(len(keys)):
        groups.setdefault(find(i), []).append(i)
    out = []
    for members in groups.values():
        if len({keys[i][0] for i in members}) < 2:
            continue
        out.append({"members": [{"file": keys[i][0], "line": keys[i][1]} for i in members]})
    json.dump(out, sys.stdout, ensure_ascii=False)
    print(f"{len(keys)} paragraphs, {len(out)} groups, {time.time() - t0:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
