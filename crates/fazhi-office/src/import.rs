//! Reading a township's legacy ledger (台账) from XLSX: the first sheet with data, its
//! header row (found below any title rows) and the rows under it as cells. Dates come
//! back as dates whether Excel stored them as serial numbers or people typed them as
//! text (2025-3-4, 2025/03/04, 2025.3.4, 2025年3月4日, 20250304).

use std::io::Cursor;

use calamine::{Data, Range, Reader, Xlsx, open_workbook_from_rs};
use time::{Date, Duration, Month};

/// Most data rows read from one sheet; larger ledgers are split by year.
pub const MAX_ROWS: usize = 20_000;
/// Rows searched for the header row (title rows above it are skipped).
const HEADER_SEARCH: usize = 10;

/// One cell of the ledger.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Date(Date),
}

impl Cell {
    /// The cell as text: whole numbers without ".0", dates as `YYYY-MM-DD`.
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.clone(),
            Cell::Number(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
            Cell::Number(f) => f.to_string(),
            Cell::Date(d) => d.to_string(),
        }
    }

    /// Whether the cell holds nothing (or only spaces).
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as a date: a date cell, an Excel serial day number, or text in one of
    /// the usual spellings (a time after the date is ignored).
    pub fn date(&self) -> Option<Date> {
        match self {
            Cell::Date(d) => Some(*d),
            // Serial days between 1950 and 2150; smaller numbers are not dates.
            Cell::Number(f) if (18_264.0..91_000.0).contains(f) => serial_date(*f),
            Cell::Text(s) => parse_date_text(s),
            _ => None,
        }
    }
}

/// An Excel serial day number (1900 system) as a date.
pub fn serial_date(serial: f64) -> Option<Date> {
    // Day 0 is 1899-12-30 once the fictitious 1900-02-29 is accounted for.
    let base = Date::from_calendar_date(1899, Month::December, 30).ok()?;
    base.checked_add(Duration::days(serial.floor() as i64))
}

/// Parses a date typed as text: `2025-3-4`, `2025/03/04`, `2025.3.4`, `2025年3月4日`,
/// `20250304`, optionally followed by a time.
pub fn parse_date_text(s: &str) -> Option<Date> {
    let s: String = s
        .trim()
        .chars()
        .map(|c| match c {
            // Full-width digits from Chinese input methods.
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            c => c,
        })
        .collect();
    let date_part = s.split([' ', 'T', '\u{3000}']).next().unwrap_or("");
    let (y, m, d) = if date_part.len() == 8 && date_part.bytes().all(|b| b.is_ascii_digit()) {
        (
            date_part[..4].parse().ok()?,
            date_part[4..6].parse().ok()?,
            date_part[6..].parse().ok()?,
        )
    } else {
        let parts: Vec<&str> = date_part
            .split(['-', '/', '.', '年', '月', '日'])
            .filter(|p| !p.is_empty())
            .collect();
        if parts.len() != 3 || !parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit())) {
            return None;
        }
        (
            parts[0].parse().ok()?,
            parts[1].parse().ok()?,
            parts[2].parse().ok()?,
        )
    };
    let y: i32 = y;
    if !(1900..=2200).contains(&y) {
        return None;
    }
    let m: u8 = m;
    let d: u8 = d;
    Date::from_calendar_date(y, Month::try_from(m).ok()?, d).ok()
}

/// One data row with its row number as Excel shows it (1-based).
#[derive(Debug, Clone, PartialEq)]
pub struct SheetRow {
    pub row: usize,
    pub cells: Vec<Cell>,
}

impl SheetRow {
    /// The cell in column `i`, empty past the end.
    pub fn cell(&self, i: usize) -> &Cell {
        self.cells.get(i).unwrap_or(&Cell::Empty)
    }
}

/// A ledger sheet: its headers and the rows under them (blank rows left out).
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    pub name: String,
    /// Row number of the header row (1-based).
    pub header_row: usize,
    /// Header texts, one per column; may be empty for unnamed columns.
    pub headers: Vec<String>,
    pub rows: Vec<SheetRow>,
}

impl Sheet {
    /// Rough heap size, for memory budgets of caches.
    pub fn approx_bytes(&self) -> usize {
        let cells: usize = self
            .rows
            .iter()
            .flat_map(|r| &r.cells)
            .map(|c| match c {
                Cell::Text(s) => 32 + s.len(),
                _ => 32,
            })
            .sum();
        cells + self.headers.iter().map(|h| 24 + h.len()).sum::<usize>()
    }
}

fn cell_of(d: &Data) -> Cell {
    match d {
        Data::Empty => Cell::Empty,
        Data::String(s) => {
            let s = s.trim();
            if s.is_empty() {
                Cell::Empty
            } else {
                Cell::Text(s.to_string())
            }
        }
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Text(if *b { "是" } else { "否" }.into()),
        Data::DateTime(dt) => {
            serial_date(dt.as_f64()).map_or(Cell::Number(dt.as_f64()), Cell::Date)
        }
        Data::DateTimeIso(s) => {
            parse_date_text(s).map_or_else(|| Cell::Text(s.clone()), Cell::Date)
        }
        Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(_) => Cell::Empty,
    }
}

/// Whether a row looks like a header row: at least three non-empty cells, all text.
fn is_header(cells: &[Cell]) -> bool {
    let filled: Vec<&Cell> = cells.iter().filter(|c| !c.is_empty()).collect();
    filled.len() >= 3 && filled.iter().all(|c| matches!(c, Cell::Text(_)))
}

/// Widest sheet read: ledgers have a few dozen columns.
pub const MAX_COLS: u32 = 64;

/// Reads one sheet cell by cell, refusing positions beyond the row and column limits
/// before anything is laid out: a sheet is stored densely from its first to its last
/// cell, so two cells at A1 and XFD1048576 in a 2 KB file would otherwise ask for
/// hundreds of gigabytes.
fn bounded_range(wb: &mut Xlsx<Cursor<&[u8]>>, name: &str) -> Result<Range<Data>, String> {
    let unreadable = |_| format!("无法读取工作表“{name}”，请另存为.xlsx后再上传");
    let mut reader = wb.worksheet_cells_reader(name).map_err(unreadable)?;
    let mut cells = Vec::new();
    while let Some(c) = reader.next_cell().map_err(unreadable)? {
        let (row, col) = c.get_position();
        if col >= MAX_COLS {
            return Err(format!(
                "工作表“{name}”超过{MAX_COLS}列，请删除多余的列后再导入"
            ));
        }
        if row as usize > MAX_ROWS + HEADER_SEARCH {
            return Err(format!(
                "工作表“{name}”超过{MAX_ROWS}行，请按年度拆分后分别导入"
            ));
        }
        cells.push(calamine::Cell::new(
            (row, col),
            Data::from(c.get_value().clone()),
        ));
    }
    Ok(Range::from_sparse(cells))
}

/// The user's message for a workbook refused by `fazhi_analyze::bounded::check_zip`.
pub(crate) fn zip_message(e: &fazhi_analyze::Error) -> String {
    match e {
        fazhi_analyze::Error::TooLarge(_) => {
            "工作簿解压后过大（可能是异常文件），请删除多余内容或分成几个文件后再上传".into()
        }
        _ => "文件不是有效的XLSX工作簿（请另存为.xlsx后再上传）".into(),
    }
}

/// Reads the first sheet that has a header row. Errors are in Chinese, for the user.
/// The workbook's parts are unpacked within `XLSX_LIMITS` first: a crafted file that
/// expands to gigabytes is refused before calamine reads it.
pub fn read(bytes: &[u8]) -> Result<Sheet, String> {
    fazhi_analyze::bounded::check_zip(bytes, fazhi_analyze::bounded::XLSX_LIMITS)
        .map_err(|e| zip_message(&e))?;
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|_| "文件不是有效的XLSX工作簿（请另存为.xlsx后再上传）".to_string())?;
    for name in wb.sheet_names() {
        let range = bounded_range(&mut wb, &name)?;
        let (top, left) = range.start().unwrap_or((0, 0));
        let mut rows = range.rows().enumerate();
        let mut header = None;
        for (i, row) in rows.by_ref().take(HEADER_SEARCH) {
            let cells: Vec<Cell> = row.iter().map(cell_of).collect();
            if is_header(&cells) {
                header = Some((i, cells));
                break;
            }
        }
        let Some((hi, hcells)) = header else { continue };
        let pad = left as usize;
        let mut headers: Vec<String> = vec![String::new(); pad];
        headers.extend(hcells.iter().map(|c| c.text().split_whitespace().collect()));
        let mut sheet = Sheet {
            name,
            header_row: top as usize + hi + 1,
            headers,
            rows: Vec::new(),
        };
        for (i, row) in rows {
            let mut cells = vec![Cell::Empty; pad];
            cells.extend(row.iter().map(cell_of));
            if cells.iter().all(Cell::is_empty) {
                continue;
            }
            if sheet.rows.len() == MAX_ROWS {
                return Err(format!(
                    "工作表“{}”超过{MAX_ROWS}行，请按年度拆分后分别导入",
                    sheet.name
                ));
            }
            while cells.last().is_some_and(Cell::is_empty) {
                cells.pop();
            }
            sheet.rows.push(SheetRow {
                row: top as usize + i + 1,
                cells,
            });
        }
        return Ok(sheet);
    }
    Err("工作簿中没有找到表头行（表头应为一行中至少三个列名，如“登记日期”“当事人”“事由”）".into())
}

#[cfg(test)]
mod tests {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    use time::macros::date;

    use super::*;

    /// A workbook whose sheet unpacks to 300 MB of zeros from a few hundred KB: it is
    /// refused before calamine reads it (the sheet alone would have taken gigabytes).
    #[test]
    fn a_workbook_bomb_is_refused() {
        use std::io::Write;
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        w.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
        let chunk = vec![b' '; 1 << 20];
        for _ in 0..300 {
            w.write_all(&chunk).unwrap();
        }
        let bomb = w.finish().unwrap().into_inner();
        assert!(bomb.len() < 2 << 20);
        let e = read(&bomb).unwrap_err();
        assert!(e.contains("解压后过大"), "{e}");
        let e = crate::org::read(&bomb).unwrap_err();
        assert!(e[0].message.contains("解压后过大"), "{:?}", e[0].message);
    }

    #[test]
    fn text_dates_in_the_usual_spellings() {
        for s in [
            "2025-3-4",
            "2025/03/04",
            "2025.3.4",
            "2025年3月4日",
            "２０２５年３月４日",
            "20250304",
            "2025-03-04 10:30:00",
        ] {
            assert_eq!(parse_date_text(s), Some(date!(2025 - 03 - 04)), "{s}");
        }
        for s in [
            "2025-2-30",
            "3月4日",
            "2025",
            "明天",
            "1800-01-01",
            "2025-3",
        ] {
            assert_eq!(parse_date_text(s), None, "{s}");
        }
        assert_eq!(serial_date(46067.0), Some(date!(2026 - 02 - 14)));
        assert_eq!(Cell::Number(46067.0).date(), Some(date!(2026 - 02 - 14)));
        assert_eq!(Cell::Number(12.0).date(), None);
        assert_eq!(Cell::Number(3.0).text(), "3");
    }

    #[test]
    fn far_apart_cells_are_refused_before_any_layout() {
        // Two cells at the opposite corners: laid out densely, 17 billion cells.
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        for (c, h) in ["编号", "日期", "事由"].iter().enumerate() {
            ws.write_string(0, c as u16, *h).unwrap();
        }
        ws.write_string(1_048_575, 16_383, "x").unwrap();
        let e = read(&wb.save_to_buffer().unwrap()).unwrap_err();
        assert!(e.contains("列"), "{e}");
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        for (c, h) in ["编号", "日期", "事由"].iter().enumerate() {
            ws.write_string(0, c as u16, *h).unwrap();
        }
        ws.write_string(1_048_575, 1, "x").unwrap();
        let e = read(&wb.save_to_buffer().unwrap()).unwrap_err();
        assert!(e.contains("超过20000行"), "{e}");
    }

    #[test]
    fn reads_header_below_a_title_and_dates_of_both_kinds() {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet().set_name("台账").unwrap();
        let df = Format::new().set_num_format("yyyy-mm-dd");
        ws.write_string(0, 0, "青石镇矛盾纠纷排查化解台账").unwrap();
        for (c, h) in ["序号", "登记日期", "当事人", "身份证号"]
            .iter()
            .enumerate()
        {
            ws.write_string(1, c as u16, *h).unwrap();
        }
        ws.write_number(2, 0, 1).unwrap();
        ws.write_datetime_with_format(2, 1, ExcelDateTime::from_ymd(2025, 3, 4).unwrap(), &df)
            .unwrap();
        ws.write_string(2, 2, " 张三 ").unwrap();
        ws.write_string(2, 3, "510105198001011234").unwrap();
        // A blank row, then a text date.
        ws.write_number(4, 0, 2).unwrap();
        ws.write_string(4, 1, "2025年3月5日").unwrap();
        ws.write_string(4, 2, "李四").unwrap();
        let bytes = wb.save_to_buffer().unwrap();
        let s = read(&bytes).unwrap();
        assert_eq!(s.name, "台账");
        assert_eq!(s.header_row, 2);
        assert_eq!(s.headers, ["序号", "登记日期", "当事人", "身份证号"]);
        assert_eq!(s.rows.len(), 2);
        assert_eq!(s.rows[0].row, 3);
        assert_eq!(s.rows[0].cell(1).date(), Some(date!(2025 - 03 - 04)));
        assert_eq!(s.rows[0].cell(2).text(), "张三");
        assert_eq!(s.rows[0].cell(3).text(), "510105198001011234");
        assert_eq!(s.rows[1].row, 5);
        assert_eq!(s.rows[1].cell(0).text(), "2");
        assert_eq!(s.rows[1].cell(1).date(), Some(date!(2025 - 03 - 05)));
        assert!(s.rows[1].cell(9).is_empty());
    }

    #[test]
    fn refuses_what_is_not_a_ledger() {
        assert!(read(b"not a workbook").is_err());
        let mut wb = Workbook::new();
        wb.add_worksheet().write_string(0, 0, "只有标题").unwrap();
        let e = read(&wb.save_to_buffer().unwrap()).unwrap_err();
        assert!(e.contains("表头"), "{e}");
    }
}
