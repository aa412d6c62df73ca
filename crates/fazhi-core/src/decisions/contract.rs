//! Contracts the township signs (合同管理): the register (counterparty, amount in fen,
//! subject, term), the legality review from the review desk before signing, the
//! performance milestones and the expiry reminders. Signing goes through the desk: a
//! linked review item is signed with the contract, and a contract signed without one
//! gets an item registered as signed without review, so 审查率 counts it as skipped.

use serde::{Deserialize, Serialize};
use time::Date;

use super::{
    ReviewAction, ReviewError, ReviewKind, ReviewSpec, ReviewState, ReviewStatus, apply_review,
};
use crate::calendar::date_format;
use crate::enforcement::check_text;
use crate::enforcement::money::yuan;
use crate::matter::code_enum;

code_enum! {
    /// Where a contract stands.
    pub enum ContractStatus: "合同状态" {
        /// 拟签订: drafted, possibly under review.
        Draft = ("draft", "拟签订"),
        /// 已签订, being performed.
        Signed = ("signed", "履行中"),
        /// 履行完毕.
        Completed = ("completed", "履行完毕"),
        /// 解除或终止.
        Terminated = ("terminated", "已解除（终止）"),
        /// 不再签订.
        Dropped = ("dropped", "不再签订"),
    }
}

code_enum! {
    /// The code of an action on a contract, as stored on its timeline.
    pub enum ContractActionCode: "合同操作" {
        Register = ("register", "登记"),
        SubmitReview = ("submit_review", "送合法性审查"),
        Sign = ("sign", "签订"),
        AddMilestone = ("add_milestone", "添加履约节点"),
        CompleteMilestone = ("complete_milestone", "完成履约节点"),
        Complete = ("complete", "履行完毕"),
        Terminate = ("terminate", "解除（终止）"),
        Drop = ("drop", "不再签订"),
    }
}

/// What is entered to register a contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContractSpec {
    /// 合同名称（标的）.
    pub title: String,
    /// 合同相对方.
    pub counterparty: String,
    /// 合同金额, in fen (an integer; 0 for contracts without a price).
    pub amount_fen: i64,
    /// 承办单位.
    pub drafting_unit: String,
    /// The term: from (optional).
    #[serde(
        default,
        serialize_with = "date_format::option::serialize",
        deserialize_with = "crate::enforcement::nullable_date"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub starts_on: Option<Date>,
    /// The term: to (the expiry reminders run on it).
    #[serde(
        default,
        serialize_with = "date_format::option::serialize",
        deserialize_with = "crate::enforcement::nullable_date"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub expires_on: Option<Date>,
    /// An item already on the review desk (kind 合同) for this contract.
    #[serde(default)]
    pub legal_review_id: Option<i64>,
}

/// One performance milestone (履约节点).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Milestone {
    pub title: String,
    #[serde(with = "date_format")]
    pub due_on: Date,
    #[serde(default, with = "date_format::option")]
    pub done_on: Option<Date>,
    #[serde(default)]
    pub note: String,
}

impl Milestone {
    /// Not done and its day has passed.
    pub fn overdue(&self, today: Date) -> bool {
        self.done_on.is_none() && today > self.due_on
    }
}

/// A contract, kept as JSON beside its row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractState {
    pub status: ContractStatus,
    pub title: String,
    pub counterparty: String,
    pub amount_fen: i64,
    pub drafting_unit: String,
    #[serde(default, with = "date_format::option")]
    pub starts_on: Option<Date>,
    #[serde(default, with = "date_format::option")]
    pub expires_on: Option<Date>,
    #[serde(default)]
    pub legal_review_id: Option<i64>,
    #[serde(default, with = "date_format::option")]
    pub signed_on: Option<Date>,
    /// At signing: the linked review had passed (lawful, or amend adopted) before.
    #[serde(default)]
    pub reviewed_before_signing: bool,
    #[serde(default)]
    pub milestones: Vec<Milestone>,
    #[serde(default, with = "date_format::option")]
    pub closed_on: Option<Date>,
    #[serde(default)]
    pub close_reason: String,
}

impl ContractState {
    /// Signed without a passed review before: what 审查率 counts as skipped.
    pub fn skipped_review(&self) -> bool {
        self.signed_on.is_some() && !self.reviewed_before_signing
    }

    /// Being performed (signed, not yet completed or terminated).
    pub fn in_force(&self) -> bool {
        self.status == ContractStatus::Signed
    }

    /// Days from `today` to the expiry of a contract in force (negative once expired).
    pub fn days_to_expiry(&self, today: Date) -> Option<i64> {
        self.expires_on
            .filter(|_| self.in_force())
            .map(|e| (e - today).whole_days())
    }

    /// In force and expiring within `days` days of `today` (or already expired).
    pub fn expiring_within(&self, today: Date, days: i64) -> bool {
        self.days_to_expiry(today).is_some_and(|d| d <= days)
    }

    /// A milestone of a contract in force is late.
    pub fn milestone_overdue(&self, today: Date) -> bool {
        self.in_force() && self.milestones.iter().any(|m| m.overdue(today))
    }

    /// The amount as shown: "12.50元".
    pub fn amount_label(&self) -> String {
        format!("{}元", yuan(self.amount_fen))
    }
}

fn invalid(m: impl Into<String>) -> ReviewError {
    ReviewError::Invalid(m.into())
}

fn refused(m: impl Into<String>) -> ReviewError {
    ReviewError::Refused(m.into())
}

fn check_term(starts: Option<Date>, expires: Option<Date>) -> Result<(), ReviewError> {
    if let (Some(s), Some(e)) = (starts, expires)
        && e < s
    {
        return Err(invalid("合同到期日不能早于起始日"));
    }
    for d in [starts, expires].into_iter().flatten() {
        if !(2000..=2100).contains(&d.year()) {
            return Err(invalid("合同期限须在2000年到2100年之间"));
        }
    }
    Ok(())
}

/// Registers a contract to be signed.
pub fn open_contract(spec: &ContractSpec) -> Result<ContractState, ReviewError> {
    check_text(&spec.title, "合同名称", 200)?;
    check_text(&spec.counterparty, "合同相对方", 200)?;
    check_text(&spec.drafting_unit, "承办单位", 100)?;
    if spec.amount_fen < 0 {
        return Err(invalid("合同金额不能为负数"));
    }
    if spec.amount_fen > 1_000_000_000_000 {
        return Err(invalid("合同金额过大，请检查（以分为单位）"));
    }
    check_term(spec.starts_on, spec.expires_on)?;
    Ok(ContractState {
        status: ContractStatus::Draft,
        title: spec.title.trim().into(),
        counterparty: spec.counterparty.trim().into(),
        amount_fen: spec.amount_fen,
        drafting_unit: spec.drafting_unit.trim().into(),
        starts_on: spec.starts_on,
        expires_on: spec.expires_on,
        legal_review_id: spec.legal_review_id,
        signed_on: None,
        reviewed_before_signing: false,
        milestones: Vec::new(),
        closed_on: None,
        close_reason: String::new(),
    })
}

/// The review item a contract puts on the desk.
pub fn contract_review_spec(s: &ContractState, materials: &str) -> ReviewSpec {
    ReviewSpec {
        kind: ReviewKind::Contract,
        title: s.title.clone(),
        drafting_unit: s.drafting_unit.clone(),
        materials: if materials.trim().is_empty() {
            format!(
                "{}（合同文本）。相对方：{}；金额：{}。",
                s.title,
                s.counterparty,
                s.amount_label()
            )
        } else {
            materials.trim().into()
        },
        enforcement_case_id: None,
        major_decision_id: None,
        due_on: None,
        urgent_reason: String::new(),
        signed_on: None,
    }
}

/// What signing does to the review desk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReviewChange {
    /// Nothing (no signing, or the linked item was already signed).
    Keep,
    /// The linked item changed by `action` (signed with the contract, or withdrawn
    /// when the contract is dropped).
    Update {
        state: ReviewState,
        action: ReviewAction,
    },
    /// No usable item: one registered as signed without review (counted as skipped).
    Register(ReviewSpec),
}

/// One action on a contract; JSON form `{"action": "<code>", ...}`. Days left out are
/// the server's today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum ContractAction {
    /// Puts the contract on the review desk (kind 合同); the caller creates the item.
    SubmitReview {
        #[serde(default)]
        materials: String,
    },
    /// 签订. Without a passed review this is counted as skipped.
    Sign {
        #[serde(
            default,
            serialize_with = "date_format::option::serialize",
            deserialize_with = "crate::enforcement::nullable_date"
        )]
        #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
        on: Option<Date>,
    },
    AddMilestone {
        title: String,
        #[serde(with = "date_format")]
        #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
        due_on: Date,
    },
    /// Milestone number `index` (from 0) done.
    CompleteMilestone {
        index: usize,
        #[serde(
            default,
            serialize_with = "date_format::option::serialize",
            deserialize_with = "crate::enforcement::nullable_date"
        )]
        #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
        on: Option<Date>,
        #[serde(default)]
        note: String,
    },
    Complete {
        #[serde(
            default,
            serialize_with = "date_format::option::serialize",
            deserialize_with = "crate::enforcement::nullable_date"
        )]
        #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
        on: Option<Date>,
    },
    Terminate {
        reason: String,
    },
    /// Not signed after all.
    Drop {
        reason: String,
    },
}

impl ContractAction {
    pub fn code(&self) -> ContractActionCode {
        use ContractActionCode as C;
        match self {
            ContractAction::SubmitReview { .. } => C::SubmitReview,
            ContractAction::Sign { .. } => C::Sign,
            ContractAction::AddMilestone { .. } => C::AddMilestone,
            ContractAction::CompleteMilestone { .. } => C::CompleteMilestone,
            ContractAction::Complete { .. } => C::Complete,
            ContractAction::Terminate { .. } => C::Terminate,
            ContractAction::Drop { .. } => C::Drop,
        }
    }

    /// Text for the timeline.
    pub fn note(&self) -> String {
        match self {
            ContractAction::AddMilestone { title, due_on } => format!("{title}（{due_on}）"),
            ContractAction::CompleteMilestone { note, .. } => note.clone(),
            ContractAction::Terminate { reason } | ContractAction::Drop { reason } => {
                reason.clone()
            }
            _ => String::new(),
        }
    }
}

fn possible(code: ContractActionCode, s: &ContractState, review: Option<&ReviewState>) -> bool {
    use ContractActionCode as C;
    use ContractStatus as S;
    let review_open = review.is_some_and(|r| r.status != ReviewStatus::Withdrawn);
    match code {
        C::Register => false,
        // A new review when none is open (none yet, or the last one was withdrawn).
        C::SubmitReview => s.status == S::Draft && !review_open,
        C::Sign | C::Drop => s.status == S::Draft,
        C::AddMilestone => matches!(s.status, S::Draft | S::Signed),
        C::CompleteMilestone => {
            s.status == S::Signed && s.milestones.iter().any(|m| m.done_on.is_none())
        }
        C::Complete | C::Terminate => s.status == S::Signed,
    }
}

/// The actions possible now, in display order (the caller checks the role).
pub fn allowed_contract_actions(
    s: &ContractState,
    review: Option<&ReviewState>,
) -> Vec<ContractActionCode> {
    ContractActionCode::ALL
        .iter()
        .copied()
        .filter(|c| possible(*c, s, review))
        .collect()
}

fn past_day(on: Option<Date>, today: Date, what: &str) -> Result<Date, ReviewError> {
    let d = on.unwrap_or(today);
    if d > today {
        return Err(invalid(format!("{what}不能晚于今天")));
    }
    if d.year() < 2000 {
        return Err(invalid(format!("{what}不能早于2000年")));
    }
    Ok(d)
}

/// Applies one action on `today` by `actor`, given the linked review item; the new
/// state and what changes on the desk, or why it is refused. `SubmitReview` returns
/// the state unchanged: the caller creates the item and links it.
pub fn apply_contract(
    s: &ContractState,
    review: Option<&ReviewState>,
    action: &ContractAction,
    today: Date,
    actor: i64,
) -> Result<(ContractState, ReviewChange), ReviewError> {
    let code = action.code();
    if !possible(code, s, review) {
        return Err(refused(format!(
            "该合同当前为「{}」，不能{}",
            s.status.label_zh(),
            code.label_zh()
        )));
    }
    let mut n = s.clone();
    let mut change = ReviewChange::Keep;
    match action {
        ContractAction::SubmitReview { materials } => {
            if materials.chars().count() > 100_000 {
                return Err(invalid("审查材料不能超过10万字"));
            }
        }
        ContractAction::Sign { on } => {
            let d = past_day(*on, today, "签订日期")?;
            match review.filter(|r| r.status != ReviewStatus::Withdrawn) {
                Some(r) if r.status == ReviewStatus::Signed => {
                    n.reviewed_before_signing = r.reviewed_before_signing();
                }
                Some(r) => {
                    // The desk's own rules: never after an unlawful opinion, an amend
                    // opinion needs its adoption first; pending means skipped.
                    let action = ReviewAction::Sign {
                        note: format!("合同于{d}签订"),
                    };
                    let signed = apply_review(r, &action, d, actor).map_err(|e| match e {
                        ReviewError::Refused(m) => refused(format!("合同不能签订：{m}")),
                        e => e,
                    })?;
                    // An opinion given after the signing day does not count as before it.
                    n.reviewed_before_signing = signed.reviewed_before_signing() && r.passed();
                    change = ReviewChange::Update {
                        state: signed,
                        action,
                    };
                }
                None => {
                    let mut spec = contract_review_spec(s, "");
                    spec.signed_on = Some(d);
                    n.reviewed_before_signing = false;
                    change = ReviewChange::Register(spec);
                }
            }
            n.signed_on = Some(d);
            n.status = ContractStatus::Signed;
        }
        ContractAction::AddMilestone { title, due_on } => {
            check_text(title, "履约节点", 200)?;
            if !(2000..=2100).contains(&due_on.year()) {
                return Err(invalid("履约节点日期须在2000年到2100年之间"));
            }
            n.milestones.push(Milestone {
                title: title.trim().into(),
                due_on: *due_on,
                done_on: None,
                note: String::new(),
            });
            n.milestones.sort_by_key(|m| m.due_on);
        }
        ContractAction::CompleteMilestone { index, on, note } => {
            let d = past_day(*on, today, "完成日期")?;
            if note.trim().chars().count() > 1000 {
                return Err(invalid("说明不能超过1000个字"));
            }
            let Some(m) = n.milestones.get_mut(*index) else {
                return Err(invalid("没有这个履约节点"));
            };
            if m.done_on.is_some() {
                return Err(refused("该履约节点已完成"));
            }
            m.done_on = Some(d);
            m.note = note.trim().into();
        }
        ContractAction::Complete { on } => {
            let d = past_day(*on, today, "履行完毕日期")?;
            if n.milestones.iter().any(|m| m.done_on.is_none()) {
                return Err(refused("尚有履约节点未完成，请先登记完成情况"));
            }
            n.closed_on = Some(d);
            n.status = ContractStatus::Completed;
        }
        ContractAction::Terminate { reason } | ContractAction::Drop { reason } => {
            check_text(reason, "理由", 1000)?;
            n.closed_on = Some(today);
            n.close_reason = reason.trim().into();
            n.status = if code == ContractActionCode::Drop {
                ContractStatus::Dropped
            } else {
                ContractStatus::Terminated
            };
            // A contract not signed after all takes its open review off the desk.
            if let Some(r) = review.filter(|r| {
                code == ContractActionCode::Drop
                    && matches!(
                        r.status,
                        ReviewStatus::Pending | ReviewStatus::Reviewed | ReviewStatus::Answered
                    )
            }) {
                let action = ReviewAction::Withdraw {
                    reason: format!("合同不再签订：{}", reason.trim()),
                };
                let state = apply_review(r, &action, today, actor)?;
                change = ReviewChange::Update { state, action };
            }
        }
    }
    Ok((n, change))
}

code_enum! {
    /// A count of contracts for a year (合同管理统计项).
    pub enum ContractFigure: "合同统计项" {
        /// Signed in the year.
        Signed = ("signed", "签订合同"),
        /// Signed in the year after a passed review.
        ReviewedBeforeSigning = ("reviewed_before_signing", "签订前经合法性审查"),
        /// Signed in the year without a passed review.
        Skipped = ("skipped", "未经审查签订"),
        /// In force with a late milestone (today, whatever the year).
        MilestoneOverdue = ("milestone_overdue", "履约节点逾期"),
    }
}

impl ContractFigure {
    /// Whether contract `s` counts in this figure for `year` on `today`: the one definition.
    pub fn counts(self, s: &ContractState, year: i32, today: Date) -> bool {
        let signed = s.signed_on.is_some_and(|d| d.year() == year);
        match self {
            ContractFigure::Signed => signed,
            ContractFigure::ReviewedBeforeSigning => signed && s.reviewed_before_signing,
            ContractFigure::Skipped => signed && s.skipped_review(),
            ContractFigure::MilestoneOverdue => s.milestone_overdue(today),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::Calendar;
    use crate::decisions::{LegalOpinion, ReviewRules, open_review};
    use time::macros::date;

    fn spec() -> ContractSpec {
        ContractSpec {
            title: "集镇保洁服务外包合同".into(),
            counterparty: "某环境服务公司".into(),
            amount_fen: 36_000_000,
            drafting_unit: "环卫所".into(),
            starts_on: Some(date!(2026 - 01 - 01)),
            expires_on: Some(date!(2026 - 12 - 31)),
            legal_review_id: None,
        }
    }

    #[test]
    fn signing_goes_through_the_desk() {
        let today = date!(2026 - 03 - 02);
        let s = open_contract(&spec()).unwrap();
        assert_eq!(s.amount_label(), "360000元");
        // No review: an item registered as signed without review.
        let sign = ContractAction::Sign { on: None };
        let (n, c) = apply_contract(&s, None, &sign, today, 1).unwrap();
        assert!(n.skipped_review());
        assert!(matches!(c, ReviewChange::Register(ref r) if r.signed_on == Some(today)));
        // Unlawful: refused.
        let cal = Calendar::builtin();
        let r = open_review(
            &contract_review_spec(&s, ""),
            today,
            &cal,
            &ReviewRules::default(),
        )
        .unwrap();
        let bad = apply_review(
            &r,
            &ReviewAction::Review {
                opinion: LegalOpinion::Unlawful,
                reasons: "未经采购".into(),
                adviser_id: None,
            },
            today,
            2,
        )
        .unwrap();
        let e = apply_contract(&s, Some(&bad), &sign, today, 1).unwrap_err();
        assert!(e.message().contains("不合法"), "{e}");
        // Lawful: reviewed before signing.
        let ok = apply_review(
            &r,
            &ReviewAction::Review {
                opinion: LegalOpinion::Lawful,
                reasons: String::new(),
                adviser_id: None,
            },
            today,
            2,
        )
        .unwrap();
        let (n, c) = apply_contract(&s, Some(&ok), &sign, today, 1).unwrap();
        assert!(!n.skipped_review() && n.reviewed_before_signing);
        assert!(
            matches!(c, ReviewChange::Update { ref state, .. } if state.signed_on == Some(today))
        );
        // Pending: signed, but skipped.
        let (n, _) = apply_contract(&s, Some(&r), &sign, today, 1).unwrap();
        assert!(n.skipped_review());
        // Expiry and milestones.
        let m = ContractAction::AddMilestone {
            title: "第一季度保洁考核".into(),
            due_on: date!(2026 - 03 - 31),
        };
        let (n, _) = apply_contract(&n, None, &m, today, 1).unwrap();
        assert!(!n.milestone_overdue(today));
        assert!(n.milestone_overdue(date!(2026 - 04 - 01)));
        assert!(n.expiring_within(date!(2026 - 12 - 10), 30));
        assert!(!n.expiring_within(date!(2026 - 10 - 10), 30));
        let done = ContractAction::Complete { on: None };
        assert!(apply_contract(&n, None, &done, today, 1).is_err());
        let neg = ContractSpec {
            amount_fen: -1,
            ..spec()
        };
        assert!(open_contract(&neg).is_err());
    }
}
