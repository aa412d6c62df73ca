//! The case workflow: what each action changes, and the gates the law sets before a
//! decision. Every refusal names the rule it applies.

use time::Date;

use super::open::{check_fine_kind, check_item_range, limitation_message};
use super::{
    CaseAction, CaseActionCode, CaseOutcome, CaseState, CaseStatus, Decision, Defence, Discussion,
    EnforcementRules, Evidence, Hearing, Notice, PartyKind, Pause, PauseReason, Payment,
    PenaltyKind, Procedure, Review, ReviewOpinion, Service, ServiceMethod,
};
use crate::calendar::Calendar;

/// Why an action was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CaseError {
    /// The input is malformed or incomplete (422).
    #[error("{0}")]
    Invalid(String),
    /// The law or the case's state does not allow it (409).
    #[error("{0}")]
    Refused(String),
}

impl CaseError {
    pub fn invalid(m: impl Into<String>) -> CaseError {
        CaseError::Invalid(m.into())
    }
    pub fn refused(m: impl Into<String>) -> CaseError {
        CaseError::Refused(m.into())
    }
    pub fn message(&self) -> &str {
        match self {
            CaseError::Invalid(m) | CaseError::Refused(m) => m,
        }
    }
}

/// An officer's enforcement certificate (执法证), as the caller found it for the
/// officers an action names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfficerCert {
    pub user_id: i64,
    pub name: String,
    pub number: String,
    pub valid_until: Date,
}

/// At least two distinct officers, each with a certificate valid today (Art 42).
pub fn check_officers(ids: &[i64], certs: &[OfficerCert], today: Date) -> Result<(), CaseError> {
    let mut distinct = ids.to_vec();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() < 2 {
        return Err(CaseError::refused(
            "执法人员不得少于两人（行政处罚法第42条），请选择两名以上执法人员",
        ));
    }
    for id in distinct {
        match certs.iter().find(|c| c.user_id == id) {
            None => {
                return Err(CaseError::refused(
                    "所选人员没有执法证，不能从事执法活动".to_string(),
                ));
            }
            Some(c) if c.valid_until < today => {
                return Err(CaseError::refused(format!(
                    "{}的执法证（{}）已于{}过期，不能从事执法活动",
                    c.name, c.number, c.valid_until
                )));
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// Required, bounded, printable text.
pub(crate) fn check_text(v: &str, what: &str, max: usize) -> Result<(), CaseError> {
    let n = v.trim().chars().count();
    if n == 0 {
        Err(CaseError::invalid(format!("请填写{what}")))
    } else if n > max {
        Err(CaseError::invalid(format!("{what}不能超过{max}个字")))
    } else if v.chars().any(|c| c.is_control() && c != '\n' && c != '\r') {
        Err(CaseError::invalid(format!("{what}含有控制字符")))
    } else {
        Ok(())
    }
}

fn optional_text(v: &str, what: &str, max: usize) -> Result<(), CaseError> {
    if v.trim().is_empty() {
        Ok(())
    } else {
        check_text(v, what, max)
    }
}

/// What an action needs besides the case itself.
pub struct CaseContext<'a> {
    pub today: Date,
    pub calendar: &'a Calendar,
    pub rules: &'a EnforcementRules,
    /// Certificates of the officers the action names.
    pub certs: &'a [OfficerCert],
    /// The acting user's id.
    pub actor: i64,
}

/// Who a user is for a case: an officer of its unit, a legal reviewer, the head.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CaseHands {
    pub officer: bool,
    pub reviewer: bool,
    pub leader: bool,
}

impl CaseActionCode {
    /// Which hand the action needs.
    fn allowed_for(self, h: CaseHands) -> bool {
        use CaseActionCode as C;
        match self {
            C::Review => h.reviewer,
            C::Discuss
            | C::Decide
            | C::Extend
            | C::Archive
            | C::Supervise
            | C::RecordRevocation => h.leader,
            _ => h.officer,
        }
    }
}

/// Whether the action is possible in the case's state, whoever asks.
fn possible(code: CaseActionCode, s: &CaseState) -> bool {
    use CaseActionCode as C;
    use CaseStatus as S;
    let ordinary = s.procedure == Procedure::Ordinary;
    let st = s.status;
    let hearing = s.hearing.as_ref();
    let paused = s.clock.as_ref().is_some_and(|c| c.is_paused());
    match code {
        C::Open | C::DecideOnSpot => false,
        C::RecordEvidence => ordinary && matches!(st, S::Opened | S::Notified | S::Hearing),
        C::Notify => ordinary && st == S::Opened,
        C::RecordDefence => ordinary && st == S::Notified && s.defence.is_none(),
        C::RequestHearing | C::WaiveHearing => {
            ordinary
                && st == S::Notified
                && s.notice.as_ref().is_some_and(|n| n.hearing_right)
                && hearing.is_none()
        }
        C::ScheduleHearing => st == S::Hearing && hearing.is_some_and(|h| h.scheduled_on.is_none()),
        C::HoldHearing => st == S::Hearing && hearing.is_some_and(|h| h.scheduled_on.is_some()),
        C::SubmitReview => ordinary && st == S::Notified,
        C::Review => st == S::InReview,
        C::Discuss => ordinary && matches!(st, S::Notified | S::Ready) && s.discussion.is_none(),
        C::Decide => ordinary && matches!(st, S::Opened | S::Notified | S::Ready),
        C::Serve => ordinary && st == S::Decided,
        C::RecordPayment => st == S::Served && s.fine_fen() > 0,
        C::Pause => ordinary && st.before_decision() && !paused && st != S::InReview,
        C::Resume => ordinary && st.before_decision() && paused && st != S::Hearing,
        C::Extend => ordinary && st.before_decision(),
        C::File => s.procedure == Procedure::Simple && s.filed_on.is_none() && !st.is_finished(),
        C::Close => match st {
            S::Executed => s.procedure == Procedure::Ordinary || s.filed_on.is_some(),
            S::Decided | S::Served => s
                .decision
                .as_ref()
                .is_some_and(|d| d.outcome != CaseOutcome::Penalty),
            _ => false,
        },
        C::Archive => st == S::Closed,
        C::Publish => s.to_publish() && s.published_on.is_none() && s.revoked_on.is_none(),
        C::Withdraw => s.published_on.is_some() && s.withdrawn_on.is_none(),
        // Pressing makes sense while something is still due.
        C::Supervise => !st.is_finished() && st != S::Executed,
        C::RecordRevocation => s.decision.is_some() && s.revoked_on.is_none(),
    }
}

/// The actions a user with `hands` may take on a case now, in display order.
pub fn allowed_case_actions(s: &CaseState, hands: CaseHands) -> Vec<CaseActionCode> {
    CaseActionCode::ALL
        .iter()
        .copied()
        .filter(|c| c.allowed_for(hands) && possible(*c, s))
        .collect()
}

/// Whether `hands` may take `code` at all (for a 403 rather than a 409).
pub fn hands_allow(code: CaseActionCode, hands: CaseHands) -> bool {
    code.allowed_for(hands)
}

/// Applies one action; returns the new state or why it is refused.
pub fn apply_case(
    s: &CaseState,
    action: &CaseAction,
    ctx: &CaseContext,
) -> Result<CaseState, CaseError> {
    let code = action.code();
    if !possible(code, s) {
        return Err(CaseError::refused(format!(
            "案件当前为「{}」，不能{}",
            s.status.label_zh(),
            code.label_zh()
        )));
    }
    if !action.officers().is_empty()
        || matches!(
            code,
            CaseActionCode::RecordEvidence | CaseActionCode::Notify | CaseActionCode::Serve
        )
    {
        super::check_officers(action.officers(), ctx.certs, ctx.today)?;
    }
    let today = ctx.today;
    let (cal, rules) = (ctx.calendar, ctx.rules);
    let mut n = s.clone();
    match action {
        CaseAction::RecordEvidence {
            kind,
            description,
            place,
            officers,
        } => {
            check_text(description, "证据或笔录内容", 4000)?;
            optional_text(place, "地点", 200)?;
            n.evidence.push(Evidence {
                on: today,
                kind: *kind,
                description: description.trim().to_string(),
                officers: officers.clone(),
            });
        }
        CaseAction::Notify { penalty, grade, .. } => {
            if s.evidence.is_empty() {
                return Err(CaseError::refused(
                    "尚无调查取证记录，不能告知拟作出的处罚（行政处罚法第54条）",
                ));
            }
            if s.limitation_expired(rules) {
                return Err(CaseError::refused(limitation_message(s, rules)));
            }
            if penalty.kinds.is_empty() {
                return Err(CaseError::invalid("请选择拟给予的处罚种类"));
            }
            check_fine_kind(penalty)?;
            check_item_range(&s.item, penalty, *grade)?;
            n.notice = Some(Notice {
                on: today,
                penalty: penalty.clone(),
                grade: *grade,
                hearing_right: hearing_right(s, penalty, rules),
                defence_due: rules.defence_period.due(today, cal),
                hearing_request_due: rules.hearing_request_period.due(today, cal),
            });
            n.status = CaseStatus::Notified;
        }
        CaseAction::RecordDefence { summary, waived } => {
            if *waived {
                optional_text(summary, "说明", 2000)?;
            } else {
                check_text(summary, "陈述申辩的内容及复核意见", 4000)?;
            }
            n.defence = Some(Defence {
                on: today,
                waived: *waived,
                summary: summary.trim().to_string(),
            });
        }
        CaseAction::RequestHearing => {
            let due = s.notice.as_ref().map(|x| x.hearing_request_due);
            if due.is_some_and(|d| today > d) {
                return Err(CaseError::refused(format!(
                    "听证申请期限已于{}届满（告知后5个工作日内，行政处罚法第64条）",
                    due.unwrap_or(today)
                )));
            }
            n.hearing = Some(Hearing {
                requested_on: Some(today),
                ..Hearing::default()
            });
            n.status = CaseStatus::Hearing;
            pause(&mut n, today, PauseReason::Hearing);
        }
        CaseAction::WaiveHearing => {
            n.hearing = Some(Hearing {
                waived: true,
                ..Hearing::default()
            });
        }
        CaseAction::ScheduleHearing { on } => {
            let earliest = rules.hearing_notice_period.due(today, cal);
            if *on < earliest {
                return Err(CaseError::refused(format!(
                    "听证通知须在举行听证的{}前送达，今天通知最早可定于{}（行政处罚法第64条）",
                    rules.hearing_notice_period.label_zh(),
                    earliest
                )));
            }
            if let Some(h) = &mut n.hearing {
                h.notified_on = Some(today);
                h.scheduled_on = Some(*on);
            }
        }
        CaseAction::HoldHearing { transcript } => {
            check_text(transcript, "听证笔录摘要", 4000)?;
            let scheduled = s.hearing.as_ref().and_then(|h| h.scheduled_on);
            if scheduled.is_some_and(|d| today < d) {
                return Err(CaseError::refused(format!(
                    "听证定于{}，不能提前举行",
                    scheduled.unwrap_or(today)
                )));
            }
            if let Some(h) = &mut n.hearing {
                h.held_on = Some(today);
                h.transcript = transcript.trim().to_string();
            }
            n.status = CaseStatus::Notified;
            resume(&mut n, today, cal);
        }
        CaseAction::SubmitReview => {
            if s.defence.is_none() && s.notice.as_ref().is_some_and(|x| today <= x.defence_due) {
                return Err(CaseError::refused(
                    "陈述申辩期限未满且未听取当事人意见，不能送法制审核",
                ));
            }
            n.reviews.push(Review {
                submitted_on: today,
                reviewed_on: None,
                opinion: None,
                note: String::new(),
                reviewer: None,
                checks: vec![],
            });
            n.status = CaseStatus::InReview;
        }
        CaseAction::Review {
            opinion,
            note,
            checks,
        } => {
            if *opinion == ReviewOpinion::Returned {
                check_text(note, "存在的问题及修改意见", 4000)?;
            } else {
                optional_text(note, "审核意见", 4000)?;
                if let Some(missing) = super::ReviewCheck::ALL.iter().find(|c| !checks.contains(c))
                {
                    return Err(CaseError::invalid(format!(
                        "审核同意须逐项确认审核要点，尚未确认：{}",
                        missing.label_zh()
                    )));
                }
            }
            if let Some(r) = n.reviews.last_mut() {
                r.reviewed_on = Some(today);
                r.opinion = Some(*opinion);
                r.note = note.trim().to_string();
                r.reviewer = Some(ctx.actor);
                r.checks = checks.clone();
            }
            n.status = match opinion {
                ReviewOpinion::Approved => CaseStatus::Ready,
                ReviewOpinion::Returned => CaseStatus::Notified,
            };
        }
        CaseAction::Discuss {
            conclusion,
            dissent,
        } => {
            check_text(conclusion, "讨论结论", 4000)?;
            optional_text(dissent, "不同意见", 4000)?;
            if s.review_required() && !s.review_passed() {
                return Err(CaseError::refused(
                    "重大执法决定须先经法制审核并通过，才能提交集体讨论（行政处罚法第58条）",
                ));
            }
            n.discussion = Some(Discussion {
                on: today,
                conclusion: conclusion.trim().to_string(),
                dissent: dissent.trim().to_string(),
            });
        }
        CaseAction::Decide {
            outcome,
            penalty,
            grade,
            reasons,
        } => {
            check_text(reasons, "决定理由和依据", 4000)?;
            let penalty = match outcome {
                CaseOutcome::Penalty => {
                    let p = penalty
                        .as_ref()
                        .ok_or_else(|| CaseError::invalid("请填写处罚内容"))?;
                    let grade = grade.unwrap_or(super::Grade::Ordinary);
                    decision_gates(s, p, grade, today, rules)?;
                    Some(p.clone())
                }
                _ => None,
            };
            n.decision = Some(Decision {
                on: today,
                outcome: *outcome,
                penalty,
                grade: *grade,
                reasons: reasons.trim().to_string(),
                collected_on_spot: false,
                service_due: rules.service_period.due(today, cal),
                publish_due: (*outcome == CaseOutcome::Penalty)
                    .then(|| rules.publication_period.due(today, cal)),
            });
            if n.clock.as_ref().is_some_and(|c| c.is_paused()) {
                resume(&mut n, today, cal);
            }
            n.status = CaseStatus::Decided;
        }
        CaseAction::Serve {
            method,
            electronic_consent,
            ..
        } => {
            if *method == ServiceMethod::Electronic && !electronic_consent {
                return Err(CaseError::refused(
                    "以传真、电子邮件等方式送达须经当事人书面同意（行政处罚法第61条）",
                ));
            }
            n.service = Some(Service {
                on: today,
                method: *method,
                payment_due: rules.payment_period.due(today, cal),
            });
            n.status = if s.fine_fen() > 0 {
                CaseStatus::Served
            } else {
                CaseStatus::Executed
            };
            if s.decision
                .as_ref()
                .is_some_and(|d| d.outcome != CaseOutcome::Penalty)
            {
                n.status = CaseStatus::Served;
            }
        }
        CaseAction::RecordPayment { amount_fen } => {
            if *amount_fen <= 0 {
                return Err(CaseError::invalid("缴款金额须大于0"));
            }
            let due = s.amount_due(today, rules);
            if s.paid().saturating_add(*amount_fen) > due {
                return Err(CaseError::invalid(format!(
                    "缴款合计不能超过应缴金额{}元（罚款加处罚款）",
                    super::money::yuan(due)
                )));
            }
            n.payments.push(Payment {
                on: today,
                amount_fen: *amount_fen,
            });
            if n.paid() >= n.amount_due(today, rules) {
                n.status = CaseStatus::Executed;
            }
        }
        CaseAction::Pause { reason, note } => {
            optional_text(note, "说明", 500)?;
            pause(&mut n, today, *reason);
        }
        CaseAction::Resume => resume(&mut n, today, cal),
        CaseAction::Extend { days, reason } => {
            check_text(reason, "延长理由", 1000)?;
            let used = s.clock.as_ref().map_or(0, |c| c.extension_days);
            if *days == 0 || used.saturating_add(*days) > rules.max_extension_days {
                return Err(CaseError::refused(if rules.max_extension_days == 0 {
                    "本地未设定延长办案期限的规定，不能延长（行政处罚法第60条）".to_string()
                } else {
                    format!(
                        "延长期限合计不能超过{}日（已延长{}日）",
                        rules.max_extension_days, used
                    )
                }));
            }
            if let Some(c) = &mut n.clock {
                c.extend(*days, cal);
            }
        }
        CaseAction::File => n.filed_on = Some(today),
        CaseAction::Close { note } => {
            optional_text(note, "结案说明", 2000)?;
            n.closed_on = Some(today);
            n.status = CaseStatus::Closed;
        }
        CaseAction::Archive => {
            n.archived_on = Some(today);
            n.status = CaseStatus::Archived;
        }
        CaseAction::Publish => n.published_on = Some(today),
        CaseAction::RecordRevocation { reason } => {
            check_text(reason, "撤销、变更或确认违法的决定及理由", 1000)?;
            n.revoked_on = Some(today);
            n.revocation_reason = reason.trim().to_string();
            if s.published_on.is_some() && s.withdrawn_on.is_none() {
                n.withdraw_due = Some(rules.withdrawal_period.due(today, cal));
            }
        }
        CaseAction::Supervise { note } => {
            check_text(note, "督办意见", 1000)?;
            n.supervisions.push(super::Supervision {
                on: today,
                note: note.trim().to_string(),
                by: ctx.actor,
            });
        }
        CaseAction::Withdraw { reason } => {
            check_text(
                reason,
                "撤回理由（决定被变更、撤销、确认违法或无效等）",
                1000,
            )?;
            n.withdrawn_on = Some(today);
            n.withdrawal_reason = reason.trim().to_string();
        }
    }
    Ok(n)
}

/// The party's right to a hearing for this penalty (Art 63; thresholds are settings).
pub fn hearing_right(s: &CaseState, p: &super::Penalty, rules: &EnforcementRules) -> bool {
    let large = match s.party.kind {
        PartyKind::Citizen => rules.large_fine_citizen_fen,
        PartyKind::Organisation => rules.large_fine_organisation_fen,
    };
    p.kinds.iter().any(|k| k.needs_hearing())
        || (p.kinds.contains(&PenaltyKind::Fine) && p.fine_fen >= large)
        || (p.kinds.contains(&PenaltyKind::Confiscation) && p.confiscation_fen >= large)
        || (s.item.spec.hearing_right && p.kinds.iter().any(|k| *k != PenaltyKind::Warning))
}

/// The gates before a penalty decision (Arts 36, 44, 45, 57, 58, 62, 63).
fn decision_gates(
    s: &CaseState,
    p: &super::Penalty,
    grade: super::Grade,
    today: Date,
    rules: &EnforcementRules,
) -> Result<(), CaseError> {
    if s.limitation_expired(rules) {
        return Err(CaseError::refused(limitation_message(s, rules)));
    }
    let notice = s.notice.as_ref().ok_or_else(|| {
        CaseError::refused(
            "未告知当事人拟作出的处罚及其陈述、申辩、听证权利，不得作出处罚决定（行政处罚法第44条、第62条）",
        )
    })?;
    if s.defence.is_none() && today <= notice.defence_due {
        return Err(CaseError::refused(format!(
            "陈述申辩期限至{}，期限未满且当事人未陈述申辩或书面放弃，不得作出处罚决定（行政处罚法第62条）",
            notice.defence_due
        )));
    }
    if notice.hearing_right {
        match &s.hearing {
            Some(h) if h.requested_on.is_some() && h.held_on.is_none() => {
                return Err(CaseError::refused(
                    "当事人已申请听证，听证结束前不得作出处罚决定（行政处罚法第62条、第65条）",
                ));
            }
            None if today <= notice.hearing_request_due => {
                return Err(CaseError::refused(format!(
                    "听证申请期限至{}，期限未满且当事人未书面放弃听证，不得作出处罚决定",
                    notice.hearing_request_due
                )));
            }
            _ => {}
        }
    }
    check_fine_kind(p)?;
    if p.exceeds(&notice.penalty) {
        return Err(CaseError::refused(format!(
            "处罚不得重于告知的「{}」：不得因当事人陈述申辩而加重处罚（行政处罚法第45条）；如需加重，应重新告知",
            notice.penalty.label_zh()
        )));
    }
    check_item_range(&s.item, p, grade)?;
    if s.review_required() && !s.review_passed() {
        return Err(CaseError::refused(
            "本案须经法制审核（行政处罚法第58条或本镇法制审核目录），未经审核或审核未通过的，不得作出决定",
        ));
    }
    if s.complex && s.discussion.is_none() {
        return Err(CaseError::refused(
            "情节复杂或重大违法行为须经集体讨论决定（行政处罚法第57条第2款）",
        ));
    }
    Ok(())
}

fn pause(n: &mut CaseState, today: Date, reason: PauseReason) {
    if let Some(c) = &mut n.clock
        && !c.is_paused()
    {
        c.pause(today);
        n.pauses.push(Pause {
            from: today,
            to: None,
            reason,
        });
    }
}

fn resume(n: &mut CaseState, today: Date, cal: &Calendar) {
    if let Some(c) = &mut n.clock
        && c.is_paused()
    {
        c.resume(today, cal);
        if let Some(p) = n.pauses.last_mut() {
            p.to = Some(today);
        }
    }
}
