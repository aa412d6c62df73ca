//! The enforcement item list (执法事项清单) as an XLSX workbook, out and in.
//!
//! Sheet 「执法事项」: one item a row. Sheet 「裁量基准」: one discretion step a row,
//! joined to its item by code. Codes and labels are both accepted when reading.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use fazhi_core::enforcement::money::{parse_yuan, yuan};
use fazhi_core::enforcement::{DiscretionStep, Grade, ItemSpec, PenaltyKind, PowerSource};
use rust_xlsxwriter::{Format, Workbook};

pub const ITEM_SHEET: &str = "执法事项";
pub const STEP_SHEET: &str = "裁量基准";
const ITEM_HEADERS: [&str; 11] = [
    "事项编码",
    "事项名称",
    "职权来源",
    "赋权（委托）文件",
    "违法依据",
    "处罚依据",
    "处罚种类",
    "罚款下限（元）",
    "罚款上限（元）",
    "适用听证",
    "列入法制审核目录",
];
const STEP_HEADERS: [&str; 5] = [
    "事项编码",
    "裁量等级",
    "适用情形",
    "罚款下限（元）",
    "罚款上限（元）",
];

/// A problem in one row, with the sheet and the row number as Excel shows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemRowError {
    pub sheet: &'static str,
    pub row: usize,
    pub message: String,
}

fn e(x: impl std::fmt::Display) -> String {
    x.to_string()
}

/// Writes the list (an empty list gives the template).
pub fn write(items: &[ItemSpec]) -> Result<Vec<u8>, String> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let text = Format::new().set_num_format("@");
    let ws = wb.add_worksheet().set_name(ITEM_SHEET).map_err(e)?;
    for (c, h) in ITEM_HEADERS.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)
            .map_err(e)?;
    }
    for (c, w) in [16, 40, 8, 30, 40, 40, 24, 12, 12, 8, 14]
        .iter()
        .enumerate()
    {
        ws.set_column_width(c as u16, *w).map_err(e)?;
    }
    for (i, it) in items.iter().enumerate() {
        let r = (i + 1) as u32;
        let kinds: Vec<&str> = it.penalty_kinds.iter().map(|k| k.label_zh()).collect();
        ws.write_string_with_format(r, 0, &it.code, &text)
            .map_err(e)?;
        ws.write_string(r, 1, &it.name).map_err(e)?;
        ws.write_string(r, 2, it.source.label_zh()).map_err(e)?;
        ws.write_string(r, 3, &it.deciding_document).map_err(e)?;
        ws.write_string(r, 4, &it.legal_basis).map_err(e)?;
        ws.write_string(r, 5, &it.penalty_basis).map_err(e)?;
        ws.write_string(r, 6, kinds.join("、")).map_err(e)?;
        ws.write_string(r, 7, yuan(it.fine_min_fen)).map_err(e)?;
        ws.write_string(r, 8, yuan(it.fine_max_fen)).map_err(e)?;
        ws.write_string(r, 9, if it.hearing_right { "是" } else { "否" })
            .map_err(e)?;
        ws.write_string(r, 10, if it.review_catalogue { "是" } else { "否" })
            .map_err(e)?;
    }
    let ws = wb.add_worksheet().set_name(STEP_SHEET).map_err(e)?;
    for (c, h) in STEP_HEADERS.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)
            .map_err(e)?;
    }
    ws.set_column_width(2, 50).map_err(e)?;
    let mut r = 1u32;
    for it in items {
        for s in &it.discretion {
            ws.write_string_with_format(r, 0, &it.code, &text)
                .map_err(e)?;
            ws.write_string(r, 1, s.grade.label_zh()).map_err(e)?;
            ws.write_string(r, 2, &s.circumstances).map_err(e)?;
            ws.write_string(r, 3, yuan(s.fine_min_fen)).map_err(e)?;
            ws.write_string(r, 4, yuan(s.fine_max_fen)).map_err(e)?;
            r += 1;
        }
    }
    wb.save_to_buffer().map_err(e)
}

fn cell(d: Option<&Data>) -> String {
    match d {
        None | Some(Data::Empty) => String::new(),
        Some(Data::String(s)) => s.trim().to_string(),
        Some(Data::Int(i)) => i.to_string(),
        Some(Data::Float(f)) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Some(other) => other.to_string().trim().to_string(),
    }
}

/// A value by its code or its Chinese label.
fn by_code_or_label<T: Copy>(
    all: &[T],
    v: &str,
    code: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> Option<T> {
    all.iter()
        .copied()
        .find(|x| code(*x) == v || label(*x) == v)
}

fn yes_no(v: &str) -> Result<bool, String> {
    match v {
        "是" | "Y" | "y" | "1" | "true" => Ok(true),
        "否" | "" | "N" | "n" | "0" | "false" => Ok(false),
        _ => Err(format!("「{v}」应填“是”或“否”")),
    }
}

fn money(v: &str) -> Result<i64, String> {
    if v.is_empty() { Ok(0) } else { parse_yuan(v) }
}

/// Reads the workbook; every bad row is reported, and nothing is returned unless all
/// rows are good (an import writes all items or none).
pub fn read(bytes: &[u8]) -> Result<Vec<ItemSpec>, Vec<ItemRowError>> {
    let fail = |m: String| {
        vec![ItemRowError {
            sheet: ITEM_SHEET,
            row: 0,
            message: m,
        }]
    };
    fazhi_analyze::bounded::check_zip(bytes, fazhi_analyze::bounded::XLSX_LIMITS)
        .map_err(|err| fail(crate::import::zip_message(&err)))?;
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|_| fail("文件不是有效的XLSX工作簿".into()))?;
    let range = wb.worksheet_range(ITEM_SHEET).map_err(|_| {
        fail(format!(
            "工作簿中没有名为“{ITEM_SHEET}”的工作表，请使用导出的清单或模板"
        ))
    })?;
    let mut items: Vec<(usize, ItemSpec)> = Vec::new();
    let mut errors = Vec::new();
    for (i, row) in range.rows().enumerate().skip(1) {
        let c: Vec<String> = (0..ITEM_HEADERS.len()).map(|k| cell(row.get(k))).collect();
        if c.iter().all(String::is_empty) {
            continue;
        }
        let n = i + 1;
        let parsed = (|| -> Result<ItemSpec, String> {
            let source = by_code_or_label(
                PowerSource::ALL,
                &c[2],
                PowerSource::as_str,
                PowerSource::label_zh,
            )
            .ok_or_else(|| format!("职权来源「{}」应为法定、赋权或委托", c[2]))?;
            let mut kinds = Vec::new();
            for k in c[6]
                .split(['、', ',', '，', ';', '；'])
                .map(str::trim)
                .filter(|k| !k.is_empty())
            {
                kinds.push(
                    by_code_or_label(
                        PenaltyKind::ALL,
                        k,
                        PenaltyKind::as_str,
                        PenaltyKind::label_zh,
                    )
                    .ok_or_else(|| format!("处罚种类「{k}」不是行政处罚法规定的种类"))?,
                );
            }
            let spec = ItemSpec {
                code: c[0].clone(),
                name: c[1].clone(),
                source,
                deciding_document: c[3].clone(),
                legal_basis: c[4].clone(),
                penalty_basis: c[5].clone(),
                penalty_kinds: kinds,
                fine_min_fen: money(&c[7]).map_err(|m| format!("罚款下限：{m}"))?,
                fine_max_fen: money(&c[8]).map_err(|m| format!("罚款上限：{m}"))?,
                discretion: vec![],
                hearing_right: yes_no(&c[9]).map_err(|m| format!("适用听证：{m}"))?,
                review_catalogue: yes_no(&c[10]).map_err(|m| format!("列入法制审核目录：{m}"))?,
            };
            Ok(spec)
        })();
        match parsed {
            Ok(s) if items.iter().any(|(_, x)| x.code == s.code) => errors.push(ItemRowError {
                sheet: ITEM_SHEET,
                row: n,
                message: format!("事项编码「{}」重复", s.code),
            }),
            Ok(s) => items.push((n, s)),
            Err(m) => errors.push(ItemRowError {
                sheet: ITEM_SHEET,
                row: n,
                message: m,
            }),
        }
    }
    if let Ok(range) = wb.worksheet_range(STEP_SHEET) {
        for (i, row) in range.rows().enumerate().skip(1) {
            let c: Vec<String> = (0..STEP_HEADERS.len()).map(|k| cell(row.get(k))).collect();
            if c.iter().all(String::is_empty) {
                continue;
            }
            let n = i + 1;
            let step = (|| -> Result<(String, DiscretionStep), String> {
                let grade = by_code_or_label(Grade::ALL, &c[1], Grade::as_str, Grade::label_zh)
                    .ok_or_else(|| {
                        format!(
                            "裁量等级「{}」应为不予处罚、减轻、从轻、一般或从重处罚",
                            c[1]
                        )
                    })?;
                Ok((
                    c[0].clone(),
                    DiscretionStep {
                        grade,
                        circumstances: c[2].clone(),
                        fine_min_fen: money(&c[3]).map_err(|m| format!("罚款下限：{m}"))?,
                        fine_max_fen: money(&c[4]).map_err(|m| format!("罚款上限：{m}"))?,
                    },
                ))
            })();
            match step {
                Ok((code, s)) => match items.iter_mut().find(|(_, x)| x.code == code) {
                    Some((_, it)) => it.discretion.push(s),
                    None => errors.push(ItemRowError {
                        sheet: STEP_SHEET,
                        row: n,
                        message: format!("事项编码「{code}」不在「{ITEM_SHEET}」表中"),
                    }),
                },
                Err(m) => errors.push(ItemRowError {
                    sheet: STEP_SHEET,
                    row: n,
                    message: m,
                }),
            }
        }
    }
    for (n, it) in &items {
        if let Err(m) = it.validate() {
            errors.push(ItemRowError {
                sheet: ITEM_SHEET,
                row: *n,
                message: m,
            });
        }
    }
    if items.is_empty() && errors.is_empty() {
        errors.push(ItemRowError {
            sheet: ITEM_SHEET,
            row: 0,
            message: "清单中没有事项".into(),
        });
    }
    if errors.is_empty() {
        Ok(items.into_iter().map(|(_, s)| s).collect())
    } else {
        errors.sort_by_key(|x| (x.sheet != ITEM_SHEET, x.row));
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> ItemSpec {
        ItemSpec {
            code: "QS-1".into(),
            name: "对占道经营的处罚".into(),
            source: PowerSource::Empowered,
            deciding_document: "省政府赋权决定".into(),
            legal_basis: "某条例第十条".into(),
            penalty_basis: "某条例第三十条".into(),
            penalty_kinds: vec![PenaltyKind::Warning, PenaltyKind::Fine],
            fine_min_fen: 0,
            fine_max_fen: 50_000,
            discretion: vec![DiscretionStep {
                grade: Grade::Lighter,
                circumstances: "初次且及时改正".into(),
                fine_min_fen: 0,
                fine_max_fen: 10_000,
            }],
            hearing_right: false,
            review_catalogue: true,
        }
    }

    #[test]
    fn the_list_round_trips_through_a_workbook() {
        let bytes = write(&[spec()]).unwrap();
        assert_eq!(read(&bytes).unwrap(), vec![spec()]);
    }

    #[test]
    fn every_bad_row_is_reported_and_nothing_is_returned() {
        let mut bad = spec();
        bad.code = "QS-2".into();
        bad.source = PowerSource::Entrusted;
        bad.deciding_document.clear();
        let bytes = write(&[spec(), bad, spec()]).unwrap();
        let errs = read(&bytes).unwrap_err();
        let rows: Vec<usize> = errs
            .iter()
            .filter(|x| x.sheet == ITEM_SHEET)
            .map(|x| x.row)
            .collect();
        assert_eq!(rows, vec![3, 4], "{errs:?}");
        assert!(errs.iter().any(|x| x.message.contains("重复")));
        assert!(errs.iter().any(|x| x.message.contains("委托")));
        assert!(read(b"not a workbook").is_err());
    }
}
