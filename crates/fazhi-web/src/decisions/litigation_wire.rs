//! The JSON shapes of the 复议 and 诉讼 register API.

use fazhi_core::calendar::{Warning, date_format};
use fazhi_core::decisions::{
    AttendeeRole, HearingRecord, Instance, LitigationAction, LitigationActionCode,
    LitigationFigure, LitigationKind, LitigationOutcome, LitigationSpec, LitigationState,
    LitigationStatus,
};
use fazhi_db::decisions::litigation::{HeadAttendance, LitigationEventRow, LitigationRow};
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::{IntoParams, ToSchema};

/// Body of `POST /api/v1/litigation`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct LitigationCreate {
    /// The township's 12-digit code; may be left out by a user of one township.
    #[serde(default)]
    pub township_code: Option<String>,
    #[serde(flatten)]
    pub spec: LitigationSpec,
}

/// A case, as listed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LitigationOut {
    pub id: i64,
    pub kind: LitigationKind,
    pub kind_label: &'static str,
    pub instance: Option<Instance>,
    pub instance_label: Option<&'static str>,
    pub status: LitigationStatus,
    pub status_label: &'static str,
    pub case_number: String,
    pub claimant: String,
    /// 复议机关 / 人民法院.
    pub body: String,
    pub challenged_act: String,
    pub division_name: String,
    #[schema(value_type = String, format = Date)]
    #[serde(with = "date_format")]
    pub received_on: Date,
    /// Last day for the answer (答复 / 答辩状) and the evidence.
    #[schema(value_type = String, format = Date)]
    #[serde(with = "date_format")]
    pub answer_due: Date,
    #[schema(value_type = Option<String>, format = Date)]
    #[serde(with = "date_format::option")]
    pub answered_on: Option<Date>,
    /// Last day for the 复议 decision or the first-instance judgment.
    #[schema(value_type = Option<String>, format = Date)]
    #[serde(with = "date_format::option")]
    pub decision_due: Option<Date>,
    /// The township's next deadline (答复/答辩 or 整改) and its day.
    pub next_due_label: Option<&'static str>,
    #[schema(value_type = Option<String>, format = Date)]
    #[serde(with = "date_format::option")]
    pub next_due: Option<Date>,
    /// Days left to `next_due` (negative when late).
    pub days_left: Option<i64>,
    pub warning: Warning,
    #[schema(value_type = Option<String>, format = Date)]
    #[serde(with = "date_format::option")]
    pub next_hearing: Option<Date>,
    pub outcome: Option<LitigationOutcome>,
    pub outcome_label: Option<&'static str>,
    #[schema(value_type = Option<String>, format = Date)]
    #[serde(with = "date_format::option")]
    pub concluded_on: Option<Date>,
    /// 复议 corrected or lawsuit lost.
    pub corrected: bool,
    /// The answer came late or is late.
    pub answer_overdue: bool,
    /// The correction after a 复议意见书 came late or is late.
    pub correction_overdue: bool,
    pub overdue: bool,
    pub enforcement_case_id: Option<i64>,
    pub major_decision_id: Option<i64>,
    pub version: i64,
}

impl LitigationOut {
    pub(crate) fn of(r: &LitigationRow, s: &LitigationState, today: Date, yellow: u32) -> Self {
        let next = s.next_due();
        let left = next.map(|(_, d)| (d - today).whole_days());
        let warning = match left {
            Some(n) if n < 0 => Warning::Red,
            Some(n) if n <= i64::from(yellow) => Warning::Yellow,
            _ => Warning::None,
        };
        LitigationOut {
            id: r.id,
            kind: s.kind,
            kind_label: s.kind.label_zh(),
            instance: s.instance,
            instance_label: s.instance.map(|i| i.label_zh()),
            status: s.status,
            status_label: s.status.label_zh(),
            case_number: s.case_number.clone(),
            claimant: s.claimant.clone(),
            body: s.body.clone(),
            challenged_act: s.challenged_act.clone(),
            division_name: r.division_name.clone(),
            received_on: s.received_on,
            answer_due: s.answer_due,
            answered_on: s.answer.as_ref().map(|a| a.on),
            decision_due: s.decision_due,
            next_due_label: next.map(|(l, _)| l),
            next_due: next.map(|(_, d)| d),
            days_left: left,
            warning,
            next_hearing: s.next_hearing(today),
            outcome: s.outcome,
            outcome_label: s.outcome.map(|o| o.label_zh()),
            concluded_on: s.concluded_on,
            corrected: s.corrected(),
            answer_overdue: s.answer_overdue(today),
            correction_overdue: s.correction_overdue(today),
            overdue: s.overdue(today),
            enforcement_case_id: s.enforcement_case_id,
            major_decision_id: s.major_decision_id,
            version: r.version,
        }
    }
}

/// One hearing and who attended.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HearingOut {
    /// Its number for `record_attendance` (from 0).
    pub index: usize,
    #[schema(value_type = String, format = Date)]
    #[serde(with = "date_format")]
    pub on: Date,
    pub summoned: bool,
    /// None until the attendance is recorded.
    pub attendee: Option<AttendeeRole>,
    pub attendee_label: Option<&'static str>,
    pub attendee_name: String,
    pub head_user_id: Option<i64>,
    pub head_attended: bool,
    pub excuse: String,
    pub proof: String,
    pub spoke_on_resolution: bool,
    /// Roster advisers (法律顾问) who attended with the township.
    pub adviser_ids: Vec<i64>,
    /// Their names, "周明（清溪律师事务所）".
    pub advisers: Vec<String>,
}

impl HearingOut {
    pub(crate) fn of(index: usize, h: &HearingRecord) -> HearingOut {
        HearingOut {
            index,
            on: h.on,
            summoned: h.summoned,
            attendee: h.attendee,
            attendee_label: h.attendee.map(|a| a.label_zh()),
            attendee_name: h.attendee_name.clone(),
            head_user_id: h.head_user_id,
            head_attended: h.head_attended(),
            excuse: h.excuse.clone(),
            proof: h.proof.clone(),
            spoke_on_resolution: h.spoke_on_resolution,
            adviser_ids: h.adviser_ids.clone().unwrap_or_default(),
            advisers: Vec::new(),
        }
    }
}

/// The 复议意见书 and the correction after it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OpinionLetterOut {
    #[schema(value_type = String, format = Date)]
    #[serde(with = "date_format")]
    pub received_on: Date,
    pub content: String,
    #[schema(value_type = String, format = Date)]
    #[serde(with = "date_format")]
    pub correction_due: Date,
    #[schema(value_type = Option<String>, format = Date)]
    #[serde(with = "date_format::option")]
    pub corrected_on: Option<Date>,
    pub correction: String,
}

/// A head of the township who may be recorded as attending.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HeadOut {
    pub id: i64,
    pub display_name: String,
}

/// One timeline entry.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LitigationEventOut {
    pub at: i64,
    #[schema(value_type = String, format = Date)]
    #[serde(with = "date_format")]
    pub on_date: Date,
    pub actor: String,
    pub action: LitigationActionCode,
    pub action_label: &'static str,
    pub to_status: LitigationStatus,
    pub note: String,
}

impl From<LitigationEventRow> for LitigationEventOut {
    fn from(e: LitigationEventRow) -> Self {
        LitigationEventOut {
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

/// A case with everything recorded, its timeline and what the caller may do next.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LitigationDetail {
    pub case: LitigationOut,
    #[schema(value_type = String, format = Date)]
    #[serde(with = "date_format")]
    pub filed_on: Date,
    /// 复议 simple procedure (answer within 5 working days).
    pub simple: bool,
    pub evidence_submitted: Option<bool>,
    pub answer_note: String,
    pub hearings: Vec<HearingOut>,
    pub outcome_note: String,
    pub opinion_letter: Option<OpinionLetterOut>,
    pub allowed_actions: Vec<LitigationActionCode>,
    /// The township's heads, for `record_attendance`.
    pub heads: Vec<HeadOut>,
    /// The township's advisers in force today, for `record_attendance`'s `adviser_ids`.
    pub adviser_choices: Vec<super::adviser_wire::AdviserChoice>,
    pub events: Vec<LitigationEventOut>,
}

/// Body of `POST /api/v1/litigation/{id}/actions`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct LitigationActionBody {
    /// The version read; another stored version answers 409 `stale_version`.
    #[serde(default)]
    pub version: Option<i64>,
    #[serde(flatten)]
    pub action: LitigationAction,
}

/// Query of the case list.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
pub struct LitigationQuery {
    pub kind: Option<String>,
    pub status: Option<String>,
    /// Received in this year.
    #[serde(default, deserialize_with = "super::blank_year")]
    pub year: Option<i32>,
    /// Only the cases a figure counts (with `year`): the drill-down of the statistics.
    pub figure: Option<String>,
    /// Only cases with a missed deadline.
    pub overdue: Option<bool>,
}

/// One figure with its drill-down links.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LitigationFigureOut {
    pub figure: LitigationFigure,
    pub label: &'static str,
    pub count: i64,
    /// The page listing exactly these cases.
    pub list: String,
    /// The same list through the API.
    pub api: String,
}

/// Cases of one outcome.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OutcomeCount {
    pub outcome: LitigationOutcome,
    pub label: &'static str,
    pub reconsideration: i64,
    pub lawsuit: i64,
}

/// One hearing a head attended.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HeadAttendanceOut {
    pub litigation_id: i64,
    pub kind: LitigationKind,
    pub kind_label: &'static str,
    pub instance_label: Option<&'static str>,
    pub case_number: String,
    pub challenged_act: String,
    #[schema(value_type = String, format = Date)]
    #[serde(with = "date_format")]
    pub on: Date,
    pub role: AttendeeRole,
    pub role_label: &'static str,
    pub user_id: Option<i64>,
    pub name: String,
    pub spoke_on_resolution: bool,
}

impl From<HeadAttendance> for HeadAttendanceOut {
    fn from(a: HeadAttendance) -> Self {
        HeadAttendanceOut {
            litigation_id: a.litigation_id,
            kind: a.kind,
            kind_label: a.kind.label_zh(),
            instance_label: a.instance.map(|i| i.label_zh()),
            case_number: a.case_number,
            challenged_act: a.challenged_act,
            on: a.on,
            role: a.role,
            role_label: a.role.label_zh(),
            user_id: a.user_id,
            name: a.name,
            spoke_on_resolution: a.spoke_on_resolution,
        }
    }
}

/// The register's figures of a year.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LitigationStatsOut {
    pub year: i32,
    pub basis: &'static str,
    /// 复议纠错率 in percent; none without a concluded 复议.
    pub correction_rate: Option<f64>,
    /// 诉讼败诉率 in percent; none without a concluded lawsuit.
    pub loss_rate: Option<f64>,
    /// 负责人出庭应诉率 in percent; none without a lawsuit hearing.
    pub head_attendance_rate: Option<f64>,
    /// Lawsuit hearings with attendance recorded.
    pub hearings: i64,
    /// Of those, attended by a head.
    pub head_hearings: i64,
    pub figures: Vec<LitigationFigureOut>,
    pub by_outcome: Vec<OutcomeCount>,
}

/// Query of the heads' attendance list.
#[derive(Debug, Clone, Deserialize, IntoParams)]
pub struct HeadAttendanceQuery {
    /// The township's 12-digit code; may be left out by a user of one township.
    pub township_code: Option<String>,
    /// Calendar year (default: this year).
    pub year: Option<i32>,
}
