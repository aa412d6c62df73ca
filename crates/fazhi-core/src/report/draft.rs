//! A report draft: sections of paragraphs whose figures are slots bound to a
//! statistic, never typed. A slot carries its value as written, the definition it
//! was computed by and the link to the records it counts; a figure the platform does
//! not record yet is a typed slot, marked so, so the share of traced figures shows.

use serde::{Deserialize, Serialize};

/// One piece of a paragraph.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Part {
    Text { text: String },
    Figure(Slot),
}

/// A figure bound to its statistic.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Slot {
    /// Stable key of the statistic, e.g. `matters.received` or `enforcement.penalised`.
    pub key: String,
    /// What it is, in words: "受理矛盾纠纷".
    pub label: String,
    /// As written in the text: "1234件", "98.5%".
    pub text: String,
    /// How it is counted.
    pub definition: String,
    /// The list of the records it counts, when there is one.
    pub link: Option<String>,
    /// False for a figure the platform does not record (typed by staff, with a source note).
    pub traced: bool,
    /// How many records the figure is computed from: the count itself for a count,
    /// the denominator's records for a rate, the records summed for a sum. `None` for
    /// a typed figure (and in drafts saved before this was kept).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub records: Option<i64>,
}

impl Slot {
    /// The same slot, computed from `n` records.
    pub fn from_records(mut self, n: i64) -> Slot {
        self.records = Some(n);
        self
    }
}

/// A heading and its paragraphs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    pub title: String,
    pub paragraphs: Vec<Vec<Part>>,
    /// Which of the five parts this is, so a saved draft follows the district's
    /// template when its order changes (absent in drafts saved before it was kept).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part: Option<super::template::PartKey>,
}

/// The whole draft.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    pub township: String,
    pub year: i32,
    pub title: String,
    pub sections: Vec<Section>,
}

impl Draft {
    /// Every slot, in reading order (the appendix of figures).
    pub fn slots(&self) -> Vec<&Slot> {
        self.sections
            .iter()
            .flat_map(|s| s.paragraphs.iter())
            .flat_map(|p| p.iter())
            .filter_map(|p| match p {
                Part::Figure(s) => Some(s),
                Part::Text { .. } => None,
            })
            .collect()
    }

    /// (traced slots, all slots).
    pub fn traced(&self) -> (usize, usize) {
        let slots = self.slots();
        (slots.iter().filter(|s| s.traced).count(), slots.len())
    }

    /// The text as the analyzer and the district read reports: the title, the issuer
    /// line, headings on lines of their own, paragraphs.
    pub fn plain_text(&self) -> String {
        let mut out = format!("{}\n\n", self.title);
        for s in &self.sections {
            out.push_str(&s.title);
            out.push('\n');
            for p in &s.paragraphs {
                out.push_str(&paragraph_text(p));
                out.push('\n');
            }
            out.push('\n');
        }
        out
    }

    /// Each slot with the character offset where its text starts in [`plain_text`],
    /// so a reader's figures can be matched to the slots they read.
    ///
    /// [`plain_text`]: Draft::plain_text
    pub fn slot_offsets(&self) -> Vec<(usize, &Slot)> {
        let chars = |s: &str| s.chars().count();
        let mut at = chars(&self.title) + 2;
        let mut out = Vec::new();
        for s in &self.sections {
            at += chars(&s.title) + 1;
            for p in &s.paragraphs {
                for part in p {
                    match part {
                        Part::Text { text } => at += chars(text),
                        Part::Figure(slot) => {
                            out.push((at, slot));
                            at += chars(&slot.text);
                        }
                    }
                }
                at += 1;
            }
            at += 1;
        }
        out
    }

    /// The text as Markdown: headings, paragraphs, figures as written.
    pub fn markdown(&self) -> String {
        let mut out = format!("# {}\n\n", self.title);
        for s in &self.sections {
            out.push_str(&format!("## {}\n\n", s.title));
            for p in &s.paragraphs {
                out.push_str(&paragraph_text(p));
                out.push_str("\n\n");
            }
        }
        out
    }
}

/// A paragraph's plain text.
pub fn paragraph_text(p: &[Part]) -> String {
    p.iter()
        .map(|part| match part {
            Part::Text { text } => text.as_str(),
            Part::Figure(s) => s.text.as_str(),
        })
        .collect()
}

/// Builds a paragraph from text and slots.
#[derive(Default)]
pub struct Para(Vec<Part>);

impl Para {
    pub fn new() -> Para {
        Para::default()
    }
    pub fn t(mut self, text: impl Into<String>) -> Para {
        self.0.push(Part::Text { text: text.into() });
        self
    }
    pub fn f(mut self, slot: Slot) -> Para {
        self.0.push(Part::Figure(slot));
        self
    }
    pub fn done(self) -> Vec<Part> {
        self.0
    }
}

/// Opens a figure token in editable text: `〔matters.received〕`, or for a typed
/// figure `〔decisions.major=3；来源：党委会纪要〕`.
const OPEN: char = '〔';
const CLOSE: char = '〕';

impl Draft {
    /// Each paragraph as editable text, figures as tokens that keep their binding.
    pub fn editable(&self) -> Vec<Vec<String>> {
        self.sections
            .iter()
            .map(|s| {
                s.paragraphs
                    .iter()
                    .map(|p| {
                        p.iter()
                            .map(|part| match part {
                                Part::Text { text } => text.clone(),
                                Part::Figure(s) if s.traced || s.text == "____" => {
                                    format!("{OPEN}{}{CLOSE}", s.key)
                                }
                                Part::Figure(s) => {
                                    format!("{OPEN}{}={}；{}{CLOSE}", s.key, s.text, s.definition)
                                }
                            })
                            .collect()
                    })
                    .collect()
            })
            .collect()
    }

    /// Rebuilds the paragraphs from edited text: the words are the staff's, each
    /// token takes its figure from `fresh` (the draft written from today's records),
    /// so an edit never types over a traced figure. A typed figure may be given a
    /// value and its source (`〔key=值；来源〕`). Sections and their titles stay.
    pub fn edited(fresh: &Draft, text: &[Vec<String>]) -> Result<Draft, String> {
        if text.len() != fresh.sections.len() {
            return Err("报告的部分数目不对，请刷新后重新编辑".into());
        }
        let slots: Vec<&Slot> = fresh.slots();
        let mut out = fresh.clone();
        for (section, paras) in out.sections.iter_mut().zip(text) {
            section.paragraphs = Vec::new();
            for raw in paras.iter().map(|p| p.trim()).filter(|p| !p.is_empty()) {
                if raw.chars().count() > 5000 {
                    return Err(format!("「{}」中有一段超过5000字", section.title));
                }
                if raw.chars().any(|c| c.is_control()) {
                    return Err("文字中含有控制字符".into());
                }
                section.paragraphs.push(parse_paragraph(raw, &slots)?);
            }
        }
        Ok(out)
    }
}

fn parse_paragraph(raw: &str, slots: &[&Slot]) -> Result<Vec<Part>, String> {
    let mut parts = Vec::new();
    let mut rest = raw;
    while let Some(i) = rest.find(OPEN) {
        if i > 0 {
            parts.push(Part::Text {
                text: rest[..i].to_string(),
            });
        }
        let after = &rest[i + OPEN.len_utf8()..];
        let j = after
            .find(CLOSE)
            .ok_or_else(|| format!("数字标记「{OPEN}」没有闭合的「{CLOSE}」"))?;
        let token = &after[..j];
        let (key, typed) = match token.split_once('=') {
            Some((k, v)) => (k.trim(), Some(v.trim())),
            None => (token.trim(), None),
        };
        let slot = slots
            .iter()
            .find(|s| s.key == key)
            .ok_or_else(|| format!("未知的数字{OPEN}{key}{CLOSE}：只能保留或删除平台给出的数字"))?;
        let mut slot = (*slot).clone();
        if let Some(v) = typed {
            if slot.traced {
                return Err(format!("{OPEN}{key}{CLOSE}来自平台记录，不能改写其数值"));
            }
            let (value, source) = v.split_once('；').unwrap_or((v, ""));
            if value.is_empty() || value.chars().count() > 40 {
                return Err(format!("{OPEN}{key}{CLOSE}的数值须填写，且不超过40字"));
            }
            if source.trim().is_empty() {
                return Err(format!(
                    "{OPEN}{key}{CLOSE}须注明来源（写在数值后的“；”之后）"
                ));
            }
            slot.text = value.to_string();
            slot.definition = source.trim().to_string();
        }
        parts.push(Part::Figure(slot));
        rest = &after[j + CLOSE.len_utf8()..];
    }
    if !rest.is_empty() {
        parts.push(Part::Text {
            text: rest.to_string(),
        });
    }
    Ok(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(value: &str) -> Draft {
        let slot = |key: &str, text: &str, traced| Slot {
            key: key.into(),
            label: key.into(),
            text: text.into(),
            definition: "口径".into(),
            link: None,
            traced,
            records: None,
        };
        Draft {
            township: "青石镇".into(),
            year: 2026,
            title: "报告".into(),
            sections: vec![Section {
                part: None,
                title: "一、主要举措和成效".into(),
                paragraphs: vec![
                    Para::new()
                        .t("全年受理")
                        .f(slot("m.received", value, true))
                        .t("，决策")
                        .f(slot("d.major", "____", false))
                        .t("项。")
                        .done(),
                ],
            }],
        }
    }

    #[test]
    fn edits_keep_the_binding_and_take_todays_value() {
        let old = draft("100件");
        let text = old.editable();
        assert_eq!(text[0][0], "全年受理〔m.received〕，决策〔d.major〕项。");
        // The words change; the figure comes from the fresh draft, not the text.
        let edited = vec![vec![
            "我镇共受理〔m.received〕，作出重大决策〔d.major=3；党委会纪要〕项。".to_string(),
        ]];
        let d = Draft::edited(&draft("120件"), &edited).unwrap();
        assert_eq!(
            paragraph_text(&d.sections[0].paragraphs[0]),
            "我镇共受理120件，作出重大决策3项。"
        );
        let typed = &d.slots()[1];
        assert!(!typed.traced && typed.definition == "党委会纪要");
        // A traced figure cannot be typed over; an unknown one is refused.
        let bad = vec![vec!["受理〔m.received=999；我说的〕".to_string()]];
        assert!(Draft::edited(&old, &bad).unwrap_err().contains("不能改写"));
        let bad = vec![vec!["受理〔x.y〕".to_string()]];
        assert!(Draft::edited(&old, &bad).unwrap_err().contains("未知"));
        let bad = vec![vec!["决策〔d.major=3〕".to_string()]];
        assert!(Draft::edited(&old, &bad).unwrap_err().contains("来源"));
        assert!(Draft::edited(&old, &[vec!["受理〔m.received".into()]]).is_err());
    }

    #[test]
    fn offsets_point_at_each_figure_in_the_plain_text() {
        let d = draft("120件");
        let text: Vec<char> = d.plain_text().chars().collect();
        for (at, slot) in d.slot_offsets() {
            let n = slot.text.chars().count();
            assert_eq!(text[at..at + n].iter().collect::<String>(), slot.text);
        }
        assert_eq!(d.slot_offsets().len(), 2);
    }
}
