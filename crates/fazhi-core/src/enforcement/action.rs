//! What people do to a case: the body of `POST /api/v1/enforcement/cases/{id}/actions`.

use serde::{Deserialize, Serialize};
use time::Date;

use super::{CaseOutcome, EvidenceKind, Grade, PauseReason, Penalty, ReviewOpinion, ServiceMethod};
use crate::calendar::date_format;
use crate::matter::code_enum;

/// One action on a case with its payload; JSON form `{"action": "<code>", ...}`.
/// The day of the action is the server's day: records are made as things happen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum CaseAction {
    /// 调查取证: a record or piece of evidence, taken by two officers.
    RecordEvidence {
        kind: EvidenceKind,
        description: String,
        /// Where it was taken.
        #[serde(default)]
        place: String,
        officers: Vec<i64>,
    },
    /// 告知: the intended penalty and the party's rights (Art 44).
    Notify {
        penalty: Penalty,
        grade: Grade,
        officers: Vec<i64>,
    },
    /// 陈述申辩 heard, or waived in writing.
    RecordDefence {
        summary: String,
        #[serde(default)]
        waived: bool,
    },
    /// The party asked for a hearing (within 5 working days of the notice).
    RequestHearing,
    /// The party waived the hearing in writing.
    WaiveHearing,
    /// Notice of the hearing's time and place, given today.
    ScheduleHearing {
        #[serde(with = "date_format")]
        #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
        on: Date,
    },
    /// The hearing was held; its transcript in summary.
    HoldHearing { transcript: String },
    /// 送法制审核.
    SubmitReview,
    /// 法制审核意见.
    Review {
        opinion: ReviewOpinion,
        #[serde(default)]
        note: String,
        /// The points the reviewer found in order; 同意 needs every one.
        #[serde(default)]
        checks: Vec<super::ReviewCheck>,
    },
    /// 集体讨论.
    Discuss {
        conclusion: String,
        #[serde(default)]
        dissent: String,
    },
    /// 决定 by the head of the agency.
    Decide {
        outcome: CaseOutcome,
        #[serde(default)]
        penalty: Option<Penalty>,
        #[serde(default)]
        grade: Option<Grade>,
        reasons: String,
    },
    /// 送达.
    Serve {
        method: ServiceMethod,
        /// Signed consent to fax or e-mail service (required for electronic service).
        #[serde(default)]
        electronic_consent: bool,
        officers: Vec<i64>,
    },
    /// A payment received.
    RecordPayment { amount_fen: i64 },
    /// Stop the 90-day clock.
    Pause {
        reason: PauseReason,
        #[serde(default)]
        note: String,
    },
    /// Restart the 90-day clock.
    Resume,
    /// Extend the decision period (sector rules, with the head's approval).
    Extend { days: u32, reason: String },
    /// 备案 of an on-the-spot decision (Art 52).
    File,
    /// 结案.
    Close {
        #[serde(default)]
        note: String,
    },
    /// 归档.
    Archive,
    /// 公示: publish the decision on the public page (118号: within 7 working days).
    Publish,
    /// Withdraw a published decision that was revoked, found unlawful or void (Art 48).
    Withdraw { reason: String },
    /// 督办: the head presses for a case near or past its deadline, with instructions.
    Supervise { note: String },
    /// The decision was changed, revoked, found unlawful or void (复议, 诉讼, 自行纠正):
    /// a published decision must then be withdrawn within 3 working days (Art 48).
    RecordRevocation { reason: String },
}

code_enum! {
    /// The code of an action, as stored on the timeline.
    pub enum CaseActionCode: "执法操作" {
        Open = ("open", "立案"),
        DecideOnSpot = ("decide_on_spot", "当场处罚"),
        RecordEvidence = ("record_evidence", "调查取证"),
        Notify = ("notify", "告知"),
        RecordDefence = ("record_defence", "陈述申辩"),
        RequestHearing = ("request_hearing", "申请听证"),
        WaiveHearing = ("waive_hearing", "放弃听证"),
        ScheduleHearing = ("schedule_hearing", "通知听证"),
        HoldHearing = ("hold_hearing", "举行听证"),
        SubmitReview = ("submit_review", "送法制审核"),
        Review = ("review", "法制审核"),
        Discuss = ("discuss", "集体讨论"),
        Decide = ("decide", "作出决定"),
        Serve = ("serve", "送达"),
        RecordPayment = ("record_payment", "缴纳罚款"),
        Pause = ("pause", "中止计时"),
        Resume = ("resume", "恢复计时"),
        Extend = ("extend", "延长期限"),
        File = ("file", "备案"),
        Close = ("close", "结案"),
        Archive = ("archive", "归档"),
        Publish = ("publish", "公示"),
        Withdraw = ("withdraw", "撤回公示"),
        Supervise = ("supervise", "督办"),
        RecordRevocation = ("record_revocation", "登记决定撤销或变更"),
    }
}

impl CaseAction {
    pub fn code(&self) -> CaseActionCode {
        use CaseActionCode as C;
        match self {
            CaseAction::RecordEvidence { .. } => C::RecordEvidence,
            CaseAction::Notify { .. } => C::Notify,
            CaseAction::RecordDefence { .. } => C::RecordDefence,
            CaseAction::RequestHearing => C::RequestHearing,
            CaseAction::WaiveHearing => C::WaiveHearing,
            CaseAction::ScheduleHearing { .. } => C::ScheduleHearing,
            CaseAction::HoldHearing { .. } => C::HoldHearing,
            CaseAction::SubmitReview => C::SubmitReview,
            CaseAction::Review { .. } => C::Review,
            CaseAction::Discuss { .. } => C::Discuss,
            CaseAction::Decide { .. } => C::Decide,
            CaseAction::Serve { .. } => C::Serve,
            CaseAction::RecordPayment { .. } => C::RecordPayment,
            CaseAction::Pause { .. } => C::Pause,
            CaseAction::Resume => C::Resume,
            CaseAction::Extend { .. } => C::Extend,
            CaseAction::File => C::File,
            CaseAction::Close { .. } => C::Close,
            CaseAction::Archive => C::Archive,
            CaseAction::Publish => C::Publish,
            CaseAction::Withdraw { .. } => C::Withdraw,
            CaseAction::Supervise { .. } => C::Supervise,
            CaseAction::RecordRevocation { .. } => C::RecordRevocation,
        }
    }

    /// The officers the action names (who must hold valid certificates).
    pub fn officers(&self) -> &[i64] {
        match self {
            CaseAction::RecordEvidence { officers, .. }
            | CaseAction::Notify { officers, .. }
            | CaseAction::Serve { officers, .. } => officers,
            _ => &[],
        }
    }

    /// Free text to show on the timeline.
    pub fn note(&self) -> String {
        match self {
            CaseAction::RecordEvidence {
                kind,
                description,
                place,
                ..
            } => {
                if place.is_empty() {
                    format!("{}：{description}", kind.label_zh())
                } else {
                    format!("{}（{place}）：{description}", kind.label_zh())
                }
            }
            CaseAction::Notify { penalty, grade, .. } => {
                format!("拟{}（{}）", penalty.label_zh(), grade.label_zh())
            }
            CaseAction::RecordDefence { summary, waived } => {
                if *waived {
                    format!("当事人放弃陈述申辩。{summary}")
                } else {
                    summary.clone()
                }
            }
            CaseAction::ScheduleHearing { on } => format!("听证日期 {on}"),
            CaseAction::HoldHearing { transcript } => transcript.clone(),
            CaseAction::Review { opinion, note, .. } => format!("{}。{note}", opinion.label_zh()),
            CaseAction::Discuss {
                conclusion,
                dissent,
            } => {
                if dissent.is_empty() {
                    conclusion.clone()
                } else {
                    format!("{conclusion}（不同意见：{dissent}）")
                }
            }
            CaseAction::Decide {
                outcome,
                penalty,
                reasons,
                ..
            } => match penalty {
                Some(p) => format!("{}：{}。{reasons}", outcome.label_zh(), p.label_zh()),
                None => format!("{}。{reasons}", outcome.label_zh()),
            },
            CaseAction::Serve { method, .. } => method.label_zh().to_string(),
            CaseAction::RecordPayment { amount_fen } => {
                format!("收到{}元", super::money::yuan(*amount_fen))
            }
            CaseAction::Pause { reason, note } => format!("{}。{note}", reason.label_zh()),
            CaseAction::Extend { days, reason } => format!("延长{days}日：{reason}"),
            CaseAction::Close { note } => note.clone(),
            CaseAction::Withdraw { reason } => reason.clone(),
            CaseAction::Supervise { note } => note.clone(),
            CaseAction::RecordRevocation { reason } => reason.clone(),
            _ => String::new(),
        }
    }
}
