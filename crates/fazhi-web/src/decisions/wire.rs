//! The JSON shapes of the review desk API.

use fazhi_core::calendar::{Warning, date_format};
use fazhi_core::decisions::{
    Adoption, LegalOpinion, ReviewAction, ReviewActionCode, ReviewFigure, ReviewKind, ReviewRules,
    ReviewSpec, ReviewState, ReviewStatus,
};
use fazhi_db::decisions::reviews::{ReviewEventRow, ReviewRow};
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::{IntoParams, ToSchema};

/// Body of `POST /api/v1/legal-reviews`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ReviewCreate {
    /// The township's 12-digit code; may be left out by a user of one township.
    #[serde(default)]
    pub township_code: Option<String>,
    #[serde(flatten)]
    pub spec: ReviewSpec,
}

/// An item on the desk, as listed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReviewOut {
    pub id: i64,
    pub kind: ReviewKind,
    pub kind_label: &'static str,
    pub status: ReviewStatus,
    pub status_label: &'static str,
    pub title: String,
    pub drafting_unit: String,
    pub division_name: String,
    #[schema(value_type = String, format = Date)]
    #[serde(with = "date_format")]
    pub submitted_on: Date,
    #[schema(value_type = String, format = Date)]
    #[serde(with = "date_format")]
    pub due_on: Date,
    /// Days left to the due day while waiting for the opinion (negative when late).
    pub days_left: Option<i64>,
    pub warning: Warning,
    pub opinion: Option<LegalOpinion>,
    pub opinion_label: Option<&'static str>,
    #[schema(value_type = Option<String>, format = Date)]
    #[serde(with = "date_format::option")]
    pub reviewed_on: Option<Date>,
    #[schema(value_type = Option<String>, format = Date)]
    #[serde(with = "date_format::option")]
    pub signed_on: Option<Date>,
    /// Signed without an opinion given before.
    pub skipped: bool,
    /// The opinion came late, or has not come and the due day passed.
    pub overdue: bool,
    pub enforcement_case_id: Option<i64>,
    pub major_decision_id: Option<i64>,
    pub version: i64,
}

impl ReviewOut {
    pub(crate) fn of(r: &ReviewRow, s: &ReviewState, today: Date, yellow: u32) -> ReviewOut {
        let waiting = s.status == ReviewStatus::Pending;
        let left = (s.due_on - today).whole_days();
        let warning = if !waiting {
            Warning::None
        } else if left < 0 {
            Warning::Red
        } else if left <= i64::from(yellow) {
            Warning::Yellow
        } else {
            Warning::None
        };
        ReviewOut {
            id: r.id,
            kind: s.kind,
            kind_label: s.kind.label_zh(),
            status: s.status,
            status_label: s.status.label_zh(),
            title: s.title.clone(),
            drafting_unit: s.drafting_unit.clone(),
            division_name: r.division_name.clone(),
            submitted_on: s.submitted_on,
            due_on: s.due_on,
            days_left: waiting.then_some(left),
            warning,
            opinion: s.opinion.as_ref().map(|o| o.opinion),
            opinion_label: s.opinion.as_ref().map(|o| o.opinion.label_zh()),
            reviewed_on: s.opinion.as_ref().map(|o| o.on),
            signed_on: s.signed_on,
            skipped: s.skipped(),
            overdue: s.overdue(today),
            enforcement_case_id: s.enforcement_case_id,
            major_decision_id: s.major_decision_id,
            version: r.version,
        }
    }
}

/// One timeline entry.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReviewEventOut {
    pub at: i64,
    #[schema(value_type = String, format = Date)]
    #[serde(with = "date_format")]
    pub on_date: Date,
    pub actor: String,
    pub action: ReviewActionCode,
    pub action_label: &'static str,
    pub to_status: ReviewStatus,
    pub note: String,
}

impl From<ReviewEventRow> for ReviewEventOut {
    fn from(e: ReviewEventRow) -> ReviewEventOut {
        ReviewEventOut {
            at: e.at,
            on_date: e.on_date,
            actor: e.actor,
            action: e.action,
            action_label: e.action.label_zh(),
            to_status: e.to_status,
            note: e.note,
        }
    }
}

/// An item with everything recorded, its timeline and what the caller may do next.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReviewDetail {
    pub review: ReviewOut,
    /// The legal adviser the item was put to ("周明（清溪律师事务所）").
    pub adviser: Option<String>,
    /// The roster adviser who gave the opinion, when one did.
    pub opinion_adviser: Option<String>,
    /// The township's advisers in force today, to name the one giving the opinion.
    pub adviser_choices: Vec<super::adviser_wire::AdviserChoice>,
    pub materials: String,
    /// Why a period shorter than the minimum was asked for.
    pub urgent_reason: String,
    /// The reviewer's reasons.
    pub reasons: String,
    pub adoption: Option<Adoption>,
    pub adoption_label: Option<&'static str>,
    pub adoption_reason: String,
    #[schema(value_type = Option<String>, format = Date)]
    #[serde(with = "date_format::option")]
    pub adopted_on: Option<Date>,
    /// Lawful, or amend with the amendment adopted: the act may go ahead.
    pub passed: bool,
    pub allowed_actions: Vec<ReviewActionCode>,
    pub events: Vec<ReviewEventOut>,
}

/// Body of `POST /api/v1/legal-reviews/{id}/actions`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ReviewActionBody {
    /// The version read; another stored version answers 409 `stale_version`.
    #[serde(default)]
    pub version: Option<i64>,
    #[serde(flatten)]
    pub action: ReviewAction,
}

/// Query of the item list.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
pub struct ReviewQuery {
    pub status: Option<String>,
    pub kind: Option<String>,
    /// Entered the desk in this year.
    #[serde(default, deserialize_with = "super::blank_year")]
    pub year: Option<i32>,
    /// Only the items a figure counts (with `year`): the drill-down of the statistics.
    pub figure: Option<String>,
}

/// One figure with its drill-down links.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReviewFigureOut {
    pub figure: ReviewFigure,
    pub label: &'static str,
    pub count: i64,
    /// The page listing exactly these items.
    pub list: String,
    /// The same list through the API.
    pub api: String,
}

/// Counts of one kind.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct KindCount {
    pub kind: ReviewKind,
    pub label: &'static str,
    pub received: i64,
    pub needed_review: i64,
    pub skipped: i64,
    /// 审查率 of this kind in percent; none when nothing was signed.
    pub review_rate: Option<f64>,
}

/// The review desk's figures of a year.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReviewStatsOut {
    pub year: i32,
    pub basis: &'static str,
    /// 审查率 in percent = reviewed before signing ÷ needed review; none without a denominator.
    pub review_rate: Option<f64>,
    pub figures: Vec<ReviewFigureOut>,
    pub by_kind: Vec<KindCount>,
    /// The items signed without review (the 审查率's missing part).
    pub skipped: Vec<ReviewOut>,
}

/// The review periods per kind (settings; national defaults where the law has them).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ReviewRulesBody {
    #[schema(value_type = Object)]
    pub rules: ReviewRules,
}
