//! The workbook of report-reading results (`fazhi analyze --format xlsx`, web download).
//!
//! Sheet 「报告汇总」: one row per report, one column per indicator (counts summed,
//! rates averaged). Sheet 「数字明细」: every figure. Sheet 「检查结果」: every finding.
//! Sheet 「重复段落」: every member of every group of copied paragraphs, with its
//! similarity to the group's source and what it changed.

use fazhi_analyze::Report;
use fazhi_analyze::dups::{Cluster, Kind, Op};
use fazhi_analyze::indicator::LABELS;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

/// Sheet names.
pub const SUMMARY_SHEET: &str = "报告汇总";
pub const FIGURES_SHEET: &str = "数字明细";
pub const CHECKS_SHEET: &str = "检查结果";
pub const DUPS_SHEET: &str = "重复段落";

const DUPS_HEADERS: [&str; 11] = [
    "组",
    "乡镇数",
    "报告数",
    "文件",
    "行",
    "乡镇",
    "成文日期",
    "角色",
    "相似度",
    "改动",
    "段落",
];

const SUMMARY_HEADERS: [&str; 17] = [
    "文件",
    "发文单位",
    "发文机关全称",
    "年度",
    "成文日期",
    "文号",
    "主要举措和成效",
    "第一责任人职责",
    "不足和原因",
    "下一年安排",
    "数字个数",
    "错误",
    "提示",
    // Where the issuer is, from the national gazetteer (blank when not certain).
    "区划代码",
    "省",
    "市",
    "县（区）",
];
const FIGURE_HEADERS: [&str; 12] = [
    "文件",
    "发文单位",
    "年度",
    "所在部分",
    "原文",
    "数值",
    "上限",
    "单位",
    "约数",
    "指标",
    "起始",
    "结束",
];
const CHECK_HEADERS: [&str; 6] = ["文件", "行", "列", "级别", "类型", "说明"];

/// Chinese column title of an indicator label.
pub fn label_title(label: &str) -> &'static str {
    match label {
        "study_sessions" => "学法次数",
        "trainings" => "培训",
        "publicity_events" => "普法宣传活动",
        "publicity_materials" => "宣传资料",
        "people_reached" => "覆盖人数",
        "exam_rate" => "考试合格率(%)",
        "legal_advisers_staff" => "法律顾问和执法人员",
        "legal_reviews" => "法律审核和建议",
        "review_rate" => "合法性审核通过率(%)",
        "inspections" => "检查督查",
        "enforcement_cases" => "执法案件",
        "disputes_handled" => "矛盾纠纷",
        "dispute_resolution_rate" => "化解率(%)",
        "petitions" => "信访投诉",
        "completion_rate" => "办结率(%)",
        "satisfaction_rate" => "满意率(%)",
        _ => "其他",
    }
}

/// A report's value for one indicator: [`Report::indicator_value`] (parts of a
/// total are not added to it).
pub fn indicator_value(r: &Report, label: &str) -> Option<f64> {
    r.indicator_value(label)
}

/// Builds the workbook one report at a time, so a large batch need not be held in memory.
pub struct AnalysisWorkbook {
    summary: Worksheet,
    figures: Worksheet,
    checks: Worksheet,
    dups: Worksheet,
    rows: (u32, u32, u32),
}

fn e(err: XlsxError) -> String {
    err.to_string()
}

impl AnalysisWorkbook {
    /// An empty workbook with header rows.
    pub fn new() -> Result<Self, String> {
        let bold = Format::new().set_bold();
        let mut summary = Worksheet::new();
        summary.set_name(SUMMARY_SHEET).map_err(e)?;
        let label_headers = LABELS.iter().map(|l| format!("{}\n{l}", label_title(l)));
        let headers: Vec<String> = SUMMARY_HEADERS
            .iter()
            .map(|s| s.to_string())
            .chain(label_headers)
            .collect();
        for (c, h) in headers.iter().enumerate() {
            summary
                .write_string_with_format(0, c as u16, h, &bold)
                .map_err(e)?;
        }
        summary.set_column_width(0, 36).map_err(e)?;
        summary.set_column_width(2, 30).map_err(e)?;
        summary.set_freeze_panes(1, 1).map_err(e)?;
        let mut figures = Worksheet::new();
        figures.set_name(FIGURES_SHEET).map_err(e)?;
        for (c, h) in FIGURE_HEADERS.iter().enumerate() {
            figures
                .write_string_with_format(0, c as u16, *h, &bold)
                .map_err(e)?;
        }
        figures.set_column_width(0, 36).map_err(e)?;
        figures.set_freeze_panes(1, 0).map_err(e)?;
        let mut checks = Worksheet::new();
        checks.set_name(CHECKS_SHEET).map_err(e)?;
        for (c, h) in CHECK_HEADERS.iter().enumerate() {
            checks
                .write_string_with_format(0, c as u16, *h, &bold)
                .map_err(e)?;
        }
        checks.set_column_width(0, 36).map_err(e)?;
        checks.set_column_width(5, 80).map_err(e)?;
        let mut dups = Worksheet::new();
        dups.set_name(DUPS_SHEET).map_err(e)?;
        for (c, h) in DUPS_HEADERS.iter().enumerate() {
            dups.write_string_with_format(0, c as u16, *h, &bold)
                .map_err(e)?;
        }
        dups.set_column_width(3, 36).map_err(e)?;
        dups.set_column_width(9, 50).map_err(e)?;
        dups.set_column_width(10, 80).map_err(e)?;
        dups.set_freeze_panes(1, 0).map_err(e)?;
        Ok(AnalysisWorkbook {
            summary,
            figures,
            checks,
            dups,
            rows: (1, 1, 1),
        })
    }

    /// Adds one report: a summary row, its figures and its checks.
    pub fn add(&mut self, r: &Report) -> Result<(), String> {
        let row = self.rows.0;
        self.rows.0 += 1;
        let s = &mut self.summary;
        let opt = |s: &mut Worksheet, c: u16, v: Option<&str>| -> Result<(), String> {
            if let Some(v) = v {
                s.write_string(row, c, v).map_err(e)?;
            }
            Ok(())
        };
        s.write_string(row, 0, &r.file).map_err(e)?;
        opt(s, 1, r.issuer.as_deref())?;
        opt(s, 2, r.issuer_full.as_deref())?;
        if let Some(y) = r.year {
            s.write_number(row, 3, y).map_err(e)?;
        }
        opt(s, 4, r.date.as_deref())?;
        opt(s, 5, r.doc_number.as_deref())?;
        let rs = r.required_sections;
        for (i, present) in [
            rs.measures,
            rs.first_responsible,
            rs.shortcomings,
            rs.next_year,
        ]
        .into_iter()
        .enumerate()
        {
            s.write_string(row, 6 + i as u16, if present { "有" } else { "缺" })
                .map_err(e)?;
        }
        let (errors, warnings) = r.check_counts();
        s.write_number(row, 10, r.figures.len() as f64).map_err(e)?;
        s.write_number(row, 11, errors as f64).map_err(e)?;
        s.write_number(row, 12, warnings as f64).map_err(e)?;
        opt(s, 13, r.issuer_code.as_deref())?;
        opt(s, 14, r.province.as_deref())?;
        opt(s, 15, r.city.as_deref())?;
        opt(s, 16, r.county.as_deref())?;
        for (i, label) in LABELS.iter().enumerate() {
            if let Some(v) = indicator_value(r, label) {
                s.write_number(row, (SUMMARY_HEADERS.len() + i) as u16, v)
                    .map_err(e)?;
            }
        }
        for f in &r.figures {
            let fr = self.rows.1;
            self.rows.1 += 1;
            let w = &mut self.figures;
            w.write_string(fr, 0, &r.file).map_err(e)?;
            if let Some(i) = &r.issuer {
                w.write_string(fr, 1, i).map_err(e)?;
            }
            if let Some(y) = r.year {
                w.write_number(fr, 2, y).map_err(e)?;
            }
            if let Some(sec) = f.section {
                w.write_string(fr, 3, sec).map_err(e)?;
            }
            w.write_string(fr, 4, &f.text).map_err(e)?;
            w.write_number(fr, 5, f.value).map_err(e)?;
            if let Some(m) = f.value_max {
                w.write_number(fr, 6, m).map_err(e)?;
            }
            if let Some(u) = f.unit {
                w.write_string(fr, 7, u).map_err(e)?;
            }
            if let Some(a) = f.approx {
                w.write_string(fr, 8, a).map_err(e)?;
            }
            if let Some(l) = f.indicator {
                w.write_string(fr, 9, l).map_err(e)?;
            }
            w.write_number(fr, 10, f.start as f64).map_err(e)?;
            w.write_number(fr, 11, f.end as f64).map_err(e)?;
        }
        for c in &r.checks {
            let cr = self.rows.2;
            self.rows.2 += 1;
            let w = &mut self.checks;
            w.write_string(cr, 0, &r.file).map_err(e)?;
            w.write_number(cr, 1, c.line as f64).map_err(e)?;
            w.write_number(cr, 2, c.column as f64).map_err(e)?;
            w.write_string(
                cr,
                3,
                if c.severity == "error" {
                    "错误"
                } else {
                    "提示"
                },
            )
            .map_err(e)?;
            w.write_string(cr, 4, c.kind).map_err(e)?;
            w.write_string(cr, 5, &c.message).map_err(e)?;
        }
        Ok(())
    }

    /// Adds the groups of copied paragraphs: one row per member, the source (or first
    /// member) with the paragraph, the others with their similarity and changes.
    pub fn add_clusters(&mut self, clusters: &[Cluster]) -> Result<(), String> {
        let w = &mut self.dups;
        let mut row = 1u32;
        for (g, c) in clusters.iter().enumerate() {
            let hub = c.source.unwrap_or(0);
            for (i, m) in c.members.iter().enumerate() {
                w.write_number(row, 0, (g + 1) as f64).map_err(e)?;
                w.write_number(row, 1, c.townships as f64).map_err(e)?;
                w.write_number(row, 2, c.reports as f64).map_err(e)?;
                w.write_string(row, 3, &m.file).map_err(e)?;
                w.write_number(row, 4, m.line as f64).map_err(e)?;
                if let Some(t) = &m.township {
                    w.write_string(row, 5, t).map_err(e)?;
                }
                if let Some(d) = &m.date {
                    w.write_string(row, 6, d).map_err(e)?;
                }
                let role = match (c.source == Some(i), m.reference) {
                    (true, true) => "来源（模板/往年）",
                    (true, false) => "可能的来源",
                    (false, true) => "模板/往年",
                    (false, false) if i == hub => "对照",
                    _ => "",
                };
                w.write_string(row, 7, role).map_err(e)?;
                w.write_number(row, 8, m.similarity as f64).map_err(e)?;
                if i == hub {
                    w.write_string(row, 10, &c.text).map_err(e)?;
                } else if let Some(p) = c.pairs.iter().find(|p| p.b == i) {
                    w.write_string(row, 9, changes(p)).map_err(e)?;
                }
                row += 1;
            }
        }
        Ok(())
    }

    /// The finished workbook as XLSX bytes.
    pub fn finish(self) -> Result<Vec<u8>, String> {
        let mut wb = Workbook::new();
        wb.push_worksheet(self.summary);
        wb.push_worksheet(self.figures);
        wb.push_worksheet(self.checks);
        wb.push_worksheet(self.dups);
        wb.save_to_buffer().map_err(e)
    }
}

/// A pair's changes in one line: 删「…」 增「…」, names and numbers marked.
fn changes(p: &fazhi_analyze::dups::Pair) -> String {
    let mut out: Vec<String> = Vec::new();
    for g in p.diff.iter().filter(|g| g.op != Op::Same) {
        let verb = if g.op == Op::Old { "删" } else { "增" };
        let kind = match g.kind {
            Kind::Name => "名称",
            Kind::Number => "数字",
            Kind::Text => "",
        };
        out.push(format!("{verb}{kind}「{}」", g.text));
    }
    out.join(" ")
}

/// Writes the workbook for `reports`.
pub fn write(reports: &[Report]) -> Result<Vec<u8>, String> {
    let mut wb = AnalysisWorkbook::new()?;
    for r in reports {
        wb.add(r)?;
    }
    wb.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};

    #[test]
    fn one_row_per_report_and_indicator_columns_summed() {
        let text = "示例县河口镇人民政府关于2024年法治政府建设情况的报告\n一、2024年推进法治政府建设的主要举措和成效\n\
                    开展执法检查12次，开展安全检查8次，发放宣传资料500份。\n";
        let r = fazhi_analyze::analyze_text("a.txt", text);
        let bytes = write(&[r.clone(), r]).unwrap();
        let mut wb: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        let sheet = wb.worksheet_range(SUMMARY_SHEET).unwrap();
        assert_eq!(sheet.height(), 3);
        let col = SUMMARY_HEADERS.len() + LABELS.iter().position(|l| *l == "inspections").unwrap();
        assert_eq!(sheet.get((1, col)), Some(&Data::Float(20.0)));
        assert_eq!(sheet.get((1, 1)), Some(&Data::String("河口镇".into())));
        let figures = wb.worksheet_range(FIGURES_SHEET).unwrap();
        assert_eq!(figures.height(), 1 + 2 * 3);
        assert_eq!(figures.get((1, 4)), Some(&Data::String("12次".into())));
        // The issuer's place from the gazetteer, when the name is certain.
        let r = fazhi_analyze::analyze_text(
            "b.txt",
            "东阳市横店镇人民政府关于2024年法治政府建设情况的报告\n一、主要举措和成效\n开展执法检查12次。\n",
        );
        let bytes = write(&[r]).unwrap();
        let mut wb: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        let sheet = wb.worksheet_range(SUMMARY_SHEET).unwrap();
        let cell = |c: usize| sheet.get((1, c)).map(|d| d.to_string()).unwrap_or_default();
        assert_eq!(
            (13..17).map(cell).collect::<Vec<_>>(),
            ["330783123", "浙江省", "金华市", "东阳市"]
        );
        // 河口镇 of 示例县 is in no gazetteer: the place stays blank.
        let sheet = {
            let r = fazhi_analyze::analyze_text("a.txt", text);
            let bytes = write(&[r]).unwrap();
            let mut wb: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
            wb.worksheet_range(SUMMARY_SHEET).unwrap()
        };
        assert_eq!(
            sheet
                .get((1, 13))
                .map(|d| d.to_string())
                .unwrap_or_default(),
            ""
        );
    }

    #[test]
    fn copied_paragraphs_sheet() {
        let para = "河口镇坚持每月召开一次法治建设工作例会，由司法所通报执法监督、矛盾纠纷化解和普法宣传的进展情况，逐项研究解决存在的问题，并将会议议定事项纳入督办台账跟踪落实。";
        let report = |town: &str, date: &str| {
            format!(
                "示例县{town}人民政府关于2024年法治政府建设情况的报告\n{}\n示例县{town}人民政府\n{date}\n",
                para.replace("河口镇", town)
            )
        };
        let clusters = fazhi_analyze::dups::near_duplicates(&[
            ("a.txt".into(), report("河口镇", "2025年1月20日")),
            ("b.txt".into(), report("白沙镇", "2025年1月10日")),
        ]);
        let mut wb = AnalysisWorkbook::new().unwrap();
        wb.add_clusters(&clusters).unwrap();
        let bytes = wb.finish().unwrap();
        let mut x: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        let sheet = x.worksheet_range(DUPS_SHEET).unwrap();
        assert_eq!(sheet.height(), 3);
        assert_eq!(sheet.get((1, 3)), Some(&Data::String("a.txt".into())));
        assert_eq!(sheet.get((2, 7)), Some(&Data::String("可能的来源".into())));
        assert_eq!(
            sheet.get((1, 9)),
            Some(&Data::String("删名称「白沙」 增名称「河口」".into()))
        );
    }
}
