//! The way a report leaves the township (rules.md §6): checked for secrets and
//! personal data, signed by the two principal heads, submitted upward by 1 March and
//! published by 1 April of the next year. Editing a checked draft sends it back.

use time::{Date, Month};

use super::Draft;
use crate::matter::code_enum;

code_enum! {
    /// Where a report stands.
    pub enum ReportStatus: "报告状态" {
        Draft = ("draft", "起草中"),
        Checked = ("checked", "已通过保密审查"),
        Signed = ("signed", "主要负责人已签发"),
        Submitted = ("submitted", "已报送"),
        Published = ("published", "已公开"),
    }
}

/// The secrecy checklist; every point is confirmed by the checker.
pub const CHECKLIST: [(&str, &str); 4] = [
    ("secrets", "不含国家秘密、工作秘密和敏感信息"),
    ("personal", "不含公民个人信息（姓名、身份证号、电话等）"),
    ("internal", "不含仅供内部使用的数据和材料"),
    ("figures", "数字已与平台记录核对，人工填写的数字已注明来源"),
];

/// Last day to submit the report of `year` upward (1 March of the next year).
pub fn submit_due(year: i32) -> Option<Date> {
    Date::from_calendar_date(year + 1, Month::March, 1).ok()
}

/// Last day to publish it (1 April of the next year).
pub fn publish_due(year: i32) -> Option<Date> {
    Date::from_calendar_date(year + 1, Month::April, 1).ok()
}

/// Days left before `due` while the report is not submitted, in the last 30 days
/// (the warning before the deadline).
pub fn days_left(due: Option<Date>, status: ReportStatus, today: Date) -> Option<i64> {
    let left = (due? - today).whole_days();
    (status < ReportStatus::Submitted && (0..=30).contains(&left)).then_some(left)
}

/// Figures still to be typed (待填写) block signing.
pub fn unfilled(d: &Draft) -> Vec<String> {
    d.slots()
        .iter()
        .filter(|s| !s.traced && s.text == "____")
        .map(|s| s.label.clone())
        .collect()
}

/// The step that follows `from`, if `to` may follow it.
pub fn next_allowed(from: ReportStatus, to: ReportStatus) -> bool {
    use ReportStatus::*;
    matches!(
        (from, to),
        (Draft, Checked) | (Checked, Signed) | (Signed, Submitted) | (Submitted, Published)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn the_warning_comes_in_the_last_thirty_days() {
        let due = submit_due(2025);
        assert_eq!(due, Some(date!(2026 - 03 - 01)));
        let d = |day| days_left(due, ReportStatus::Signed, day);
        assert_eq!(d(date!(2026 - 01 - 15)), None);
        assert_eq!(d(date!(2026 - 02 - 01)), Some(28));
        assert_eq!(d(date!(2026 - 03 - 01)), Some(0));
        assert_eq!(d(date!(2026 - 03 - 02)), None, "late is not a countdown");
        assert_eq!(
            days_left(due, ReportStatus::Submitted, date!(2026 - 02 - 01)),
            None
        );
    }
}
