//! Figures: numbers that quantify something, with their measure word and qualifiers,
//! following the conventions of the gold annotations (seeds/gold/README.md).

use crate::chrome::{ends_with, starts_with};
use crate::doc::{Doc, is_cjk, is_space};
use crate::numerals::{Decimal, cn_digit, digit, is_cn_numeral_start, parse_arabic, parse_chinese};
use serde::Serialize;

/// One figure found in a report.
#[derive(Debug, Clone, Serialize)]
pub struct Figure {
    /// The exact text, from the number through trailing qualifiers and the measure word.
    pub text: String,
    /// The number, with 万/亿 folded in.
    #[serde(serialize_with = "ser_num")]
    pub value: f64,
    /// Upper bound of a range (5至10人).
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "ser_opt_num"
    )]
    pub value_max: Option<f64>,
    /// Measure word (`次`, `件`, `%`, `元` …).
    pub unit: Option<&'static str>,
    /// Qualifier: 余, 以上, 近, 约, 超过, 多, 不少于.
    pub approx: Option<&'static str>,
    /// Indicator label, or null.
    pub indicator: Option<&'static str>,
    /// Role of the top-level section holding the figure.
    pub section: Option<&'static str>,
    /// Character offset of the first character of `text`.
    pub start: usize,
    /// Character offset after the last character of `text`.
    pub end: usize,
    /// Index (in the report's figures) of the total this figure breaks down
    /// (1290件，其中……640件): sums per indicator leave it out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub part_of: Option<usize>,
}

/// Writes whole numbers as JSON integers (33000, not 33000.0).
pub fn ser_num<S: serde::Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        s.serialize_i64(*v as i64)
    } else {
        s.serialize_f64(*v)
    }
}

fn ser_opt_num<S: serde::Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(v) => ser_num(v, s),
        None => s.serialize_none(),
    }
}

/// Measure words, longest first so 人次 wins over 人.
const UNITS: &[&str] = &[
    "平方米",
    "公里",
    "人次",
    "场次",
    "件次",
    "户次",
    "条次",
    "份次",
    "批次",
    "班次",
    "台次",
    "次",
    "件",
    "名",
    "个",
    "条",
    "场",
    "家",
    "户",
    "项",
    "起",
    "份",
    "台",
    "人",
    "元",
    "幅",
    "期",
    "处",
    "支",
    "位",
    "张",
    "篇",
    "本",
    "册",
    "所",
    "座",
    "间",
    "辆",
    "套",
    "块",
    "批",
    "宗",
    "例",
    "封",
    "组",
    "队",
    "部",
    "类",
    "堂",
    "节",
    "轮",
    "则",
    "卷",
    "盏",
    "艘",
    "架",
    "吨",
    "亩",
    "米",
    "单",
    "栋",
    "根",
];

/// The measure word starting at `j`: a first-character check, then the few units
/// that start with that character (longest first).
fn unit_at(chars: &[char], j: usize) -> Option<&'static str> {
    static TABLE: std::sync::OnceLock<Vec<Vec<&'static str>>> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut t = vec![Vec::new(); 512];
        for u in UNITS {
            let first = u.chars().next().unwrap_or(' ');
            t[first as usize % 512].push(*u);
        }
        t
    });
    let c = *chars.get(j)?;
    table[c as usize % 512]
        .iter()
        .copied()
        .find(|u| starts_with(chars, j, u))
}

/// Words after a Chinese-numeral count that make it the name of a slogan or system
/// (三项制度, 四个亲自, 三所联动, 两个维护).
const SLOGAN_TAILS: &[&str] = &[
    "制度", "亲自", "联动", "维护", "确立", "意识", "自信", "代表", "必须", "务必", "严禁", "禁止",
    "工程", "机制", "清单", "联调", "联防", "合一", "到位", "落实", "结合", "全面", "规定", "原则",
    "要求", "标准", "纪律", "注意", "一体",
];

/// Prefix qualifiers, longest first; `超` is short for 超过.
const PREFIXES: &[(&str, &str)] = &[
    ("不少于", "不少于"),
    ("不低于", "不少于"),
    ("超过", "超过"),
    ("接近", "近"),
    ("将近", "近"),
    ("超", "超过"),
    ("近", "近"),
    ("约", "约"),
];

/// Figures kept per report. A real report has a few hundred at most; a file made of
/// `1件1件1件…` would otherwise cost ~150 bytes of memory and output per 4 bytes of input.
pub const MAX_FIGURES: usize = 10_000;

/// Finds the figures in the report text (chrome lines and spam are skipped), at most
/// [`MAX_FIGURES`].
pub fn find_figures(doc: &Doc) -> Vec<Figure> {
    find_figures_counted(doc).0
}

/// [`find_figures`], and how many figures beyond [`MAX_FIGURES`] were left out.
pub fn find_figures_counted(doc: &Doc) -> (Vec<Figure>, usize) {
    let chars = &doc.chars;
    let mut out = Found {
        figs: Vec::new(),
        book_title_in_line: false,
        dropped: 0,
    };
    for line in &doc.lines {
        if line.chrome {
            continue;
        }
        // Book titles end at the line: without a 《 in it, no figure is in one.
        out.book_title_in_line = doc.line_marks(line).iter().any(|m| chars[m.pos()] == '《');
        let mut i = line.start;
        // Only characters that can start a number are worth a look.
        for m in doc.line_marks(line) {
            if m.pos() < i || m.class & crate::charset::class::NUMBER == 0 {
                continue;
            }
            i = m.pos();
            let c = chars[i];
            let next = if digit(c).is_some() {
                scan_arabic(chars, i, line.end, &mut out)
            } else if is_cn_numeral_start(c) || matches!(c, '上' | '百' | '千') {
                scan_chinese(chars, i, line.end, &mut out)
            } else {
                i + 1
            };
            i = next.max(i + 1);
        }
    }
    let dropped = out.dropped;
    let mut out = out.figs;
    out.retain(|f| !doc.in_spam(f.start, f.end));
    (out, dropped)
}

/// Figures found so far, whether the current line holds a 《, and the figures left out.
struct Found {
    figs: Vec<Figure>,
    book_title_in_line: bool,
    dropped: usize,
}

impl Found {
    fn last(&self) -> Option<&Figure> {
        self.figs.last()
    }
}

/// Tail of a number: range, 万/亿, 余/多, space, unit, 以上. Returns the figure's end,
/// unit, value_max and suffix qualifier, or None when no measure word follows.
struct Tail {
    end: usize,
    unit: &'static str,
    factor: i128,
    max: Option<Decimal>,
    approx: Option<&'static str>,
}

fn scan_tail(chars: &[char], mut i: usize, end: usize, allow_range: bool) -> Option<Tail> {
    let mut max = None;
    let mut factor = 1;
    let mut approx = None;
    if i < end && (chars[i] == '万' || chars[i] == '亿') {
        factor = if chars[i] == '万' {
            10_000
        } else {
            100_000_000
        };
        i += 1;
    }
    if allow_range
        && i + 1 < end
        && matches!(chars[i], '至' | '到' | '-' | '－' | '~' | '～' | '—' | '–')
    {
        if let Some((d, j)) = parse_arabic(chars, i + 1) {
            max = Some(d);
            i = j;
        } else if let Some(n) = parse_chinese(chars, i + 1) {
            max = Some(Decimal::int(n.value));
            i = n.end;
        } else {
            return None;
        }
        if i < end && (chars[i] == '万' || chars[i] == '亿') {
            factor = if chars[i] == '万' {
                10_000
            } else {
                100_000_000
            };
            i += 1;
        }
    }
    if i < end && (chars[i] == '余' || chars[i] == '多') {
        approx = Some(if chars[i] == '余' { "余" } else { "多" });
        i += 1;
    }
    if i < end && (chars[i] == '%' || chars[i] == '％') {
        i += 1;
        if approx.is_none() && starts_with(chars, i, "以上") {
            approx = Some("以上");
            i += 2;
        }
        return Some(Tail {
            end: i,
            unit: "%",
            factor,
            max,
            approx,
        });
    }
    // Spaces between number and measure word occur (5\u{2002}件) but only directly before a unit.
    let mut j = i;
    while j < end && j - i < 2 && is_space(chars[j]) {
        j += 1;
    }
    let unit = unit_at(chars, j)?;
    // Every measure word is made of three-byte Han characters.
    let mut k = j + unit.len() / 3;
    if unit == "个" && is_duration_after(chars, k) {
        return None;
    }
    let unit: &'static str = if factor > 1 && unit == "元" {
        "元"
    } else {
        unit
    };
    if approx.is_none() && starts_with(chars, k, "以上") {
        approx = Some("以上");
        k += 2;
    }
    Some(Tail {
        end: k,
        unit,
        factor,
        max,
        approx,
    })
}

fn is_duration_after(chars: &[char], at: usize) -> bool {
    [
        "月",
        "小时",
        "工作日",
        "季度",
        "星期",
        "学期",
        "年度",
        "半月",
        "百分点",
    ]
    .iter()
    .any(|w| starts_with(chars, at, w))
}

fn prefix_approx(chars: &[char], start: usize, line_start: usize) -> Option<&'static str> {
    // Every prefix ends in one of these: most figures need no comparison.
    if start == 0 || !matches!(chars[start - 1], '于' | '过' | '近' | '超' | '约') {
        return None;
    }
    for (p, v) in PREFIXES {
        if start > line_start && ends_with(chars, start, p) {
            if *p == "近"
                && start >= 2
                && matches!(chars[start - 2], '最' | '附' | '邻' | '就' | '接' | '将')
            {
                continue;
            }
            return Some(v);
        }
    }
    None
}

/// A schedule frequency (每月开展一次, 每季度2次) is a time expression, not a count.
fn is_frequency(chars: &[char], start: usize, line_start: usize) -> bool {
    let from = start.saturating_sub(10).max(line_start);
    let mut k = start;
    while k > from {
        k -= 1;
        let c = chars[k];
        if matches!(c, '，' | '。' | '；' | ',' | ';' | '、') {
            return false;
        }
        if c == '每' {
            return true;
        }
    }
    false
}

fn scan_arabic(chars: &[char], start: usize, end: usize, out: &mut Found) -> usize {
    let Some((num, after)) = parse_arabic(chars, start) else {
        return start + 1;
    };
    if start > 0 {
        let p = chars[start - 1];
        if p.is_ascii_alphabetic()
            || matches!(
                p,
                '第' | '.' | '·' | '・' | '/' | '-' | '－' | '_' | '+' | '〔' | '['
            )
        {
            return after;
        }
    }
    if after < chars.len()
        && matches!(chars[after], '·' | '・' | '/' | ':' | '：')
        && chars.get(after + 1).is_some_and(|&c| digit(c).is_some())
    {
        return after + 1;
    }
    if after < end && chars[after].is_ascii_alphabetic() {
        return after;
    }
    let Some(tail) = scan_tail(chars, after, end, true) else {
        return after;
    };
    if tail.unit == "次" && is_frequency(chars, start, 0) {
        return tail.end;
    }
    push(chars, start, num, tail, out);
    out.last().map_or(after, |f| f.end)
}

fn scan_chinese(chars: &[char], start: usize, end: usize, out: &mut Found) -> usize {
    // 上百次 / 上千人: one numeral phrase meaning "at least"; 百分之九十 is a percentage.
    if matches!(chars[start], '百' | '千') {
        if let Some(v) = bare_hundreds(chars, start)
            && let Some(tail) = scan_tail(chars, start + 1, end, false).filter(|t| t.unit != "%")
        {
            push(chars, start, Decimal::int(v), tail, out);
            return out.last().map_or(start + 1, |f| f.end);
        }
        if starts_with(chars, start, "百分之")
            && let Some(n) = parse_chinese(chars, start + 3)
        {
            let tail = Tail {
                end: n.end,
                unit: "%",
                factor: 1,
                max: None,
                approx: None,
            };
            push(chars, start, Decimal::int(n.value), tail, out);
            return n.end;
        }
        return start + 1;
    }
    if chars[start] == '上' {
        let mult = match chars.get(start + 1) {
            Some('百') => 100,
            Some('千') => 1000,
            Some('万') => 10_000,
            _ => return start + 1,
        };
        // 马上, 以上, 网上, 线上 …: 上 ends another word.
        if start > 0 && "马以之向路线街早晚身手头桌墙网会面市县区镇村楼".contains(chars[start - 1])
        {
            return start + 1;
        }
        let Some(mut tail) = scan_tail(chars, start + 2, end, false) else {
            return start + 2;
        };
        if tail.unit == "%" {
            return start + 2;
        }
        tail.approx = Some("以上");
        push(chars, start, Decimal::int(mult), tail, out);
        return out.last().map_or(start + 2, |f| f.end);
    }
    if start > 0 {
        let p = chars[start - 1];
        // 第一, 六届七次全会, 统一/之一 style compounds, and digit runs (十九大).
        if matches!(
            p,
            '第' | '届'
                | '初'
                | '周'
                | '星'
                | '期'
                | '之'
                | '统'
                | '唯'
                | '万'
                | '十'
                | '百'
                | '千'
        ) || cn_digit(p).is_some()
        {
            return start + 1;
        }
        // Idioms with two numerals: 三番五次, 千方百计.
        if start >= 2
            && is_cjk(p)
            && (is_cn_numeral_start(chars[start - 2])
                || matches!(chars[start - 2], '百' | '千' | '万'))
        {
            return start + 1;
        }
    }
    let Some(n) = parse_chinese(chars, start) else {
        return start + 1;
    };
    let Some(tail) = scan_tail(chars, n.end, end, true) else {
        return n.end;
    };
    // 一 + measure word reads "a/one such" (一支队伍, 一次): an idiom, not a figure.
    if n.lone_one && tail.max.is_none() {
        return tail.end;
    }
    if tail.unit == "%" {
        return tail.end;
    }
    if SLOGAN_TAILS.iter().any(|w| starts_with(chars, tail.end, w))
        || is_cn_numeral_start(chars.get(tail.end).copied().unwrap_or(' '))
        || in_short_quote(chars, start, tail.end)
        || (tail.unit == "次"
            && (is_frequency(chars, start, 0) || meeting_name_follows(chars, tail.end)))
    {
        return tail.end;
    }
    push(chars, start, Decimal::int(n.value), tail, out);
    out.last().map_or(n.end, |f| f.end)
}

/// 百余人, 千余名, 近百次: a bare 百/千 is a numeral only with 余/多 after it or 近 before it.
fn bare_hundreds(chars: &[char], start: usize) -> Option<i128> {
    let v = match chars[start] {
        '百' => 100,
        '千' => 1000,
        _ => return None,
    };
    let after = chars.get(start + 1).copied();
    let before = start.checked_sub(1).map(|k| chars[k]);
    (matches!(after, Some('余' | '多')) || before == Some('近')).then_some(v)
}

/// 七次、八次全会: session numbers of a plenary meeting.
fn meeting_name_follows(chars: &[char], at: usize) -> bool {
    let mut k = at;
    while k < chars.len() && k - at < 8 {
        if starts_with(chars, k, "全会") || starts_with(chars, k, "会议精神") {
            return true;
        }
        if matches!(chars[k], '，' | '。' | '；' | ',') {
            return false;
        }
        k += 1;
    }
    false
}

/// A Chinese-numeral phrase inside short quotation marks is a name (“四个亲自”).
fn in_short_quote(chars: &[char], start: usize, end: usize) -> bool {
    let open = (start.saturating_sub(10)..start)
        .rev()
        .find(|&k| matches!(chars[k], '“' | '”' | '"' | '「' | '」'));
    let Some(o) = open else { return false };
    if !matches!(chars[o], '“' | '"' | '「') {
        return false;
    }
    (end..(end + 12).min(chars.len())).any(|k| matches!(chars[k], '”' | '"' | '」'))
        && !(o..start).any(|k| matches!(chars[k], '，' | '。'))
}

/// Numbers inside a title in 《》 belong to the name of a plan or law.
fn in_book_title(chars: &[char], start: usize) -> bool {
    let from = start.saturating_sub(40);
    for k in (from..start).rev() {
        match chars[k] {
            '《' => return true,
            '》' | '\n' | '。' => return false,
            _ => {}
        }
    }
    false
}

fn push(chars: &[char], start: usize, num: Decimal, tail: Tail, out: &mut Found) {
    if out.book_title_in_line && in_book_title(chars, start) {
        return;
    }
    // Prefix qualifiers are Han characters, so matching them cannot cross a line break.
    let line_start = 0;
    let approx = tail
        .approx
        .or_else(|| prefix_approx(chars, start, line_start));
    if out.figs.len() >= MAX_FIGURES {
        out.dropped += 1;
        return;
    }
    let value = num.times(tail.factor).to_f64();
    let value_max = tail.max.map(|m| m.times(tail.factor).to_f64());
    out.figs.push(Figure {
        text: crate::doc::to_string(&chars[start..tail.end]),
        value,
        value_max,
        unit: Some(tail.unit),
        approx,
        indicator: None,
        section: None,
        start,
        end: tail.end,
        part_of: None,
    });
}

#[cfg(test)]
mod tests {
    #[test]
    fn units_are_three_byte_han_characters() {
        // scan_tail advances by unit.len() / 3 characters.
        for u in super::UNITS {
            assert!(u.chars().all(|c| c.len_utf8() == 3), "{u}");
        }
    }
}
