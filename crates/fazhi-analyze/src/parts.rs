//! Totals and their parts: 排查化解矛盾纠纷1290件，其中调解成功640件、引导诉讼12件.
//! A part carries `part_of`, the index of its total, so that sums per indicator add
//! the total alone (1290, not 1290 + 640 + 12).

use crate::figures::Figure;

/// Words that open a breakdown of the figure before them. `true`: the total must
/// stand right before the word (a list after a colon), and the parts may not add up
/// to more than the total, since nothing but the colon says they break it down.
const MARKERS: &[(&str, bool)] = &[
    ("其中", false),
    ("包括", false),
    ("分别为", false),
    ("分别是", false),
    ("（含", false),
    ("(含", false),
    ("，含", false),
    ("：", true),
    (":", true),
];

/// How far back a total is looked for; one sentence, however long, stays linear.
const REACH: usize = 300;

/// Counting units that name the same thing (件 and 起 of disputes).
const CASE_UNITS: &[&str] = &["件", "起", "宗", "件次"];

fn same_kind(a: &Figure, b: &Figure) -> bool {
    a.unit != Some("%")
        && (a.unit == b.unit
            || a.unit
                .zip(b.unit)
                .is_some_and(|(x, y)| CASE_UNITS.contains(&x) && CASE_UNITS.contains(&y)))
}

/// The last breakdown word in `c[from..to]`: its offset and whether it is a colon.
fn marker_in(c: &[char], from: usize, to: usize) -> Option<(usize, bool)> {
    (from..to).rev().find_map(|k| {
        MARKERS
            .iter()
            .find(|(w, _)| crate::chrome::starts_with(c, k, w) && k + w.chars().count() <= to)
            .map(|&(_, colon)| (k, colon))
    })
}

/// Sets `part_of` on every figure that breaks down an earlier one in its sentence.
pub fn link_parts(c: &[char], figures: &mut [Figure]) {
    // Totals whose parts are listed after a colon, with the sum of those parts so far.
    let mut listed: Vec<(usize, f64)> = Vec::new();
    for i in 0..figures.len() {
        let part = &figures[i];
        let floor = part.start.saturating_sub(REACH);
        let sentence = c[floor..part.start]
            .iter()
            .rposition(|&x| matches!(x, '。' | '\n' | '！' | '？'))
            .map_or(floor, |p| floor + p + 1);
        // The nearest figure of the same kind before this one decides: a breakdown
        // word after it makes it the total; without one, this figure is its sibling
        // in a list (调解640件，引导诉讼12件) and shares its total, if it has one.
        let mut total = None;
        for j in (0..i).rev() {
            let prev = &figures[j];
            if prev.start < sentence {
                break;
            }
            if !same_kind(prev, part) {
                continue;
            }
            total = match marker_in(c, prev.end, part.start) {
                Some((at, true)) if at == prev.end => {
                    listed.push((j, 0.0));
                    Some(j)
                }
                Some((_, true)) => None,
                Some((_, false)) => Some(j),
                None => prev.part_of,
            };
            break;
        }
        let Some(t) = total else { continue };
        if part.value > figures[t].value {
            continue;
        }
        // A colon alone is weak evidence: its parts may not add up to more than the total.
        if let Some(sum) = listed.iter_mut().rev().find(|(k, _)| *k == t) {
            if sum.1 + part.value > figures[t].value {
                continue;
            }
            sum.1 += part.value;
        }
        figures[i].part_of = Some(t);
    }
}
