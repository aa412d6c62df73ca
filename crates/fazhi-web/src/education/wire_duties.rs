//! JSON shapes of the duties beside publicity: 述法 statements, the village table, the
//! 普法 plan, enterprise visits and emergency plans with drills.

use fazhi_core::education::{
    DrillForm, EventKind, HeadPost, ModelLevel, PlanKind, StatementOccasion, StatementRating,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Body of `POST /api/v1/education/statements` and `PUT …/{id}`.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct StatementIn {
    /// The year reported on.
    #[serde(default)]
    pub year: Option<i32>,
    /// 12-digit code of the township; the caller's own when absent.
    #[serde(default)]
    pub division_code: Option<String>,
    /// The head's account (`GET /api/v1/education/statements/heads`).
    #[serde(default)]
    pub user_id: Option<i64>,
    /// party_secretary, government_head, deputy_secretary, deputy_head, other.
    #[serde(default)]
    pub post: String,
    /// YYYY-MM-DD, in the year or the next.
    #[serde(default)]
    pub delivered_on: Option<String>,
    /// year_end, meeting, review, written.
    #[serde(default)]
    pub occasion: String,
    #[serde(default)]
    pub title: Option<String>,
    /// The statement as delivered.
    #[serde(default)]
    pub text: String,
    /// Required by `PUT`: the version read.
    #[serde(default)]
    pub version: Option<i64>,
}

/// A 述法 statement.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StatementOut {
    pub id: i64,
    pub township_code: String,
    pub township_name: String,
    pub year: i64,
    pub user_id: i64,
    pub head_name: String,
    pub post: HeadPost,
    pub post_label: &'static str,
    pub delivered_on: String,
    pub occasion: StatementOccasion,
    pub occasion_label: &'static str,
    pub title: String,
    pub text: String,
    /// The district's rating, when given.
    pub rating: Option<StatementRating>,
    pub rating_label: Option<&'static str>,
    pub rating_note: Option<String>,
    pub version: i64,
    pub can_edit: bool,
    pub can_rate: bool,
}

/// Body of `POST /api/v1/education/statements/{id}/rating`.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct RatingIn {
    /// excellent, good, fair, poor.
    #[serde(default)]
    pub rating: String,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub version: Option<i64>,
}

/// Filters of the lists by place and year.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PlaceYearQuery {
    /// 12-digit code of a place in scope.
    pub division: Option<String>,
    /// This year by default.
    pub year: Option<i32>,
}

/// An account that may be named as the head of a statement.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HeadOut {
    pub user_id: i64,
    pub name: String,
}

/// Body of `PUT /api/v1/education/villages/{code}`: the village's standing. Empty
/// fields clear it.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct VillageIn {
    /// national, provincial, city, county; empty: no 民主法治示范村 title.
    #[serde(default)]
    pub model_level: Option<String>,
    #[serde(default)]
    pub model_year: Option<i32>,
    /// YYYY-MM-DD of the last review of the 村规民约.
    #[serde(default)]
    pub rules_reviewed_on: Option<String>,
    #[serde(default)]
    pub rules_reviewed_by: Option<String>,
    /// 一村一法律顾问: the adviser's name and firm.
    #[serde(default)]
    pub adviser_name: Option<String>,
    #[serde(default)]
    pub adviser_firm: Option<String>,
    /// The version read; absent for a village whose standing was never saved.
    #[serde(default)]
    pub version: Option<i64>,
}

/// One row of the village table.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VillageOut {
    pub code: String,
    pub name: String,
    pub township_code: String,
    pub township_name: String,
    pub model_level: Option<ModelLevel>,
    pub model_level_label: Option<&'static str>,
    pub model_year: Option<i64>,
    pub rules_reviewed_on: Option<String>,
    pub rules_reviewed_by: Option<String>,
    pub adviser_name: Option<String>,
    pub adviser_firm: Option<String>,
    /// Active 法律明白人 on the roster, and how many are missing to reach 3.
    pub legal_literate: i64,
    pub legal_literate_short_by: i64,
    /// Null until the standing is first saved.
    pub version: Option<i64>,
    pub can_edit: bool,
}

/// The counts of one township's villages, for the district's comparison.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TownshipVillages {
    pub code: String,
    pub name: String,
    pub villages: i64,
    pub model_villages: i64,
    pub rules_reviewed: i64,
    pub with_adviser: i64,
    /// Villages with at least 3 法律明白人.
    pub legal_literate_covered: i64,
}

/// The village table of a place.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VillageTable {
    pub townships: Vec<TownshipVillages>,
    pub villages: Vec<VillageOut>,
}

/// Body of `POST /api/v1/education/plan` and `PUT …/{id}`.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct PlanItemIn {
    #[serde(default)]
    pub year: Option<i32>,
    /// The township; the caller's own when absent.
    #[serde(default)]
    pub division_code: Option<String>,
    /// The responsible unit (谁执法谁普法), a unit of the township.
    #[serde(default)]
    pub unit_id: Option<i64>,
    /// The laws it publicises.
    #[serde(default)]
    pub laws: Vec<String>,
    /// Type of activity planned; empty: any.
    #[serde(default)]
    pub kind: Option<String>,
    /// Activities planned (场).
    #[serde(default)]
    pub planned: Option<i64>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub version: Option<i64>,
}

/// A plan item with its progress.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanItemOut {
    pub id: i64,
    pub township_code: String,
    pub township_name: String,
    pub year: i64,
    pub unit_id: i64,
    pub unit_name: String,
    pub laws: Vec<String>,
    pub kind: Option<EventKind>,
    pub kind_label: Option<&'static str>,
    pub planned: i64,
    /// Recorded events of the year organised by the unit, of the type (if set), on at
    /// least one of the laws.
    pub done: i64,
    /// done ÷ planned in percent (above 100 when exceeded).
    pub percent: Option<f64>,
    pub note: Option<String>,
    pub version: i64,
    pub can_edit: bool,
}

/// Body of `POST /api/v1/education/visits` and `PUT …/{id}`.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct VisitIn {
    /// Township or village of the enterprise; the caller's own when absent.
    #[serde(default)]
    pub division_code: Option<String>,
    #[serde(default)]
    pub enterprise: String,
    /// YYYY-MM-DD; today when absent.
    #[serde(default)]
    pub visited_on: Option<String>,
    /// Who visited (names, unit).
    #[serde(default)]
    pub visitors: String,
    #[serde(default)]
    pub contact_name: Option<String>,
    /// On `PUT`, absent keeps the stored phone and "" removes it.
    #[serde(default)]
    pub contact_phone: Option<String>,
    #[serde(default)]
    pub issues: Option<String>,
    #[serde(default)]
    pub issue_count: Option<i64>,
    #[serde(default)]
    pub advice: Option<String>,
    /// YYYY-MM-DD; required when issues were found.
    #[serde(default)]
    pub rectify_by: Option<String>,
    /// YYYY-MM-DD when the issues were rectified.
    #[serde(default)]
    pub rectified_on: Option<String>,
    #[serde(default)]
    pub version: Option<i64>,
}

/// An enterprise visit (phone masked).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VisitOut {
    pub id: i64,
    pub division_code: String,
    pub division_name: String,
    pub enterprise: String,
    pub visited_on: String,
    pub visitors: String,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub issues: Option<String>,
    pub issue_count: i64,
    pub advice: Option<String>,
    pub rectify_by: Option<String>,
    pub rectified_on: Option<String>,
    /// Issues open past their rectify-by day.
    pub overdue: bool,
    pub version: i64,
    pub can_edit: bool,
}

/// Filters of the visit list.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VisitQuery {
    pub division: Option<String>,
    /// Visits of a year (all years when absent).
    pub year: Option<i32>,
    /// true: the follow-up list, open issues past their day (any year).
    pub overdue: Option<bool>,
}

/// Body of `POST /api/v1/education/emergency-plans` and `PUT …/{id}`.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct EmergencyPlanIn {
    #[serde(default)]
    pub division_code: Option<String>,
    /// general, natural_disaster, accident, public_health, social_safety.
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub title: String,
    /// e.g. 2024版.
    #[serde(default)]
    pub version_label: String,
    #[serde(default)]
    pub approved_on: Option<String>,
    #[serde(default)]
    pub approved_by: String,
    /// 备案 day.
    #[serde(default)]
    pub filed_on: Option<String>,
    #[serde(default)]
    pub next_review_on: Option<String>,
    /// Drill at least every this many years (1–5, default 3).
    #[serde(default)]
    pub drill_years: Option<i64>,
    #[serde(default)]
    pub version: Option<i64>,
}

/// A reminder on a plan.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReminderOut {
    /// review_due, not_drilled, not_filed.
    pub code: &'static str,
    pub label: &'static str,
}

/// An emergency plan with its drills' summary and reminders.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EmergencyPlanOut {
    pub id: i64,
    pub division_code: String,
    pub division_name: String,
    pub kind: PlanKind,
    pub kind_label: &'static str,
    pub title: String,
    pub version_label: String,
    pub approved_on: String,
    pub approved_by: String,
    pub filed_on: Option<String>,
    pub next_review_on: String,
    pub drill_years: i64,
    pub last_drill: Option<String>,
    pub drills: i64,
    pub reminders: Vec<ReminderOut>,
    pub version: i64,
    pub can_edit: bool,
}

/// Filters of the plan list.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EmergencyQuery {
    pub division: Option<String>,
    /// true: only plans with a reminder.
    pub due: Option<bool>,
}

/// Body of `POST /api/v1/education/emergency-plans/{id}/drills`.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct DrillIn {
    #[serde(default)]
    pub held_on: Option<String>,
    #[serde(default)]
    pub scenario: String,
    /// field (实战), tabletop (桌面).
    #[serde(default)]
    pub form: String,
    #[serde(default)]
    pub participants: Option<i64>,
    #[serde(default)]
    pub evaluation: Option<String>,
    /// Revisions of the plan the drill showed were needed.
    #[serde(default)]
    pub revisions: Option<String>,
}

/// A drill.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DrillOut {
    pub id: i64,
    pub plan_id: i64,
    pub plan_title: String,
    pub held_on: String,
    pub scenario: String,
    pub form: DrillForm,
    pub form_label: &'static str,
    pub participants: i64,
    pub evaluation: Option<String>,
    pub revisions: Option<String>,
}

/// A plan with its drills.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EmergencyPlanDetail {
    pub plan: EmergencyPlanOut,
    pub drills: Vec<DrillOut>,
}
