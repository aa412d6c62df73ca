//! The JSON shapes of the contracts API.

use fazhi_core::calendar::{Warning, date_format};
use fazhi_core::decisions::{
    ContractAction, ContractActionCode, ContractFigure, ContractSpec, ContractState,
    ContractStatus, LegalOpinion, Milestone, ReviewStatus,
};
use fazhi_db::decisions::contracts::{ContractEventRow, ContractRow};
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::{IntoParams, ToSchema};

/// Days before expiry a contract in force is listed by default (到期提醒).
pub const EXPIRY_DAYS: i64 = 30;

/// Body of `POST /api/v1/contracts`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ContractCreate {
    /// The township's 12-digit code; may be left out by a user of one township.
    #[serde(default)]
    pub township_code: Option<String>,
    #[serde(flatten)]
    pub spec: ContractSpec,
}

/// A contract, as listed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ContractOut {
    pub id: i64,
    pub title: String,
    pub counterparty: String,
    /// In fen.
    pub amount_fen: i64,
    /// In yuan, as shown: "12.50元".
    pub amount_label: String,
    pub drafting_unit: String,
    pub division_name: String,
    pub status: ContractStatus,
    pub status_label: &'static str,
    #[schema(value_type = Option<String>, format = Date)]
    #[serde(with = "date_format::option")]
    pub starts_on: Option<Date>,
    #[schema(value_type = Option<String>, format = Date)]
    #[serde(with = "date_format::option")]
    pub expires_on: Option<Date>,
    /// Days to the expiry of a contract in force (negative once expired).
    pub days_to_expiry: Option<i64>,
    /// Yellow within the reminder window, red once expired and still in force.
    pub warning: Warning,
    #[schema(value_type = Option<String>, format = Date)]
    #[serde(with = "date_format::option")]
    pub signed_on: Option<Date>,
    pub legal_review_id: Option<i64>,
    /// Signed after a passed review.
    pub reviewed_before_signing: bool,
    /// Signed without a passed review before: counted as skipped in the 审查率.
    pub skipped_review: bool,
    /// A milestone of a contract in force is late.
    pub milestone_overdue: bool,
    pub version: i64,
}

impl ContractOut {
    pub(crate) fn of(r: &ContractRow, s: &ContractState, today: Date) -> ContractOut {
        let left = s.days_to_expiry(today);
        let warning = match left {
            Some(n) if n < 0 => Warning::Red,
            Some(n) if n <= EXPIRY_DAYS => Warning::Yellow,
            _ if s.milestone_overdue(today) => Warning::Red,
            _ => Warning::None,
        };
        ContractOut {
            id: r.id,
            title: s.title.clone(),
            counterparty: s.counterparty.clone(),
            amount_fen: s.amount_fen,
            amount_label: s.amount_label(),
            drafting_unit: s.drafting_unit.clone(),
            division_name: r.division_name.clone(),
            status: s.status,
            status_label: s.status.label_zh(),
            starts_on: s.starts_on,
            expires_on: s.expires_on,
            days_to_expiry: left,
            warning,
            signed_on: s.signed_on,
            legal_review_id: s.legal_review_id,
            reviewed_before_signing: s.reviewed_before_signing,
            skipped_review: s.skipped_review(),
            milestone_overdue: s.milestone_overdue(today),
            version: r.version,
        }
    }
}

/// The linked item of the review desk.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ContractReviewOut {
    pub id: i64,
    pub status: ReviewStatus,
    pub status_label: &'static str,
    pub opinion: Option<LegalOpinion>,
    pub opinion_label: Option<&'static str>,
    #[schema(value_type = String, format = Date)]
    #[serde(with = "date_format")]
    pub due_on: Date,
    /// Lawful, or amend with the amendment adopted: the contract may be signed.
    pub passed: bool,
}

/// One performance milestone.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MilestoneOut {
    /// Its number for `complete_milestone` (from 0).
    pub index: usize,
    pub title: String,
    #[schema(value_type = String, format = Date)]
    #[serde(with = "date_format")]
    pub due_on: Date,
    #[schema(value_type = Option<String>, format = Date)]
    #[serde(with = "date_format::option")]
    pub done_on: Option<Date>,
    pub note: String,
    pub overdue: bool,
}

impl MilestoneOut {
    pub(crate) fn of(index: usize, m: &Milestone, today: Date) -> MilestoneOut {
        MilestoneOut {
            index,
            title: m.title.clone(),
            due_on: m.due_on,
            done_on: m.done_on,
            note: m.note.clone(),
            overdue: m.overdue(today),
        }
    }
}

/// One timeline entry.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ContractEventOut {
    pub at: i64,
    #[schema(value_type = String, format = Date)]
    #[serde(with = "date_format")]
    pub on_date: Date,
    pub actor: String,
    pub action: ContractActionCode,
    pub action_label: &'static str,
    pub to_status: ContractStatus,
    pub note: String,
}

impl From<ContractEventRow> for ContractEventOut {
    fn from(e: ContractEventRow) -> Self {
        ContractEventOut {
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

/// A contract with its review, milestones, timeline and what the caller may do next.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ContractDetail {
    pub contract: ContractOut,
    pub review: Option<ContractReviewOut>,
    pub milestones: Vec<MilestoneOut>,
    #[schema(value_type = Option<String>, format = Date)]
    #[serde(with = "date_format::option")]
    pub closed_on: Option<Date>,
    pub close_reason: String,
    pub allowed_actions: Vec<ContractActionCode>,
    pub events: Vec<ContractEventOut>,
}

/// Body of `POST /api/v1/contracts/{id}/actions`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ContractActionBody {
    /// The version read; another stored version answers 409 `stale_version`.
    #[serde(default)]
    pub version: Option<i64>,
    #[serde(flatten)]
    pub action: ContractAction,
}

/// Query of the contract list.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
pub struct ContractQuery {
    pub status: Option<String>,
    /// Signed in this year.
    #[serde(default, deserialize_with = "super::blank_year")]
    pub year: Option<i32>,
    /// Only contracts signed without a passed review (`true`).
    pub skipped: Option<bool>,
    /// Only the contracts a figure counts (for `year`, default this year): the
    /// drill-down of the statistics.
    pub figure: Option<String>,
}

/// Query of the expiry reminders.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
pub struct ExpiringQuery {
    /// Contracts in force expiring within this many days (default 30; expired ones too).
    pub days: Option<i64>,
}

/// One figure with its drill-down links.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ContractFigureOut {
    pub figure: ContractFigure,
    pub label: &'static str,
    pub count: i64,
    /// The page listing exactly these contracts.
    pub list: String,
    /// The same list through the API.
    pub api: String,
}

/// The contracts' figures of a year.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ContractStatsOut {
    pub year: i32,
    pub basis: &'static str,
    /// Signed after a passed review ÷ signed, in percent; none when nothing was signed.
    pub review_rate: Option<f64>,
    /// The amount of the contracts signed in the year, in fen, and as shown.
    pub amount_fen: i64,
    pub amount_label: String,
    pub figures: Vec<ContractFigureOut>,
}
