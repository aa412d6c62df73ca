//! JSON shapes of the matters API (kept apart from rows and page view models).

use fazhi_core::calendar::Warning;
use fazhi_core::matter::{
    ActionCode, AssigneeKind, Channel, ClosureType, DeadlineKind, Kind, MediationOutcome,
    RiskLevel, Satisfaction, Status, SupervisionLevel,
};
use fazhi_core::party::PartyRole;
use fazhi_db::matters::{EventRow, MatterRow, PartyRow};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::config::MatterConfig;

/// A party as given at intake.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct PartyIn {
    /// Name (of a person or an organisation).
    #[serde(default)]
    pub name: String,
    /// 18-character citizen ID number (checked with the GB 11643 check digit).
    #[serde(default)]
    pub id_number: Option<String>,
    /// Mobile or landline with area code.
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
    /// applicant, respondent, petitioner, complainant, reporter, third_party, agent, guardian, other;
    /// defaults by kind.
    #[serde(default)]
    pub role: Option<String>,
}

/// Body of `POST /api/v1/matters`.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct MatterCreate {
    /// dispute, petition, complaint, suggestion, consultation.
    #[serde(default)]
    pub kind: String,
    /// visit, phone, letter, grid_report, minhu, hotline_12345, petition_system,
    /// police_referral, court_referral, online, other.
    #[serde(default)]
    pub channel: String,
    /// A category code from `GET /api/v1/matter-options`.
    #[serde(default)]
    pub category: String,
    /// 12-digit code of the village/community (or township) where it arose.
    #[serde(default)]
    pub division_code: String,
    /// Grid inside that village.
    #[serde(default)]
    pub grid_id: Option<i64>,
    /// What it is about.
    #[serde(default)]
    pub summary: String,
    /// Exact place, if useful.
    #[serde(default)]
    pub address: Option<String>,
    /// Day of receipt (YYYY-MM-DD); today when absent.
    #[serde(default)]
    pub received_on: Option<String>,
    /// At least one party with a name.
    #[serde(default)]
    pub parties: Vec<PartyIn>,
    /// Id of the earlier matter this petition repeats (重复信访).
    #[serde(default)]
    pub repeat_of: Option<i64>,
}

/// Body of `POST /api/v1/public/matters` (the public form).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct PublicSubmit {
    /// dispute, petition, complaint, suggestion, consultation.
    #[serde(default)]
    pub kind: String,
    /// 12-digit code of the village/community.
    #[serde(default)]
    pub division_code: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub summary: String,
    /// The submitter's name.
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub id_number: Option<String>,
}

/// Who handles a matter.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AssigneeOut {
    pub kind: AssigneeKind,
    pub id: i64,
    pub name: Option<String>,
}

/// A matter as the API shows it (no personal data: parties come with the detail, masked).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MatterOut {
    pub id: i64,
    /// 查询码 for the public tracking page.
    pub tracking_code: String,
    pub kind: Kind,
    pub kind_label: String,
    pub channel: Channel,
    pub channel_label: String,
    pub category: String,
    pub category_label: String,
    pub status: Status,
    pub status_label: String,
    pub division_code: String,
    pub division_name: String,
    pub grid_id: Option<i64>,
    pub grid_name: Option<String>,
    pub summary: String,
    pub address: Option<String>,
    pub received_on: String,
    pub accepted_on: Option<String>,
    pub closed_on: Option<String>,
    /// Which deadline runs now.
    pub due_kind: Option<DeadlineKind>,
    /// Its last day.
    pub due_on: Option<String>,
    pub handling_due: Option<String>,
    /// Due soon (yellow) or overdue (red).
    pub warning: Warning,
    /// The handling clock is stopped.
    pub paused: bool,
    pub assignee: Option<AssigneeOut>,
    pub supervision: Option<SupervisionLevel>,
    pub closure_type: Option<ClosureType>,
    pub resolved: Option<bool>,
    pub outcome: Option<MediationOutcome>,
    pub on_time: Option<bool>,
    pub satisfaction: Option<Satisfaction>,
    /// The earlier matter this one repeats.
    pub repeat_of: Option<i64>,
    /// Send it back with the next action so concurrent edits are detected.
    /// The centre's risk level (研判), if assessed.
    pub risk: Option<RiskLevel>,
    /// Urgent or red-risk: first in task lists.
    pub urgent: bool,
    /// Days from today to the running deadline (negative: overdue by that many).
    pub days_left: Option<i64>,
    pub version: i64,
}

/// Warning level from the running due date (paused clocks never warn).
pub fn warning_of(r: &MatterRow, today: time::Date, yellow_days: u32) -> Warning {
    let Some(due) = r.due_on else {
        return Warning::None;
    };
    if r.paused {
        Warning::None
    } else if today > due {
        Warning::Red
    } else if (due - today).whole_days() <= i64::from(yellow_days) {
        Warning::Yellow
    } else {
        Warning::None
    }
}

/// Parses `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<time::Date> {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(s, &fmt).ok()
}

impl MatterOut {
    /// The 查询码 as people read it (`K7M3P-X9QRT`).
    pub fn code_shown(&self) -> String {
        fazhi_core::matter::tracking_shown(&self.tracking_code)
    }

    /// Past its running deadline.
    pub fn overdue(&self) -> bool {
        self.warning == Warning::Red
    }

    /// Its running deadline is near.
    pub fn due_soon(&self) -> bool {
        self.warning == Warning::Yellow
    }

    /// The countdown shown instead of a bare date: 剩N天, 今天到期 or 超N天.
    pub fn countdown(&self) -> String {
        match self.days_left {
            None => String::new(),
            Some(0) => "今天到期".into(),
            Some(n) if n > 0 => format!("剩{n}天"),
            Some(n) => format!("超{}天", -n),
        }
    }

    /// The risk level's label, empty when not assessed.
    pub fn risk_label(&self) -> &'static str {
        self.risk.map_or("", RiskLevel::label_zh)
    }

    /// Many rows at once (lists).
    pub fn many(rows: Vec<MatterRow>, cfg: &MatterConfig, today: time::Date) -> Vec<MatterOut> {
        rows.into_iter()
            .map(|r| MatterOut::from_row(r, cfg, today))
            .collect()
    }

    pub fn from_row(r: MatterRow, cfg: &MatterConfig, today: time::Date) -> MatterOut {
        let warning = warning_of(&r, today, cfg.yellow_days());
        let day = |d: Option<time::Date>| d.map(|d| d.to_string());
        MatterOut {
            id: r.id,
            kind_label: r.kind.label_zh().into(),
            channel_label: r.channel.label_zh().into(),
            category_label: cfg.category_label(&r.category),
            status_label: r.status.label_zh().into(),
            assignee: r
                .assignee_kind
                .zip(r.assignee_id)
                .map(|(kind, id)| AssigneeOut {
                    kind,
                    id,
                    name: r.assignee_name.clone(),
                }),
            tracking_code: r.tracking_code,
            kind: r.kind,
            channel: r.channel,
            category: r.category,
            status: r.status,
            division_code: r.division_code,
            division_name: r.division_name,
            grid_id: r.grid_id,
            grid_name: r.grid_name,
            summary: r.summary,
            address: r.address,
            received_on: r.received_on.to_string(),
            accepted_on: day(r.accepted_on),
            closed_on: day(r.closed_on),
            due_kind: r.due_kind,
            due_on: day(r.due_on),
            handling_due: day(r.handling_due),
            warning,
            paused: r.paused,
            supervision: r.supervision,
            closure_type: r.closure_type,
            resolved: r.resolved,
            outcome: r.outcome,
            on_time: r.on_time,
            satisfaction: r.satisfaction,
            repeat_of: r.repeat_of,
            risk: r.risk,
            urgent: r.urgent,
            days_left: r
                .due_on
                .filter(|_| !r.paused)
                .map(|d| (d - today).whole_days()),
            version: r.version,
        }
    }
}

/// A party with masked ID number and phone.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PartyOut {
    pub id: i64,
    pub role: PartyRole,
    pub role_label: String,
    pub name: String,
    /// e.g. 5101**********1234.
    pub id_number: Option<String>,
    /// e.g. 138****5678.
    pub phone: Option<String>,
    pub address: Option<String>,
}

impl From<PartyRow> for PartyOut {
    fn from(p: PartyRow) -> Self {
        PartyOut {
            id: p.id,
            role_label: p.role.label_zh().into(),
            role: p.role,
            name: p.name,
            id_number: p.id_number_mask,
            phone: p.phone_mask,
            address: p.address,
        }
    }
}

/// One entry of the timeline.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EventOut {
    pub id: i64,
    /// Unix milliseconds.
    pub at: i64,
    /// Local day.
    pub on_date: String,
    pub actor: String,
    pub action: ActionCode,
    pub action_label: String,
    pub from_status: Option<Status>,
    pub to_status: Status,
    pub note: String,
    /// The action's payload as sent.
    #[schema(value_type = Object)]
    pub payload: serde_json::Value,
}

impl From<EventRow> for EventOut {
    fn from(e: EventRow) -> Self {
        EventOut {
            id: e.id,
            at: e.at,
            on_date: e.on_date.to_string(),
            actor: e.actor,
            action_label: e.action.label_zh().into(),
            action: e.action,
            from_status: e.from_status,
            to_status: e.to_status,
            note: e.note,
            payload: serde_json::from_str(&e.payload).unwrap_or_default(),
        }
    }
}

/// A matter with its parties, timeline, photos and the other matters of the same people.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MatterDetail {
    #[serde(flatten)]
    pub matter: MatterOut,
    pub parties: Vec<PartyOut>,
    pub events: Vec<EventOut>,
    /// Ids of photos, at `/api/v1/matters/{id}/photos/{photo_id}`.
    pub photos: Vec<i64>,
    /// Other matters in scope with a party of the same ID number or phone.
    pub related: Vec<MatterOut>,
    /// What the caller may do to it now (`POST …/actions` refuses anything else).
    pub allowed_actions: Vec<ActionCode>,
    /// Whether the caller's 办结 goes to the centre's review (审核) first: true for a
    /// village or unit, false for the centre.
    pub closing_reviewed: bool,
    /// Co-handlers (协办) of the current assignment.
    pub co_handlers: Vec<AssigneeOut>,
    /// Day the lead handler signed for it (签收).
    pub acknowledged_on: Option<String>,
    /// The closing a village or unit submitted, while it waits for the centre's review.
    pub closing_under_review: Option<ClosingOut>,
    /// 群体性: people involved, as the centre's assessment (研判) records it.
    pub group_people: Option<u32>,
}

/// A closing as submitted (待审核), for the reviewer.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ClosingOut {
    pub closure_type: ClosureType,
    pub resolved: bool,
    pub outcome: Option<MediationOutcome>,
    /// Day the handler closed it.
    pub closed_on: String,
    /// Within the handling deadline on that day.
    pub on_time: bool,
}

/// A page of matters.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MatterPage {
    pub items: Vec<MatterOut>,
    /// Pass as `after` (with the same `sort`) for the next page; null on the last page.
    pub next: Option<String>,
    /// In the `id_desc` order only: pass as `before` for the next page (older clients).
    pub next_before: Option<i64>,
}

/// Filters of `GET /api/v1/matters`.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MatterQuery {
    /// Comma-separated statuses.
    pub status: Option<String>,
    pub kind: Option<String>,
    pub channel: Option<String>,
    pub category: Option<String>,
    /// Only matters inside this division (village, township).
    pub division_code: Option<String>,
    pub grid_id: Option<i64>,
    /// unit or division, with `assignee_id`.
    pub assignee_kind: Option<String>,
    pub assignee_id: Option<i64>,
    /// Received from this day (YYYY-MM-DD).
    pub from: Option<String>,
    /// Received up to this day.
    pub to: Option<String>,
    /// Only matters whose running deadline has passed.
    pub overdue: Option<bool>,
    /// Only repeat petitions (true) or only first ones (false).
    pub repeat: Option<bool>,
    /// Words in the summary.
    pub q: Option<String>,
    /// Only matters I registered or reported.
    pub mine: Option<bool>,
    /// Only the matters a statistic counts: received, accepted, resolved, closed,
    /// closed_on_time, evaluated, satisfied, repeats, reopened (see `/api/v1/stats/matters`).
    pub figure: Option<String>,
    /// Order: `received_desc` (default, newest received first; `id_desc` when `q` is
    /// given), `received_asc`,
    /// `due_asc` (nearest deadline first, matters without one last), `updated_desc`
    /// (recently worked on), `id_desc` (newest registered first).
    pub sort: Option<String>,
    /// Keyset cursor: `next` of the previous page, with the same `sort`.
    pub after: Option<String>,
    /// Older keyset cursor for the `id_desc` order: `next_before` of the previous page
    /// (alone, it implies `sort=id_desc`).
    pub before: Option<i64>,
    /// Page size, 1–200 (default 50).
    pub limit: Option<i64>,
    /// 风险等级 given at the centre's assessment: red, orange, yellow, blue.
    pub risk: Option<String>,
    /// How it was closed: substantive, procedural, … (closed matters only).
    pub closure_type: Option<String>,
    /// Only urgent matters (true) or only the others (false).
    pub urgent: Option<bool>,
}

/// Body of `POST /api/v1/matters/{id}/actions`: `{"action": "...", ...payload, "version"?}`.
#[derive(Debug, Clone, Deserialize)]
pub struct ActionBody {
    /// The version read; a different stored version answers 409.
    #[serde(default)]
    pub version: Option<i64>,
    #[serde(flatten)]
    pub action: serde_json::Map<String, serde_json::Value>,
}

/// The documented shape of [`ActionBody`]: one of the actions, tagged by `action`, with
/// its payload beside it, plus `version` (the version read; another stored version
/// answers 409 `stale_version`) and an optional `note` for the timeline.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ActionRequest {
    #[serde(flatten)]
    pub action: fazhi_core::matter::Action,
    pub version: Option<i64>,
    pub note: Option<String>,
}

/// The result of an action.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ActionResult {
    pub matter: MatterOut,
    pub event: EventOut,
}

/// Body of the reveal call.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct RevealBody {
    /// id_number or phone.
    pub field: String,
}

/// A revealed value (the reveal is in the audit log).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RevealOut {
    pub value: Option<String>,
}

/// Body of the person lookup at intake.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct LookupBody {
    #[serde(default)]
    pub id_number: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
}

/// What the public may see of a matter: status and dates, nothing personal.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TrackOut {
    pub tracking_code: String,
    pub kind_label: String,
    pub status: Status,
    pub status_label: String,
    pub received_on: String,
    pub accepted_on: Option<String>,
    pub closed_on: Option<String>,
    /// Last day of the handling period, once accepted.
    pub handling_due: Option<String>,
    pub steps: Vec<TrackStep>,
}

/// One status change on the public page.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TrackStep {
    pub on_date: String,
    pub action_label: String,
    pub status_label: String,
}

/// Result of a public submission.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SubmitOut {
    pub tracking_code: String,
    /// Where to follow it.
    pub track_url: String,
}

/// Choices for intake forms and clients.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Options {
    pub kinds: Vec<CodeLabel>,
    pub channels: Vec<CodeLabel>,
    pub categories: Vec<CodeLabel>,
    pub party_roles: Vec<CodeLabel>,
}

/// A code and its Chinese label.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CodeLabel {
    pub code: String,
    pub label: String,
}

/// Overdue matters of one handling unit or village.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OverdueOut {
    pub assignee_kind: fazhi_core::matter::AssigneeKind,
    pub assignee_id: i64,
    pub name: Option<String>,
    /// The village's township, or the unit's division: two villages may share a name.
    pub township_name: Option<String>,
    /// Open (交办、办理中、待审核).
    pub open: i64,
    /// Not yet signed for (待签收).
    pub unsigned: i64,
    /// Closings waiting for the centre's review (待审核).
    pub reviewing: i64,
    /// Past the deadline.
    pub overdue: i64,
    /// Of which under supervision (督办).
    pub supervised: i64,
}
