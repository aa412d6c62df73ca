//! Reading and writing the calendar text (TOML, one holiday block per line).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Deserialize;
use time::{Date, Month, Weekday};
use toml::Spanned;

use super::{Calendar, Holiday, YearSchedule};

/// Longest holiday block accepted; longer ones are almost certainly typos.
const MAX_BLOCK_DAYS: i64 = 31;

/// Header written before the data; explains the format to the admin who edits it.
const HEADER: &str = "\
# 法定节假日与调休上班日（依据国务院办公厅每年发布的部分节假日安排通知）。
# 每年一段 [[year]]：year 年份；source 通知来源；holidays 每个假期一行：
#   name 假期名称；from、to 放假起止日期（含首尾，期间每天都是休息日，单日假期可省略 to）；
#   workdays 调休上班日（只能是周六或周日，这些日子算工作日）。
# 未列出的日期：周一至周五为工作日，周六、周日为休息日。日期格式：YYYY-MM-DD。
# 每年12月1日后若缺少下一年数据，系统会提醒管理员补充。
";

/// Why calendar text was refused; the message is shown to the admin as is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("日历数据第{line}行：{message}")]
pub struct CalendarError {
    /// 1-based line of the problem (0 if unknown).
    pub line: usize,
    /// The field concerned, e.g. `holidays.from`, if any.
    pub field: Option<&'static str>,
    /// What is wrong, in Chinese.
    pub message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileRepr {
    #[serde(default)]
    year: Vec<Spanned<YearRepr>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct YearRepr {
    year: Spanned<i64>,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    holidays: Vec<Spanned<HolidayRepr>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HolidayRepr {
    name: Spanned<String>,
    from: Spanned<String>,
    #[serde(default)]
    to: Option<Spanned<String>>,
    #[serde(default)]
    workdays: Vec<Spanned<String>>,
}

/// Maps byte offsets to 1-based line numbers.
struct Lines<'a>(&'a str);

impl Lines<'_> {
    fn at(&self, offset: usize) -> usize {
        let end = offset.min(self.0.len());
        self.0.as_bytes()[..end]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1
    }

    fn err<T>(&self, span: &Spanned<T>, field: &'static str, message: String) -> CalendarError {
        CalendarError {
            line: self.at(span.span().start),
            field: Some(field),
            message: format!("{field}：{message}"),
        }
    }
}

pub(super) fn parse(text: &str) -> Result<Calendar, CalendarError> {
    let lines = Lines(text);
    let repr: FileRepr = toml::from_str(text).map_err(|e| CalendarError {
        line: e.span().map(|s| lines.at(s.start)).unwrap_or(0),
        field: None,
        message: syntax_message(e.message().trim()),
    })?;
    let mut years = BTreeMap::new();
    for y in repr.year {
        let y = y.into_inner();
        let year = *y.year.get_ref();
        let year = match i32::try_from(year) {
            Ok(v) if (2000..=2100).contains(&v) => v,
            _ => {
                return Err(lines.err(&y.year, "year", format!("年份 {year} 不在2000至2100之间")));
            }
        };
        if years.contains_key(&year) {
            return Err(lines.err(&y.year, "year", format!("{year}年重复出现")));
        }
        let mut holidays = Vec::new();
        for h in &y.holidays {
            holidays.push(holiday(&lines, year, h.get_ref())?);
        }
        check_conflicts(&lines, &y.holidays, &holidays)?;
        let source = y
            .source
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty());
        years.insert(
            year,
            YearSchedule {
                year,
                source,
                holidays,
            },
        );
    }
    Ok(Calendar::from_schedules(years))
}

/// Puts the parser's (English) message into a Chinese sentence that says what to check.
fn syntax_message(detail: &str) -> String {
    let what = if detail.starts_with("unknown field") {
        "字段名不正确"
    } else if detail.starts_with("missing field") {
        "缺少必填字段"
    } else if detail.starts_with("invalid type") {
        "取值类型不正确（年份为数字，日期和名称须加引号）"
    } else {
        "格式错误，请检查引号、括号和逗号"
    };
    format!("{what}（{detail}）")
}

fn holiday(lines: &Lines<'_>, year: i32, h: &HolidayRepr) -> Result<Holiday, CalendarError> {
    let name = h.name.get_ref().trim().to_string();
    if name.is_empty() {
        return Err(lines.err(&h.name, "holidays.name", "假期名称不能为空".into()));
    }
    let from = date_in_year(lines, year, &h.from, "holidays.from")?;
    let to = match &h.to {
        Some(t) => date_in_year(lines, year, t, "holidays.to")?,
        None => from,
    };
    let span = h.to.as_ref().unwrap_or(&h.from);
    if to < from {
        return Err(lines.err(span, "holidays.to", format!("{name}的结束日期早于开始日期")));
    }
    if (to - from).whole_days() >= MAX_BLOCK_DAYS {
        return Err(lines.err(
            span,
            "holidays.to",
            format!("{name}放假超过{MAX_BLOCK_DAYS}天，请检查日期"),
        ));
    }
    let mut workdays = Vec::new();
    for w in &h.workdays {
        let d = date_in_year(lines, year, w, "holidays.workdays")?;
        if !matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday) {
            return Err(lines.err(
                w,
                "holidays.workdays",
                format!(
                    "调休上班日 {d} 是{}，应为周六或周日",
                    weekday_zh(d.weekday())
                ),
            ));
        }
        workdays.push(d);
    }
    Ok(Holiday {
        name,
        from,
        to,
        workdays,
    })
}

/// A make-up workday must not fall inside any rest block of the same year.
fn check_conflicts(
    lines: &Lines<'_>,
    reprs: &[Spanned<HolidayRepr>],
    holidays: &[Holiday],
) -> Result<(), CalendarError> {
    for (repr, h) in reprs.iter().zip(holidays) {
        for (w_repr, w) in repr.get_ref().workdays.iter().zip(&h.workdays) {
            if let Some(block) = holidays.iter().find(|b| b.from <= *w && *w <= b.to) {
                return Err(lines.err(
                    w_repr,
                    "holidays.workdays",
                    format!("调休上班日 {w} 落在{}放假期间内", block.name),
                ));
            }
        }
    }
    Ok(())
}

/// Parses a `YYYY-MM-DD` date (one-digit month/day accepted) within reach of `year`.
///
/// A notice may reach into the neighbouring month (e.g. 元旦 starting on 30 December).
fn date_in_year(
    lines: &Lines<'_>,
    year: i32,
    raw: &Spanned<String>,
    field: &'static str,
) -> Result<Date, CalendarError> {
    let s = raw.get_ref().trim();
    let d = parse_date(s).ok_or_else(|| {
        lines.err(
            raw,
            field,
            format!("日期「{s}」无效，应为 YYYY-MM-DD，如 {year}-10-01"),
        )
    })?;
    let ok = d.year() == year
        || (d.year() == year - 1 && d.month() == Month::December)
        || (d.year() == year + 1 && d.month() == Month::January);
    if !ok {
        return Err(lines.err(raw, field, format!("日期 {d} 不属于{year}年的安排")));
    }
    Ok(d)
}

/// Parses `YYYY-M-D` leniently; `None` if it is not a real date.
pub(crate) fn parse_date(s: &str) -> Option<Date> {
    let mut parts = s.split('-');
    let y: i32 = parts.next()?.trim().parse().ok()?;
    let m: u8 = parts.next()?.trim().parse().ok()?;
    let d: u8 = parts.next()?.trim().parse().ok()?;
    if parts.next().is_some() {
        return None;
    }
    Date::from_calendar_date(y, Month::try_from(m).ok()?, d).ok()
}

fn weekday_zh(w: Weekday) -> &'static str {
    match w {
        Weekday::Monday => "周一",
        Weekday::Tuesday => "周二",
        Weekday::Wednesday => "周三",
        Weekday::Thursday => "周四",
        Weekday::Friday => "周五",
        Weekday::Saturday => "周六",
        Weekday::Sunday => "周日",
    }
}

/// Quotes a TOML basic string.
fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

pub(super) fn write(cal: &Calendar) -> String {
    let mut out = String::from(HEADER);
    for y in cal.schedules() {
        let _ = write!(out, "\n[[year]]\nyear = {}\n", y.year);
        if let Some(src) = &y.source {
            let _ = writeln!(out, "source = {}", quote(src));
        }
        out.push_str("holidays = [\n");
        for h in &y.holidays {
            let _ = write!(out, "  {{ name = {}, from = \"{}\"", quote(&h.name), h.from);
            if h.to != h.from {
                let _ = write!(out, ", to = \"{}\"", h.to);
            }
            if !h.workdays.is_empty() {
                let days: Vec<String> = h.workdays.iter().map(|d| format!("\"{d}\"")).collect();
                let _ = write!(out, ", workdays = [{}]", days.join(", "));
            }
            out.push_str(" },\n");
        }
        out.push_str("]\n");
    }
    out
}

/// Days in a holiday block (used by tests and the admin page).
impl Holiday {
    /// Number of rest days in the block.
    pub fn rest_days(&self) -> i64 {
        (self.to - self.from).whole_days() + 1
    }

    /// Whether `date` is inside the rest block.
    pub fn contains(&self, date: Date) -> bool {
        self.from <= date && date <= self.to
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lenient_dates() {
        assert_eq!(
            parse_date("2026-2-5"),
            Date::from_calendar_date(2026, Month::February, 5).ok()
        );
        assert_eq!(parse_date("2026-02-30"), None);
        assert_eq!(parse_date("2026/02/03"), None);
    }

    #[test]
    fn quoting() {
        assert_eq!(quote("a\"b\\c"), "\"a\\\"b\\\\c\"");
    }
}
