//! The JSON shapes of the normative documents API.

use fazhi_core::calendar::date_format;
use fazhi_core::decisions::{
    CleanupDecision, CleanupRoundSpec, LegalOpinion, NormativeAction, NormativeActionCode,
    NormativeFigure, NormativeRules, NormativeSpec, NormativeState, NormativeStatus, ReviewStatus,
    RoundLists, Validity,
};
use fazhi_db::decisions::normative::{NormativeEventRow, NormativeRow};
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::{IntoParams, ToSchema};

/// Body of `POST /api/v1/normative-documents`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NormativeCreate {
    /// The township's 12-digit code; may be left out by a user of one township.
    #[serde(default)]
    pub township_code: Option<String>,
    #[serde(flatten)]
    pub spec: NormativeSpec,
}

/// A document, as listed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NormativeOut {
    pub id: i64,
    pub title: String,
    /// 文号, once issued.
    pub number: String,
    pub drafting_unit: String,
    pub division_name: String,
    pub status: NormativeStatus,
    pub status_label: &'static str,
    pub validity: Validity,
    pub validity_label: &'static str,
    /// 暂行 / 试行 (validity 2 years).
    pub provisional: bool,
    #[schema(value_type = Option<String>, format = Date)]
    #[serde(with = "date_format::option")]
    pub published_on: Option<Date>,
    #[schema(value_type = Option<String>, format = Date)]
    #[serde(with = "date_format::option")]
    pub effective_on: Option<Date>,
    #[schema(value_type = Option<String>, format = Date)]
    #[serde(with = "date_format::option")]
    pub expires_on: Option<Date>,
    /// In force and within the reminder window before expiry (or expired, not cleaned up).
    pub expiring: bool,
    #[schema(value_type = Option<String>, format = Date)]
    #[serde(with = "date_format::option")]
    pub filing_due: Option<Date>,
    #[schema(value_type = Option<String>, format = Date)]
    #[serde(with = "date_format::option")]
    pub filed_on: Option<Date>,
    pub filing_overdue: bool,
    pub legal_review_id: Option<i64>,
    pub version: i64,
}

impl NormativeOut {
    pub(crate) fn of(
        r: &NormativeRow,
        s: &NormativeState,
        today: Date,
        rules: &NormativeRules,
    ) -> NormativeOut {
        let v = s.validity(today);
        NormativeOut {
            id: r.id,
            title: s.title.clone(),
            number: s.number.clone(),
            drafting_unit: s.drafting_unit.clone(),
            division_name: r.division_name.clone(),
            status: s.status,
            status_label: s.status.label_zh(),
            validity: v,
            validity_label: v.label_zh(),
            provisional: s.provisional,
            published_on: s.published_on,
            effective_on: s.effective_on,
            expires_on: s.expires_on,
            expiring: s.expiring(today, rules),
            filing_due: s.filing_due,
            filed_on: s.filed_on,
            filing_overdue: s.filing_overdue(today),
            legal_review_id: s.legal_review_id,
            version: r.version,
        }
    }
}

/// The linked item of the review desk.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NormativeReviewOut {
    pub id: i64,
    pub status: ReviewStatus,
    pub status_label: &'static str,
    pub opinion: Option<LegalOpinion>,
    pub opinion_label: Option<&'static str>,
    /// Lawful, or amend with the amendment adopted: deliberation may follow.
    pub passed: bool,
}

/// One clean-up decision.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CleanupOut {
    #[schema(value_type = String, format = Date)]
    #[serde(with = "date_format")]
    pub on: Date,
    pub decision: CleanupDecision,
    pub decision_label: &'static str,
    pub note: String,
    /// The clean-up round it was decided in, if any.
    pub round_id: Option<i64>,
}

/// One comment on the draft, with its answer.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NormativeCommentOut {
    /// 1-based, the `n` of `answer_comment`.
    pub n: usize,
    #[schema(value_type = String, format = Date)]
    #[serde(with = "date_format")]
    pub on: Date,
    pub author: String,
    pub content: String,
    /// Empty until answered.
    pub answer: String,
}

/// One renewal: the number and period the document had before.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RenewalOut {
    #[schema(value_type = String, format = Date)]
    #[serde(with = "date_format")]
    pub on: Date,
    pub old_number: String,
    #[schema(value_type = Option<String>, format = Date)]
    #[serde(with = "date_format::option")]
    pub old_published_on: Option<Date>,
    #[schema(value_type = String, format = Date)]
    #[serde(with = "date_format")]
    pub old_expires_on: Date,
    /// The desk item of the renewal review.
    pub review_id: Option<i64>,
}

/// One timeline entry.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NormativeEventOut {
    #[schema(value_type = String, format = Date)]
    #[serde(with = "date_format")]
    pub on_date: Date,
    pub actor: String,
    pub action: NormativeActionCode,
    pub action_label: &'static str,
    pub to_status: NormativeStatus,
    pub note: String,
}

impl From<NormativeEventRow> for NormativeEventOut {
    fn from(e: NormativeEventRow) -> Self {
        NormativeEventOut {
            on_date: e.on_date,
            actor: e.actor,
            action: e.action,
            action_label: e.action.label_zh(),
            to_status: e.to_status,
            note: e.note,
        }
    }
}

/// A document with its text, review, steps, timeline and what the caller may do next.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NormativeDetail {
    pub document: NormativeOut,
    pub text: String,
    pub explanation: String,
    /// How comments were gathered and used, in summary.
    pub comments: String,
    /// The comments one by one (who, what, the answer).
    pub comment_records: Vec<NormativeCommentOut>,
    /// The linked desk item: the first review, or the renewal review once submitted.
    pub review: Option<NormativeReviewOut>,
    /// A renewal review is on the desk.
    pub renewal_pending: bool,
    /// Desk items of earlier reviews (before a renewal review).
    pub earlier_review_ids: Vec<i64>,
    pub renewals: Vec<RenewalOut>,
    /// The day it was decided to let the document lapse at expiry, and why.
    #[schema(value_type = Option<String>, format = Date)]
    #[serde(with = "date_format::option")]
    pub lapse_decided_on: Option<Date>,
    pub lapse_note: String,
    #[schema(value_type = Option<String>, format = Date)]
    #[serde(with = "date_format::option")]
    pub deliberated_on: Option<Date>,
    pub meeting: String,
    pub conclusion: String,
    /// The roster advisers who attended the deliberation.
    pub deliberation_advisers: Vec<String>,
    /// The township's advisers in force today, for `deliberate`'s `adviser_ids`.
    pub adviser_choices: Vec<super::adviser_wire::AdviserChoice>,
    pub published_via: String,
    pub filed_with: String,
    pub cleanups: Vec<CleanupOut>,
    pub allowed_actions: Vec<NormativeActionCode>,
    pub events: Vec<NormativeEventOut>,
}

/// Body of `POST /api/v1/normative-documents/{id}/actions`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NormativeActionBody {
    /// The version read; another stored version answers 409 `stale_version`.
    #[serde(default)]
    pub version: Option<i64>,
    #[serde(flatten)]
    pub action: NormativeAction,
}

/// Query of the document list.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
pub struct NormativeQuery {
    pub status: Option<String>,
    /// Only documents within the expiry reminder window (`true`).
    pub expiring: Option<bool>,
    /// Only documents not filed in time (`true`).
    pub filing_overdue: Option<bool>,
    /// The year of a figure (default this year).
    #[serde(default, deserialize_with = "super::blank_year")]
    pub year: Option<i32>,
    /// Only the documents a figure counts: the drill-down of the statistics.
    pub figure: Option<String>,
}

/// One document on the public list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicNormative {
    pub id: i64,
    pub number: String,
    pub title: String,
    pub validity: Validity,
    pub validity_label: &'static str,
    #[schema(value_type = Option<String>, format = Date)]
    #[serde(with = "date_format::option")]
    pub published_on: Option<Date>,
    #[schema(value_type = Option<String>, format = Date)]
    #[serde(with = "date_format::option")]
    pub effective_on: Option<Date>,
    #[schema(value_type = Option<String>, format = Date)]
    #[serde(with = "date_format::option")]
    pub expires_on: Option<Date>,
    #[schema(value_type = Option<String>, format = Date)]
    #[serde(with = "date_format::option")]
    pub repealed_on: Option<Date>,
    pub text: String,
}

/// Body of `POST /api/v1/normative-documents/rounds`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct RoundCreate {
    /// The township's 12-digit code; may be left out by a user of one township.
    #[serde(default)]
    pub township_code: Option<String>,
    #[serde(flatten)]
    pub spec: CleanupRoundSpec,
}

/// A clean-up round with its published lists.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RoundOut {
    pub id: i64,
    pub division_name: String,
    #[schema(value_type = String, format = Date)]
    #[serde(with = "date_format")]
    pub on: Date,
    pub scope: String,
    pub note: String,
    pub lists: RoundLists,
}

/// A township's published documents in the three lists of the clean-up.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicNormatives {
    pub township_name: String,
    /// In force, or published and not yet in force.
    pub valid: Vec<PublicNormative>,
    pub repealed: Vec<PublicNormative>,
    pub expired: Vec<PublicNormative>,
    /// The clean-up rounds with the lists each published, newest first.
    pub rounds: Vec<RoundOut>,
}

/// The periods (settings; defaults as documented on `NormativeRules`).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct NormativeRulesBody {
    #[schema(value_type = Object)]
    pub rules: NormativeRules,
}

/// One figure with its drill-down links.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NormativeFigureOut {
    pub figure: NormativeFigure,
    pub label: &'static str,
    pub count: i64,
    /// The page listing exactly these documents.
    pub list: String,
    /// The same list through the API.
    pub api: String,
}

/// The normative documents' figures of a year.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NormativeStatsOut {
    pub year: i32,
    pub basis: &'static str,
    /// 报备率 in percent: filed ÷ published in the year; none when none was published.
    pub filing_rate: Option<f64>,
    /// 报备及时率 in percent: filed within the period ÷ published in the year.
    pub filing_on_time_rate: Option<f64>,
    pub figures: Vec<NormativeFigureOut>,
    /// Clean-up rounds held in the year (each a record with its lists).
    pub rounds: i64,
    /// The page of the rounds.
    pub rounds_list: String,
}
