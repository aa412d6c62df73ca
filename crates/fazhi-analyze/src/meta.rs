//! Who issued the report, for which year, when, and under which document number.

use crate::chrome::starts_with;
use crate::doc::{Doc, is_cjk, is_space};
use crate::numerals::{cn_digit, digit, parse_chinese};
use crate::sections::Section;

/// Report metadata read from the title block, headings and signature.
#[derive(Debug, Default, Clone)]
pub struct Meta {
    /// Title line (关于2025年法治政府建设情况的报告, with the body name when on the line before).
    pub title: Option<String>,
    /// Short name of the township or street office (余家镇, 高笋塘街道).
    pub issuer: Option<String>,
    /// Full name of the issuing body (重庆市万州区余家镇人民政府).
    pub issuer_full: Option<String>,
    /// The year the report covers.
    pub year: Option<i32>,
    /// Issue date, ISO 8601.
    pub date: Option<String>,
    /// Document number (后叶委文〔2025〕5号).
    pub doc_number: Option<String>,
}

/// Body-name suffixes: government bodies first, Party committees as a fallback.
const GOV_SUFFIXES: &[&str] = &["人民政府", "办事处"];
const PARTY_SUFFIXES: &[&str] = &["委员会", "党工委", "党委"];
/// Characters that cannot start a township name (我镇, 全镇, 各乡).
const NAME_STOP: &str = "我本全该各此每乡镇和及与在由向对为经的了县市区省其";

/// Reads the metadata.
pub fn read_meta(doc: &Doc, sections: &[Section]) -> Meta {
    let first_heading = sections
        .iter()
        .find(|s| s.level == 1)
        .map_or(doc.chars.len(), |s| s.start);
    let title = find_title(doc, first_heading);
    let (issuer, issuer_full) = find_issuer(doc);
    let date = find_date(doc);
    let doc_number = find_doc_number(doc, first_heading);
    let year = find_year(doc, title.as_deref(), sections, date.as_deref());
    Meta {
        title,
        issuer,
        issuer_full,
        year,
        date,
        doc_number,
    }
}

/// The short issuer name and the issue date alone: what the duplicate finder needs
/// to name townships and to tell the likely source of a copied paragraph.
pub fn issuer_and_date(doc: &Doc) -> (Option<String>, Option<String>) {
    (find_issuer(doc).0, find_date(doc))
}

fn line_text(doc: &Doc, i: usize) -> String {
    crate::doc::to_string(line_chars(doc, i))
}

/// The characters of line `i` without surrounding whitespace.
fn line_chars(doc: &Doc, i: usize) -> &[char] {
    let l = &doc.lines[i];
    trim(&doc.chars[l.start..l.end])
}

/// `c` without leading and trailing whitespace (as `str::trim`; that includes `is_space`).
fn trim(c: &[char]) -> &[char] {
    let a = c
        .iter()
        .position(|ch| !ch.is_whitespace())
        .unwrap_or(c.len());
    let b = c
        .iter()
        .rposition(|ch| !ch.is_whitespace())
        .map_or(a, |p| p + 1);
    &c[a..b]
}

fn find_title(doc: &Doc, limit: usize) -> Option<String> {
    let mut prev = String::new();
    for (i, l) in doc.lines.iter().enumerate() {
        if l.start >= limit {
            break;
        }
        if l.chrome {
            continue;
        }
        let t = line_text(doc, i);
        if t.is_empty() {
            continue;
        }
        if t.contains("报告")
            && t.chars().count() <= 60
            && (t.contains("关于") || t.ends_with("报告"))
        {
            if t.starts_with("关于")
                && GOV_SUFFIXES
                    .iter()
                    .chain(PARTY_SUFFIXES)
                    .any(|s| prev.ends_with(s))
            {
                return Some(format!("{prev}{t}"));
            }
            return Some(t);
        }
        prev = t;
    }
    None
}

/// Finds the body name before a 人民政府/办事处 (or Party committee) suffix.
fn find_issuer(doc: &Doc) -> (Option<String>, Option<String>) {
    let mut party: Option<(String, String)> = None;
    for l in doc.lines.iter().filter(|l| !l.chrome) {
        let chars = &doc.chars[..l.end];
        // Only 人, 办, 委 and 党 can start a suffix.
        for m in doc.line_marks(l) {
            if m.class & crate::charset::class::ISSUER == 0 {
                continue;
            }
            let k = m.pos();
            let gov = GOV_SUFFIXES.iter().find(|s| starts_with(chars, k, s));
            let suffix = gov.or_else(|| PARTY_SUFFIXES.iter().find(|s| starts_with(chars, k, s)));
            if let Some(suffix) = suffix
                && let Some((short, full)) = body_before(doc, l.start, k, suffix)
            {
                if gov.is_some() {
                    return (Some(short), Some(full));
                }
                party.get_or_insert((short, full));
            }
        }
    }
    if let Some((s, f)) = party {
        return (Some(s), Some(f));
    }
    // Last resort: the page's 发布机构 / 来源 field (万州区余家镇).
    for l in doc.lines.iter().filter(|l| l.chrome) {
        let t = doc.slice(l.start, l.end);
        for key in ["发布机构", "来源"] {
            let Some(p) = t.find(key) else { continue };
            let rest = &t[p + key.len()..];
            let name: String = rest
                .chars()
                .skip_while(|c| !is_cjk(*c))
                .take_while(|c| is_cjk(*c))
                .collect();
            let short = name.rsplit(|c| "省市区县".contains(c)).next().unwrap_or("");
            let base = short
                .strip_suffix("街道")
                .or_else(|| short.strip_suffix(['镇', '乡']));
            if base.is_some_and(|b| (1..=5).contains(&b.chars().count())) {
                return (Some(short.to_string()), None);
            }
        }
    }
    (None, None)
}

fn body_before(doc: &Doc, line_start: usize, at: usize, suffix: &str) -> Option<(String, String)> {
    let chars = &doc.chars;
    let mut b = at;
    while b > line_start && at - b < 20 && is_cjk(chars[b - 1]) {
        b -= 1;
    }
    if b > line_start && is_cjk(chars[b - 1]) {
        // Ran into the length limit: not a name standing on its own.
        return None;
    }
    let mut run: String = chars[b..at].iter().collect();
    let mut full_prefix = String::new();
    if let Some(r) = run.strip_prefix("中共") {
        full_prefix = "中共".into();
        run = r.to_string();
    }
    let admin = run
        .char_indices()
        .filter(|(_, c)| "省市区县州旗盟".contains(*c))
        .map(|(i, c)| i + c.len_utf8())
        .next_back();
    let name = match admin {
        Some(p) => &run[p..],
        None if run.chars().count() <= 6 => &run[..],
        None => return None,
    };
    let base = name
        .strip_suffix("街道")
        .or_else(|| name.strip_suffix('镇'))
        .or_else(|| name.strip_suffix('乡'))?;
    let n = base.chars().count();
    if !(1..=5).contains(&n)
        || NAME_STOP.contains(base.chars().next()?)
        || base
            .chars()
            .any(|c| "了以由的在为和及与对把被将从向是有".contains(c))
    {
        return None;
    }
    if suffix == "办事处" && !name.ends_with("街道") {
        return None;
    }
    Some((name.to_string(), format!("{full_prefix}{run}{suffix}")))
}

/// Year from the title, then the headings, then the date (今年以来 reports).
fn find_year(
    doc: &Doc,
    title: Option<&str>,
    sections: &[Section],
    date: Option<&str>,
) -> Option<i32> {
    if let Some(y) = title.and_then(|t| year_after(t, "关于").or_else(|| leading_year(t))) {
        return Some(y);
    }
    let tops: Vec<&Section> = sections.iter().filter(|s| s.level == 1).collect();
    for s in &tops {
        if matches!(s.role, "measures" | "first_responsible" | "shortcomings")
            && let Some(y) = leading_year(&s.title)
        {
            return Some(y);
        }
    }
    for s in &tops {
        if s.role == "next_year"
            && let Some(y) = leading_year(&s.title)
        {
            return Some(y - 1);
        }
    }
    // 现将我镇2023年度法治政府建设情况报告如下 (in the opening, before the first heading)
    let opening_end = tops.first().map_or(doc.chars.len(), |s| s.start);
    for (i, l) in doc.lines.iter().enumerate() {
        if l.chrome || l.start >= opening_end {
            continue;
        }
        let t = line_text(doc, i);
        if let Some(p) = t.find("现将")
            && let Some(y) = year_after(&t[p..], "现将")
        {
            return Some(y);
        }
    }
    // 2023年，在区委、区政府的正确领导下 … : an opening paragraph that starts with the year.
    for (i, l) in doc.lines.iter().enumerate() {
        if l.chrome || l.start >= opening_end {
            continue;
        }
        let c: Vec<char> = line_text(doc, i).chars().take(6).collect();
        if c.len() == 6
            && matches!(c[5], '，' | ',')
            && let Some(y) = four_digit_year(&c, 0)
        {
            return Some(y);
        }
    }
    let pub_year = date
        .and_then(|d| d.get(..4))
        .and_then(|y| y.parse::<i32>().ok());
    let head = &doc.chars[..doc.chars.len().min(20_000)];
    let has = |w: &str| {
        let w: Vec<char> = w.chars().collect();
        head.windows(w.len()).any(|x| x == &w[..])
    };
    if (has("今年以来") || has("今年累计"))
        && let Some(y) = pub_year
    {
        return Some(y);
    }
    pub_year.map(|y| y - 1)
}

/// First four-digit year followed by 年 after `marker` in `s`, within 30 characters.
fn year_after(s: &str, marker: &str) -> Option<i32> {
    let p = s.find(marker)?;
    let rest: Vec<char> = s[p + marker.len()..].chars().take(30).collect();
    (0..rest.len().saturating_sub(4)).find_map(|i| four_digit_year(&rest, i))
}

/// First year in the opening characters of a title (2025年推进…, 余家镇2025年度…).
fn leading_year(title: &str) -> Option<i32> {
    let c: Vec<char> = title.chars().take(24).collect();
    (0..c.len().saturating_sub(4)).find_map(|i| four_digit_year(&c, i))
}

fn four_digit_year(c: &[char], i: usize) -> Option<i32> {
    if i + 4 >= c.len() || c[i + 4] != '年' || (i > 0 && digit(c[i - 1]).is_some()) {
        return None;
    }
    let mut y = 0i32;
    for &ch in &c[i..i + 4] {
        y = y * 10 + digit(ch)? as i32;
    }
    (1990..=2100).contains(&y).then_some(y)
}

/// The signature date (a line holding only a date), else the page's 成文日期/日期 field.
fn find_date(doc: &Doc) -> Option<String> {
    let mut found = None;
    for (i, l) in doc.lines.iter().enumerate() {
        // Signature and issue lines are short.
        if l.chrome || l.end - l.start > 80 {
            continue;
        }
        let c = line_chars(doc, i);
        if let Some((d, end)) = parse_date(c, 0) {
            let rest = trim(&c[end..]);
            if rest.is_empty() || rest == ['印', '发'] {
                found = Some(d);
            }
        } else if c.len() < 60 {
            // 云阳县…指挥室          2025年1月22日印发
            if let Some(p) = c.iter().rposition(|&ch| is_space(ch))
                && let Some((d, _)) = parse_date(trim(&c[p..]), 0)
            {
                found.get_or_insert(d);
            }
        }
    }
    if found.is_some() {
        return found;
    }
    for l in doc.lines.iter().filter(|l| l.chrome) {
        let t = doc.slice(l.start, l.end);
        for key in ["成文日期", "发布日期", "日期"] {
            if let Some(p) = t.find(key) {
                let c: Vec<char> = t[p + key.len()..].chars().collect();
                if let Some(d) = (0..c.len().min(8)).find_map(|k| iso_date(&c, k)) {
                    return Some(d);
                }
            }
        }
    }
    None
}

fn iso_date(c: &[char], at: usize) -> Option<String> {
    let s: String = c.get(at..at + 10)?.iter().collect();
    let b = s.as_bytes();
    (b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && s.chars().filter(|c| c.is_ascii_digit()).count() == 8)
        .then_some(s)
}

/// Parses 2026年1月14日 or 二〇二六年一月十四日 at `at`; returns ISO date and end offset.
pub fn parse_date(c: &[char], at: usize) -> Option<(String, usize)> {
    let mut k = at;
    let mut y = 0i32;
    for _ in 0..4 {
        let ch = *c.get(k)?;
        let d = digit(ch)
            .map(|d| d as i32)
            .or_else(|| cn_digit(ch).map(|d| d as i32))?;
        y = y * 10 + d;
        k += 1;
    }
    if c.get(k) != Some(&'年') {
        return None;
    }
    k += 1;
    let (m, k2) = small_number(c, k)?;
    if c.get(k2) != Some(&'月') {
        return None;
    }
    let (d, k3) = small_number(c, k2 + 1)?;
    if !matches!(c.get(k3), Some('日') | Some('号'))
        || !(1..=12).contains(&m)
        || !(1..=31).contains(&d)
    {
        return None;
    }
    Some((format!("{y:04}-{m:02}-{d:02}"), k3 + 1))
}

fn small_number(c: &[char], k: usize) -> Option<(u32, usize)> {
    if let Some(d) = c.get(k).copied().and_then(digit) {
        let mut n = d;
        let mut j = k + 1;
        if let Some(d2) = c.get(j).copied().and_then(digit) {
            n = n * 10 + d2;
            j += 1;
        }
        return Some((n, j));
    }
    let n = parse_chinese(c, k)?;
    Some((n.value as u32, n.end))
}

/// A document number at the start of a line before the first heading (后叶委文〔2025〕5号),
/// or the page's 发文字号 field.
fn find_doc_number(doc: &Doc, limit: usize) -> Option<String> {
    for l in &doc.lines {
        if l.start >= limit {
            break;
        }
        let c = &doc.chars[l.start..l.end];
        let mut s = 0;
        while s < c.len() && is_space(c[s]) {
            s += 1;
        }
        if l.chrome {
            let t: String = c.iter().collect();
            if let Some(p) = t.find("发文字号") {
                let rest: Vec<char> = t[p..].chars().skip(4).collect();
                let start = rest.iter().position(|&ch| is_cjk(ch))?;
                if let Some(e) = doc_number_at(&rest, start) {
                    return Some(rest[start..e].iter().collect());
                }
            }
            continue;
        }
        if let Some(e) = doc_number_at(c, s) {
            return Some(c[s..e].iter().collect());
        }
    }
    None
}

fn doc_number_at(c: &[char], s: usize) -> Option<usize> {
    let mut k = s;
    while k < c.len() && is_cjk(c[k]) && k - s < 10 {
        k += 1;
    }
    if k == s || !matches!(c.get(k)?, '〔' | '［' | '[' | '【' | '(' | '（') {
        return None;
    }
    k += 1;
    for _ in 0..4 {
        digit(*c.get(k)?)?;
        k += 1;
    }
    if !matches!(c.get(k)?, '〕' | '］' | ']' | '】' | ')' | '）') {
        return None;
    }
    k += 1;
    let ds = k;
    while k < c.len() && digit(c[k]).is_some() {
        k += 1;
    }
    (k > ds && c.get(k) == Some(&'号')).then_some(k + 1)
}
