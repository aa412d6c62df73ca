//! Checks of the heads' and townships' duties beside publicity: the heads' yearly 述法
//! statement, a village's standing (示范村, 村规民约, 法律顾问), the yearly 普法 plan
//! under 谁执法谁普法 and its progress, enterprise visits (法治体检), emergency plans and
//! drills with their reminders. Every problem is reported at once, per field, in Chinese.

use time::{Date, Duration, Month};

use super::codes::{
    DrillForm, EventKind, HeadPost, ModelLevel, PlanKind, StatementOccasion, StatementRating,
};
use super::input::{FieldErrors, check_laws, code_of, count, date_of, optional_text, text};
use crate::validate;

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

// ---------------------------------------------------------------- 述法

/// A 述法 statement as entered (the head is checked by the caller).
#[derive(Debug, Clone, Default)]
pub struct StatementDraft {
    pub year: Option<i32>,
    pub post: String,
    pub delivered_on: String,
    pub occasion: String,
    pub title: String,
    pub text: String,
}

/// A checked 述法 statement.
#[derive(Debug, Clone, PartialEq)]
pub struct StatementFields {
    /// The year whose duties it reports on.
    pub year: i32,
    pub post: HeadPost,
    pub delivered_on: Date,
    pub occasion: StatementOccasion,
    pub title: String,
    pub text: String,
}

/// Checks a statement: it reports on a year up to this one and was delivered in that
/// year or the next (year-end statements are often given in January or February).
pub fn check_statement(d: &StatementDraft, today: Date) -> Result<StatementFields, FieldErrors> {
    let mut e = FieldErrors::default();
    let year = year_of(&mut e, "year", d.year, today);
    let post = code_of::<HeadPost>(&mut e, "post", &d.post);
    let delivered_on = if d.delivered_on.trim().is_empty() {
        e.add("delivered_on", "请填写述法日期");
        today
    } else {
        date_of(&mut e, "delivered_on", "述法日期", &d.delivered_on, today)
    };
    if !(year..=year + 1).contains(&delivered_on.year()) {
        e.add(
            "delivered_on",
            format!("述法日期须在{year}年或{}年内", year + 1),
        );
    }
    let occasion = code_of::<StatementOccasion>(&mut e, "occasion", &d.occasion);
    let title = optional_text(&mut e, "title", "标题", &d.title, 100)
        .unwrap_or_else(|| format!("{year}年度履行推进法治建设第一责任人职责情况述法报告"));
    let text = text(&mut e, "text", "述法内容", &d.text, MAX_STATEMENT_CHARS);
    e.or(|| StatementFields {
        year,
        post: post.expect("checked"),
        delivered_on,
        occasion: occasion.expect("checked"),
        title,
        text,
    })
}

/// The district's rating as entered.
#[derive(Debug, Clone, Default)]
pub struct RatingDraft {
    pub rating: String,
    pub note: String,
}

/// Checks a rating: a grade and an optional comment.
pub fn check_rating(d: &RatingDraft) -> Result<(StatementRating, Option<String>), FieldErrors> {
    let mut e = FieldErrors::default();
    let rating = code_of::<StatementRating>(&mut e, "rating", &d.rating);
    let note = optional_text(&mut e, "rating_note", "评价意见", &d.note, 1000);
    e.or(|| (rating.expect("checked"), note))
}

// ---------------------------------------------------------------- villages

/// A village's standing as entered.
#[derive(Debug, Clone, Default)]
pub struct VillageDraft {
    /// Empty: no 民主法治示范村 title.
    pub model_level: String,
    pub model_year: Option<i32>,
    pub rules_reviewed_on: String,
    pub rules_reviewed_by: String,
    pub adviser_name: String,
    pub adviser_firm: String,
}

/// A checked village standing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct VillageFields {
    /// 民主法治示范村（社区）: level and year named.
    pub model: Option<(ModelLevel, i32)>,
    /// 村规民约（居民公约） last reviewed: day and by whom.
    pub rules_review: Option<(Date, String)>,
    /// 一村（社区）一法律顾问: name, and firm or office.
    pub adviser: Option<(String, Option<String>)>,
}

/// Checks a village's standing: a title needs its level and year, a review its day and
/// reviewer, an adviser a name.
pub fn check_village(d: &VillageDraft, today: Date) -> Result<VillageFields, FieldErrors> {
    let mut e = FieldErrors::default();
    let level = match d.model_level.trim() {
        "" => None,
        _ => code_of::<ModelLevel>(&mut e, "model_level", &d.model_level),
    };
    let model = match (level, d.model_year, d.model_level.trim().is_empty()) {
        (Some(l), Some(y), _) if (1990..=today.year()).contains(&y) => Some((l, y)),
        (Some(_), Some(_), _) => {
            e.add("model_year", "命名年度须在1990年至今年之间");
            None
        }
        (Some(_), None, _) => {
            e.add("model_year", "请填写示范村命名年度");
            None
        }
        (None, Some(_), true) => {
            e.add("model_level", "填写了命名年度，请选择示范村级别");
            None
        }
        _ => None,
    };
    let on = optional_past(
        &mut e,
        "rules_reviewed_on",
        "村规民约审查日期",
        &d.rules_reviewed_on,
        today,
    );
    let by = optional_text(
        &mut e,
        "rules_reviewed_by",
        "审查单位或人员",
        &d.rules_reviewed_by,
        50,
    );
    let rules_review = match (on, by) {
        (Some(on), Some(by)) => Some((on, by)),
        (Some(_), None) => {
            e.add("rules_reviewed_by", "请填写审查单位或人员");
            None
        }
        (None, Some(_)) if d.rules_reviewed_on.trim().is_empty() => {
            e.add("rules_reviewed_on", "请填写村规民约审查日期");
            None
        }
        _ => None,
    };
    let name = optional_text(&mut e, "adviser_name", "法律顾问姓名", &d.adviser_name, 30);
    let firm = optional_text(
        &mut e,
        "adviser_firm",
        "所在律所或单位",
        &d.adviser_firm,
        60,
    );
    let adviser = match (name, firm) {
        (Some(n), f) => Some((n, f)),
        (None, Some(_)) => {
            e.add("adviser_name", "填写了律所或单位，请填写法律顾问姓名");
            None
        }
        (None, None) => None,
    };
    e.or(|| VillageFields {
        model,
        rules_review,
        adviser,
    })
}

/// What the village table shows of one village: its standing and its 法律明白人.
#[derive(Debug, Clone, PartialEq)]
pub struct VillageFacts {
    pub code: String,
    pub fields: VillageFields,
    pub legal_literate: i64,
}

// ---------------------------------------------------------------- 普法 plan

/// A plan item as entered (the responsible unit is checked by the caller).
#[derive(Debug, Clone, Default)]
pub struct PlanItemDraft {
    pub year: Option<i32>,
    pub laws: Vec<String>,
    /// Empty: activities of any type count.
    pub kind: String,
    pub planned: Option<i64>,
    pub note: String,
}

/// A checked plan item.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanItemFields {
    pub year: i32,
    pub laws: Vec<String>,
    pub kind: Option<EventKind>,
    /// Activities planned (场).
    pub planned: i64,
    pub note: Option<String>,
}

/// Checks a plan item: a year up to next year, at least one law, a planned count ≥ 1.
pub fn check_plan_item(d: &PlanItemDraft, today: Date) -> Result<PlanItemFields, FieldErrors> {
    let mut e = FieldErrors::default();
    let year = match d.year {
        Some(y) if (2000..=today.year() + 1).contains(&y) => y,
        Some(_) => {
            e.add("year", "年度须在2000年至明年之间");
            today.year()
        }
        None => {
            e.add("year", "请填写年度");
            today.year()
        }
    };
    let laws = check_laws(&mut e, &d.laws);
    if laws.is_empty() {
        e.add("laws", "请填写负责宣传的法律法规");
    }
    let kind = match d.kind.trim() {
        "" => None,
        _ => code_of::<EventKind>(&mut e, "kind", &d.kind),
    };
    if d.planned.is_none() {
        e.add("planned", "请填写计划开展的活动场次");
    }
    let planned = count(&mut e, "planned", "计划场次", d.planned);
    if d.planned.is_some() && planned == 0 && !e.0.iter().any(|(f, _)| f == "planned") {
        e.add("planned", "计划场次至少为1");
    }
    let note = optional_text(&mut e, "note", "备注", &d.note, 500);
    e.or(|| PlanItemFields {
        year,
        laws,
        kind,
        planned,
        note,
    })
}

/// What progress needs of a plan item.
#[derive(Debug, Clone)]
pub struct PlanFacts {
    pub unit_id: i64,
    pub kind: Option<EventKind>,
    pub laws: Vec<String>,
}

/// What progress needs of an event of the same township and year.
#[derive(Debug, Clone)]
pub struct PlanEvent {
    pub unit_id: Option<i64>,
    pub kind: EventKind,
    pub laws: Vec<String>,
}

/// Whether an event counts for a plan item: organised by the item's unit, of its type
/// when one is set, and covering at least one of its laws.
pub fn counts_for(item: &PlanFacts, ev: &PlanEvent) -> bool {
    ev.unit_id == Some(item.unit_id)
        && item.kind.is_none_or(|k| k == ev.kind)
        && ev.laws.iter().any(|l| item.laws.contains(l))
}

/// The activities done for each item (an event may count for several items).
pub fn plan_progress(items: &[PlanFacts], events: &[PlanEvent]) -> Vec<i64> {
    items
        .iter()
        .map(|i| events.iter().filter(|e| counts_for(i, e)).count() as i64)
        .collect()
}

// ---------------------------------------------------------------- enterprise visits

/// An enterprise visit (法治体检) as entered.
#[derive(Debug, Clone, Default)]
pub struct VisitDraft {
    pub enterprise: String,
    pub visited_on: String,
    pub visitors: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub issues: String,
    /// Issues found; 1 when issues are described and this is empty.
    pub issue_count: Option<i64>,
    pub advice: String,
    pub rectify_by: String,
    pub rectified_on: String,
}

/// A checked visit; the phone is canonical digits (sealed when stored).
#[derive(Debug, Clone, PartialEq)]
pub struct VisitFields {
    pub enterprise: String,
    pub visited_on: Date,
    pub visitors: String,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub issues: Option<String>,
    pub issue_count: i64,
    pub advice: Option<String>,
    pub rectify_by: Option<Date>,
    pub rectified_on: Option<Date>,
}

impl VisitFields {
    /// Issues found and not yet rectified.
    pub fn open(&self) -> bool {
        self.issue_count > 0 && self.rectified_on.is_none()
    }
}

/// Whether a visit's issues are still open past the day they were to be rectified by.
pub fn visit_overdue(
    issue_count: i64,
    rectify_by: Option<Date>,
    rectified_on: Option<Date>,
    today: Date,
) -> bool {
    issue_count > 0 && rectified_on.is_none() && rectify_by.is_some_and(|d| d < today)
}

/// Checks a visit: issues found need a day to rectify them by (not before the visit);
/// a rectification day only for a visit with issues, between the visit and today.
pub fn check_visit(d: &VisitDraft, today: Date) -> Result<VisitFields, FieldErrors> {
    let mut e = FieldErrors::default();
    let enterprise = text(&mut e, "enterprise", "企业名称", &d.enterprise, 100);
    let visited_on = date_of(&mut e, "visited_on", "走访日期", &d.visited_on, today);
    let visitors = text(&mut e, "visitors", "走访人员", &d.visitors, 100);
    let contact_name = optional_text(&mut e, "contact_name", "企业联系人", &d.contact_name, 30);
    let contact_phone = match validate::staff_phone(Some(&d.contact_phone)) {
        Ok(p) => p,
        Err(m) => {
            e.add("contact_phone", m);
            None
        }
    };
    let issues = optional_text(&mut e, "issues", "发现的问题", &d.issues, 2000);
    let issue_count = match (&issues, d.issue_count) {
        (None, None) => 0,
        (None, Some(n)) if n > 0 => {
            e.add("issues", "填写了问题个数，请描述发现的问题");
            0
        }
        (None, Some(n)) => count(&mut e, "issue_count", "问题个数", Some(n)),
        (Some(_), None) => 1,
        (Some(_), Some(n)) if n < 1 => {
            e.add("issue_count", "发现了问题时，问题个数至少为1");
            1
        }
        (Some(_), Some(n)) => count(&mut e, "issue_count", "问题个数", Some(n)),
    };
    let advice = optional_text(&mut e, "advice", "法律意见建议", &d.advice, 2000);
    let rectify_by = optional_ahead(&mut e, "rectify_by", "整改期限", &d.rectify_by, today);
    let rectified_on = optional_past(
        &mut e,
        "rectified_on",
        "整改完成日期",
        &d.rectified_on,
        today,
    );
    if issue_count > 0 && rectify_by.is_none() && d.rectify_by.trim().is_empty() {
        e.add("rectify_by", "发现了问题，请填写整改期限");
    }
    if rectify_by.is_some_and(|r| r < visited_on) {
        e.add("rectify_by", "整改期限不能早于走访日期");
    }
    if let Some(r) = rectified_on {
        if issue_count == 0 {
            e.add("rectified_on", "未发现问题的走访不填整改完成日期");
        } else if r < visited_on {
            e.add("rectified_on", "整改完成日期不能早于走访日期");
        }
    }
    e.or(|| VisitFields {
        enterprise,
        visited_on,
        visitors,
        contact_name,
        contact_phone,
        issues,
        issue_count,
        advice,
        rectify_by,
        rectified_on,
    })
}

// ---------------------------------------------------------------- emergency

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
    fn statements_are_delivered_in_their_year_or_the_next() {
        let d = StatementDraft {
            year: Some(2025),
            post: "party_secretary".into(),
            delivered_on: "2026-01-20".into(),
            occasion: "year_end".into(),
            text: "一、履职情况……".into(),
            ..StatementDraft::default()
        };
        let f = check_statement(&d, TODAY).unwrap();
        assert_eq!(f.post, HeadPost::PartySecretary);
        assert!(f.title.starts_with("2025年度"));
        let bad = StatementDraft {
            year: Some(2024),
            post: "king".into(),
            ..d.clone()
        };
        let e = check_statement(&bad, TODAY).unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["post", "delivered_on"]);
        assert!(
            check_rating(&RatingDraft {
                rating: "good".into(),
                note: String::new()
            })
            .is_ok()
        );
    }

    #[test]
    fn a_village_title_needs_level_and_year() {
        let ok = check_village(
            &VillageDraft {
                model_level: "provincial".into(),
                model_year: Some(2021),
                rules_reviewed_on: "2026-03-01".into(),
                rules_reviewed_by: "司法所".into(),
                adviser_name: "林律师".into(),
                ..VillageDraft::default()
            },
            TODAY,
        )
        .unwrap();
        assert_eq!(ok.model, Some((ModelLevel::Provincial, 2021)));
        assert_eq!(ok.adviser, Some(("林律师".into(), None)));
        let e = check_village(
            &VillageDraft {
                model_level: "county".into(),
                rules_reviewed_on: "2026-03-01".into(),
                adviser_firm: "某律所".into(),
                ..VillageDraft::default()
            },
            TODAY,
        )
        .unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["model_year", "rules_reviewed_by", "adviser_name"]);
        assert_eq!(
            check_village(&VillageDraft::default(), TODAY).unwrap(),
            VillageFields::default()
        );
    }

    #[test]
    fn plan_progress_counts_the_units_events_on_its_laws() {
        let items = [
            PlanFacts {
                unit_id: 1,
                kind: None,
                laws: vec!["民法典".into()],
            },
            PlanFacts {
                unit_id: 1,
                kind: Some(EventKind::Schools),
                laws: vec!["未成年人保护法".into()],
            },
        ];
        let ev = |unit, kind, law: &str| PlanEvent {
            unit_id: unit,
            kind,
            laws: vec![law.into()],
        };
        let events = [
            ev(Some(1), EventKind::Villages, "民法典"),
            ev(Some(2), EventKind::Villages, "民法典"),
            ev(None, EventKind::Villages, "民法典"),
            ev(Some(1), EventKind::Villages, "未成年人保护法"),
            ev(Some(1), EventKind::Schools, "未成年人保护法"),
        ];
        assert_eq!(plan_progress(&items, &events), [1, 1]);
        let e = check_plan_item(
            &PlanItemDraft {
                year: Some(2026),
                planned: Some(0),
                ..PlanItemDraft::default()
            },
            TODAY,
        )
        .unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["laws", "planned"]);
    }

    #[test]
    fn visits_with_issues_need_a_deadline() {
        let d = VisitDraft {
            enterprise: "青石建材有限公司".into(),
            visited_on: "2026-05-10".into(),
            visitors: "司法所 周敏".into(),
            issues: "劳动合同未续签".into(),
            rectify_by: "2026-06-10".into(),
            contact_phone: "13812345678".into(),
            ..VisitDraft::default()
        };
        let f = check_visit(&d, TODAY).unwrap();
        assert_eq!(f.issue_count, 1);
        assert!(f.open());
        assert!(visit_overdue(
            f.issue_count,
            f.rectify_by,
            f.rectified_on,
            TODAY
        ));
        let e = check_visit(
            &VisitDraft {
                rectify_by: String::new(),
                rectified_on: "2026-05-01".into(),
                ..d.clone()
            },
            TODAY,
        )
        .unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["rectify_by", "rectified_on"]);
        let e = check_visit(
            &VisitDraft {
                issues: String::new(),
                rectified_on: "2026-05-20".into(),
                ..d
            },
            TODAY,
        )
        .unwrap_err();
        assert_eq!(e.0[0].0, "rectified_on");
    }

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
