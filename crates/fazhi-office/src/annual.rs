//! The annual report draft as a DOCX in the GB/T 9704 layout: the title (关于XXXX年度
//! 法治政府建设情况的报告) in 2号小标宋, the five parts as 黑体 headings, the body in
//! 3号仿宋, the issuing body and the date at the end. Typed figures print as blanks.

use fazhi_core::report::{Draft, Part};
use time::Date;

use crate::gongwen::Gongwen;

/// A paragraph as printed: a traced figure as written, a typed one as a blank to fill.
fn printed(p: &[Part]) -> String {
    p.iter()
        .map(|part| match part {
            Part::Text { text } => text.clone(),
            Part::Figure(s) if s.traced => s.text.clone(),
            Part::Figure(_) => "____".to_string(),
        })
        .collect()
}

/// Writes the draft; `issuer` signs it (e.g. 青石镇人民政府) on `date`.
pub fn docx(d: &Draft, issuer: &str, date: Date) -> Result<Vec<u8>, String> {
    // The issuer opens the title in the draft; the printed title breaks after it.
    let title = match d.title.split_once("关于") {
        Some((who, rest)) if !who.is_empty() => format!("{who}\n关于{rest}"),
        _ => d.title.clone(),
    };
    let mut doc = Gongwen::new().title(&title);
    for s in &d.sections {
        doc = doc.heading(1, &s.title);
        for p in &s.paragraphs {
            doc = doc.para(&printed(p));
        }
    }
    doc.blank().issuer_and_date(issuer, date).to_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;
    use fazhi_core::report::{Para, Section, Slot};

    #[test]
    fn the_draft_prints_with_its_figures_and_blanks() {
        let slot = |traced| Slot {
            key: "k".into(),
            label: "l".into(),
            text: "1234件".into(),
            definition: String::new(),
            link: None,
            traced,
        };
        let d = Draft {
            township: "青石镇".into(),
            year: 2026,
            title: "青石镇人民政府关于2026年度法治政府建设情况的报告".into(),
            sections: vec![Section {
                title: "一、推进法治政府建设的主要举措和成效".into(),
                paragraphs: vec![
                    Para::new().t("全年受理").f(slot(true)).t("。").done(),
                    Para::new().t("作出决策").f(slot(false)).t("项。").done(),
                ],
            }],
        };
        let bytes = docx(&d, "青石镇人民政府", time::macros::date!(2027 - 01 - 15)).unwrap();
        let text = fazhi_analyze::decode::docx_to_text(&bytes).unwrap();
        assert!(
            text.contains("关于2026年度法治政府建设情况的报告"),
            "{text}"
        );
        assert!(text.contains("全年受理1234件。"), "{text}");
        assert!(text.contains("作出决策____项。"), "{text}");
        assert!(text.contains("2027年1月15日"), "{text}");
    }
}
