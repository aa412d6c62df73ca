//! Who issued the report, for which year, when, and under which document number.

use crate::chrome::starts_with;
use crate::doc::{Doc, is_cjk, is_space};
use crate::numerals::{cn_digit, digit, parse_chinese};
use crate::sections::Section;
use serde::Serialize;

/// Why the reader settled on a value: how sure it is and the line that decided it.
#[derive(Debug, Default, Clone, Serialize, PartialEq, Eq)]
pub struct Basis {
    /// "high" (title block, signature, headings), "medium" (body or page fields with
    /// a clear margin), "low" (a guess from the publication date), or null when the
    /// value is null.
    pub confidence: Option<&'static str>,
    /// 1-based line number of the deciding line.
    pub line: Option<u32>,
    /// That line, trimmed to 80 characters.
    pub text: Option<String>,
    /// Why the value is missing or weak.
    pub note: Option<String>,
}

impl Basis {
    fn at(doc: &Doc, line: usize, confidence: &'static str) -> Basis {
        let t: String = line_chars(doc, line).iter().take(80).collect();
        Basis {
            confidence: Some(confidence),
            line: Some(doc.lines[line].number),
            text: Some(t),
            note: None,
        }
    }

    fn note(n: impl Into<String>) -> Basis {
        Basis {
            note: Some(n.into()),
            ..Basis::default()
        }
    }
}

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
    /// How the issuer was found.
    pub issuer_basis: Basis,
    /// How the year was found.
    pub year_basis: Basis,
    /// The issuer's entry in the national gazetteer, when one township fits.
    pub place: Option<crate::gazetteer::Place>,
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
    let title_found = find_title(doc, first_heading);
    let (issuer, issuer_full, mut issuer_basis) = find_issuer(doc);
    let place = issuer
        .as_deref()
        .and_then(|s| check_place(doc, s, issuer_full.as_deref(), &mut issuer_basis));
    let date = find_date(doc);
    let doc_number = find_doc_number(doc, first_heading);
    let (year, year_basis) = find_year(doc, title_found.as_ref(), sections, date.as_deref());
    Meta {
        title: title_found.map(|t| t.0),
        issuer,
        issuer_full,
        year,
        date,
        doc_number,
        issuer_basis,
        year_basis,
        place,
    }
}

/// Looks the issuer up in the national gazetteer (only the one name the reader settled
/// on, so the lookup costs nothing beside the reading). A name no township has, or one
/// the gazetteer places elsewhere than the issuer's full name does, lowers the
/// confidence by one step; a name many townships share gets a note.
fn check_place(
    doc: &Doc,
    short: &str,
    full: Option<&str>,
    basis: &mut Basis,
) -> Option<crate::gazetteer::Place> {
    use crate::gazetteer::{Resolution, SOURCE, resolve};
    let note = match resolve(doc, short, full) {
        Resolution::Found(p, _) => return Some(p),
        Resolution::Ambiguous(n) => {
            format!(
                "{n} townships are named {short} in {SOURCE}; the text names none of their counties alone"
            )
        }
        Resolution::Elsewhere(at) => {
            lower(basis);
            format!("{SOURCE} has no {short} in {at}")
        }
        Resolution::Unknown => {
            lower(basis);
            format!("{short} is not in {SOURCE}")
        }
    };
    basis.note = Some(match basis.note.take() {
        Some(n) => format!("{n}; {note}"),
        None => note,
    });
    None
}

/// One step less sure: high → medium → low.
fn lower(basis: &mut Basis) {
    basis.confidence = match basis.confidence {
        Some("high") => Some("medium"),
        Some(_) => Some("low"),
        None => None,
    };
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

/// The title and the index of its (last) line.
fn find_title(doc: &Doc, limit: usize) -> Option<(String, usize)> {
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
                return Some((format!("{prev}{t}"), i));
            }
            return Some((t, i));
        }
        prev = t;
    }
    None
}

/// Index of the first line of the body: the first non-chrome line longer than a title
/// or starting with a top-level heading (一、); the lines before are the title block.
fn title_block_end(doc: &Doc) -> usize {
    doc.lines
        .iter()
        .enumerate()
        .position(|(i, l)| {
            if l.chrome {
                return false;
            }
            let c = line_chars(doc, i);
            c.len() > 60
                || (c.first() == Some(&'一') && matches!(c.get(1), Some('、' | '．' | '.')))
        })
        .unwrap_or(doc.lines.len())
}

/// The issuer: the body name before a 人民政府/办事处 (or Party committee) suffix in
/// the title block or a signature line; else the page's 发布机构/来源 field; else the
/// township the body names as itself ([`crate::issuer::candidates`]).
fn find_issuer(doc: &Doc) -> (Option<String>, Option<String>, Basis) {
    let block_end = title_block_end(doc);
    let mut party: Option<(String, String, usize)> = None;
    // Names with a suffix in body lines: only to give a body-found name its full form.
    let mut in_body: Vec<(String, String, bool)> = Vec::new();
    for (li, l) in doc.lines.iter().enumerate().filter(|(_, l)| !l.chrome) {
        let chars = &doc.chars[..l.end];
        let len = line_chars(doc, li).len();
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
                // A title-block line, or a short line ending with the name (signature).
                let signature = len <= 40 && {
                    let t = line_text(doc, li);
                    t.ends_with(&full) || t.ends_with(suffix)
                };
                if !((li < block_end && len <= 80) || signature) {
                    in_body.push((short, full, gov.is_some()));
                    continue;
                }
                if gov.is_some() {
                    return (Some(short), Some(full), Basis::at(doc, li, "high"));
                }
                party.get_or_insert((short, full, li));
            }
        }
    }
    if let Some((s, f, li)) = party {
        return (Some(s), Some(f), Basis::at(doc, li, "high"));
    }
    // The page's 发布机构 / 来源 field (万州区余家镇).
    for (li, l) in doc.lines.iter().enumerate().filter(|(_, l)| l.chrome) {
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
                return (Some(short.to_string()), None, Basis::at(doc, li, "medium"));
            }
        }
    }
    let cands = crate::issuer::candidates(doc);
    let Some(top) = cands.first().filter(|c| c.score > 0) else {
        return (
            None,
            None,
            Basis::note("the text never names a township as its writer"),
        );
    };
    let second = cands.get(1).map_or(0, |c| c.score.max(0));
    if top.score >= 4 && top.best >= 2 && top.score >= 2 * second && top.score - second >= 3 {
        // Government names first: 白鹭镇人民政府 over 白鹭镇党委.
        let full = [true, false].into_iter().find_map(|want_gov| {
            in_body
                .iter()
                .find(|(s, _, g)| *s == top.name && *g == want_gov)
                .map(|(_, f, _)| f.clone())
        });
        return (
            Some(top.name.clone()),
            full,
            Basis::at(doc, top.line, "medium"),
        );
    }
    let mut note = format!("weak evidence: {} (score {})", top.name, top.score);
    if let Some(c) = cands.get(1).filter(|c| c.score > 0) {
        note.push_str(&format!(" against {} (score {})", c.name, c.score));
    }
    (None, None, Basis::note(note))
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

/// Year from the title, then the headings, then the opening and the body's reporting
/// period (2024年度, 2024年以来), then the date (今年以来 reports).
fn find_year(
    doc: &Doc,
    title: Option<&(String, usize)>,
    sections: &[Section],
    date: Option<&str>,
) -> (Option<i32>, Basis) {
    if let Some((t, li)) = title
        && let Some(y) = year_after(t, "关于").or_else(|| leading_year(t))
    {
        return (Some(y), Basis::at(doc, *li, "high"));
    }
    let tops: Vec<&Section> = sections.iter().filter(|s| s.level == 1).collect();
    for s in &tops {
        if matches!(s.role, "measures" | "first_responsible" | "shortcomings")
            && let Some(y) = leading_year(&s.title)
        {
            return (Some(y), Basis::at(doc, doc.line_of(s.start), "high"));
        }
    }
    for s in &tops {
        if s.role == "next_year"
            && let Some(y) = leading_year(&s.title)
        {
            return (Some(y - 1), Basis::at(doc, doc.line_of(s.start), "high"));
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
            return (Some(y), Basis::at(doc, i, "high"));
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
            return (Some(y), Basis::at(doc, i, "medium"));
        }
    }
    if let Some((y, i)) = body_period_year(doc, &tops) {
        return (Some(y), Basis::at(doc, i, "medium"));
    }
    let pub_year = date
        .and_then(|d| d.get(..4))
        .and_then(|y| y.parse::<i32>().ok());
    let Some(pub_year) = pub_year else {
        return (
            None,
            Basis::note("no reporting year and no publication date"),
        );
    };
    let head = &doc.chars[..doc.chars.len().min(20_000)];
    let has = |w: &str| {
        let w: Vec<char> = w.chars().collect();
        head.windows(w.len()).any(|x| x == &w[..])
    };
    let (y, note) = if has("今年以来") || has("今年累计") {
        (pub_year, "the year of publication (the text says 今年以来)")
    } else {
        (
            pub_year - 1,
            "the year before publication (the text names no year)",
        )
    };
    let mut b = Basis::note(note);
    b.confidence = Some("low");
    (Some(y), b)
}

/// Metadata lines whose dates are publication dates, not the reporting period.
const DATE_FIELDS: &[&str] = &[
    "日期",
    "发布",
    "成文",
    "印发",
    "索引号",
    "来源",
    "时间",
    "浏览",
    "发文字号",
];

/// The reporting period stated in the body: a line that starts with the year
/// (2024年，/2024年以来，/2024年度，) or 2024年度 / 2024年以来 / 2024年法治政府建设 in
/// the first non-chrome lines, skipping metadata and date-only lines. The most
/// frequent year wins, the earliest on a tie. Plans (2025年，我镇将…, the next-year
/// section) and cited documents (《2024年法治政府建设工作要点》) do not count.
fn body_period_year(doc: &Doc, tops: &[&Section]) -> Option<(i32, usize)> {
    let mut seen: Vec<(i32, usize, usize)> = Vec::new(); // (year, count, first line)
    let lines = doc
        .lines
        .iter()
        .enumerate()
        .filter(|(_, l)| !l.chrome)
        .take(40);
    for (i, l) in lines {
        if tops
            .iter()
            .any(|s| s.role == "next_year" && s.start <= l.start && l.start < s.end)
        {
            continue;
        }
        let c = line_chars(doc, i);
        let t = crate::doc::to_string(c);
        if DATE_FIELDS.iter().any(|k| t.contains(k)) || parse_date(c, 0).is_some() {
            continue;
        }
        for k in 0..c.len().saturating_sub(4) {
            let Some(y) = four_digit_year(c, k) else {
                continue;
            };
            let after = &c[k + 5..];
            let plan = after.iter().take(10).any(|&ch| ch == '将');
            if plan || (k > 0 && c[k - 1] == '《') {
                continue;
            }
            let starts_line = k == 0 && matches!(after.first(), Some('，' | ',' | '以' | '度'));
            let period = ["度", "以来", "法治政府建设", "全年", "上半年"]
                .iter()
                .any(|w| {
                    let w: Vec<char> = w.chars().collect();
                    after.starts_with(&w)
                });
            if starts_line || period {
                match seen.iter_mut().find(|s| s.0 == y) {
                    Some(s) => s.1 += 1,
                    None => seen.push((y, 1, i)),
                }
            }
        }
    }
    let best = seen.iter().map(|s| s.1).max()?;
    seen.iter().find(|s| s.1 == best).map(|s| (s.0, s.2))
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
