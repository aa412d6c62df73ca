//! Terms for keyword search in Chinese: every two-character piece of a run of Chinese
//! text (so 土地, 欠薪 and two-character names are found without a dictionary) and
//! whole Latin words and numbers. Queries use the same function; a match of all a
//! query's terms is then checked against the text itself.

use std::collections::BTreeSet;

/// Folds full-width ASCII to half-width and Latin letters to lower case.
pub fn normalize(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2FFFF}')
}

/// The distinct terms of `text` (normalised first).
pub fn terms(text: &str) -> BTreeSet<String> {
    let text = normalize(text);
    let mut out = BTreeSet::new();
    let mut han: Vec<char> = Vec::new();
    let mut word = String::new();
    let flush_han = |han: &mut Vec<char>, out: &mut BTreeSet<String>| {
        for pair in han.windows(2) {
            out.insert(pair.iter().collect());
        }
        han.clear();
    };
    for c in text.chars() {
        if is_han(c) {
            if !word.is_empty() {
                out.insert(std::mem::take(&mut word));
            }
            han.push(c);
        } else if c.is_alphanumeric() {
            flush_han(&mut han, &mut out);
            word.push(c);
        } else {
            flush_han(&mut han, &mut out);
            if !word.is_empty() {
                out.insert(std::mem::take(&mut word));
            }
        }
    }
    flush_han(&mut han, &mut out);
    if !word.is_empty() {
        out.insert(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bigrams_words_and_width() {
        let t = terms("张三反映土地纠纷，ＡＢＣ公司欠薪12万");
        for w in ["张三", "土地", "地纠", "纠纷", "abc", "欠薪", "12"] {
            assert!(t.contains(w), "{w} in {t:?}");
        }
        assert!(terms("土").is_empty(), "one character gives no term");
        assert_eq!(terms("王建国").len(), 2);
    }
}
