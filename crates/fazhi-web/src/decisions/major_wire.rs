//! The JSON shapes of the major decisions API.

use fazhi_core::calendar::date_format;
use fazhi_core::decisions::{
    DecisionAction, DecisionActionCode, DecisionPlan, DecisionState, DecisionStatus,
};
use fazhi_db::decisions::major::{DecisionEventRow, DecisionRow};
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::ToSchema;

/// Body of `POST /api/v1/decisions/catalogues/{year}/decisions`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct DecisionPlanIn {
    /// The township's 12-digit code; may be left out by a user of one township.
    #[serde(default)]
    pub township_code: Option<String>,
    #[serde(flatten)]
    pub plan: DecisionPlan,
    /// Why a published catalogue is adjusted (required once published).
    #[serde(default)]
    pub reason: String,
}

/// Body of `POST /api/v1/decisions/catalogues/{id}/agreement`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct AgreementIn {
    /// The day the Party committee agreed.
    #[schema(value_type = String, format = Date)]
    #[serde(with = "date_format")]
    pub on: Date,
}

/// A decision, as listed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DecisionOut {
    pub id: i64,
    pub catalogue_id: i64,
    pub title: String,
    pub lead_unit: String,
    pub status: DecisionStatus,
    pub status_label: &'static str,
    pub legal_review_id: Option<i64>,
    pub version: i64,
}

impl DecisionOut {
    pub(crate) fn of(r: &DecisionRow, s: &DecisionState) -> DecisionOut {
        DecisionOut {
            id: r.id,
            catalogue_id: r.catalogue_id,
            title: s.plan.title.clone(),
            lead_unit: s.plan.lead_unit.clone(),
            status: s.status,
            status_label: s.status.label_zh(),
            legal_review_id: s.legal_review_id,
            version: r.version,
        }
    }
}

/// A catalogue with its decisions.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CatalogueOut {
    pub id: i64,
    pub year: i64,
    pub township_name: String,
    #[schema(value_type = Option<String>, format = Date)]
    #[serde(with = "date_format::option")]
    pub agreed_on: Option<Date>,
    #[schema(value_type = Option<String>, format = Date)]
    #[serde(with = "date_format::option")]
    pub published_on: Option<Date>,
    /// Changes after publication with their reasons.
    #[schema(value_type = Object)]
    pub adjustments: serde_json::Value,
    pub decisions: Vec<DecisionOut>,
    pub version: i64,
}

/// One timeline entry.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DecisionEventOut {
    #[schema(value_type = String, format = Date)]
    #[serde(with = "date_format")]
    pub on_date: Date,
    pub actor: String,
    pub action: DecisionActionCode,
    pub action_label: &'static str,
    pub note: String,
}

impl From<DecisionEventRow> for DecisionEventOut {
    fn from(e: DecisionEventRow) -> Self {
        DecisionEventOut {
            on_date: e.on_date,
            actor: e.actor,
            action: e.action,
            action_label: e.action.label_zh(),
            note: e.note,
        }
    }
}

/// A decision with everything recorded and what the caller may do next.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DecisionDetail {
    pub decision: DecisionOut,
    /// The whole recorded state (plan, consultation and comments, experts, risk, discussion …).
    #[schema(value_type = Object)]
    pub state: serde_json::Value,
    /// The linked review desk item passed (lawful, or amend adopted).
    pub review_passed: bool,
    pub allowed_actions: Vec<DecisionActionCode>,
    pub events: Vec<DecisionEventOut>,
    /// The documents the state supports now (征求意见公告, 决策公告).
    pub documents: Vec<DocLink>,
    /// The township's advisers in force today, to pick those attending the discussion.
    pub adviser_choices: Vec<super::adviser_wire::AdviserChoice>,
    /// The roster advisers who attended the collective discussion.
    pub discussion_advisers: Vec<String>,
}

/// A document to download.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DocLink {
    pub href: String,
    pub label: &'static str,
}

/// Body of `POST /api/v1/decisions/{id}/actions`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct DecisionActionBody {
    #[serde(default)]
    pub version: Option<i64>,
    #[serde(flatten)]
    pub action: DecisionAction,
}

/// A public comment as the public page shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicComment {
    pub author: String,
    pub content: String,
    pub answer: String,
}

/// A decision's public steps.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicDecision {
    pub title: String,
    pub lead_unit: String,
    /// (step, day, note) of the public steps only.
    #[schema(value_type = Vec<Object>)]
    pub steps: Vec<(String, String, String)>,
    /// The draft while comments are open (and after), with its explanation.
    pub draft: Option<String>,
    pub explanation: Option<String>,
    pub comments_close_on: Option<String>,
    pub comments: Vec<PublicComment>,
    /// The decision as published.
    pub published_text: Option<String>,
}

/// A township's published catalogues and decisions (no login).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicDecisions {
    pub township_name: String,
    pub catalogues: Vec<PublicCatalogue>,
}

/// One published catalogue.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicCatalogue {
    pub year: i64,
    pub published_on: String,
    /// Changes after publication: (day, change, reason).
    #[schema(value_type = Vec<Object>)]
    pub adjustments: Vec<(String, String, String)>,
    pub decisions: Vec<PublicDecision>,
}

/// The comment period and hearing lead time (settings; national defaults).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DecisionRulesBody {
    #[schema(value_type = Object)]
    pub rules: fazhi_core::decisions::DecisionRules,
}
