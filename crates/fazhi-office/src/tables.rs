//! A workbook of plain tables: a title row, a header row, then rows of text and
//! numbers. For statistics exports (e.g. the enforcement 统计年报).

use rust_xlsxwriter::{Format, Workbook};

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }
}
impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}
impl From<i64> for Cell {
    fn from(n: i64) -> Cell {
        Cell::Number(n as f64)
    }
}
impl From<f64> for Cell {
    fn from(n: f64) -> Cell {
        Cell::Number(n)
    }
}

/// One sheet.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub name: String,
    pub title: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// Writes the tables, one sheet each.
pub fn write(tables: &[Table]) -> Result<Vec<u8>, String> {
    let e = |x: rust_xlsxwriter::XlsxError| x.to_string();
    let mut wb = Workbook::new();
    let title = Format::new().set_bold().set_font_size(14);
    let bold = Format::new().set_bold();
    for t in tables {
        let ws = wb.add_worksheet().set_name(&t.name).map_err(e)?;
        ws.write_string_with_format(0, 0, &t.title, &title)
            .map_err(e)?;
        for (c, h) in t.headers.iter().enumerate() {
            ws.write_string_with_format(1, c as u16, h, &bold)
                .map_err(e)?;
            ws.set_column_width(c as u16, if c == 0 { 36 } else { 14 })
                .map_err(e)?;
        }
        for (r, row) in t.rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = ((r + 2) as u32, c as u16);
                match cell {
                    Cell::Text(s) => ws.write_string(r, c, s).map_err(e)?,
                    Cell::Number(n) => ws.write_number(r, c, *n).map_err(e)?,
                };
            }
        }
    }
    wb.save_to_buffer().map_err(e)
}
