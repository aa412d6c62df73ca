//! The column mapping every XLSX import of the stream shares (活动台账, 学法签到表,
//! 队伍名册): a field is suggested for a column by its header words, and a confirmed
//! mapping is checked (required fields named, no column used twice or past the sheet).

use std::collections::BTreeMap;

/// A field that an imported sheet's column may hold.
pub trait SheetField: Copy + Ord + 'static {
    /// Every field, in form order.
    fn all() -> &'static [Self];
    /// Header words that name the field, the most telling first.
    fn words(self) -> &'static [&'static str];
    /// Whether a mapping must name a column for it.
    fn required(self) -> bool;
    /// The field's name on the page.
    fn label(self) -> &'static str;
}

fn norm_header(h: &str) -> String {
    h.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '(' => '（',
            ')' => '）',
            c => c,
        })
        .collect()
}

/// Which column each field is probably in, judged by the header names: an exact name
/// first, then the longest word a header contains; each column used once.
pub fn suggest<F: SheetField>(headers: &[String]) -> BTreeMap<F, usize> {
    let mut scored = Vec::new();
    for (col, h) in headers.iter().enumerate() {
        let h = norm_header(h);
        if h.is_empty() {
            continue;
        }
        for f in F::all() {
            let words = f.words();
            let score = if words.iter().any(|w| norm_header(w) == h) {
                100
            } else if let Some(w) = words
                .iter()
                .filter(|w| h.contains(&norm_header(w)))
                .max_by_key(|w| w.chars().count())
            {
                50 + w.chars().count()
            } else {
                continue;
            };
            scored.push((score, *f, col));
        }
    }
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.2.cmp(&b.2)));
    let mut out = BTreeMap::new();
    let mut used = Vec::new();
    for (_, field, col) in scored {
        if !out.contains_key(&field) && !used.contains(&col) {
            out.insert(field, col);
            used.push(col);
        }
    }
    out
}

/// What is wrong with a mapping: required fields without a column, a column used twice
/// or past the sheet's width.
pub fn check_mapping<F: SheetField>(
    columns: &BTreeMap<F, usize>,
    width: usize,
) -> Result<(), Vec<String>> {
    let mut errors = Vec::new();
    for f in F::all().iter().filter(|f| f.required()) {
        if !columns.contains_key(f) {
            errors.push(format!("请为“{}”选择一列", f.label()));
        }
    }
    let mut seen: BTreeMap<usize, F> = BTreeMap::new();
    for (f, c) in columns {
        if *c >= width {
            errors.push(format!("“{}”所选的列不存在", f.label()));
        } else if let Some(other) = seen.insert(*c, *f) {
            errors.push(format!("“{}”和“{}”选了同一列", other.label(), f.label()));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}
