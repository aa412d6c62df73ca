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

/// Words staff use for the same thing (噪音/噪声, 欠薪/讨薪/拖欠工资 …): a search for one
/// finds the others, and a group may stand for a category (every 劳资欠薪 matter).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SynonymGroup {
    pub words: Vec<String>,
    /// A category code the group stands for, if any.
    pub category: Option<String>,
}

/// The township's synonym list, one group per line: words separated by spaces, and
/// `=> category_code` at the end for a group that stands for a category.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Synonyms {
    pub groups: Vec<SynonymGroup>,
}

/// The list a new installation starts with.
pub const DEFAULT_SYNONYMS: &str = "\
噪音 噪声 扰民
欠薪 讨薪 拖欠工资 工资 劳资 => unpaid_wages
宅基地 地基 => homestead
物业 物管 => property_management
邻里 邻居
漏水 渗水
占道 乱摆 摆摊
";

impl Synonyms {
    /// Reads the list; every problem is named with its line, in Chinese.
    /// `known_category` says whether a code is a category of the live list.
    pub fn parse(text: &str, known_category: &dyn Fn(&str) -> bool) -> Result<Synonyms, String> {
        let mut groups = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let n = i + 1;
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (words, category) = match line.split_once("=>") {
                Some((w, c)) => (w, Some(c.trim().to_string())),
                None => (line, None),
            };
            if let Some(c) = &category
                && !known_category(c)
            {
                return Err(format!("第{n}行：没有类别代码“{c}”"));
            }
            let words: Vec<String> = words.split_whitespace().map(normalize).collect();
            if words.len() + usize::from(category.is_some()) < 2 {
                return Err(format!("第{n}行：一组至少两个词（或一个词和一个类别）"));
            }
            if let Some(w) = words
                .iter()
                .find(|w| w.chars().count() < 2 || w.chars().count() > 20)
            {
                return Err(format!("第{n}行：“{w}”应为2至20个字"));
            }
            if words.iter().any(|w| w.chars().any(char::is_control)) {
                return Err(format!("第{n}行含有控制字符"));
            }
            groups.push(SynonymGroup { words, category });
            if groups.len() > 200 {
                return Err("同义词最多200组".into());
            }
        }
        Ok(Synonyms { groups })
    }

    /// The list as text, as [`Synonyms::parse`] reads it.
    pub fn to_text(&self) -> String {
        self.groups
            .iter()
            .map(|g| match &g.category {
                Some(c) => format!("{} => {c}\n", g.words.join(" ")),
                None => format!("{}\n", g.words.join(" ")),
            })
            .collect()
    }

    /// The group a whole query is one word of.
    pub fn group_of(&self, query: &str) -> Option<&SynonymGroup> {
        let q = normalize(query.trim());
        self.groups.iter().find(|g| g.words.contains(&q))
    }
}

#[cfg(test)]
mod synonym_tests {
    use super::*;

    #[test]
    fn a_word_finds_its_group_and_bad_lines_are_named() {
        let known = |c: &str| c == "unpaid_wages";
        let s = Synonyms::parse(
            "噪音 噪声\n# 注释\n欠薪 讨薪 拖欠工资 => unpaid_wages\n",
            &known,
        )
        .unwrap();
        assert_eq!(s.groups.len(), 2);
        let g = s.group_of(" 讨薪 ").unwrap();
        assert_eq!(g.category.as_deref(), Some("unpaid_wages"));
        assert!(
            s.group_of("讨薪了").is_none(),
            "the whole query, not a part"
        );
        assert_eq!(Synonyms::parse(&s.to_text(), &known).unwrap(), s);
        assert!(
            Synonyms::parse("噪音\n", &known)
                .unwrap_err()
                .contains("第1行")
        );
        assert!(Synonyms::parse("a b\n欠薪 => nothing", &known).is_err());
        assert!(
            Synonyms::parse("噪 噪声", &known)
                .unwrap_err()
                .contains("2至20")
        );
        let d = Synonyms::parse(DEFAULT_SYNONYMS, &|c| {
            crate::matter::DEFAULT_CATEGORIES
                .iter()
                .any(|k| k.code == c)
        });
        assert!(d.is_ok(), "{d:?}");
    }
}
