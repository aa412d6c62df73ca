//! A report draft: sections of paragraphs whose figures are slots bound to a
//! statistic, never typed. A slot carries its value as written, the definition it
//! was computed by and the link to the records it counts; a figure the platform does
//! not record yet is a typed slot, marked so, so the share of traced figures shows.

use serde::Serialize;

/// One piece of a paragraph.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Part {
    Text { text: String },
    Figure(Slot),
}

/// A figure bound to its statistic.
#[derive(Debug, Clone, PartialEq, Serialize)]
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
}

/// A heading and its paragraphs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    pub title: String,
    pub paragraphs: Vec<Vec<Part>>,
}

/// The whole draft.
#[derive(Debug, Clone, PartialEq, Serialize)]
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
