//! The division/grid list as an XLSX workbook: a template to fill in, and its reader.
//!
//! Sheet 「区划」: 区划代码 | 名称 | 层级 | 上级代码.  Sheet 「网格」: 村社区代码 | 网格名称 | 户数.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use rust_xlsxwriter::{Format, Workbook};

/// Sheet and column names (the first row of each sheet).
pub const DIVISION_SHEET: &str = "区划";
pub const GRID_SHEET: &str = "网格";
const DIVISION_HEADERS: [&str; 4] = ["区划代码", "名称", "层级", "上级代码"];
const GRID_HEADERS: [&str; 3] = ["村社区代码", "网格名称", "户数"];

/// One division row as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DivisionLine {
    pub row: usize,
    pub code: String,
    pub name: String,
    pub level: String,
    pub parent_code: Option<String>,
}

/// One grid row as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GridLine {
    pub row: usize,
    pub village_code: String,
    pub name: String,
    pub households: Option<i64>,
}

/// A problem in one row, with the row number as Excel shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub sheet: &'static str,
    pub row: usize,
    pub message: String,
}

/// Everything read from the workbook.
#[derive(Debug, Clone, Default)]
pub struct OrgList {
    pub divisions: Vec<DivisionLine>,
    pub grids: Vec<GridLine>,
}

/// Writes the empty template with its header rows.
pub fn template() -> Result<Vec<u8>, String> {
    write(&OrgList::default())
}

/// Writes a workbook holding `list` (used for the template and for tests).
pub fn write(list: &OrgList) -> Result<Vec<u8>, String> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let text = Format::new().set_num_format("@");
    let ws = wb
        .add_worksheet()
        .set_name(DIVISION_SHEET)
        .map_err(|e| e.to_string())?;
    for (c, h) in DIVISION_HEADERS.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)
            .map_err(|e| e.to_string())?;
    }
    ws.set_column_width(0, 16).map_err(|e| e.to_string())?;
    ws.set_column_width(1, 20).map_err(|e| e.to_string())?;
    ws.set_column_width(3, 16).map_err(|e| e.to_string())?;
    for (i, d) in list.divisions.iter().enumerate() {
        let r = (i + 1) as u32;
        ws.write_string_with_format(r, 0, &d.code, &text)
            .map_err(|e| e.to_string())?;
        ws.write_string(r, 1, &d.name).map_err(|e| e.to_string())?;
        ws.write_string(r, 2, &d.level).map_err(|e| e.to_string())?;
        if let Some(p) = &d.parent_code {
            ws.write_string_with_format(r, 3, p, &text)
                .map_err(|e| e.to_string())?;
        }
    }
    let ws = wb
        .add_worksheet()
        .set_name(GRID_SHEET)
        .map_err(|e| e.to_string())?;
    for (c, h) in GRID_HEADERS.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)
            .map_err(|e| e.to_string())?;
    }
    ws.set_column_width(0, 16).map_err(|e| e.to_string())?;
    for (i, g) in list.grids.iter().enumerate() {
        let r = (i + 1) as u32;
        ws.write_string_with_format(r, 0, &g.village_code, &text)
            .map_err(|e| e.to_string())?;
        ws.write_string(r, 1, &g.name).map_err(|e| e.to_string())?;
        if let Some(h) = g.households {
            ws.write_number(r, 2, h as f64).map_err(|e| e.to_string())?;
        }
    }
    wb.save_to_buffer().map_err(|e| e.to_string())
}

/// A cell as text; numbers typed into Excel come back as floats, so whole numbers lose ".0".
fn cell_text(d: Option<&Data>) -> String {
    match d {
        None | Some(Data::Empty) => String::new(),
        Some(Data::String(s)) => s.trim().to_string(),
        Some(Data::Int(i)) => i.to_string(),
        Some(Data::Float(f)) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Some(other) => other.to_string().trim().to_string(),
    }
}

/// Reads the workbook; returns every bad row with its reason rather than the first only.
pub fn read(bytes: &[u8]) -> Result<OrgList, Vec<RowError>> {
    let fail = |m: String| {
        vec![RowError {
            sheet: DIVISION_SHEET,
            row: 0,
            message: m,
        }]
    };
    fazhi_analyze::bounded::check_zip(bytes, fazhi_analyze::bounded::XLSX_LIMITS)
        .map_err(|e| fail(crate::import::zip_message(&e)))?;
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|_| fail("文件不是有效的XLSX工作簿".into()))?;
    let mut list = OrgList::default();
    let mut errors = Vec::new();
    let range = wb.worksheet_range(DIVISION_SHEET).map_err(|_| {
        fail(format!(
            "工作簿中没有名为“{DIVISION_SHEET}”的工作表，请使用下载的模板"
        ))
    })?;
    for (i, row) in range.rows().enumerate().skip(1) {
        let code = cell_text(row.first());
        let name = cell_text(row.get(1));
        let level = cell_text(row.get(2));
        let parent = cell_text(row.get(3));
        if code.is_empty() && name.is_empty() && level.is_empty() && parent.is_empty() {
            continue;
        }
        let mut bad = |m: String| {
            errors.push(RowError {
                sheet: DIVISION_SHEET,
                row: i + 1,
                message: m,
            })
        };
        if code.is_empty() || name.is_empty() || level.is_empty() {
            bad("区划代码、名称、层级均不能为空".into());
            continue;
        }
        list.divisions.push(DivisionLine {
            row: i + 1,
            code,
            name,
            level,
            parent_code: Some(parent).filter(|p| !p.is_empty()),
        });
    }
    if let Ok(range) = wb.worksheet_range(GRID_SHEET) {
        for (i, row) in range.rows().enumerate().skip(1) {
            let village = cell_text(row.first());
            let name = cell_text(row.get(1));
            let households = cell_text(row.get(2));
            if village.is_empty() && name.is_empty() && households.is_empty() {
                continue;
            }
            if village.is_empty() || name.is_empty() {
                errors.push(RowError {
                    sheet: GRID_SHEET,
                    row: i + 1,
                    message: "村社区代码和网格名称不能为空".into(),
                });
                continue;
            }
            let households = if households.is_empty() {
                None
            } else {
                match households.parse::<i64>() {
                    Ok(h) if h >= 0 => Some(h),
                    _ => {
                        errors.push(RowError {
                            sheet: GRID_SHEET,
                            row: i + 1,
                            message: format!("户数“{households}”不是非负整数"),
                        });
                        continue;
                    }
                }
            };
            list.grids.push(GridLine {
                row: i + 1,
                village_code: village,
                name,
                households,
            });
        }
    }
    if errors.is_empty() {
        Ok(list)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_workbook_reads_back() {
        let list = OrgList {
            divisions: vec![DivisionLine {
                row: 2,
                code: "500160101200".into(),
                name: "龙井村".into(),
                level: "村".into(),
                parent_code: Some("500160101000".into()),
            }],
            grids: vec![GridLine {
                row: 2,
                village_code: "500160101200".into(),
                name: "第一网格".into(),
                households: Some(120),
            }],
        };
        let bytes = write(&list).unwrap();
        let back = read(&bytes).unwrap();
        assert_eq!(back.divisions, list.divisions);
        assert_eq!(back.grids, list.grids);
    }

    #[test]
    fn bad_rows_are_all_reported() {
        let list = OrgList {
            divisions: vec![DivisionLine {
                row: 2,
                code: "".into(),
                name: "无代码".into(),
                level: "村".into(),
                parent_code: None,
            }],
            grids: vec![GridLine {
                row: 2,
                village_code: "".into(),
                name: "网格".into(),
                households: None,
            }],
        };
        let errors = read(&write(&list).unwrap()).unwrap_err();
        assert_eq!(errors.len(), 2);
        assert_eq!((errors[0].sheet, errors[0].row), (DIVISION_SHEET, 2));
        assert_eq!((errors[1].sheet, errors[1].row), (GRID_SHEET, 2));
        assert!(read(b"not a workbook").is_err());
    }
}
