//! The matter ledger (台账) as an XLSX workbook, the way townships keep it: one row per
//! matter, Chinese headers, dates as real Excel dates, personal data as the caller
//! may see it (masked unless revealed).

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};

/// One matter as a ledger row; labels already in Chinese.
#[derive(Debug, Clone, Default)]
pub struct LedgerRow {
    pub tracking_code: String,
    /// `YYYY-MM-DD`.
    pub received_on: String,
    pub kind: String,
    pub channel: String,
    pub category: String,
    pub place: String,
    pub grid: String,
    pub summary: String,
    /// Names with roles, e.g. 张三（申请人）、李四（被申请人）.
    pub parties: String,
    /// ID numbers, masked unless the user may see them.
    pub id_numbers: String,
    pub phones: String,
    pub status: String,
    pub assignee: String,
    pub handling_due: Option<String>,
    pub closed_on: Option<String>,
    pub closure: String,
    /// 是 / 否 / empty.
    pub resolved: String,
    pub outcome: String,
    pub satisfaction: String,
    /// 查询码 of the matter this one repeats.
    pub repeat_of: String,
    pub overdue: bool,
}

/// Column headers, in order.
pub const HEADERS: [&str; 22] = [
    "序号",
    "查询码",
    "收到日期",
    "类型",
    "来源渠道",
    "类别",
    "发生地",
    "网格",
    "事项摘要",
    "当事人",
    "身份证号",
    "联系电话",
    "状态",
    "承办单位",
    "办理期限",
    "办结日期",
    "办结类型",
    "是否化解",
    "调解结果",
    "回访评价",
    "重复信访（原事项）",
    "是否超期",
];

fn date(s: &str) -> Option<ExcelDateTime> {
    let mut it = s.split('-').map(|p| p.parse::<u16>().ok());
    let (y, m, d) = (it.next()??, it.next()??, it.next()??);
    ExcelDateTime::from_ymd(y, u8::try_from(m).ok()?, u8::try_from(d).ok()?).ok()
}

/// Writes the ledger with a title row above the headers.
pub fn write(title: &str, rows: &[LedgerRow]) -> Result<Vec<u8>, String> {
    write_inner(title, rows).map_err(|e| e.to_string())
}

fn write_inner(title: &str, rows: &[LedgerRow]) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold().set_text_wrap();
    let title_fmt = Format::new().set_bold().set_font_size(14);
    let date_fmt = Format::new().set_num_format("yyyy-mm-dd");
    let text = Format::new().set_num_format("@");
    let wrap = Format::new().set_text_wrap();
    let ws = wb.add_worksheet().set_name("事项台账")?;
    ws.write_string_with_format(0, 0, title, &title_fmt)?;
    for (c, h) in HEADERS.iter().enumerate() {
        ws.write_string_with_format(1, c as u16, *h, &bold)?;
    }
    let widths = [
        6, 12, 11, 9, 10, 10, 12, 9, 40, 24, 20, 14, 9, 16, 11, 11, 10, 8, 10, 9, 14, 8,
    ];
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    for (i, m) in rows.iter().enumerate() {
        let r = (i + 2) as u32;
        ws.write_number(r, 0, (i + 1) as f64)?;
        ws.write_string_with_format(r, 1, &m.tracking_code, &text)?;
        match date(&m.received_on) {
            Some(d) => ws.write_datetime_with_format(r, 2, d, &date_fmt)?,
            None => ws.write_string(r, 2, &m.received_on)?,
        };
        let texts = [
            (3, &m.kind),
            (4, &m.channel),
            (5, &m.category),
            (6, &m.place),
            (7, &m.grid),
            (12, &m.status),
            (13, &m.assignee),
            (16, &m.closure),
            (17, &m.resolved),
            (18, &m.outcome),
            (19, &m.satisfaction),
        ];
        for (c, v) in texts {
            ws.write_string(r, c, v)?;
        }
        ws.write_string_with_format(r, 8, &m.summary, &wrap)?;
        ws.write_string_with_format(r, 9, &m.parties, &wrap)?;
        // As text, so Excel never turns an ID number into 5.1E+17.
        ws.write_string_with_format(r, 10, &m.id_numbers, &text)?;
        ws.write_string_with_format(r, 11, &m.phones, &text)?;
        for (c, v) in [(14u16, &m.handling_due), (15, &m.closed_on)] {
            if let Some(d) = v.as_deref().and_then(date) {
                ws.write_datetime_with_format(r, c, d, &date_fmt)?;
            }
        }
        ws.write_string_with_format(r, 20, &m.repeat_of, &text)?;
        ws.write_string(r, 21, if m.overdue { "是" } else { "否" })?;
    }
    ws.set_freeze_panes(2, 2)?;
    if !rows.is_empty() {
        ws.autofilter(1, 0, rows.len() as u32 + 1, (HEADERS.len() - 1) as u16)?;
    }
    wb.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};

    use super::*;

    #[test]
    fn ledger_opens_with_dates_and_text_ids() {
        let row = LedgerRow {
            tracking_code: "23456789AC".into(),
            received_on: "2026-02-14".into(),
            kind: "矛盾纠纷".into(),
            summary: "邻里纠纷".into(),
            id_numbers: "510105198001011234".into(),
            closed_on: Some("2026-03-01".into()),
            overdue: true,
            ..LedgerRow::default()
        };
        let bytes = write("青石镇事项台账", &[row]).unwrap();
        let mut wb: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        let range = wb.worksheet_range("事项台账").unwrap();
        assert_eq!(
            range.get_value((1, 2)),
            Some(&Data::String("收到日期".into()))
        );
        match range.get_value((2, 2)) {
            // 46067 is 2026-02-14 as an Excel serial day number.
            Some(Data::DateTime(d)) => assert_eq!(d.as_f64(), 46067.0),
            other => panic!("received_on is not a date: {other:?}"),
        }
        assert_eq!(
            range.get_value((2, 10)),
            Some(&Data::String("510105198001011234".into()))
        );
        assert_eq!(range.get_value((2, 21)), Some(&Data::String("是".into())));
    }
}
