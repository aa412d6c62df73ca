#!/usr/bin/env python3
"""Python baseline for the report reader, written the way an analyst would:
regular expressions for headings and figures, cn2an for Chinese numerals, keyword
lookups for indicators, a bracket stack and a spam word list for checks.

Usage: python3 bench/analyze/baseline.py [--seconds S] [--jsonl] DIR_OR_FILES...

Reads every report into memory first (like the Rust benchmark), then analyses the
whole set repeatedly on one thread for at least S seconds and prints MB/s of UTF-8
text. Needs `pip install cn2an`.
"""
import argparse, json, os, re, sys, time

import cn2an

HEADING = re.compile(r"^\s*(?P<marker>[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d+[.．、]|[（(]\d+[）)])(?P<title>.*)$", re.M)
SHI = re.compile(r"(?:^|[。；;：:，,])([一二三四五六七八九十]+是)([^。；;，,：:]{1,40})")
UNITS = "人次|场次|件次|户次|次|件|名|个|条|场|家|户|项|起|份|台|人|元|幅|期|处|支|位|张|篇|本|册|所|座|间|辆|套|批|宗|例|堂"
FIGURE = re.compile(
    r"(?P<pre>不少于|超过|超|近|约)?(?<![\d.第·・])(?P<num>\d+(?:,\d{3})*(?:\.\d+)?|上[百千万]|[一二两三四五六七八九十百千万零〇]+)"
    r"(?P<mult>[万亿])?(?:(?:至|到|-|－|~|～)(?P<max>\d+(?:\.\d+)?))?(?P<suf>余|多)?\s?(?P<unit>%|％|" + UNITS + r")(?P<yi>以上)?"
)
SPAM = re.compile("皇冠足球|足球比分|博彩|百家乐|六合彩|时时彩|娱乐城|真人娱乐|老虎机|新葡京|威尼斯人|体育投注|在线投注|网上赌场|开户送|买球")
CHROME = re.compile(r"您当前位置|索引号|发布日期|成文日期|语音播报|扫一扫|打印本页|关闭窗口|版权所有|ICP备")
ISSUER = re.compile(r"(?:[^\s，。、：:]{0,8}?[省市区县])?(?P<name>[^\s，。、：:省市区县]{1,5}(?:镇|乡|街道))(?:人民政府|办事处)")
YEAR = re.compile(r"关于(\d{4})年")
RATE = re.compile(r"(满意率|满意度|办结率|化解率|成功率|合格率|通过率|参考率|参与率|覆盖率|参评率)[^，。；]{0,4}$")
KEYWORDS = [
    ("中心组|学法|领学|专题学习|集中学习|学习|党课|法治课|讲法", "study_sessions"),
    ("培训", "trainings"),
    ("讲座|普法|宣传|宣讲|六进|送法", "publicity_events"),
    ("资料|宣传册|宣传单|手册|横幅|标语|LED|海报|展板", "publicity_materials"),
    ("覆盖|受教育", "people_reached"),
    ("法律顾问|律师|执法人员|执法队员|大队长|执法证|法制审核|所长|司法助理员", "legal_advisers_staff"),
    ("合同审批|合同审查|重大决策|法律建议|法律意见", "legal_reviews"),
    ("督查|检查|评查|巡查|抽查", "inspections"),
    ("查处|行政处罚|处罚|执法案件|纠违", "enforcement_cases"),
    ("信访|民呼我为|投诉|来访|热线|信箱", "petitions"),
    ("矛盾纠纷|纠纷|调解|调处|化解", "disputes_handled"),
]
KEYWORDS = [(re.compile("(?:%s)[^，。；、]{0,12}$" % k), label) for k, label in KEYWORDS]
RATE_LABEL = {"满意率": "satisfaction_rate", "满意度": "satisfaction_rate", "办结率": "completion_rate",
              "化解率": "dispute_resolution_rate", "成功率": "dispute_resolution_rate", "合格率": "exam_rate",
              "通过率": "exam_rate", "参考率": "exam_rate", "参与率": "exam_rate"}
PAIRS = {"）": "（", ")": "(", "》": "《", "”": "“", "】": "【", "〕": "〔"}


def to_number(num):
    """cn2an's smart mode reads Arabic, Chinese and mixed numbers (3.3万, 两万, 十余)."""
    if num.startswith("上"):
        num = "一" + num[1:]
    return cn2an.cn2an(num.replace(",", ""), "smart")


def role(title):
    if "第一责任人" in title:
        return "first_responsible"
    if re.search("不足|问题", title):
        return "shortcomings"
    if re.search("安排|思路|计划|打算", title):
        return "next_year"
    if re.search("举措|成效|措施|情况", title):
        return "measures"
    return "other"


def analyze(name, text):
    lines = text.split("\n")
    body = "\n".join(l for l in lines if not CHROME.search(l))
    sections = [{"marker": m["marker"], "title": m["title"], "start": m.start(), "role": role(m["title"]),
                 "level": 1 if m["marker"].endswith("、") and not m["marker"][0].isdigit() else 2}
                for m in HEADING.finditer(body)]
    sections += [{"marker": m[1], "title": m[2], "start": m.start(1), "level": 3, "role": None} for m in SHI.finditer(body)]
    figures = []
    for m in FIGURE.finditer(body):
        try:
            value = to_number(m["num"] + (m["mult"] or ""))
        except Exception:
            continue
        before = body[max(0, m.start() - 30):m.start()]
        label = None
        if m["unit"] in "%％":
            r = RATE.search(before)
            label = RATE_LABEL.get(r[1]) if r else None
        else:
            for rx, lab in KEYWORDS:
                if rx.search(before):
                    label = lab
                    break
        figures.append({"text": m[0], "value": value, "unit": m["unit"], "approx": m["suf"] or m["yi"] or m["pre"],
                        "indicator": label, "start": m.start(), "end": m.end()})
    checks = []
    for i, line in enumerate(lines):
        stack = []
        for j, c in enumerate(line):
            if c in "（(《“【〔":
                stack.append((c, j))
            elif c in PAIRS:
                if stack and stack[-1][0] == PAIRS[c]:
                    stack.pop()
                else:
                    checks.append({"kind": "unbalanced_bracket", "line": i + 1, "column": j + 1})
        checks += [{"kind": "unbalanced_bracket", "line": i + 1, "column": j + 1} for _, j in stack]
        for m in SPAM.finditer(line):
            checks.append({"kind": "spam", "line": i + 1, "column": m.start() + 1})
    issuer = ISSUER.search(body)
    year = YEAR.search(body)
    tops = {s["role"] for s in sections if s["level"] == 1}
    required = {r: r in tops for r in ("measures", "first_responsible", "shortcomings", "next_year")}
    return {"file": name, "issuer": issuer["name"] if issuer else None, "year": int(year[1]) if year else None,
            "sections": sections, "required_sections": required, "figures": figures, "checks": checks}


def collect(paths):
    out = []
    for p in paths:
        if os.path.isdir(p):
            for root, _, files in os.walk(p):
                out += [os.path.join(root, f) for f in files if f.endswith(".txt")]
        else:
            out.append(p)
    return sorted(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--jsonl", action="store_true", help="print one JSON document per report and exit")
    ap.add_argument("paths", nargs="+")
    a = ap.parse_args()
    texts = []
    for f in collect(a.paths):
        raw = open(f, "rb").read()
        try:
            texts.append((f, raw.decode("utf-8")))
        except UnicodeDecodeError:
            texts.append((f, raw.decode("gb18030")))
    if a.jsonl:
        for name, t in texts:
            print(json.dumps(analyze(name, t), ensure_ascii=False))
        return
    size = sum(len(t.encode("utf-8")) for _, t in texts)
    start = time.perf_counter()
    rounds = items = 0
    while rounds == 0 or time.perf_counter() - start < a.seconds:
        for name, t in texts:
            r = analyze(name, t)
            items += len(r["figures"]) + len(r["checks"]) + len(r["sections"])
        rounds += 1
    secs = time.perf_counter() - start
    print(f"{len(texts)} reports, {size / 1e6:.2f} MB per round, {rounds} rounds in {secs:.2f} s on one thread: "
          f"{size * rounds / 1e6 / secs:.2f} MB/s ({items} items)")


if __name__ == "__main__":
    sys.exit(main())
