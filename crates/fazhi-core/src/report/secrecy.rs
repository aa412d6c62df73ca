//! The personal-data scan of a report before it leaves the township: ID numbers (with
//! a valid check digit), mobile phone numbers, and the names of the township's own
//! parties (people in its matters), none of which may appear in a published report.

use serde::Serialize;

use crate::party::id_check_digit;

/// Something personal found in the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// `id_number`, `phone` or `party_name`.
    pub kind: &'static str,
    /// What was found, masked for display.
    pub shown: String,
    /// Character offset in the text.
    pub at: usize,
}

fn mask(s: &str) -> String {
    let c: Vec<char> = s.chars().collect();
    match c.len() {
        0..=2 => format!("{}*", c.first().copied().unwrap_or('*')),
        n => format!("{}{}{}", c[0], "*".repeat(n - 2), c[n - 1]),
    }
}

/// Scans `text`; `names` are the parties' names to look for (two characters or more).
pub fn scan(text: &str, names: &[String]) -> Vec<Finding> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        // A run of digits (an ID number may end in X).
        let start = i;
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
        }
        if i < chars.len() && matches!(chars[i], 'X' | 'x') && i - start == 17 {
            i += 1;
        }
        let run: String = chars[start..i].iter().collect();
        let len = run.chars().count();
        if len == 18 && id_check_digit(&run[..17]) == run[17..].to_uppercase().chars().next() {
            out.push(Finding {
                kind: "id_number",
                shown: mask(&run),
                at: start,
            });
        } else if len == 11
            && run.starts_with('1')
            && ('3'..='9').contains(&run.chars().nth(1).unwrap_or('0'))
        {
            out.push(Finding {
                kind: "phone",
                shown: mask(&run),
                at: start,
            });
        }
    }
    for n in names.iter().filter(|n| n.chars().count() >= 2) {
        // Names like 张某某 are already anonymised.
        if n.contains('某') {
            continue;
        }
        if let Some(b) = text.find(n.as_str()) {
            out.push(Finding {
                kind: "party_name",
                shown: mask(n),
                at: text[..b].chars().count(),
            });
        }
    }
    out.sort_by_key(|f| f.at);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn personal_data_is_found_and_shown_masked() {
        let first17 = "51010519800101123";
        let id = format!("{first17}{}", id_check_digit(first17).unwrap());
        let text =
            format!("当事人{id}，电话13812345678，张三丰到场。全年受理1338件，金额20260101元。");
        let f = scan(&text, &["张三丰".into(), "李某某".into(), "王".into()]);
        let kinds: Vec<&str> = f.iter().map(|x| x.kind).collect();
        assert_eq!(kinds, ["id_number", "phone", "party_name"]);
        assert!(f[0].shown.starts_with('5') && f[0].shown.contains('*'));
        assert_eq!(f[2].shown, "张*丰");
        // Ordinary figures, a wrong check digit and anonymised names are not findings.
        let bad = format!("{first17}0");
        let clean = scan(&format!("共{bad}件，李某某"), &["李某某".into()]);
        assert!(
            clean.iter().all(|x| x.kind != "id_number") || id_check_digit(first17) == Some('0')
        );
        assert!(scan("全年受理1338件，同比增长12.5%", &[]).is_empty());
    }
}
