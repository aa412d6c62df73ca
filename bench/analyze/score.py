#!/usr/bin/env python3
"""Score `fazhi analyze --format jsonl` against the gold annotations.

Usage:
  python3 bench/analyze/score.py [--gold DIR] [--pred FILE.jsonl] [--cmd "fazhi analyze --format jsonl"] [-v]

Without --pred it runs the command (default: the fazhi-analyze example binary via
cargo) over the seed reports in GOLD/.. and reads its JSON lines. A predicted figure
matches a gold figure when their spans overlap in the report text; it counts as
correct for F1 when value, value_max and unit agree. Indicator accuracy is measured
on the correct figures. Exit status 1 when a target is missed.
"""
import argparse, json, os, shlex, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DEFAULT_GOLD = os.path.join(REPO, "..", "shared", "seeds", "gold")


def gold_spans(text, figures):
    """Locate gold figures left to right, each after the end of the previous one."""
    pos, out = 0, []
    for g in figures:
        i = text.find(g["text"], pos)
        if i < 0:
            raise SystemExit(f"gold figure {g['text']!r} not found")
        out.append((i, i + len(g["text"])))
        pos = i + len(g["text"])
    return out


def same_num(a, b):
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) < 1e-6


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gold", default=DEFAULT_GOLD)
    ap.add_argument("--pred")
    ap.add_argument("--cmd", default=None)
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()
    gold_dir = os.path.abspath(a.gold)
    seeds = os.path.dirname(gold_dir)
    golds = sorted(f for f in os.listdir(gold_dir) if f.endswith(".json"))
    files = [os.path.join(seeds, g[:-5] + ".txt") for g in golds]
    if a.pred:
        lines = open(a.pred, encoding="utf-8").read().splitlines()
    else:
        cmd = shlex.split(a.cmd) if a.cmd else [
            "cargo", "run", "-q", "--release", "-p", "fazhi-analyze", "--example", "analyze", "--", "--format", "jsonl"]
        lines = subprocess.run(cmd + files, check=True, capture_output=True, text=True, cwd=REPO).stdout.splitlines()
    preds = {os.path.basename(d["file"]): d for d in map(json.loads, filter(None, lines))}

    tp = fp = fn = 0
    ind_ok = ind_n = appr_ok = 0
    meta_ok = True
    sections_ok = True
    for g, path in zip(golds, files):
        gold = json.load(open(os.path.join(gold_dir, g), encoding="utf-8"))
        text = open(path, encoding="utf-8").read()
        p = preds.get(os.path.basename(path))
        if p is None:
            print(f"{g}: no prediction"); meta_ok = False; continue
        name = g[:-5]
        issues = []
        if p["issuer"] != gold["issuer"]:
            issues.append(f"issuer {p['issuer']!r} != {gold['issuer']!r}"); meta_ok = False
        if p["year"] != gold["year"]:
            issues.append(f"year {p['year']!r} != {gold['year']!r}"); meta_ok = False
        ptop = [(s["marker"], s["title"], s["role"]) for s in p["sections"] if s["level"] == 1]
        gtop = [(s["marker"], s["title"], s["role"]) for s in gold["sections"]]
        if ptop != gtop:
            issues.append(f"sections {ptop} != {gtop}"); sections_ok = False
        if not all(p["required_sections"].values()):
            issues.append(f"required_sections {p['required_sections']}"); sections_ok = False
        spans = gold_spans(text, gold["figures"])
        used = set()
        ftp = 0
        for gf, (gs, ge) in zip(gold["figures"], spans):
            hit = None
            for k, pf in enumerate(p["figures"]):
                if k not in used and pf["start"] < ge and gs < pf["end"]:
                    hit = k; break
            if hit is None:
                fn += 1; issues.append(f"missed {gf['text']} @{gs}"); continue
            used.add(hit)
            pf = p["figures"][hit]
            ok = same_num(pf["value"], gf["value"]) and same_num(pf.get("value_max"), gf.get("value_max")) and pf["unit"] == gf["unit"]
            if not ok:
                fn += 1; fp += 1
                issues.append(f"wrong {pf['text']} {pf['value']} {pf['unit']} vs {gf['text']} {gf['value']} {gf['unit']}")
                continue
            tp += 1; ftp += 1
            ind_n += 1
            if pf["indicator"] == gf["indicator"]:
                ind_ok += 1
            else:
                ctx = text[max(0, gs - 20):ge + 10].replace("\n", " ")
                issues.append(f"indicator {gf['text']}: {pf['indicator']} != {gf['indicator']}  …{ctx}…")
            if pf["approx"] == gf["approx"] and pf["text"] == gf["text"]:
                appr_ok += 1
            else:
                issues.append(f"approx/text {pf['text']} {pf['approx']} != {gf['text']} {gf['approx']}")
        for k, pf in enumerate(p["figures"]):
            if k not in used:
                fp += 1
                ctx = text[max(0, pf['start'] - 15):pf['end'] + 5].replace("\n", " ")
                issues.append(f"extra {pf['text']} @{pf['start']} …{ctx}…")
        print(f"{name}: issuer={p['issuer']} year={p['year']} figures {ftp}/{len(gold['figures'])} (predicted {len(p['figures'])})")
        if a.verbose:
            for i in issues:
                print("   ", i)
    prec = tp / (tp + fp) if tp + fp else 0
    rec = tp / (tp + fn) if tp + fn else 0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0
    acc = ind_ok / ind_n if ind_n else 0
    print(f"figures: precision {prec:.4f} recall {rec:.4f} F1 {f1:.4f} (tp {tp}, fp {fp}, fn {fn})")
    print(f"indicator accuracy on matched figures: {acc:.4f} ({ind_ok}/{ind_n})")
    print(f"text+approx exact on matched figures: {appr_ok}/{ind_n}")
    print(f"issuer and year right on every seed: {meta_ok}")
    print(f"top-level sections and required sections all right: {sections_ok}")
    good = f1 >= 0.98 and acc >= 0.90 and meta_ok and sections_ok
    print("TARGETS MET" if good else "TARGETS MISSED")
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
