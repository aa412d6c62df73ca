//! Workflow actions and their payloads (the body of `POST /matters/{id}/actions`).

use serde::{Deserialize, Serialize};
use time::Date;

use super::{
    ClosureType, Kind, MediationOutcome, PetitionOpinion, RiskLevel, Route, Satisfaction,
    SupervisionLevel, code_enum,
};
use crate::calendar::date_format;

code_enum! {
    /// What an assignee reference points to.
    pub enum AssigneeKind: "承办对象类型" {
        /// A unit (部门/科室/站所), by `units.id`.
        Unit = ("unit", "部门"),
        /// A village or community, by `divisions.id`.
        Division = ("division", "村(社区)"),
    }
}

/// An opaque reference to the unit or village that handles a matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Assignee {
    /// Unit or village.
    pub kind: AssigneeKind,
    /// Database id of the unit or division.
    pub id: i64,
}

/// One workflow action with its payload; JSON form `{"action": "<code>", ...}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// Register a public submission (待登记 → 已登记), optionally correcting its kind.
    Register {
        /// Corrected kind, if the submitter chose the wrong one.
        #[serde(default)]
        kind: Option<Kind>,
    },
    /// Accept (受理); starts the handling deadline.
    Accept,
    /// Refuse: 不予登记 for a public submission, 不予受理 for a registered matter.
    Reject {
        /// Why (told to the submitter).
        #[serde(default)]
        reason: String,
    },
    /// Assign (交办) to a unit or village with a deadline; optional co-handlers (协办).
    Assign {
        /// The lead handler.
        assignee: Assignee,
        /// Co-handlers (协办单位).
        #[serde(default)]
        co_handlers: Vec<Assignee>,
        /// An earlier due date for the unit; defaults to the handling deadline.
        #[serde(default, with = "date_format::option")]
        #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
        due: Option<Date>,
    },
    /// The handling unit acknowledges (签收) and starts work.
    Acknowledge,
    /// Transfer (转办) to another unit or village, with a reason.
    Transfer {
        /// The new lead handler.
        assignee: Assignee,
        /// Why.
        #[serde(default)]
        reason: String,
        /// An earlier due date for the new unit; defaults to the handling deadline.
        #[serde(default, with = "date_format::option")]
        #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
        due: Option<Date>,
    },
    /// Return (回退) to the centre with a reason.
    Return {
        /// Why.
        #[serde(default)]
        reason: String,
    },
    /// Escalate (上报) to the district.
    Escalate {
        /// Why.
        #[serde(default)]
        reason: String,
    },
    /// Record a mediation session (the caller stores the session details).
    RecordMediation {
        /// Day the session was held.
        #[serde(with = "date_format")]
        #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
        held_on: Date,
        /// What happened.
        #[serde(default)]
        summary: String,
        /// The session's result, when it has one: an agreement reached (success or in
        /// part) is what a 人民调解协议书 may then be written for.
        #[serde(default)]
        outcome: Option<MediationOutcome>,
    },
    /// Extend the handling deadline once (信访工作条例 Art 34).
    Extend {
        /// Days added (at most the configured maximum, 30 by default).
        days: u32,
        /// Why (the petitioner must be told).
        #[serde(default)]
        reason: String,
        /// Who approved it (the body's head).
        #[serde(default)]
        approved_by: String,
    },
    /// Stop the clock (e.g. waiting for a hearing or an appraisal).
    Pause {
        /// Why.
        #[serde(default)]
        reason: String,
    },
    /// Restart the clock; the paused time lengthens the deadline.
    Resume,
    /// Supervise (督办) the handling unit at a level.
    Supervise {
        /// 普通 / 黄牌 / 红牌.
        level: SupervisionLevel,
        /// Why.
        #[serde(default)]
        reason: String,
    },
    /// Close (办结).
    Close {
        /// 实质性 / 阶段性 / 程序性.
        closure_type: ClosureType,
        /// Whether the conflict itself was settled (化解).
        resolved: bool,
        /// Mediation outcome; required for disputes.
        #[serde(default)]
        outcome: Option<MediationOutcome>,
        /// Where the parties were directed; required when mediation failed.
        #[serde(default)]
        directed_to: Option<Route>,
        /// Decision of the 信访处理意见书, for petitions.
        #[serde(default)]
        opinion: Option<PetitionOpinion>,
    },
    /// Record the follow-up (回访).
    FollowUp {
        /// The party's satisfaction.
        satisfaction: Satisfaction,
    },
    /// Reopen after a dissatisfied follow-up.
    Reopen {
        /// Why.
        #[serde(default)]
        reason: String,
    },
    /// Archive (归档) a followed-up matter.
    Archive,
    /// Report progress or the result (反馈), by the lead handler, a co-handler or the centre.
    Feedback {
        /// What was done.
        #[serde(default)]
        summary: String,
        /// The result of the handling (办理结果) rather than progress (办理进展).
        #[serde(default)]
        result: bool,
        /// Which handler speaks: set by the server from the caller's membership,
        /// never taken from the request.
        #[serde(default, skip_deserializing)]
        by: Option<Assignee>,
    },
    /// The centre approves a closing submitted by a village or unit (审核通过).
    ApproveClosure,
    /// The centre's risk assessment (研判): level, urgency, people involved.
    Assess {
        /// 风险等级.
        risk: RiskLevel,
        /// 紧急.
        #[serde(default)]
        urgent: bool,
        /// 群体性: the number of people involved (at least 2), when a group is concerned.
        #[serde(default)]
        group_people: Option<u32>,
        /// 研判意见.
        #[serde(default)]
        summary: String,
    },
    /// The centre sends a submitted closing back to the handler (审核退回), with a reason.
    RejectClosure {
        /// Why (shown to the handler).
        #[serde(default)]
        reason: String,
    },
}

code_enum! {
    /// Stable code of an action, for the transition log.
    pub enum ActionCode: "操作" {
        /// See [`Action::Register`].
        Register = ("register", "登记"),
        /// See [`Action::Accept`].
        Accept = ("accept", "受理"),
        /// See [`Action::Reject`].
        Reject = ("reject", "不予受理"),
        /// See [`Action::Assign`].
        Assign = ("assign", "交办"),
        /// See [`Action::Acknowledge`].
        Acknowledge = ("acknowledge", "签收"),
        /// See [`Action::Transfer`].
        Transfer = ("transfer", "转办"),
        /// See [`Action::Return`].
        Return = ("return", "回退"),
        /// See [`Action::Escalate`].
        Escalate = ("escalate", "上报"),
        /// See [`Action::RecordMediation`].
        RecordMediation = ("record_mediation", "记录调解"),
        /// See [`Action::Extend`].
        Extend = ("extend", "延期"),
        /// See [`Action::Pause`].
        Pause = ("pause", "暂停计时"),
        /// See [`Action::Resume`].
        Resume = ("resume", "恢复计时"),
        /// See [`Action::Supervise`].
        Supervise = ("supervise", "督办"),
        /// See [`Action::Close`].
        Close = ("close", "办结"),
        /// See [`Action::FollowUp`].
        FollowUp = ("follow_up", "回访"),
        /// See [`Action::Reopen`].
        Reopen = ("reopen", "重新办理"),
        /// See [`Action::Archive`].
        Archive = ("archive", "归档"),
        /// See [`Action::Feedback`].
        Feedback = ("feedback", "反馈"),
        /// See [`Action::ApproveClosure`].
        ApproveClosure = ("approve_closure", "审核通过"),
        /// See [`Action::RejectClosure`].
        RejectClosure = ("reject_closure", "审核退回"),
        /// See [`Action::Assess`].
        Assess = ("assess", "研判"),
    }
}

impl Action {
    /// The action's stable code.
    pub fn code(&self) -> ActionCode {
        match self {
            Action::Register { .. } => ActionCode::Register,
            Action::Accept => ActionCode::Accept,
            Action::Reject { .. } => ActionCode::Reject,
            Action::Assign { .. } => ActionCode::Assign,
            Action::Acknowledge => ActionCode::Acknowledge,
            Action::Transfer { .. } => ActionCode::Transfer,
            Action::Return { .. } => ActionCode::Return,
            Action::Escalate { .. } => ActionCode::Escalate,
            Action::RecordMediation { .. } => ActionCode::RecordMediation,
            Action::Extend { .. } => ActionCode::Extend,
            Action::Pause { .. } => ActionCode::Pause,
            Action::Resume => ActionCode::Resume,
            Action::Supervise { .. } => ActionCode::Supervise,
            Action::Close { .. } => ActionCode::Close,
            Action::FollowUp { .. } => ActionCode::FollowUp,
            Action::Reopen { .. } => ActionCode::Reopen,
            Action::Archive => ActionCode::Archive,
            Action::Feedback { .. } => ActionCode::Feedback,
            Action::ApproveClosure => ActionCode::ApproveClosure,
            Action::RejectClosure { .. } => ActionCode::RejectClosure,
            Action::Assess { .. } => ActionCode::Assess,
        }
    }
}
