//! The heading tree: 一、 / （一） / 1. / （1） and inline 一是 … 二是 ….

use crate::chrome::starts_with;
use crate::doc::{Doc, Line, is_space};
use crate::numerals::{cn_digit, digit, parse_chinese};
use serde::Serialize;

/// A heading and the character range it governs.
#[derive(Debug, Clone, Serialize)]
pub struct Section {
    /// The number as written (一、, （一）, 1., （1）, 一是).
    pub marker: String,
    /// The rest of the heading line (the first sentence for long run-in headings).
    pub title: String,
    /// Depth in the tree, 1 for 一、.
    pub level: usize,
    /// measures, first_responsible, shortcomings, next_year or other (inherited below level 1).
    pub role: &'static str,
    /// Offset of the marker.
    pub start: usize,
    /// Offset where the next heading of the same or a higher level starts.
    pub end: usize,
    /// Number style (internal).
    #[serde(skip)]
    pub style: Style,
    /// Sequence number (internal).
    #[serde(skip)]
    pub number: u32,
}

/// How a heading is numbered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// 一、
    CnDun,
    /// （一）
    CnParen,
    /// 1. 1、 1．
    ArDot,
    /// （1）
    ArParen,
    /// ①
    Circled,
    /// 一是
    Shi,
}

impl Style {
    /// Styles of one family can stand for the same level when a writer mixes them.
    fn family(self) -> u8 {
        match self {
            Style::CnParen | Style::ArParen => 1,
            s => s as u8 + 10,
        }
    }
}

/// A problem in the numbering, reported by `check`.
#[derive(Debug, Clone)]
pub struct NumberingIssue {
    /// Offset of the marker.
    pub start: usize,
    /// Offset after the marker.
    pub end: usize,
    /// Message in Chinese.
    pub message: String,
}

/// Headings (一是 items included) kept per report. A real report has a few hundred
/// at most; 100,000 heading lines would otherwise cost more memory and output than text.
pub const MAX_SECTIONS: usize = 2_000;

/// Finds headings and run-in 一是 items, at most [`MAX_SECTIONS`].
pub fn find_sections(doc: &Doc) -> (Vec<Section>, Vec<NumberingIssue>) {
    let (sections, issues, _) = find_sections_counted(doc);
    (sections, issues)
}

/// [`find_sections`], and how many headings beyond [`MAX_SECTIONS`] were left out.
pub fn find_sections_counted(doc: &Doc) -> (Vec<Section>, Vec<NumberingIssue>, usize) {
    let chars = &doc.chars;
    let mut dropped = 0;
    let mut out: Vec<Section> = Vec::new();
    let mut issues = Vec::new();
    // Stack of open headings: index into `out`.
    let mut stack: Vec<usize> = Vec::new();
    for line in &doc.lines {
        if line.chrome {
            continue;
        }
        let mut s = line.start;
        while s < line.end && is_space(chars[s]) {
            s += 1;
        }
        if starts_with(chars, s, "[bookmark:")
            && let Some(p) = (s..line.end).find(|&k| chars[k] == ']')
        {
            s = p + 1;
        }
        if let Some((style, number, mend)) = heading_marker(chars, s, line.end) {
            let mut t = mend;
            while t < line.end && is_space(chars[t]) {
                t += 1;
            }
            let mut tend = line.end;
            while tend > t && is_space(chars[tend - 1]) {
                tend -= 1;
            }
            // Run-in heading: keep its first sentence only.
            if let Some(p) = (t..tend).find(|&k| chars[k] == '。')
                && p + 1 < tend
            {
                tend = p;
            }
            if tend > t && out.len() >= MAX_SECTIONS {
                dropped += 1;
            } else if tend > t {
                let marker = doc.slice(s, mend);
                let level = place(
                    &mut stack,
                    &out,
                    style,
                    number,
                    (s, mend, &marker),
                    &mut issues,
                );
                out.push(Section {
                    marker,
                    title: doc.slice(t, tend),
                    level,
                    role: "other",
                    start: s,
                    end: chars.len(),
                    style,
                    number,
                });
                stack.push(out.len() - 1);
            }
        }
        find_shi(doc, line, &mut out, &stack, &mut dropped);
    }
    out.sort_by_key(|s| (s.start, s.level));
    close_ranges(&mut out, chars.len());
    assign_roles(&mut out);
    (out, issues, dropped)
}

/// Places a heading in the tree and returns its level; pops the stack to its parent.
fn place(
    stack: &mut Vec<usize>,
    out: &[Section],
    style: Style,
    number: u32,
    (start, end, marker): (usize, usize, &str),
    issues: &mut Vec<NumberingIssue>,
) -> usize {
    if let Some(pos) = stack.iter().rposition(|&i| out[i].style == style) {
        let prev = &out[stack[pos]];
        if number != prev.number + 1 {
            issues.push(NumberingIssue {
                start,
                end,
                message: format!(
                    "标题序号不连续：“{}”之后出现“{}”",
                    prev.marker.trim(),
                    marker
                ),
            });
        }
        stack.truncate(pos);
        return pos + 1;
    }
    if let Some(pos) = stack
        .iter()
        .rposition(|&i| out[i].style.family() == style.family() && number == out[i].number + 1)
    {
        issues.push(NumberingIssue {
            start,
            end,
            message: format!(
                "同一层级混用两种序号：“{}”与“{}”",
                out[stack[pos]].marker.trim(),
                marker
            ),
        });
        stack.truncate(pos);
        return pos + 1;
    }
    if number != 1 {
        issues.push(NumberingIssue {
            start,
            end,
            message: format!("标题序号不连续：本层级第一个标题“{marker}”的序号不是1"),
        });
    }
    stack.len() + 1
}

/// True when the line starts with a heading number (一、, （一）, 1., （1）).
pub fn is_heading_line(line: &[char]) -> bool {
    let s = line
        .iter()
        .position(|&c| !is_space(c))
        .unwrap_or(line.len());
    heading_marker(line, s, line.len()).is_some()
}

/// Recognises a heading marker at `s`: style, number and the offset after it.
fn heading_marker(chars: &[char], s: usize, end: usize) -> Option<(Style, u32, usize)> {
    let c = *chars.get(s)?;
    if s >= end {
        return None;
    }
    if matches!(c, '（' | '(') {
        let inner = s + 1;
        if let Some(d) = chars.get(inner).copied().and_then(digit) {
            let mut k = inner + 1;
            let mut n = d;
            while k < end
                && let Some(d2) = digit(chars[k])
            {
                // Saturating: a long run of digits is no heading number, and must not overflow.
                n = n.saturating_mul(10).saturating_add(d2);
                k += 1;
            }
            if k < end && matches!(chars[k], '）' | ')') {
                return Some((Style::ArParen, n, k + 1));
            }
            return None;
        }
        let n = parse_chinese(chars, inner)?;
        if n.end < end && matches!(chars[n.end], '）' | ')') && n.value > 0 && n.value < 100 {
            return Some((Style::CnParen, n.value as u32, n.end + 1));
        }
        return None;
    }
    if let Some(d) = digit(c) {
        let mut k = s + 1;
        let mut n = d;
        while k < end
            && let Some(d2) = digit(chars[k])
        {
            // Saturating: a long run of digits is no heading number, and must not overflow.
            n = n.saturating_mul(10).saturating_add(d2);
            k += 1;
        }
        if k + 1 < end
            && matches!(chars[k], '.' | '．' | '、')
            && digit(chars[k + 1]).is_none()
            && n > 0
            && n < 100
        {
            return Some((Style::ArDot, n, k + 1));
        }
        return None;
    }
    if ('①'..='⑳').contains(&c) {
        return Some((Style::Circled, c as u32 - '①' as u32 + 1, s + 1));
    }
    if cn_digit(c).is_some() || c == '十' {
        let n = parse_chinese(chars, s)?;
        if n.end + 1 < end
            && matches!(chars[n.end], '、' | '．' | '.')
            && n.value > 0
            && n.value < 100
        {
            return Some((Style::CnDun, n.value as u32, n.end + 1));
        }
    }
    None
}

/// Run-in items 一是…二是… after a sentence break; each must follow its predecessor.
fn find_shi(doc: &Doc, line: &Line, out: &mut Vec<Section>, stack: &[usize], dropped: &mut usize) {
    let (start, end) = (line.start, line.end);
    let chars = &doc.chars;
    let parent_level = stack.last().map_or(0, |&i| out[i].level);
    let mut last = 0u32;
    let mut next = start;
    // Items start with a Chinese digit: only those characters are worth a look.
    for m in doc.line_marks(line) {
        let k = m.pos();
        if k < next || m.class & crate::charset::class::CN_NUMERAL == 0 {
            continue;
        }
        if (k == start
            || matches!(
                chars[k - 1],
                '。' | '；' | ';' | '：' | ':' | '，' | ',' | '！' | ']'
            )
            || is_space(chars[k - 1]))
            && let Some(n) = parse_chinese(chars, k)
            && n.end < end
            && chars[n.end] == '是'
            && n.value as u32 == last + 1
        {
            let t = n.end + 1;
            let mut te = t;
            while te < end
                && !matches!(chars[te], '。' | '；' | ';' | '，' | ',' | '：' | ':')
                && te - t < 40
            {
                te += 1;
            }
            if te > t && out.len() >= MAX_SECTIONS {
                *dropped += 1;
                last = n.value as u32;
                next = te;
            } else if te > t {
                last = n.value as u32;
                out.push(Section {
                    marker: doc.slice(k, t),
                    title: doc.slice(t, te),
                    level: parent_level + 1,
                    role: "other",
                    start: k,
                    end,
                    style: Style::Shi,
                    number: last,
                });
                next = te;
            }
        }
    }
}

/// Each section ends where the next one of the same or a higher level starts;
/// 一是 items end at the next item or with their parent.
fn close_ranges(out: &mut [Section], len: usize) {
    for i in 0..out.len() {
        let level = out[i].level;
        let shi = out[i].style == Style::Shi;
        let mut end = len;
        for next in &out[i + 1..] {
            let closes =
                next.level <= level && (!shi || next.style == Style::Shi || next.level < level);
            if closes || (shi && next.style != Style::Shi) {
                end = next.start;
                break;
            }
        }
        out[i].end = end;
    }
}

/// Roles of top-level sections from their titles; deeper sections inherit.
fn assign_roles(out: &mut [Section]) {
    let mut current = "other";
    for s in out.iter_mut() {
        if s.level == 1 {
            current = role_of(&s.title);
        }
        s.role = current;
    }
}

/// Role of a top-level heading title.
pub fn role_of(title: &str) -> &'static str {
    if title.contains("第一责任人") || title.contains("主要负责人履行") || title.contains("述法")
    {
        "first_responsible"
    } else if [
        "不足",
        "短板",
        "存在的问题",
        "存在问题",
        "薄弱环节",
        "问题和原因",
        "问题及原因",
        "困难和问题",
    ]
    .iter()
    .any(|w| title.contains(w))
    {
        "shortcomings"
    } else if [
        "安排",
        "思路",
        "打算",
        "下一步",
        "计划",
        "工作目标",
        "明年",
        "努力方向",
        "工作重点",
    ]
    .iter()
    .any(|w| title.contains(w))
    {
        "next_year"
    } else if [
        "举措",
        "成效",
        "措施",
        "做法",
        "工作情况",
        "进展",
        "工作开展",
        "开展情况",
        "主要工作",
        "成绩",
    ]
    .iter()
    .any(|w| title.contains(w))
    {
        "measures"
    } else {
        "other"
    }
}
