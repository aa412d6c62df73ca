//! Checks of the heads' and townships' duties beside publicity: the heads' yearly 述法
//! statement, a village's standing (示范村, 村规民约, 法律顾问), the yearly 普法 plan
//! under 谁执法谁普法 and its progress, enterprise visits (法治体检), emergency plans and
//! drills with their reminders. Every problem is reported at once, per field, in Chinese.

use time::{Date, Duration};

use super::input::{FieldErrors, date_of};

mod emergency;
mod plan;
mod rescue;
mod statement;
mod village;
mod visit;

pub use emergency::*;
pub use plan::*;
pub use rescue::*;
pub use statement::*;
pub use village::*;
pub use visit::*;

/// Longest 述法 text kept (a long report is some 10,000 characters).
pub const MAX_STATEMENT_CHARS: usize = 30_000;
/// Default drill period of a plan: at least every 3 years (国办发〔2013〕101号).
pub const DEFAULT_DRILL_YEARS: i64 = 3;
/// A plan's review shows as due this many days ahead.
pub const REVIEW_NOTICE_DAYS: i64 = 30;

fn parse_day(raw: &str) -> Option<Date> {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(raw.trim(), &fmt).ok()
}

/// A date that may be empty; in 2000 up to today.
fn optional_past(
    e: &mut FieldErrors,
    field: &str,
    label: &str,
    raw: &str,
    today: Date,
) -> Option<Date> {
    if raw.trim().is_empty() {
        return None;
    }
    Some(date_of(e, field, label, raw, today))
}

/// A date that may lie ahead (deadlines, next review): 2000 to ten years from today.
fn optional_ahead(
    e: &mut FieldErrors,
    field: &str,
    label: &str,
    raw: &str,
    today: Date,
) -> Option<Date> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    match parse_day(raw) {
        Some(d) if d.year() >= 2000 && d <= today + Duration::days(3653) => Some(d),
        Some(_) => {
            e.add(field, format!("{label}须在2000年至今后十年之间"));
            None
        }
        None => {
            e.add(field, format!("{label}格式须为YYYY-MM-DD"));
            None
        }
    }
}

fn year_of(e: &mut FieldErrors, field: &str, y: Option<i32>, today: Date) -> i32 {
    match y {
        Some(y) if (2000..=today.year()).contains(&y) => y,
        Some(_) => {
            e.add(field, "年度须在2000年至今年之间");
            today.year()
        }
        None => {
            e.add(field, "请填写年度");
            today.year()
        }
    }
}
