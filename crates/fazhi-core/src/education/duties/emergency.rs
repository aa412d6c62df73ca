//! Emergency plans, drills and the reminders of a plan.

use time::{Date, Duration, Month};

use super::{DEFAULT_DRILL_YEARS, REVIEW_NOTICE_DAYS, optional_ahead, optional_past};
use crate::education::codes::{DrillForm, PlanKind};
use crate::education::input::{FieldErrors, code_of, count, date_of, optional_text, text};

/// An emergency plan as entered.
#[derive(Debug, Clone, Default)]
pub struct EmergencyPlanDraft {
    pub kind: String,
    pub title: String,
    /// e.g. 2024版.
    pub version_label: String,
    pub approved_on: String,
    pub approved_by: String,
    pub filed_on: String,
    pub next_review_on: String,
    /// Drill at least every this many years; 3 by default.
    pub drill_years: Option<i64>,
}

/// A checked emergency plan.
#[derive(Debug, Clone, PartialEq)]
pub struct EmergencyPlanFields {
    pub kind: PlanKind,
    pub title: String,
    pub version_label: String,
    pub approved_on: Date,
    pub approved_by: String,
    /// 备案 day, if filed.
    pub filed_on: Option<Date>,
    pub next_review_on: Date,
    pub drill_years: i64,
}

/// Checks a plan: approved on a past day, filed not before approval, the next review
/// after approval, a drill period of 1 to 5 years.
pub fn check_emergency_plan(
    d: &EmergencyPlanDraft,
    today: Date,
) -> Result<EmergencyPlanFields, FieldErrors> {
    let mut e = FieldErrors::default();
    let kind = code_of::<PlanKind>(&mut e, "kind", &d.kind);
    let title = text(&mut e, "title", "预案名称", &d.title, 100);
    let version_label = text(&mut e, "version_label", "版本", &d.version_label, 30);
    if d.approved_on.trim().is_empty() {
        e.add("approved_on", "请填写印发（批准）日期");
    }
    let approved_on = date_of(&mut e, "approved_on", "印发日期", &d.approved_on, today);
    let approved_by = text(&mut e, "approved_by", "批准单位", &d.approved_by, 60);
    let filed_on = optional_past(&mut e, "filed_on", "备案日期", &d.filed_on, today);
    if filed_on.is_some_and(|f| f < approved_on) {
        e.add("filed_on", "备案日期不能早于印发日期");
    }
    let next = optional_ahead(
        &mut e,
        "next_review_on",
        "下次评估修订日期",
        &d.next_review_on,
        today,
    );
    if d.next_review_on.trim().is_empty() {
        e.add("next_review_on", "请填写下次评估修订日期");
    }
    if next.is_some_and(|n| n <= approved_on) {
        e.add("next_review_on", "下次评估修订日期须晚于印发日期");
    }
    let drill_years = match d.drill_years {
        None => DEFAULT_DRILL_YEARS,
        Some(y) if (1..=5).contains(&y) => y,
        Some(_) => {
            e.add("drill_years", "演练周期须为1至5年");
            DEFAULT_DRILL_YEARS
        }
    };
    e.or(|| EmergencyPlanFields {
        kind: kind.expect("checked"),
        title,
        version_label,
        approved_on,
        approved_by,
        filed_on,
        next_review_on: next.expect("checked"),
        drill_years,
    })
}

/// A drill as entered (the plan is checked by the caller).
#[derive(Debug, Clone, Default)]
pub struct DrillDraft {
    pub held_on: String,
    pub scenario: String,
    pub form: String,
    pub participants: Option<i64>,
    pub evaluation: String,
    pub revisions: String,
}

/// A checked drill.
#[derive(Debug, Clone, PartialEq)]
pub struct DrillFields {
    pub held_on: Date,
    pub scenario: String,
    pub form: DrillForm,
    pub participants: i64,
    pub evaluation: Option<String>,
    /// Revisions of the plan the drill showed were needed (突发事件应对法 Art 28).
    pub revisions: Option<String>,
}

/// Checks a drill.
pub fn check_drill(d: &DrillDraft, today: Date) -> Result<DrillFields, FieldErrors> {
    let mut e = FieldErrors::default();
    if d.held_on.trim().is_empty() {
        e.add("held_on", "请填写演练日期");
    }
    let held_on = date_of(&mut e, "held_on", "演练日期", &d.held_on, today);
    let scenario = text(&mut e, "scenario", "演练科目（情景）", &d.scenario, 200);
    let form = code_of::<DrillForm>(&mut e, "form", &d.form);
    if d.participants.is_none() {
        e.add("participants", "请填写参演人数");
    }
    let participants = count(&mut e, "participants", "参演人数", d.participants);
    let evaluation = optional_text(&mut e, "evaluation", "演练评估", &d.evaluation, 2000);
    let revisions = optional_text(&mut e, "revisions", "预案修订建议", &d.revisions, 2000);
    e.or(|| DrillFields {
        held_on,
        scenario,
        form: form.expect("checked"),
        participants,
        evaluation,
        revisions,
    })
}

/// Why a plan needs attention.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanReminder {
    /// The review day is within [`REVIEW_NOTICE_DAYS`] or past.
    ReviewDue,
    /// No drill within the plan's period (counted from the last drill, or from the
    /// plan's approval when it was never drilled).
    NotDrilled,
    /// Not filed (备案) yet.
    NotFiled,
}

impl PlanReminder {
    /// Stable code in the API.
    pub const fn code(self) -> &'static str {
        match self {
            PlanReminder::ReviewDue => "review_due",
            PlanReminder::NotDrilled => "not_drilled",
            PlanReminder::NotFiled => "not_filed",
        }
    }

    pub const fn label_zh(self) -> &'static str {
        match self {
            PlanReminder::ReviewDue => "到期需评估修订",
            PlanReminder::NotDrilled => "超过演练周期未演练",
            PlanReminder::NotFiled => "尚未备案",
        }
    }
}

/// The day `years` after `d` (29 February falls back to the 28th).
fn years_after(d: Date, years: i64) -> Date {
    let y = d.year() + years as i32;
    Date::from_calendar_date(y, d.month(), d.day())
        .or_else(|_| Date::from_calendar_date(y, Month::February, 28))
        .unwrap_or(d)
}

/// The reminders of a plan today.
pub fn plan_reminders(
    next_review_on: Date,
    approved_on: Date,
    filed_on: Option<Date>,
    drill_years: i64,
    last_drill: Option<Date>,
    today: Date,
) -> Vec<PlanReminder> {
    let mut out = Vec::new();
    if next_review_on <= today + Duration::days(REVIEW_NOTICE_DAYS) {
        out.push(PlanReminder::ReviewDue);
    }
    let since = last_drill.unwrap_or(approved_on);
    if years_after(since, drill_years) < today {
        out.push(PlanReminder::NotDrilled);
    }
    if filed_on.is_none() {
        out.push(PlanReminder::NotFiled);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 06 - 30);

    #[test]
    fn plans_remind_of_review_drills_and_filing() {
        let r = plan_reminders(
            date!(2026 - 07 - 15),
            date!(2022 - 05 - 01),
            None,
            3,
            Some(date!(2024 - 06 - 01)),
            TODAY,
        );
        assert_eq!(r, [PlanReminder::ReviewDue, PlanReminder::NotFiled]);
        let r = plan_reminders(
            date!(2027 - 07 - 15),
            date!(2022 - 05 - 01),
            Some(date!(2022 - 06 - 01)),
            3,
            None,
            TODAY,
        );
        assert_eq!(r, [PlanReminder::NotDrilled]);
        let e = check_emergency_plan(
            &EmergencyPlanDraft {
                kind: "general".into(),
                title: "镇突发事件总体应急预案".into(),
                version_label: "2024版".into(),
                approved_on: "2024-03-01".into(),
                approved_by: "镇人民政府".into(),
                filed_on: "2024-02-01".into(),
                next_review_on: "2024-01-01".into(),
                drill_years: Some(9),
            },
            TODAY,
        )
        .unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["filed_on", "next_review_on", "drill_years"]);
    }
}
