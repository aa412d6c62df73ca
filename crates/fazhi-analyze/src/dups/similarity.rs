//! The confirming similarity and the difference shown to people.

use serde::Serialize;

/// Overlap of two sorted shingle sets: |A∩B| / min(|A|,|B|). A paragraph copied whole
/// into a longer one scores 1, like a verbatim copy; a tenth of the characters changed
/// leaves about 0.7, unrelated paragraphs on the same topic share 0.1–0.3.
pub fn overlap<T: Ord + Copy>(a: &[T], b: &[T]) -> f32 {
    let (mut i, mut j, mut same) = (0, 0, 0usize);
    // Branch-free merge: the comparisons of two hash lists are unpredictable.
    while i < a.len() && j < b.len() {
        let (x, y) = (a[i], b[j]);
        same += (x == y) as usize;
        i += (x <= y) as usize;
        j += (y <= x) as usize;
    }
    same as f32 / a.len().min(b.len()).max(1) as f32
}

/// Which side of a pair a piece of the difference belongs to.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Op {
    /// In both paragraphs.
    Same,
    /// Only in the first (the source) paragraph.
    Old,
    /// Only in the second paragraph.
    New,
}

/// What a piece of text is.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Ordinary words.
    Text,
    /// A township name (of either report).
    Name,
    /// A number.
    Number,
}

/// A run of the difference.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Segment {
    pub op: Op,
    pub kind: Kind,
    pub text: String,
}

/// Differences longer than this many edits are shown as a whole replacement: the
/// pair is a short paragraph inside a long one, and a character diff says nothing.
const MAX_EDITS: usize = 1500;

fn is_num(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

/// Splits a paragraph into tokens: township names and numbers whole, other characters
/// one by one, so that 12→15 reads as one changed number and 余家→白沙 as one name.
fn tokens<'a>(s: &'a str, names: &[&str]) -> Vec<(Kind, &'a str)> {
    let mut out = Vec::with_capacity(s.len() / 3 + 1);
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        if let Some(n) = names
            .iter()
            .find(|n| !n.is_empty() && rest.starts_with(**n))
        {
            out.push((Kind::Name, &rest[..n.len()]));
            rest = &rest[n.len()..];
        } else if is_num(c) {
            let cs: Vec<(usize, char)> = rest.char_indices().take(40).collect();
            let mut j = 0;
            while j < cs.len()
                && (is_num(cs[j].1)
                    || cs[j].1 == '.' && cs.get(j + 1).is_some_and(|&(_, c)| is_num(c)))
            {
                j += 1;
            }
            if cs.get(j).is_some_and(|&(_, c)| c == '%' || c == '％') {
                j += 1;
            }
            let end = match cs.get(j) {
                Some(&(i, _)) => i,
                None => cs.last().map_or(0, |&(i, c)| i + c.len_utf8()),
            };
            out.push((Kind::Number, &rest[..end]));
            rest = &rest[end..];
        } else {
            out.push((Kind::Text, &rest[..c.len_utf8()]));
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// The difference between two paragraphs (Myers' algorithm over tokens), with names
/// (the stems of either report's township) and numbers marked.
pub fn diff(a: &str, b: &str, names: &[&str]) -> Vec<Segment> {
    let ta = tokens(a, names);
    let tb = tokens(b, names);
    let ops = myers(&ta, &tb).unwrap_or_else(|| {
        let mut v: Vec<(Op, (Kind, &str))> = ta.iter().map(|t| (Op::Old, *t)).collect();
        v.extend(tb.iter().map(|t| (Op::New, *t)));
        v
    });
    let mut out: Vec<Segment> = Vec::new();
    for (op, (kind, text)) in ops {
        // Plain text that differs next to a changed name or number stays text.
        match out.last_mut() {
            Some(last) if last.op == op && last.kind == kind && kind != Kind::Number => {
                last.text.push_str(text)
            }
            _ => out.push(Segment {
                op,
                kind,
                text: text.to_string(),
            }),
        }
    }
    out
}

type Tok<'a> = (Kind, &'a str);

/// Edit script from `a` to `b`; `None` when it would take more than [`MAX_EDITS`].
fn myers<'a>(a: &[Tok<'a>], b: &[Tok<'a>]) -> Option<Vec<(Op, Tok<'a>)>> {
    let n = a.len() as isize;
    let m = b.len() as isize;
    let max = (n + m) as usize;
    let off = max as isize + 1;
    let mut v = vec![0isize; 2 * max + 3];
    // trace[d] holds v[-d..=d] before step d.
    let mut trace: Vec<Vec<isize>> = Vec::new();
    let mut found = None;
    'outer: for d in 0..=max.min(MAX_EDITS) as isize {
        trace.push(v[(off - d) as usize..=(off + d) as usize].to_vec());
        let mut k = -d;
        while k <= d {
            let mut x =
                if k == -d || (k != d && v[(off + k - 1) as usize] < v[(off + k + 1) as usize]) {
                    v[(off + k + 1) as usize]
                } else {
                    v[(off + k - 1) as usize] + 1
                };
            let mut y = x - k;
            while x < n && y < m && a[x as usize].1 == b[y as usize].1 {
                x += 1;
                y += 1;
            }
            v[(off + k) as usize] = x;
            if x >= n && y >= m {
                found = Some(d);
                break 'outer;
            }
            k += 2;
        }
    }
    found?;
    let mut out = Vec::with_capacity((n + m) as usize);
    let (mut x, mut y) = (n, m);
    for (d, w) in trace.iter().enumerate().rev() {
        let d = d as isize;
        let at = |k: isize| w[(k + d) as usize];
        let k = x - y;
        let prev_k = if k == -d || (k != d && at(k - 1) < at(k + 1)) {
            k + 1
        } else {
            k - 1
        };
        let prev_x = if d == 0 { 0 } else { at(prev_k) };
        let prev_y = prev_x - prev_k;
        while x > prev_x && y > prev_y {
            out.push((Op::Same, a[(x - 1) as usize]));
            x -= 1;
            y -= 1;
        }
        if d > 0 {
            if x == prev_x {
                out.push((Op::New, b[(y - 1) as usize]));
            } else {
                out.push((Op::Old, a[(x - 1) as usize]));
            }
            x = prev_x;
            y = prev_y;
        }
    }
    out.reverse();
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(s: &[Segment]) -> String {
        s.iter()
            .map(|g| match (g.op, g.kind) {
                (Op::Same, _) => g.text.clone(),
                (Op::Old, k) => format!("[-{:?}:{}]", k, g.text),
                (Op::New, k) => format!("[+{:?}:{}]", k, g.text),
            })
            .collect()
    }

    #[test]
    fn names_numbers_and_words_are_told_apart() {
        let d = diff(
            "余家镇开展普法活动12次，我镇群众满意。",
            "白沙镇开展普法宣传活动15次，本镇群众满意。",
            &["余家", "白沙"],
        );
        assert_eq!(
            show(&d),
            "[-Name:余家][+Name:白沙]镇开展普法[+Text:宣传]活动[-Number:12][+Number:15]次，[-Text:我][+Text:本]镇群众满意。"
        );
        assert_eq!(show(&diff("一样", "一样", &[])), "一样");
        assert_eq!(show(&diff("", "新", &[])), "[+Text:新]");
    }

    #[test]
    fn overlap_of_contained_set_is_one() {
        assert_eq!(overlap(&[1, 2, 3], &[0, 1, 2, 3, 4]), 1.0);
        assert_eq!(overlap(&[1, 2], &[3, 4]), 0.0);
    }
}
