//! The workflow state machine: which action is allowed when, and what it changes.

use time::Date;

use super::{
    Action, ActionCode, Assessment, Assignee, Assignment, Closure, DeadlineRules, Extension,
    FollowUp, Kind, MatterState, MediationOutcome, Satisfaction, Status,
};
use crate::calendar::{Calendar, Deadline};

/// Longest free-text reason accepted, in characters.
const MAX_REASON_CHARS: usize = 1000;

/// Why an action was refused; the message is Simplified Chinese, shown as is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    /// Not allowed in the current state (the API answers 409).
    #[error("{message}")]
    Conflict {
        /// Why, in Chinese.
        message: String,
    },
    /// Possible in this state, but not for this user: the matter is someone else's to
    /// act on (the API answers 403; the user may still read it).
    #[error("{message}")]
    Forbidden {
        /// Why, in Chinese.
        message: String,
    },
    /// A payload field is missing or invalid (the API answers 400).
    #[error("{message}")]
    Field {
        /// The JSON field name.
        field: &'static str,
        /// What is wrong, in Chinese.
        message: String,
    },
}

impl TransitionError {
    /// An action the state machine would take but this user is not offered on this
    /// matter (see [`super::allowed_actions`]).
    pub fn not_offered(code: super::ActionCode, status: super::Status) -> TransitionError {
        TransitionError::conflict(format!(
            "您不能对“{}”状态的事项进行“{}”操作",
            status.label_zh(),
            code.label_zh()
        ))
    }

    pub(crate) fn conflict(message: impl Into<String>) -> TransitionError {
        TransitionError::Conflict {
            message: message.into(),
        }
    }

    fn field(field: &'static str, message: impl Into<String>) -> TransitionError {
        TransitionError::Field {
            field,
            message: message.into(),
        }
    }

    /// The Chinese message.
    pub fn message(&self) -> &str {
        match self {
            TransitionError::Conflict { message }
            | TransitionError::Forbidden { message }
            | TransitionError::Field { message, .. } => message,
        }
    }

    /// Whether this is a state conflict (409) rather than a payload error (400).
    pub fn is_conflict(&self) -> bool {
        matches!(self, TransitionError::Conflict { .. })
    }
}

/// The result of an allowed action: the caller stores `state` and logs the transition
/// with actor, time and note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    /// The action performed.
    pub action: ActionCode,
    /// Status before.
    pub from: Status,
    /// Status after (may equal `from`, e.g. for supervise or pause).
    pub to: Status,
    /// The complete new state.
    pub state: MatterState,
}

type R<T> = Result<T, TransitionError>;

/// Applies `action` to `matter` on `today`; pure, so a refused action changes nothing.
pub fn apply(
    matter: &MatterState,
    action: &Action,
    today: Date,
    cal: &Calendar,
    rules: &DeadlineRules,
) -> R<Transition> {
    let mut m = matter.clone();
    let from = m.status;
    let code = action.code();
    let not_in = |allowed: &[Status]| -> R<()> {
        if allowed.contains(&from) {
            Ok(())
        } else {
            Err(TransitionError::conflict(format!(
                "事项当前状态为「{}」，不能{}",
                from.label_zh(),
                code.label_zh()
            )))
        }
    };
    if today < m.received_on {
        return Err(TransitionError::field("today", "操作日期不能早于收到日期"));
    }
    const ACTIVE: &[Status] = &[Status::Accepted, Status::Assigned, Status::InProgress];
    const HANDLING: &[Status] = &[Status::Assigned, Status::InProgress];

    match action {
        Action::Register { kind } => {
            not_in(&[Status::Pending])?;
            if let Some(k) = kind {
                m.kind = *k;
                m.start_intake_deadlines(cal, rules);
            }
            m.status = Status::Registered;
        }
        Action::Accept => {
            not_in(&[Status::Pending, Status::Registered])?;
            m.accepted_on = Some(today);
            m.handling = Some(Deadline::new(today, rules.for_kind(m.kind).handling, cal));
            m.status = Status::Accepted;
        }
        Action::Reject { reason } => {
            not_in(&[Status::Pending, Status::Registered])?;
            m.refusal_reason = Some(required("reason", "不予受理的理由", reason)?);
            m.status = if from == Status::Pending {
                Status::Rejected
            } else {
                Status::NotAccepted
            };
        }
        Action::Assign {
            assignee,
            co_handlers,
            due,
        } => {
            not_in(&[Status::Accepted])?;
            m.assignment = Some(assignment(&m, *assignee, co_handlers.clone(), *due, today)?);
            m.needs_new_step = false;
            m.status = Status::Assigned;
        }
        Action::Acknowledge => {
            not_in(&[Status::Assigned])?;
            if let Some(a) = &mut m.assignment {
                a.acknowledged_on = Some(today);
            }
            m.status = Status::InProgress;
        }
        Action::Transfer {
            assignee,
            reason,
            due,
        } => {
            not_in(HANDLING)?;
            required("reason", "转办理由", reason)?;
            let current = m.assignment.as_ref().map(|a| a.assignee);
            if current == Some(*assignee) {
                return Err(TransitionError::field("assignee", "不能转办给当前承办单位"));
            }
            m.assignment = Some(assignment(&m, *assignee, Vec::new(), *due, today)?);
            m.needs_new_step = false;
            m.transfers += 1;
            m.status = Status::Assigned;
        }
        Action::Return { reason } => {
            not_in(HANDLING)?;
            required("reason", "回退理由", reason)?;
            m.assignment = None;
            m.returns += 1;
            m.status = Status::Accepted;
        }
        Action::Escalate { reason } => {
            not_in(ACTIVE)?;
            required("reason", "上报理由", reason)?;
            if m.escalated {
                return Err(TransitionError::conflict("该事项已上报，不能重复上报"));
            }
            m.escalated = true;
        }
        Action::RecordMediation {
            held_on,
            summary,
            outcome,
        } => {
            not_in(HANDLING)?;
            if !m.kind.allows_mediation() {
                return Err(TransitionError::conflict(format!(
                    "「{}」类事项不进行调解",
                    m.kind.label_zh()
                )));
            }
            required("summary", "调解情况", summary)?;
            if *held_on > today {
                return Err(TransitionError::field("held_on", "调解日期不能晚于今天"));
            }
            if *held_on < m.received_on {
                return Err(TransitionError::field(
                    "held_on",
                    "调解日期不能早于收到日期",
                ));
            }
            m.mediation_sessions += 1;
            m.needs_new_step = false;
            if matches!(
                outcome,
                Some(MediationOutcome::Success | MediationOutcome::Partial)
            ) {
                m.mediation_agreed = true;
            }
            m.status = Status::InProgress;
        }
        Action::Extend {
            days,
            reason,
            approved_by,
        } => {
            not_in(ACTIVE)?;
            let Some(max) = rules.for_kind(m.kind).max_extension_days else {
                return Err(TransitionError::conflict(format!(
                    "「{}」类事项不能延期",
                    m.kind.label_zh()
                )));
            };
            if m.extension.is_some() {
                return Err(TransitionError::conflict(
                    "办理期限只能延期一次，该事项已延期",
                ));
            }
            if *days == 0 || *days > max {
                return Err(TransitionError::field(
                    "days",
                    format!("延期天数应为1至{max}日"),
                ));
            }
            let reason = required("reason", "延期理由", reason)?;
            let approved_by = required("approved_by", "批准人", approved_by)?;
            let h = handling_mut(&mut m)?;
            if h.is_overdue(today) {
                return Err(TransitionError::conflict("办理期限已届满，不能再延期"));
            }
            let old_due = h.due;
            h.extend(*days, cal);
            let new_due = h.due;
            follow_handling_due(&mut m, old_due, new_due, 0);
            m.extension = Some(Extension {
                days: *days,
                reason,
                approved_by,
                granted_on: today,
            });
        }
        Action::Pause { reason } => {
            not_in(ACTIVE)?;
            required("reason", "暂停计时理由", reason)?;
            let h = handling_mut(&mut m)?;
            if h.is_paused() {
                return Err(TransitionError::conflict("办理期限已在暂停计时中"));
            }
            // An overdue matter cannot stop its clock: that would hide the delay.
            if h.is_overdue(today) {
                return Err(TransitionError::conflict("办理期限已届满，不能暂停计时"));
            }
            h.pause(today);
        }
        Action::Resume => {
            not_in(ACTIVE)?;
            if !m.is_paused() {
                return Err(TransitionError::conflict("办理期限未暂停计时，无需恢复"));
            }
            resume(&mut m, today, cal)?;
        }
        Action::Supervise { level, reason } => {
            not_in(ACTIVE)?;
            required("reason", "督办事由", reason)?;
            m.supervision = m.supervision.max(Some(*level));
        }
        Action::Close {
            closure_type,
            resolved,
            outcome,
            directed_to,
            opinion,
        } => {
            not_in(ACTIVE)?;
            if m.needs_new_step {
                return Err(TransitionError::conflict(
                    "该事项的办结已被退回或重新办理，须先记录新的办理情况（反馈、调解或交办）才能再次办结",
                ));
            }
            check_closure(m.kind, *resolved, *outcome, *directed_to)?;
            if m.is_paused() {
                // Closing ends any pause; the paused time still counts in the matter's favour.
                resume(&mut m, today, cal)?;
            }
            let due = handling_mut(&mut m)?.due;
            m.closure = Some(Closure {
                closure_type: *closure_type,
                resolved: *resolved,
                outcome: *outcome,
                directed_to: *directed_to,
                opinion: *opinion,
                closed_on: today,
                on_time: today <= due,
            });
            m.status = Status::Closed;
        }
        Action::FollowUp { satisfaction } => {
            not_in(&[Status::Closed])?;
            m.follow_up = Some(FollowUp {
                satisfaction: *satisfaction,
                followed_up_on: today,
            });
            m.status = Status::FollowedUp;
        }
        Action::Reopen { reason } => {
            not_in(&[Status::FollowedUp])?;
            if m.follow_up.as_ref().map(|f| f.satisfaction) != Some(Satisfaction::Dissatisfied) {
                return Err(TransitionError::conflict(
                    "只有回访不满意的事项才能重新办理",
                ));
            }
            required("reason", "重新办理理由", reason)?;
            // A new handling round: fresh deadline, extension and supervision.
            let h = Deadline::new(today, rules.for_kind(m.kind).handling, cal);
            if let Some(a) = &mut m.assignment {
                a.assigned_on = today;
                a.due = h.due;
            }
            m.handling = Some(h);
            m.extension = None;
            m.supervision = None;
            m.closure = None;
            m.follow_up = None;
            m.reopened += 1;
            m.needs_new_step = true;
            m.status = if m.assignment.is_some() {
                Status::InProgress
            } else {
                Status::Accepted
            };
        }
        Action::Archive => {
            not_in(&[Status::FollowedUp])?;
            m.status = Status::Archived;
        }
        Action::Feedback {
            summary,
            result: _,
            by,
        } => {
            not_in(ACTIVE)?;
            required("summary", "反馈内容", summary)?;
            if let Some(by) = by {
                let a = m.assignment.as_ref();
                let named = a.is_some_and(|a| a.assignee == *by || a.co_handlers.contains(by));
                if !named {
                    return Err(TransitionError::conflict(
                        "只有承办单位、协办单位或综治中心可以反馈",
                    ));
                }
            }
            m.feedbacks += 1;
            m.needs_new_step = false;
        }
        Action::Assess {
            risk,
            urgent,
            group_people,
            summary,
        } => {
            not_in(&[
                Status::Pending,
                Status::Registered,
                Status::Accepted,
                Status::Assigned,
                Status::InProgress,
            ])?;
            required("summary", "研判意见", summary)?;
            if group_people.is_some_and(|n| n < 2) {
                return Err(TransitionError::field(
                    "group_people",
                    "群体性事项的涉及人数应不少于2人",
                ));
            }
            m.assessment = Some(Assessment {
                risk: *risk,
                urgent: *urgent,
                group_people: *group_people,
                assessed_on: today,
            });
        }
        Action::ApproveClosure => {
            not_in(&[Status::Reviewing])?;
            m.status = Status::Closed;
        }
        Action::RejectClosure { reason } => {
            not_in(&[Status::Reviewing])?;
            required("reason", "退回理由", reason)?;
            // Back to whoever closed it, with the clock as it stood.
            m.closure = None;
            m.closure_rejections += 1;
            m.needs_new_step = true;
            m.status = if m.assignment.is_some() {
                Status::InProgress
            } else {
                Status::Accepted
            };
        }
    }
    Ok(Transition {
        action: code,
        from,
        to: m.status,
        state: m,
    })
}

/// Trims a required free-text field and checks its length.
fn required(field: &'static str, name_zh: &str, value: &str) -> R<String> {
    let v = value.trim();
    if v.is_empty() {
        return Err(TransitionError::field(field, format!("请填写{name_zh}")));
    }
    if v.chars().count() > MAX_REASON_CHARS {
        return Err(TransitionError::field(
            field,
            format!("{name_zh}不能超过{MAX_REASON_CHARS}个字"),
        ));
    }
    crate::validate::no_control_chars(name_zh, v).map_err(|m| TransitionError::field(field, m))?;
    Ok(v.to_string())
}

fn handling_mut(m: &mut MatterState) -> R<&mut Deadline> {
    // Unreachable for states built by `apply`; kept as an error, not a panic,
    // because states also come from the database.
    m.handling
        .as_mut()
        .ok_or_else(|| TransitionError::conflict("事项缺少办理期限，请先受理"))
}

/// Builds an assignment whose due date lies between today and the handling deadline.
fn assignment(
    m: &MatterState,
    assignee: Assignee,
    mut co_handlers: Vec<Assignee>,
    due: Option<Date>,
    today: Date,
) -> R<Assignment> {
    let handling_due = m
        .handling
        .as_ref()
        .map(|h| h.due)
        .ok_or_else(|| TransitionError::conflict("事项缺少办理期限，请先受理"))?;
    let due = due.unwrap_or(handling_due);
    if due < today {
        return Err(TransitionError::field("due", "交办期限不能早于今天"));
    }
    if due > handling_due {
        return Err(TransitionError::field(
            "due",
            format!("交办期限不能晚于办理期限（{handling_due}）"),
        ));
    }
    co_handlers.retain(|c| *c != assignee);
    co_handlers.sort_by_key(|c| (c.kind, c.id));
    co_handlers.dedup();
    Ok(Assignment {
        assignee,
        co_handlers,
        assigned_on: today,
        due,
        acknowledged_on: None,
    })
}

/// Ends a pause and shifts the unit's due date by the same calendar days.
fn resume(m: &mut MatterState, today: Date, cal: &Calendar) -> R<()> {
    let h = handling_mut(m)?;
    let since = h.paused_since.unwrap_or(today);
    let old_due = h.due;
    h.resume(today, cal);
    let new_due = h.due;
    let shift = (today - since).whole_days().max(0);
    follow_handling_due(m, old_due, new_due, shift);
    Ok(())
}

/// Keeps the unit's due date in step when the handling deadline moves.
///
/// A due date equal to the old handling deadline follows it; an earlier one is
/// shifted by `shift_days` (the paused time) and capped at the new deadline.
fn follow_handling_due(m: &mut MatterState, old_due: Date, new_due: Date, shift_days: i64) {
    if let Some(a) = &mut m.assignment {
        a.due = if a.due == old_due {
            new_due
        } else {
            a.due
                .saturating_add(time::Duration::days(shift_days))
                .min(new_due)
        };
    }
}

/// Checks the closing details (人民调解法 Art 26: failed mediation names a route).
fn check_closure(
    kind: Kind,
    resolved: bool,
    outcome: Option<MediationOutcome>,
    directed_to: Option<super::Route>,
) -> R<()> {
    if kind == Kind::Dispute && outcome.is_none() {
        return Err(TransitionError::field(
            "outcome",
            "矛盾纠纷办结时须填写调解结果",
        ));
    }
    match outcome {
        Some(MediationOutcome::Success) => {
            if !resolved {
                return Err(TransitionError::field(
                    "resolved",
                    "调解成功的事项应计为已化解",
                ));
            }
            if directed_to.is_some() {
                return Err(TransitionError::field(
                    "directed_to",
                    "调解成功的事项无需引导至其他途径",
                ));
            }
        }
        Some(MediationOutcome::Failed) => {
            if resolved {
                return Err(TransitionError::field(
                    "resolved",
                    "调解不成的事项不能计为已化解",
                ));
            }
            if directed_to.is_none() {
                return Err(TransitionError::field(
                    "directed_to",
                    "调解不成时须填写引导当事人的途径（诉讼、仲裁或行政途径）",
                ));
            }
        }
        Some(MediationOutcome::Partial) | None => {}
    }
    Ok(())
}
