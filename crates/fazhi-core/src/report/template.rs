//! The report's five mandated parts (rules.md §6) with their order and titles, which a
//! district may set for its townships: the default is the seeds' own order.

use serde::{Deserialize, Serialize};

/// One of the five parts the rules require.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartKey {
    /// 主要举措和成效.
    Measures,
    /// 党政主要负责人履行第一责任人职责情况.
    FirstResponsible,
    /// 存在的不足和原因.
    Shortcomings,
    /// 下一年度的主要安排.
    NextYear,
    /// 其他需要报告的情况.
    Other,
}

impl PartKey {
    pub const ALL: [PartKey; 5] = [
        PartKey::Measures,
        PartKey::FirstResponsible,
        PartKey::Shortcomings,
        PartKey::NextYear,
        PartKey::Other,
    ];

    /// The default title, without its number.
    pub fn default_title(self) -> &'static str {
        match self {
            PartKey::Measures => "推进法治政府建设的主要举措和成效",
            PartKey::FirstResponsible => "党政主要负责人履行推进法治建设第一责任人职责情况",
            PartKey::Shortcomings => "存在的不足和原因",
            PartKey::NextYear => "下一年度推进法治政府建设的主要安排",
            PartKey::Other => "其他需要报告的情况",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            PartKey::Measures => "measures",
            PartKey::FirstResponsible => "first_responsible",
            PartKey::Shortcomings => "shortcomings",
            PartKey::NextYear => "next_year",
            PartKey::Other => "other",
        }
    }
}

/// The parts in their order, each with its title (without the number).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Template {
    pub parts: Vec<(PartKey, String)>,
}

impl Default for Template {
    fn default() -> Self {
        Template {
            parts: PartKey::ALL
                .iter()
                .map(|k| (*k, k.default_title().to_string()))
                .collect(),
        }
    }
}

const NUMBERS: [&str; 5] = ["一", "二", "三", "四", "五"];

impl Template {
    /// Checks a template: each of the five parts once, titles of 2–60 characters
    /// without control characters or a number of their own.
    pub fn checked(parts: Vec<(PartKey, String)>) -> Result<Template, String> {
        if parts.len() != 5
            || PartKey::ALL
                .iter()
                .any(|k| !parts.iter().any(|(p, _)| p == k))
        {
            return Err("五个部分须各出现一次".into());
        }
        let mut out = Vec::new();
        for (k, title) in parts {
            let t = crate::validate::required_text("标题", &title, 60)?;
            if t.chars().count() < 2 {
                return Err(format!("标题“{t}”过短"));
            }
            if NUMBERS.iter().any(|n| t.starts_with(&format!("{n}、"))) {
                return Err(format!("标题“{t}”不必带序号，序号按顺序自动编排"));
            }
            out.push((k, t));
        }
        Ok(Template { parts: out })
    }

    /// The numbered title of each part, in order: 一、…
    pub fn titles(&self) -> Vec<(PartKey, String)> {
        self.parts
            .iter()
            .zip(NUMBERS)
            .map(|((k, t), n)| (*k, format!("{n}、{t}")))
            .collect()
    }
}

impl super::Draft {
    /// The draft with its parts in `new`'s order under `new`'s titles, and for each
    /// part as it stood its new place (for what points at parts by place, e.g. review
    /// comments). A part is known by its key, or, in a draft saved before keys were
    /// kept, by its place in `old`. None when the draft does not hold the five parts.
    pub fn arranged(&self, old: &Template, new: &Template) -> Option<(super::Draft, Vec<usize>)> {
        if self.sections.len() != PartKey::ALL.len() || old.parts.len() != self.sections.len() {
            return None;
        }
        let keys: Vec<PartKey> = self
            .sections
            .iter()
            .zip(&old.parts)
            .map(|(s, (k, _))| s.part.unwrap_or(*k))
            .collect();
        let titles = new.titles();
        let mut moves = Vec::with_capacity(keys.len());
        for k in &keys {
            moves.push(titles.iter().position(|(t, _)| t == k)?);
        }
        let mut sections = Vec::with_capacity(titles.len());
        for (key, title) in titles {
            let at = keys.iter().position(|k| *k == key)?;
            let mut s = self.sections[at].clone();
            s.title = title;
            s.part = Some(key);
            sections.push(s);
        }
        let mut d = self.clone();
        d.sections = sections;
        Some((d, moves))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_template_has_each_part_once_and_numbers_itself() {
        let d = Template::default();
        assert_eq!(d.titles()[0].1, "一、推进法治政府建设的主要举措和成效");
        let mut parts = d.parts.clone();
        parts.swap(2, 3);
        let t = Template::checked(parts.clone()).unwrap();
        assert_eq!(
            t.titles()[2],
            (
                PartKey::NextYear,
                "三、下一年度推进法治政府建设的主要安排".into()
            )
        );
        let mut twice = parts.clone();
        twice[4].0 = PartKey::Measures;
        assert!(Template::checked(twice).is_err());
        let mut numbered = parts.clone();
        numbered[0].1 = "一、主要举措".into();
        assert!(Template::checked(numbered).unwrap_err().contains("序号"));
        let mut empty = parts;
        empty[1].1 = " ".into();
        assert!(Template::checked(empty).is_err());
    }

    #[test]
    fn a_saved_draft_follows_a_new_order() {
        use crate::report::{Draft, Para, Section};
        let old = Template::default();
        // Saved before keys were kept: each part is known by its place.
        let d = Draft {
            township: "青石镇".into(),
            year: 2026,
            title: "报告".into(),
            sections: old
                .titles()
                .into_iter()
                .map(|(k, title)| Section {
                    title,
                    paragraphs: vec![Para::new().t(k.as_str()).done()],
                    part: None,
                })
                .collect(),
        };
        let mut parts = old.parts.clone();
        parts.swap(2, 3);
        parts[3].1 = "存在的主要不足".into();
        let new = Template::checked(parts).unwrap();
        let (moved, moves) = d.arranged(&old, &new).unwrap();
        assert_eq!(moves, vec![0, 1, 3, 2, 4]);
        assert_eq!(moved.sections[3].title, "四、存在的主要不足");
        assert_eq!(moved.sections[3].part, Some(PartKey::Shortcomings));
        assert_eq!(moved.plain_text().matches("shortcomings").count(), 1);
        assert!(moved.sections[2].title.starts_with("三、下一年度"));
        // Once keyed, the old template no longer matters.
        let (back, moves) = moved.arranged(&new, &old).unwrap();
        assert_eq!(moves, vec![0, 1, 3, 2, 4]);
        assert_eq!(back.sections[2].paragraphs, d.sections[2].paragraphs);
        let mut short = d.clone();
        short.sections.pop();
        assert!(short.arranged(&old, &new).is_none());
    }
}
