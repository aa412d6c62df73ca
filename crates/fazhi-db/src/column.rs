//! Typed columns: how a stored value becomes a domain type, for both engines.
//!
//! Codes are stored as text, days as `YYYY-MM-DD` text and flags as 0/1 integers (one
//! SQL text serves SQLite and PostgreSQL). Rows decode them here into the domain's
//! enums, `time::Date` and `bool`, so nothing above the database compares codes as
//! strings; a stored value that is not a known code is a decoding error, not a
//! string passed along.

use fazhi_core::calendar::{PeriodUnit, Warning};
use fazhi_core::decisions::{
    DecisionActionCode, DecisionStatus, LegalOpinion, ReviewActionCode, ReviewKind, ReviewStatus,
};
use fazhi_core::division::Level;
use fazhi_core::enforcement::{
    CaseActionCode, CaseOutcome, CaseStatus, FileGrade, InspectionKind, InspectionOutcome,
    PowerSource, Procedure,
};
use fazhi_core::matter::{
    ActionCode, AssigneeKind, AttachmentKind, Channel, ClosureType, DeadlineKind, Kind,
    MediationOutcome, PetitionOpinion, RiskLevel, Route, Satisfaction, Status, SupervisionLevel,
};
use fazhi_core::party::PartyRole;
use fazhi_core::report::workflow::ReportStatus;
use fazhi_core::role::Role;

use crate::sql::Value;

/// A field type of a row: read as `Raw` by either engine, then converted.
pub(crate) trait Column: Sized {
    type Raw;
    fn from_raw(raw: Self::Raw) -> Result<Self, String>;
}

macro_rules! plain_columns {
    ($($t:ty),*) => {$(
        impl Column for $t {
            type Raw = $t;
            fn from_raw(raw: $t) -> Result<Self, String> { Ok(raw) }
        }
        impl Column for Option<$t> {
            type Raw = Option<$t>;
            fn from_raw(raw: Option<$t>) -> Result<Self, String> { Ok(raw) }
        }
    )*};
}
plain_columns!(i64, f64, String, Vec<u8>);

impl Column for bool {
    type Raw = i64;
    fn from_raw(raw: i64) -> Result<Self, String> {
        Ok(raw != 0)
    }
}

impl Column for Option<bool> {
    type Raw = Option<i64>;
    fn from_raw(raw: Option<i64>) -> Result<Self, String> {
        Ok(raw.map(|v| v != 0))
    }
}

const DAY: &[time::format_description::BorrowedFormatItem<'_>] =
    time::macros::format_description!("[year]-[month]-[day]");

fn day(s: &str) -> Result<time::Date, String> {
    time::Date::parse(s, DAY).map_err(|e| format!("stored day {s:?}: {e}"))
}

impl Column for time::Date {
    type Raw = String;
    fn from_raw(raw: String) -> Result<Self, String> {
        day(&raw)
    }
}

impl Column for Option<time::Date> {
    type Raw = Option<String>;
    fn from_raw(raw: Option<String>) -> Result<Self, String> {
        raw.as_deref().map(day).transpose()
    }
}

/// Types stored as their code text, decoded with `FromStr`, bound as their code.
macro_rules! code_columns {
    ($($t:ty),*) => {$(
        impl Column for $t {
            type Raw = String;
            fn from_raw(raw: String) -> Result<Self, String> {
                raw.parse().map_err(|e| format!("{e}"))
            }
        }
        impl Column for Option<$t> {
            type Raw = Option<String>;
            fn from_raw(raw: Option<String>) -> Result<Self, String> {
                raw.map(|r| r.parse().map_err(|e| format!("{e}"))).transpose()
            }
        }
        impl From<$t> for Value {
            fn from(x: $t) -> Value { Value::Text(Some(x.as_str().to_string())) }
        }
        impl From<Option<$t>> for Value {
            fn from(x: Option<$t>) -> Value { Value::Text(x.map(|v| v.as_str().to_string())) }
        }
    )*};
}
// Other work streams declare their own code columns with it (e.g. `education`).
pub(crate) use code_columns;

code_columns!(
    Kind,
    AttachmentKind,
    Channel,
    Status,
    ActionCode,
    AssigneeKind,
    ClosureType,
    DeadlineKind,
    MediationOutcome,
    PetitionOpinion,
    Route,
    Satisfaction,
    SupervisionLevel,
    RiskLevel,
    PartyRole,
    PeriodUnit,
    Warning,
    Role,
    Level,
    CaseActionCode,
    CaseOutcome,
    CaseStatus,
    PowerSource,
    Procedure,
    InspectionKind,
    InspectionOutcome,
    FileGrade,
    ReviewKind,
    ReviewStatus,
    LegalOpinion,
    ReviewActionCode,
    DecisionStatus,
    DecisionActionCode,
    ReportStatus
);

impl From<time::Date> for Value {
    fn from(d: time::Date) -> Value {
        Value::Text(Some(d.to_string()))
    }
}

impl From<Option<time::Date>> for Value {
    fn from(d: Option<time::Date>) -> Value {
        Value::Text(d.map(|d| d.to_string()))
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::I64(Some(b as i64))
    }
}

impl From<Option<bool>> for Value {
    fn from(b: Option<bool>) -> Value {
        Value::I64(b.map(i64::from))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_days_and_flags_decode_or_fail_loudly() {
        assert_eq!(Kind::from_raw("petition".into()), Ok(Kind::Petition));
        assert!(Kind::from_raw("petitoin".into()).is_err());
        assert_eq!(
            <Option<Status>>::from_raw(None),
            Ok(None),
            "NULL is None, not an error"
        );
        assert_eq!(
            time::Date::from_raw("2026-03-01".into()),
            Ok(time::macros::date!(2026 - 03 - 01))
        );
        assert!(time::Date::from_raw("2026-3-1x".into()).is_err());
        assert_eq!(bool::from_raw(1), Ok(true));
        assert_eq!(Role::from_raw("center_staff".into()), Ok(Role::CenterStaff));
    }
}
