//! The annual report draft as a DOCX in the GB/T 9704 layout: the title (关于XXXX年度
//! 法治政府建设情况的报告) in 2号小标宋, the five parts as 黑体 headings, the body in
//! 3号仿宋, the issuing body and the date at the end. Typed figures print as typed,
//! or as blanks while still to be filled.

use fazhi_core::report::{Draft, Part};
use time::Date;

use crate::gongwen::Gongwen;

/// A paragraph as printed: a figure as written (a typed one not yet filled is the
/// blank `____` it holds).
fn printed(p: &[Part]) -> String {
    p.iter()
        .map(|part| match part {
            Part::Text { text } => text.clone(),
            Part::Figure(s) => s.text.clone(),
        })
        .collect()
}

/// The appendix table of every figure: how it reads, its definition, where it comes
/// from and the link to the records it counts (a workbook beside the report, so the
/// reader of the report does not count each figure twice).
pub fn figures_xlsx(d: &Draft, base_url: &str) -> Result<Vec<u8>, String> {
    use crate::tables::{Cell, Table, write};
    let rows = d
        .slots()
        .iter()
        .enumerate()
        .map(|(i, s)| {
            vec![
                Cell::from((i + 1) as i64),
                Cell::from(s.label.as_str()),
                Cell::from(if s.traced || s.text != "____" {
                    s.text.clone()
                } else {
                    "待填写".into()
                }),
                Cell::from(s.definition.as_str()),
                Cell::from(if s.traced {
                    "平台记录"
                } else {
                    "人工填写"
                }),
                s.records.map_or(Cell::from(""), Cell::from),
                Cell::from(
                    s.link
                        .as_ref()
                        .map_or(String::new(), |l| format!("{base_url}{l}")),
                ),
            ]
        })
        .collect();
    write(&[Table {
        name: "数字来源".into(),
        title: format!("{}·数字来源表", d.title),
        headers: [
            "序号",
            "数字",
            "报告中的写法",
            "统计口径或来源说明",
            "来源",
            "所据记录数",
            "所计记录（平台内地址）",
        ]
        .map(String::from)
        .to_vec(),
        rows,
    }])
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
            records: traced.then_some(1234),
        };
        let d = Draft {
            township: "青石镇".into(),
            year: 2026,
            title: "青石镇人民政府关于2026年度法治政府建设情况的报告".into(),
            sections: vec![Section {
                part: None,
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
        assert!(text.contains("作出决策1234件项。"), "{text}");
        let mut blank = d.clone();
        if let Part::Figure(s) = &mut blank.sections[0].paragraphs[1][1] {
            s.text = "____".into();
        }
        let bytes = docx(
            &blank,
            "青石镇人民政府",
            time::macros::date!(2027 - 01 - 15),
        )
        .unwrap();
        let text = fazhi_analyze::decode::docx_to_text(&bytes).unwrap();
        assert!(text.contains("作出决策____项。"), "{text}");
        // The appendix workbook lists both figures with their source.
        let xlsx = figures_xlsx(&d, "http://fazhi.example").unwrap();
        let mut wb: calamine::Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx)).unwrap();
        use calamine::Reader;
        let range = wb.worksheet_range("数字来源").unwrap();
        assert_eq!(range.get_size().0, 4, "title, header, two figures");
        assert_eq!(range.get_value((3, 4)).unwrap().to_string(), "人工填写");
        // How many records each figure rests on: the traced count's, none for a typed one.
        assert_eq!(range.get_value((1, 5)).unwrap().to_string(), "所据记录数");
        assert_eq!(range.get_value((2, 5)).unwrap().to_string(), "1234");
        assert_eq!(range.get_value((3, 5)).unwrap().to_string(), "");
        assert!(text.contains("2027年1月15日"), "{text}");
    }
}
