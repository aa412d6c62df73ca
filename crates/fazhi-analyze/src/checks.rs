//! The proofreader: mistakes a report writer can fix before the report goes out.
//! Messages are in Simplified Chinese because township staff read them.

use crate::chrome::{contains, starts_with};
use crate::doc::{Doc, is_cjk, is_space};
use crate::figures::Figure;
use crate::meta::{Meta, parse_date};
use crate::numerals::digit;
use crate::sections::{NumberingIssue, Section, Style};
use serde::Serialize;

/// One finding.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    /// Machine-readable kind (missing_section, spam, yoy_mismatch …).
    pub kind: &'static str,
    /// error or warning.
    pub severity: &'static str,
    /// What is wrong, in Chinese.
    pub message: String,
    /// Character offset where the problem starts.
    pub start: usize,
    /// Character offset where it ends.
    pub end: usize,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// Findings this one stands for: 1, or for the summary of a capped kind, every
    /// finding of the kind not listed (its message says so too).
    #[serde(skip)]
    pub stands_for: usize,
}

/// Findings of one kind listed per report. A broken or hostile file (800,000 unclosed
/// brackets) would otherwise turn into one finding per character: hundreds of
/// megabytes of output for the server to hold and the reader to scroll.
pub const MAX_PER_KIND: usize = 50;

/// What the reader left out of a report because there was too much of it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Dropped {
    /// Figures beyond [`crate::figures::MAX_FIGURES`].
    pub figures: usize,
    /// Headings beyond [`crate::sections::MAX_SECTIONS`].
    pub sections: usize,
}

/// The findings of one kind: at least the first `MAX_PER_KIND + 1` in text order
/// (compacted whenever twice that many are held), and how many there were.
struct Kind {
    kind: &'static str,
    severity: &'static str,
    kept: Vec<Check>,
    seen: usize,
}

struct Sink<'a> {
    doc: &'a Doc,
    kinds: Vec<Kind>,
}

impl Sink<'_> {
    fn push(
        &mut self,
        kind: &'static str,
        severity: &'static str,
        start: usize,
        end: usize,
        message: String,
    ) {
        let k = match self.kinds.iter().position(|k| k.kind == kind) {
            Some(k) => k,
            None => {
                self.kinds.push(Kind {
                    kind,
                    severity,
                    kept: Vec::new(),
                    seen: 0,
                });
                self.kinds.len() - 1
            }
        };
        let (line, column) = self.doc.line_col(start);
        let slot = &mut self.kinds[k];
        slot.seen += 1;
        slot.kept.push(Check {
            kind,
            severity,
            message,
            start,
            end,
            line,
            column,
            stands_for: 1,
        });
        if slot.kept.len() >= 2 * (MAX_PER_KIND + 1) {
            slot.kept.sort_by_key(|c| (c.start, c.end));
            slot.kept.truncate(MAX_PER_KIND + 1);
        }
    }

    /// The first [`MAX_PER_KIND`] findings of each kind, plus one that counts the rest.
    fn finish(self) -> Vec<Check> {
        let mut out = Vec::new();
        for mut k in self.kinds {
            k.kept.sort_by_key(|c| (c.start, c.end));
            if k.seen > MAX_PER_KIND {
                let first_left = &k.kept[MAX_PER_KIND];
                let rest = k.seen - MAX_PER_KIND;
                let summary = Check {
                    kind: k.kind,
                    severity: k.severity,
                    message: format!(
                        "同类问题共{}处，仅列出前{MAX_PER_KIND}处，其余{rest}处未逐一列出（自此处起）",
                        k.seen
                    ),
                    start: first_left.start,
                    end: first_left.start,
                    line: first_left.line,
                    column: first_left.column,
                    stands_for: rest,
                };
                k.kept.truncate(MAX_PER_KIND);
                k.kept.push(summary);
            }
            out.append(&mut k.kept);
        }
        out.sort_by_key(|c| (c.start, c.end));
        out
    }
}

/// Runs every check.
pub fn run_checks(
    doc: &Doc,
    sections: &[Section],
    numbering: &[NumberingIssue],
    figures: &[Figure],
    meta: &Meta,
    dropped: Dropped,
) -> Vec<Check> {
    let mut s = Sink {
        doc,
        kinds: Vec::new(),
    };
    missing_sections(&mut s, sections);
    too_much(&mut s, dropped);
    for n in numbering {
        s.push(
            "heading_numbering",
            "warning",
            n.start,
            n.end,
            n.message.clone(),
        );
    }
    brackets(&mut s, sections, meta.year);
    punctuation(&mut s, sections, figures);
    rates(&mut s, figures);
    year_on_year(&mut s, figures);
    years(&mut s, sections, meta);
    foreign_text(&mut s);
    s.finish()
}

/// Says so when figures or headings were left out of the result.
fn too_much(s: &mut Sink, dropped: Dropped) {
    if dropped.figures > 0 {
        s.push(
            "too_many_figures",
            "warning",
            0,
            0,
            format!(
                "数字过多，仅识别前{}个，其余{}个未列出；请确认文件是否为正常的报告",
                crate::figures::MAX_FIGURES,
                dropped.figures
            ),
        );
    }
    if dropped.sections > 0 {
        s.push(
            "too_many_sections",
            "warning",
            0,
            0,
            format!(
                "标题过多，仅识别前{}个，其余{}个未列出；请确认文件是否为正常的报告",
                crate::sections::MAX_SECTIONS,
                dropped.sections
            ),
        );
    }
}

const REQUIRED: &[(&str, &str)] = &[
    ("measures", "一、年度推进法治政府建设的主要举措和成效"),
    (
        "first_responsible",
        "党政主要负责人履行推进法治建设第一责任人职责的情况",
    ),
    ("shortcomings", "推进法治政府建设存在的不足和原因"),
    ("next_year", "下一年度推进法治政府建设的主要安排"),
];

fn missing_sections(s: &mut Sink, sections: &[Section]) {
    for (role, name) in REQUIRED {
        if !sections.iter().any(|x| x.level == 1 && x.role == *role) {
            let name = name.trim_start_matches("一、");
            s.push("missing_section", "error", 0, 0, format!("缺少必备部分：{name}（《法治政府建设与责任落实督察工作规定》要求报告包含此项内容）"));
        }
    }
}

const PAIRS: &[(char, char)] = &[
    ('（', '）'),
    ('(', ')'),
    ('《', '》'),
    ('“', '”'),
    ('‘', '’'),
    ('【', '】'),
    ('〔', '〕'),
    ('「', '」'),
    ('[', ']'),
];

/// Brackets and quotation marks must pair up within a paragraph.
fn brackets(s: &mut Sink, sections: &[Section], year: Option<i32>) {
    let doc = s.doc;
    // Full dates in the year's own sections must fall in the report year (or the next, for signing).
    let dated: Vec<(usize, usize, &str)> = sections
        .iter()
        .filter(|x| x.level == 1 && matches!(x.role, "measures" | "first_responsible"))
        .map(|x| (x.start, x.end, x.role))
        .collect();
    for l in doc.lines.iter().filter(|l| !l.chrome) {
        let scope = year.and_then(|y| {
            dated
                .iter()
                .find(|d| d.0 <= l.start && l.start < d.1)
                .map(|d| (y, d.2))
        });
        // 32-bit offsets: a line of brackets pushes one entry per character.
        let mut stack: Vec<(char, u32)> = Vec::new();
        // Open marks of each kind on the stack: a closing mark with none open is
        // reported without searching the stack (which made （…（》…》 quadratic).
        let mut open = [0usize; PAIRS.len()];
        let mut listy: Option<bool> = None;
        for m in doc.line_marks(l) {
            if m.class & crate::charset::class::BRACKET_OR_YEAR == 0 {
                continue;
            }
            let k = m.pos();
            let c = doc.chars[k];
            if c == '年' {
                if let Some((year, role)) = scope {
                    date_in_year(s, k, year, role);
                }
                continue;
            }
            if c == '”' {
                glued_quote(s, l, k, &mut listy);
            } else if c == '[' && starts_with(&doc.chars, k, "[bookmark:") {
                let e = (k..l.end.min(k + 60))
                    .find(|&i| doc.chars[i] == ']')
                    .map_or(k + 10, |i| i + 1);
                s.push(
                    "web_chrome",
                    "warning",
                    k,
                    e,
                    "文档编辑痕迹（书签标记）混入正文，请删除".into(),
                );
            }
            if let Some(p) = PAIRS.iter().position(|(o, _)| *o == c) {
                stack.push((c, k as u32));
                open[p] += 1;
            } else if let Some(p) = PAIRS.iter().position(|(_, cl)| *cl == c) {
                let o = PAIRS[p].0;
                // Found, the search pops everything it passed: linear over the line.
                match (open[p] > 0)
                    .then(|| stack.iter().rposition(|(so, _)| *so == o))
                    .flatten()
                {
                    Some(at) => {
                        for &(uo, uk) in &stack[at + 1..] {
                            unbalanced(s, uk as usize, format!("“{uo}”没有对应的闭合符号"));
                        }
                        for &(so, _) in &stack[at..] {
                            if let Some(q) = PAIRS.iter().position(|(o, _)| *o == so) {
                                open[q] -= 1;
                            }
                        }
                        stack.truncate(at);
                    }
                    None => unbalanced(s, k, format!("“{c}”前面缺少对应的开符号")),
                }
            }
        }
        for (o, k) in stack {
            unbalanced(s, k as usize, format!("“{o}”没有对应的闭合符号"));
        }
    }
}

/// One mark without its partner (the sink keeps them in text order, and only the first few).
fn unbalanced(s: &mut Sink, k: usize, m: String) {
    s.push(
        "unbalanced_bracket",
        "error",
        k,
        k + 1,
        format!("括号或引号不配对：{m}"),
    );
}

/// A full date whose 年 is at `k`, checked against the report year.
fn date_in_year(s: &mut Sink, k: usize, year: i32, role: &str) {
    let c = &s.doc.chars;
    if k < 4 || (k > 4 && c[k - 5].is_ascii_digit()) {
        return;
    }
    let Some((d, e)) = parse_date(c, k - 4) else {
        return;
    };
    let y: i32 = d[..4].parse().unwrap_or(year);
    if y > year + 1
        || y < year - 1
        || (y == year + 1 && role == "measures" && in_body_sentence(c, k - 4))
    {
        let text = crate::doc::to_string(&c[k - 4..e]);
        s.push(
            "year_mismatch",
            "warning",
            k - 4,
            e,
            format!("日期{text}不在报告年度{year}年内，请核实"),
        );
    }
}

/// Quoted list items glued together: “3·8”妇女节“4·15”. `k` is the closing quote.
fn glued_quote(s: &mut Sink, l: &crate::doc::Line, k: usize, listy: &mut Option<bool>) {
    let c = &s.doc.chars;
    let mut j = k + 1;
    while j < l.end && j - k <= 12 && is_cjk(c[j]) {
        j += 1;
    }
    // Only named days are list items here (“3·8”妇女节“4·15”…); “A”试点的“B” is prose.
    let named_day =
        j > k + 1 && matches!(c[j - 1], '节' | '日' | '周' | '月') && !c[k + 1..j].contains(&'的');
    if named_day
        && j < l.end
        && c[j] == '“'
        && *listy.get_or_insert_with(|| list_like(c, l.start, l.end))
    {
        s.push(
            "missing_punctuation",
            "warning",
            j,
            j + 1,
            "列举项之间缺少顿号或逗号".into(),
        );
    }
}

/// Missing punctuation between listed items and at the end of paragraphs.
fn punctuation(s: &mut Sink, sections: &[Section], figures: &[Figure]) {
    let doc = s.doc;
    let c = &doc.chars;
    // A percentage running straight into the next item: 满意率95.37%信访矛盾纠纷事项.
    for f in figures {
        if f.unit == Some("%")
            && f.end < c.len()
            && is_cjk(c[f.end])
            && !"的和及与或以左之".contains(c[f.end])
        {
            s.push(
                "missing_punctuation",
                "warning",
                f.end,
                f.end + 1,
                format!("“{}”后面直接接续下一项内容，列举项之间可能缺少标点", f.text),
            );
        }
    }
    for l in doc.lines.iter().filter(|l| !l.chrome) {
        // Paragraph without closing punctuation.
        let mut e = l.end;
        while e > l.start && is_space(c[e - 1]) {
            e -= 1;
        }
        let unpunctuated = e - l.start > 40 && (is_cjk(c[e - 1]) || c[e - 1] == '%');
        // Sections are sorted by start: look only at those beginning on this line.
        let is_heading = || {
            let first = sections.partition_point(|x| x.start < l.start);
            sections[first..]
                .iter()
                .take_while(|x| x.start <= l.start + 3)
                .any(|x| x.style != Style::Shi)
        };
        if unpunctuated && !is_heading() {
            s.push(
                "missing_punctuation",
                "warning",
                e - 1,
                e,
                "段落末尾缺少句号等结束标点".into(),
            );
        }
    }
}

fn list_like(c: &[char], start: usize, end: usize) -> bool {
    c[start..end].iter().filter(|&&x| x == '、').count() >= 2
}

/// How far a sentence is looked for around a figure (as the indicator labeller does).
const SENTENCE_MAX: usize = 400;

/// Rates above 100 %, and rates that contradict the two counts stated beside them.
fn rates(s: &mut Sink, figures: &[Figure]) {
    let c = &s.doc.chars;
    for (i, f) in figures.iter().enumerate() {
        if f.unit != Some("%") {
            continue;
        }
        let before = &c[f.start.saturating_sub(8)..f.start];
        let is_change = [
            "下降", "上升", "增长", "减少", "增加", "提高", "降低", "同比",
        ]
        .iter()
        .any(|w| contains(before, w));
        if f.value > 100.0 && !is_change {
            s.push(
                "rate_over_100",
                "error",
                f.start,
                f.end,
                format!("比率“{}”超过100%，请核实", f.text),
            );
            continue;
        }
        // 受理 A 件 … 办结 B 件 … 办结率 X%: X should be B / A.
        let named = ["办结率", "化解率", "调解成功率", "成功率", "结案率"];
        let Some(rate) = named.iter().find(|w| contains(before, w)) else {
            continue;
        };
        // Bounded look back: one endless sentence must not make this quadratic.
        let floor = f.start.saturating_sub(SENTENCE_MAX);
        let sentence_start = c[floor..f.start]
            .iter()
            .rposition(|&x| matches!(x, '。' | '\n' | '；'))
            .map_or(floor, |p| floor + p + 1);
        // Figures are in text order: the ones in this sentence sit just before `i`.
        let first = figures[..i].partition_point(|g| g.start < sentence_start);
        let counts: Vec<&Figure> = figures[first..i]
            .iter()
            .filter(|g| g.unit != Some("%") && g.approx.is_none())
            .collect();
        if counts.len() == 2
            && counts[0].unit == counts[1].unit
            && counts[0].value > 0.0
            && counts[1].value <= counts[0].value
        {
            let expect = counts[1].value / counts[0].value * 100.0;
            if (expect - f.value).abs() > 1.0 {
                s.push(
                    "rate_mismatch",
                    "warning",
                    f.start,
                    f.end,
                    format!(
                        "{rate}“{}”与前文数字不符：{} / {} = {:.1}%",
                        f.text, counts[1].text, counts[0].text, expect
                    ),
                );
            }
        }
    }
}

/// 刑事案件90件、同比2024年122件下降26.2%: recompute the stated change.
fn year_on_year(s: &mut Sink, figures: &[Figure]) {
    let c = &s.doc.chars;
    for w in figures.windows(3) {
        let (a, b, p) = (&w[0], &w[1], &w[2]);
        if p.unit != Some("%") || a.unit != b.unit || a.unit == Some("%") {
            continue;
        }
        let between = &c[a.end..b.start];
        if between.len() > 16
            || !(contains(between, "同比")
                || contains(between, "去年")
                || contains(between, "上年"))
        {
            continue;
        }
        let verb_chars = &c[b.end..p.start];
        if verb_chars.len() > 6 {
            continue;
        }
        let down = ["下降", "减少", "降低", "回落"]
            .iter()
            .any(|v| contains(verb_chars, v));
        let up = ["上升", "增长", "增加", "提高", "上涨"]
            .iter()
            .any(|v| contains(verb_chars, v));
        if (!down && !up) || b.value == 0.0 {
            continue;
        }
        let change = (a.value - b.value) / b.value * 100.0;
        let stated = if down { -p.value } else { p.value };
        if (change - stated).abs() > 0.15 {
            let verb = crate::doc::to_string(verb_chars);
            let dir = if change < 0.0 { "下降" } else { "增长" };
            s.push(
                "yoy_mismatch",
                "error",
                a.start,
                p.end,
                format!(
                    "同比变化计算有误：{} 与 {} 相比应为{}{:.1}%，文中写为{}{}",
                    a.text,
                    b.text,
                    dir,
                    change.abs(),
                    verb.trim(),
                    p.text
                ),
            );
        }
    }
    // 同比持平 with two different numbers.
    for w in figures.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        if a.unit != b.unit || a.value == b.value {
            continue;
        }
        if starts_with(c, b.end, "持平")
            && b.start - a.end <= 12
            && c[a.end..b.start].windows(2).any(|w| w == ['同', '比'])
        {
            s.push(
                "yoy_mismatch",
                "error",
                a.start,
                b.end + 2,
                format!(
                    "同比变化表述有误：{} 与 {} 不同，不能写作“持平”",
                    a.text, b.text
                ),
            );
        }
    }
}

/// The report year against the years of its headings and the dates in its text.
fn years(s: &mut Sink, sections: &[Section], meta: &Meta) {
    let Some(year) = meta.year else { return };
    for sec in sections.iter().filter(|x| x.level == 1) {
        let t: Vec<char> = sec.title.chars().take(6).collect();
        let Some(y) = year_at(&t, 0) else { continue };
        let expect = if sec.role == "next_year" {
            year + 1
        } else {
            year
        };
        if matches!(
            sec.role,
            "measures" | "first_responsible" | "shortcomings" | "next_year"
        ) && y != expect
        {
            s.push(
                "year_mismatch",
                "error",
                sec.start,
                sec.start + sec.marker.chars().count() + 5,
                format!("标题年份{y}年与报告年度不一致，应为{expect}年"),
            );
        }
    }
    if let Some(d) = &meta.date
        && let Ok(py) = d[..4].parse::<i32>()
        && (py < year || py > year + 1)
    {
        s.push(
            "year_mismatch",
            "warning",
            0,
            0,
            format!("落款日期{d}与报告年度{year}年不符"),
        );
    }
    // Full dates in the body of the year's sections must fall in the report year (or the next, for signing).
}

fn in_body_sentence(c: &[char], k: usize) -> bool {
    !c[k.saturating_sub(3)..k].contains(&'《')
}

fn year_at(t: &[char], i: usize) -> Option<i32> {
    if t.len() < i + 5 || t[i + 4] != '年' {
        return None;
    }
    let mut y = 0;
    for &ch in &t[i..i + 4] {
        y = y * 10 + digit(ch)? as i32;
    }
    Some(y)
}

/// Web-page chrome and injected spam.
fn foreign_text(s: &mut Sink) {
    let doc = s.doc;
    for l in doc.lines.iter().filter(|l| l.chrome) {
        let text = doc.slice(l.start, l.end);
        let short: String = text.trim().chars().take(30).collect();
        s.push(
            "web_chrome",
            "warning",
            l.start,
            l.end,
            format!("网页栏目、导航或页面元素混入正文：“{short}”，请删除"),
        );
    }
    for &(a, b) in &doc.spam {
        let text = doc.slice(a, b);
        s.push(
            "spam",
            "error",
            a,
            b,
            format!(
                "正文中出现赌博或广告内容“{text}”，疑似网站被篡改，请立即核查网站安全并恢复原文"
            ),
        );
    }
}
