//! The workflow-relevant state of one matter and its invariants.

use serde::{Deserialize, Serialize};
use time::Date;

use super::{
    Assignee, Channel, ClosureType, DeadlineRules, Kind, MediationOutcome, PetitionOpinion,
    RiskLevel, Route, Satisfaction, Status, SupervisionLevel, code_enum,
};
use crate::calendar::{Calendar, Deadline, Warning, date_format};

/// The current assignment (交办) of a matter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    /// Lead handler.
    pub assignee: Assignee,
    /// Co-handlers (协办).
    #[serde(default)]
    pub co_handlers: Vec<Assignee>,
    /// Day of assignment.
    #[serde(with = "date_format")]
    pub assigned_on: Date,
    /// The unit's due date; never later than the handling deadline.
    #[serde(with = "date_format")]
    pub due: Date,
    /// Day the lead handler signed for it (签收): from then on the matter is theirs.
    #[serde(default, with = "date_format::option")]
    pub acknowledged_on: Option<Date>,
}

/// The one extension of the handling deadline (信访工作条例 Art 34).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extension {
    /// Days added.
    pub days: u32,
    /// Why.
    pub reason: String,
    /// Who approved it.
    pub approved_by: String,
    /// Day it was granted.
    #[serde(with = "date_format")]
    pub granted_on: Date,
}

/// How a matter was closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Closure {
    /// 实质性 / 阶段性 / 程序性办结.
    pub closure_type: ClosureType,
    /// Whether the conflict was settled (化解); counts toward 化解率.
    pub resolved: bool,
    /// Mediation outcome; always present for disputes.
    pub outcome: Option<MediationOutcome>,
    /// Where the parties were directed when mediation did not settle everything.
    pub directed_to: Option<Route>,
    /// Decision of the 信访处理意见书.
    pub opinion: Option<PetitionOpinion>,
    /// Day of closing.
    #[serde(with = "date_format")]
    pub closed_on: Date,
    /// Closed on or before the handling deadline (counts toward 办结率).
    pub on_time: bool,
}

/// The centre's risk assessment (研判) of a matter, the latest one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assessment {
    /// 风险等级.
    pub risk: RiskLevel,
    /// 紧急: to be handled before everything else.
    pub urgent: bool,
    /// 群体性: the number of people involved, when the matter concerns a group.
    pub group_people: Option<u32>,
    /// Day of the assessment.
    #[serde(with = "date_format")]
    pub assessed_on: Date,
}

/// The follow-up (回访) after closing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUp {
    /// What the party said.
    pub satisfaction: Satisfaction,
    /// Day of the follow-up.
    #[serde(with = "date_format")]
    pub followed_up_on: Date,
}

code_enum! {
    /// Which deadline a date belongs to.
    pub enum DeadlineKind: "期限类型" {
        /// Written acceptance notice (信访工作条例 Art 23).
        Acceptance = ("acceptance", "受理告知期限"),
        /// Objection to an out-of-remit transfer (Art 23 ¶3).
        Objection = ("objection", "异议期限"),
        /// Handling (Art 34 for petitions; configured for other kinds).
        Handling = ("handling", "办理期限"),
        /// The handling unit's own due date set at assignment.
        Assignment = ("assignment", "交办期限"),
    }
}

/// What the workflow needs to know about a matter; persisted by `fazhi-db`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatterState {
    /// Kind of matter.
    pub kind: Kind,
    /// Where it came from.
    pub channel: Channel,
    /// Workflow status.
    pub status: Status,
    /// Day of receipt (收到之日).
    #[serde(with = "date_format")]
    pub received_on: Date,
    /// Day of acceptance (受理), once accepted.
    #[serde(default, with = "date_format::option")]
    pub accepted_on: Option<Date>,
    /// Acceptance-notice deadline, for kinds that have one.
    #[serde(default)]
    pub acceptance: Option<Deadline>,
    /// Out-of-remit objection window, for transferred matters of kinds that have one.
    #[serde(default)]
    pub objection: Option<Deadline>,
    /// Handling deadline, from acceptance on.
    #[serde(default)]
    pub handling: Option<Deadline>,
    /// The extension, if one was granted in this handling round.
    #[serde(default)]
    pub extension: Option<Extension>,
    /// Current assignment, while assigned or in progress.
    #[serde(default)]
    pub assignment: Option<Assignment>,
    /// Reason for 不予受理 / 不予登记.
    #[serde(default)]
    pub refusal_reason: Option<String>,
    /// Mediation sessions recorded.
    #[serde(default)]
    pub mediation_sessions: u32,
    /// A session reached an agreement (调解成功 or 部分成功): a 人民调解协议书 may be made.
    #[serde(default)]
    pub mediation_agreed: bool,
    /// Transfers (转办) so far.
    #[serde(default)]
    pub transfers: u32,
    /// Returns to the centre (回退) so far.
    #[serde(default)]
    pub returns: u32,
    /// Escalated (上报) to the district.
    #[serde(default)]
    pub escalated: bool,
    /// Highest supervision level applied in this handling round.
    #[serde(default)]
    pub supervision: Option<SupervisionLevel>,
    /// How it was closed, once closed.
    #[serde(default)]
    pub closure: Option<Closure>,
    /// Follow-up, once followed up.
    #[serde(default)]
    pub follow_up: Option<FollowUp>,
    /// Times reopened after a dissatisfied follow-up.
    #[serde(default)]
    pub reopened: u32,
    /// Feedback (反馈) given so far, by any handler.
    #[serde(default)]
    pub feedbacks: u32,
    /// Closings the centre sent back (审核退回).
    #[serde(default)]
    pub closure_rejections: u32,
    /// A closing was sent back or the matter reopened: it cannot be closed again before
    /// a new handling step (feedback, mediation, assignment) is recorded.
    #[serde(default)]
    pub needs_new_step: bool,
    /// The centre's latest risk assessment (研判), if any.
    #[serde(default)]
    pub assessment: Option<Assessment>,
}

impl MatterState {
    /// A matter registered by staff on `received_on` (status `registered`).
    pub fn register(
        kind: Kind,
        channel: Channel,
        received_on: Date,
        cal: &Calendar,
        rules: &DeadlineRules,
    ) -> MatterState {
        let mut m = MatterState {
            kind,
            channel,
            status: Status::Registered,
            received_on,
            accepted_on: None,
            acceptance: None,
            objection: None,
            handling: None,
            extension: None,
            assignment: None,
            refusal_reason: None,
            mediation_sessions: 0,
            mediation_agreed: false,
            transfers: 0,
            returns: 0,
            escalated: false,
            supervision: None,
            closure: None,
            follow_up: None,
            reopened: 0,
            feedbacks: 0,
            closure_rejections: 0,
            needs_new_step: false,
            assessment: None,
        };
        m.start_intake_deadlines(cal, rules);
        m
    }

    /// A matter submitted through the public form (status `pending`, channel `online`).
    pub fn submit(
        kind: Kind,
        received_on: Date,
        cal: &Calendar,
        rules: &DeadlineRules,
    ) -> MatterState {
        let mut m = MatterState::register(kind, Channel::Online, received_on, cal, rules);
        m.status = Status::Pending;
        m
    }

    /// (Re)starts the deadlines that run from receipt, for the current kind.
    pub(crate) fn start_intake_deadlines(&mut self, cal: &Calendar, rules: &DeadlineRules) {
        let r = rules.for_kind(self.kind);
        self.acceptance = r
            .acceptance
            .map(|p| Deadline::new(self.received_on, p, cal));
        self.objection = r
            .objection
            .filter(|_| self.channel.is_transferred())
            .map(|p| Deadline::new(self.received_on, p, cal));
    }

    /// Recomputes every due date after the calendar data changed (admin edit).
    pub fn recompute_deadlines(&mut self, cal: &Calendar) {
        for d in [&mut self.acceptance, &mut self.objection]
            .into_iter()
            .flatten()
        {
            d.recompute(cal);
        }
        if let Some(h) = &mut self.handling {
            let old = h.due;
            h.recompute(cal);
            if let Some(a) = &mut self.assignment {
                a.due = if a.due == old {
                    h.due
                } else {
                    a.due.min(h.due)
                };
            }
        }
    }

    /// The closure that counts: one the centre made or approved, not one waiting for
    /// review. Statistics read closings through this only.
    pub fn approved_closure(&self) -> Option<&Closure> {
        self.closure.as_ref().filter(|_| self.status.is_closed())
    }

    /// Urgent or red-risk: first in every task list.
    pub fn is_pressing(&self) -> bool {
        self.assessment
            .as_ref()
            .is_some_and(|a| a.urgent || a.risk == RiskLevel::Red)
    }

    /// Whether the handling clock is paused.
    pub fn is_paused(&self) -> bool {
        self.handling.as_ref().is_some_and(Deadline::is_paused)
    }

    /// The deadline that currently matters and its due date, if any (nearest first).
    pub fn next_due(&self) -> Option<(DeadlineKind, Date)> {
        match self.status {
            Status::Pending | Status::Registered => {
                let a = self
                    .acceptance
                    .as_ref()
                    .map(|d| (DeadlineKind::Acceptance, d.due));
                let o = self
                    .objection
                    .as_ref()
                    .map(|d| (DeadlineKind::Objection, d.due));
                [a, o].into_iter().flatten().min_by_key(|(_, d)| *d)
            }
            Status::Accepted => self
                .handling
                .as_ref()
                .map(|d| (DeadlineKind::Handling, d.due)),
            Status::Assigned | Status::InProgress => match (&self.assignment, &self.handling) {
                (Some(a), Some(h)) if a.due < h.due => Some((DeadlineKind::Assignment, a.due)),
                (_, Some(h)) => Some((DeadlineKind::Handling, h.due)),
                _ => None,
            },
            _ => None,
        }
    }

    /// Warning level on `today` for the deadline that currently matters.
    pub fn warning(&self, today: Date, rules: &DeadlineRules) -> Warning {
        if self.is_paused() {
            return Warning::None;
        }
        match self.next_due() {
            None => Warning::None,
            Some((_, due)) if today > due => Warning::Red,
            Some((_, due)) if (due - today).whole_days() <= i64::from(rules.yellow_days) => {
                Warning::Yellow
            }
            Some(_) => Warning::None,
        }
    }

    /// Whether the handling deadline has passed while the matter is still open.
    pub fn is_overdue(&self, today: Date) -> bool {
        self.status.is_active() && self.handling.as_ref().is_some_and(|h| h.is_overdue(today))
    }

    /// Checks the invariants every reachable state satisfies; `Err` names the broken one.
    pub fn check_invariants(&self, rules: &DeadlineRules) -> Result<(), String> {
        let s = self.status;
        let fail = |msg: &str| Err(format!("{}: {msg}", s.as_str()));
        if s.is_closed() {
            let Some(c) = &self.closure else {
                return fail("closed matter without closure");
            };
            if self.kind == Kind::Dispute && c.outcome.is_none() {
                return fail("closed dispute without outcome");
            }
            if c.outcome == Some(MediationOutcome::Failed) && c.directed_to.is_none() {
                return fail("failed mediation without route");
            }
            if c.outcome == Some(MediationOutcome::Success) && !c.resolved {
                return fail("successful mediation not resolved");
            }
            if c.outcome == Some(MediationOutcome::Failed) && c.resolved {
                return fail("failed mediation counted as resolved");
            }
        } else if self.closure.is_some() && s != Status::Reviewing {
            return fail("open matter with closure");
        } else if s == Status::Reviewing && self.closure.is_none() {
            return fail("closing under review without closure");
        }
        if matches!(s, Status::FollowedUp | Status::Archived) != self.follow_up.is_some() {
            return fail("follow-up present iff followed up or archived");
        }
        if matches!(s, Status::Assigned | Status::InProgress) {
            let (Some(a), Some(h)) = (&self.assignment, &self.handling) else {
                return fail("assigned without assignee or deadline");
            };
            if a.due > h.due {
                return fail("assignment due after handling due");
            }
        } else if self.assignment.is_some() && !s.is_closed() && s != Status::Reviewing {
            return fail("assignment outside assigned/in_progress/closed");
        }
        if (s.is_active() || s.is_closed() || s == Status::Reviewing)
            && (self.handling.is_none() || self.accepted_on.is_none())
        {
            return fail("accepted matter without handling deadline");
        }
        if matches!(s, Status::Pending | Status::Registered | Status::Rejected)
            && (self.handling.is_some() || self.accepted_on.is_some())
        {
            return fail("handling deadline before acceptance");
        }
        if matches!(s, Status::Rejected | Status::NotAccepted)
            != self
                .refusal_reason
                .as_deref()
                .is_some_and(|r| !r.trim().is_empty())
        {
            return fail("refusal reason present iff refused");
        }
        if self.is_paused() && !s.is_active() {
            return fail("paused outside an active status");
        }
        if let Some(h) = &self.handling {
            let granted = self.extension.as_ref().map_or(0, |e| e.days);
            if h.extension_days != granted {
                return fail("extension days differ from the recorded extension");
            }
            if granted > 0 {
                match rules.for_kind(self.kind).max_extension_days {
                    Some(max) if granted <= max => {}
                    _ => return fail("extension not allowed or too long"),
                }
            }
        } else if self.extension.is_some() {
            return fail("extension without handling deadline");
        }
        Ok(())
    }
}
