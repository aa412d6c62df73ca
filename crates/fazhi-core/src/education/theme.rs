//! The theme days of legal publicity (3·15, 4·15, 民法典宣传月, 6·5, 宪法宣传周, 12·4 …)
//! as a yearly table. Some dates move from year to year (宪法宣传周, 全民国防教育日), so
//! each year's table is data that the district edits; the built-in one is only the
//! starting point for a year nobody has edited (rules-2.md §6).

use serde::{Deserialize, Serialize};
use time::{Date, Month, Weekday};

/// One theme day or period of a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThemeDay {
    /// Stable key within the year (lowercase letters, digits, `_`), e.g. `constitution_day`.
    pub key: String,
    /// Chinese name, e.g. 国家宪法日.
    pub name: String,
    /// First day.
    pub starts_on: Date,
    /// Last day (the same as `starts_on` for a single day).
    pub ends_on: Date,
}

impl ThemeDay {
    /// Whether `d` falls within it.
    pub fn contains(&self, d: Date) -> bool {
        self.starts_on <= d && d <= self.ends_on
    }
}

fn day(year: i32, month: Month, d: u8) -> Date {
    Date::from_calendar_date(year, month, d).expect("a fixed calendar day exists every year")
}

/// The third Saturday of September (全民国防教育日; the date is unconfirmed, rules-2.md §6).
fn third_saturday_of_september(year: i32) -> Date {
    let first = day(year, Month::September, 1);
    let to_saturday = (7 + Weekday::Saturday.number_days_from_monday() as i64
        - first.weekday().number_days_from_monday() as i64)
        % 7;
    first + time::Duration::days(to_saturday + 14)
}

/// The built-in table of a year: the confirmed days of rules-2.md §6 and the common
/// unconfirmed ones (3·15, 6·26, 国防教育日), in calendar order.
pub fn default_theme_days(year: i32) -> Vec<ThemeDay> {
    let t = |key: &str, name: &str, from: Date, to: Date| ThemeDay {
        key: key.into(),
        name: name.into(),
        starts_on: from,
        ends_on: to,
    };
    let one = |key: &str, name: &str, m: Month, d: u8| {
        let at = day(year, m, d);
        t(key, name, at, at)
    };
    let defence = third_saturday_of_september(year);
    vec![
        one("consumer_rights", "3·15消费者权益日", Month::March, 15),
        one(
            "national_security",
            "4·15全民国家安全教育日",
            Month::April,
            15,
        ),
        t(
            "civil_code_month",
            "民法典宣传月",
            day(year, Month::May, 1),
            day(year, Month::May, 31),
        ),
        one("environment", "6·5环境日", Month::June, 5),
        one("anti_drug", "6·26国际禁毒日", Month::June, 26),
        t("national_defense", "全民国防教育日", defence, defence),
        t(
            "constitution_week",
            "宪法宣传周",
            day(year, Month::December, 1),
            day(year, Month::December, 7),
        ),
        one("constitution_day", "12·4国家宪法日", Month::December, 4),
    ]
}

/// The theme days of `table` that `d` falls in, the shortest first (12·4 before the
/// 宪法宣传周 around it): the first is the sensible default for an event on `d`.
pub fn themes_on(table: &[ThemeDay], d: Date) -> Vec<&ThemeDay> {
    let mut on: Vec<&ThemeDay> = table.iter().filter(|t| t.contains(d)).collect();
    on.sort_by_key(|t| (t.ends_on - t.starts_on, t.starts_on));
    on
}

/// The table as editable text: one line per day, `key 名称 开始日期 [结束日期]`.
pub fn theme_lines(table: &[ThemeDay]) -> String {
    let mut out = String::new();
    for t in table {
        out.push_str(&format!("{} {} {}", t.key, t.name, t.starts_on));
        if t.ends_on != t.starts_on {
            out.push_str(&format!(" {}", t.ends_on));
        }
        out.push('\n');
    }
    out
}

fn parse_day(s: &str) -> Option<Date> {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(s, &fmt).ok()
}

/// Reads the text of [`theme_lines`] for `year`; every bad line is named in Chinese.
pub fn parse_theme_lines(year: i32, text: &str) -> Result<Vec<ThemeDay>, Vec<String>> {
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let parts: Vec<&str> = line.split_whitespace().collect();
        match parts.len() {
            0 => continue,
            3 | 4 => rows.push((
                i + 1,
                [
                    parts[0],
                    parts[1],
                    parts[2],
                    parts.get(3).copied().unwrap_or(parts[2]),
                ],
            )),
            _ => errors.push(format!(
                "第{}行：格式应为“代码 名称 开始日期 [结束日期]”，以空格分隔",
                i + 1
            )),
        }
    }
    match check_theme_days(year, &rows) {
        Ok(days) if errors.is_empty() => Ok(days),
        Ok(_) => Err(errors),
        Err(more) => {
            errors.extend(more);
            Err(errors)
        }
    }
}

/// Checks a year's table given as (line or row number, [key, name, first day, last
/// day]); every bad row is named in Chinese. The result is in calendar order.
pub fn check_theme_days(
    year: i32,
    rows: &[(usize, [&str; 4])],
) -> Result<Vec<ThemeDay>, Vec<String>> {
    let mut days: Vec<ThemeDay> = Vec::new();
    let mut errors = Vec::new();
    for (n, [key, name, from, to]) in rows {
        let (key, name) = (key.trim(), name.trim());
        if key.is_empty()
            || key.len() > 32
            || !key
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            errors.push(format!(
                "第{n}行：代码“{key}”只能由小写英文字母、数字和下划线组成，不超过32个字符"
            ));
            continue;
        }
        if name.is_empty()
            || name.chars().count() > 30
            || crate::validate::no_control_chars("名称", name).is_err()
        {
            errors.push(format!("第{n}行：名称不能为空，且不能超过30个字符"));
            continue;
        }
        let (Some(from), Some(to)) = (parse_day(from.trim()), parse_day(to.trim())) else {
            errors.push(format!("第{n}行：日期格式须为YYYY-MM-DD"));
            continue;
        };
        if from.year() != year || to.year() != year {
            errors.push(format!("第{n}行：日期须在{year}年内"));
            continue;
        }
        if to < from {
            errors.push(format!("第{n}行：结束日期不能早于开始日期"));
            continue;
        }
        if days.iter().any(|d| d.key == key) {
            errors.push(format!("第{n}行：代码“{key}”重复"));
            continue;
        }
        days.push(ThemeDay {
            key: key.into(),
            name: name.into(),
            starts_on: from,
            ends_on: to,
        });
    }
    if days.len() > 100 {
        errors.push("一年最多100个主题日".into());
    }
    if errors.is_empty() {
        days.sort_by_key(|d| (d.starts_on, d.ends_on));
        Ok(days)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn defaults_and_lookup() {
        let t = default_theme_days(2026);
        assert_eq!(t.len(), 8);
        assert_eq!(third_saturday_of_september(2026), date!(2026 - 09 - 19));
        let on = themes_on(&t, date!(2026 - 12 - 04));
        assert_eq!(on[0].key, "constitution_day", "the day before the week");
        assert_eq!(on[1].key, "constitution_week");
        assert!(themes_on(&t, date!(2026 - 07 - 01)).is_empty());
        assert_eq!(
            themes_on(&t, date!(2026 - 05 - 20))[0].key,
            "civil_code_month"
        );
    }

    #[test]
    fn lines_round_trip_and_errors_name_the_line() {
        let t = default_theme_days(2026);
        assert_eq!(parse_theme_lines(2026, &theme_lines(&t)).unwrap().len(), 8);
        let e = parse_theme_lines(2026, "a 甲 2026-01-01\nB 乙 2026-01-02\nc 丙 2025-01-01\nd 丁 2026-02-02 2026-02-01\na 戊 2026-03-01")
            .unwrap_err();
        assert_eq!(e.len(), 4, "{e:?}");
        assert!(e[0].starts_with("第2行"));
        assert!(e[1].contains("2026年内"));
        assert!(e[2].contains("结束日期"));
        assert!(e[3].contains("重复"));
    }
}
