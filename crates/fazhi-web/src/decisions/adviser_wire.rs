//! The JSON shapes of the legal advisers API.

use fazhi_core::calendar::date_format;
use fazhi_core::decisions::{
    AdviserLogKind, AdviserRating, AdviserSpec, AdviserWorkKind, term_valid_on,
};
use fazhi_core::enforcement::money::yuan;
use fazhi_db::decisions::advisers::{AdviserRow, AdviserVillageRow, AssessmentRow};
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::ToSchema;

use super::wire::ReviewOut;

/// Body of `POST /api/v1/legal-advisers` and `PUT /api/v1/legal-advisers/{id}`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct AdviserInput {
    /// The township's 12-digit code; may be left out by a user of one township (on
    /// create; an adviser stays with its township).
    #[serde(default)]
    pub township_code: Option<String>,
    /// The villages (12-digit codes) this adviser serves (一村一法律顾问).
    #[serde(default)]
    pub village_codes: Vec<String>,
    /// The adviser's own account (role 法律顾问（外聘） in the township), if any.
    #[serde(default)]
    pub username: Option<String>,
    /// The version read, on update.
    #[serde(default)]
    pub version: Option<i64>,
    #[serde(flatten)]
    pub spec: AdviserSpec,
}

/// A village an adviser covers.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VillageRef {
    pub code: String,
    pub name: String,
}

impl From<AdviserVillageRow> for VillageRef {
    fn from(v: AdviserVillageRow) -> VillageRef {
        VillageRef {
            code: v.code,
            name: v.name,
        }
    }
}

/// An adviser on the roster.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AdviserOut {
    pub id: i64,
    pub division_name: String,
    pub firm: String,
    pub lawyer: String,
    pub licence_no: String,
    #[schema(value_type = String, format = Date)]
    #[serde(with = "date_format")]
    pub term_from: Date,
    #[schema(value_type = String, format = Date)]
    #[serde(with = "date_format")]
    pub term_to: Date,
    /// The contract is in force today.
    pub valid_today: bool,
    pub service_scope: String,
    pub fee_fen: i64,
    /// "30000元".
    pub fee_label: String,
    pub serves_township: bool,
    pub username: Option<String>,
    pub villages: Vec<VillageRef>,
    pub version: i64,
}

impl AdviserOut {
    pub(crate) fn of(r: &AdviserRow, villages: Vec<VillageRef>, today: Date) -> AdviserOut {
        AdviserOut {
            id: r.id,
            division_name: r.division_name.clone(),
            firm: r.firm.clone(),
            lawyer: r.lawyer.clone(),
            licence_no: r.licence_no.clone(),
            term_from: r.term_from,
            term_to: r.term_to,
            valid_today: term_valid_on(r.term_from, r.term_to, today),
            service_scope: r.service_scope.clone(),
            fee_fen: r.fee_fen,
            fee_label: format!("{}元", yuan(r.fee_fen)),
            serves_township: r.serves_township,
            username: r.username.clone(),
            villages,
            version: r.version,
        }
    }

    /// Villages as one line for pages.
    pub fn village_names(&self) -> String {
        self.villages
            .iter()
            .map(|v| v.name.as_str())
            .collect::<Vec<_>>()
            .join("、")
    }
}

/// One entry of an adviser's work log: from the record where they acted, or logged.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WorkEntry {
    #[schema(value_type = String, format = Date)]
    #[serde(with = "date_format")]
    pub on: Date,
    pub kind: AdviserWorkKind,
    /// What was logged, for entries logged by hand.
    pub log_kind: Option<AdviserLogKind>,
    pub kind_label: &'static str,
    pub subject: String,
    pub detail: String,
    /// The record it comes from (for those who may open it).
    pub href: Option<String>,
}

impl WorkEntry {
    /// The code a figure counts it under: what was logged, else where it comes from.
    pub fn figure_code(&self) -> &'static str {
        self.log_kind.map_or(self.kind.as_str(), |k| k.as_str())
    }
}

/// An adviser a form may pick (of the record's township).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AdviserChoice {
    pub id: i64,
    /// 律师姓名（律师事务所）.
    pub label: String,
}

/// Query of the work-log drill-down (`GET /api/v1/legal-advisers/work`).
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct WorkQuery {
    /// The year (default this year).
    #[serde(default, deserialize_with = "super::blank_year")]
    pub year: Option<i32>,
    /// A figure's code: a work kind (`review_opinion`, `contract_review`,
    /// `decision_meeting`, `hearing`) or what was logged (`consultation`, `mediation`,
    /// `petition`, `other`); none for every entry.
    pub kind: Option<String>,
    /// One adviser (default every adviser in scope).
    pub adviser_id: Option<i64>,
}

/// One entry of the drill-down, with the adviser it belongs to.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AdviserWorkOut {
    pub adviser_id: i64,
    pub lawyer: String,
    pub firm: String,
    pub division_name: String,
    #[serde(flatten)]
    pub entry: WorkEntry,
}

/// A yearly assessment.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AssessmentOut {
    pub year: i64,
    pub rating: AdviserRating,
    pub rating_label: &'static str,
    pub note: String,
    #[schema(value_type = String, format = Date)]
    #[serde(with = "date_format")]
    pub assessed_on: Date,
    pub assessor: Option<String>,
}

impl From<AssessmentRow> for AssessmentOut {
    fn from(a: AssessmentRow) -> AssessmentOut {
        AssessmentOut {
            year: a.year,
            rating: a.rating,
            rating_label: a.rating.label_zh(),
            note: a.note,
            assessed_on: a.assessed_on,
            assessor: a.assessor,
        }
    }
}

/// An adviser with the work log, the assessments and the review items put to them.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AdviserDetail {
    pub adviser: AdviserOut,
    /// Oldest first.
    pub work: Vec<WorkEntry>,
    pub assessments: Vec<AssessmentOut>,
    /// Review items put to this adviser, newest first.
    pub assigned: Vec<ReviewOut>,
    /// The caller may edit the entry and log work.
    pub can_manage: bool,
    /// The caller may give the yearly assessment (the township leader).
    pub can_assess: bool,
}

/// Body of `POST /api/v1/legal-advisers/{id}/logs`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct LogCreate {
    #[schema(value_type = String, format = Date)]
    #[serde(with = "date_format")]
    pub on: Date,
    pub kind: AdviserLogKind,
    pub subject: String,
    #[serde(default)]
    pub note: String,
}

/// Body of `POST /api/v1/legal-advisers/{id}/assessments`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct AssessmentCreate {
    pub year: i32,
    pub rating: AdviserRating,
    #[serde(default)]
    pub note: String,
}

/// Body of `POST /api/v1/legal-reviews/{id}/adviser`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct AssignAdviser {
    pub adviser_id: i64,
}

/// Whether a village has an adviser whose contract is in force today.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VillageCoverage {
    pub township_name: String,
    pub code: String,
    pub name: String,
    /// The advisers in force today ("周明（清溪律师事务所）").
    pub advisers: Vec<String>,
    pub covered: bool,
    /// Advisers linked to the village whose contract is not in force today.
    pub lapsed: Vec<String>,
}

/// Query of `GET /api/v1/legal-advisers/coverage`.
#[derive(Debug, Clone, Deserialize, utoipa::IntoParams, Default)]
pub struct CoverageQuery {
    /// A township's code (default: every township in scope).
    pub township_code: Option<String>,
}

/// A count with its code and label.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LabelledCount {
    pub code: &'static str,
    pub label: &'static str,
    pub count: usize,
}

/// A work figure with the links to exactly the entries it counts.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WorkFigure {
    pub code: &'static str,
    pub label: &'static str,
    pub count: usize,
    /// The page listing the entries.
    pub list: String,
    /// The same list through the API.
    pub api: String,
}

/// One adviser's work in the year, by kind.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AdviserWorkRow {
    pub adviser_id: i64,
    pub lawyer: String,
    pub firm: String,
    pub division_name: String,
    pub total: usize,
    pub total_list: String,
    /// In the order of `AdviserStatsOut::work`.
    pub figures: Vec<WorkFigure>,
}

/// The advisers' figures of a year (for the annual report's 法律顾问 part).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AdviserStatsOut {
    pub year: i32,
    /// On the roster in scope.
    pub advisers: usize,
    /// Whose contract is in force today.
    pub in_force: usize,
    pub villages: usize,
    /// Villages with an adviser in force today (一村一法律顾问).
    pub villages_covered: usize,
    /// Entries of the work logs in the year, by kind (logged work by what was logged),
    /// all advisers in scope together.
    pub work: Vec<WorkFigure>,
    /// Every entry of the year.
    pub total_work: usize,
    pub total_list: String,
    /// The same per adviser.
    pub per_adviser: Vec<AdviserWorkRow>,
    /// The year's assessments by rating.
    pub ratings: Vec<LabelledCount>,
}
