//! One item on the review desk: submitted with its materials and a due date inside the
//! kind's period, reviewed (lawful / unlawful / amend), answered by the drafting side
//! (adopted or why not), then signed. Signing without an opinion is recorded, not
//! hidden: it is what 审查率 counts as skipped. Every refusal names its rule.

use serde::{Deserialize, Serialize};
use time::Date;

use super::{Adoption, LegalOpinion, ReviewActionCode, ReviewKind, ReviewRules, ReviewStatus};
use crate::calendar::{Calendar, date_format};
use crate::enforcement::check_text;

/// Why a review action was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReviewError {
    /// The input is malformed or incomplete (422/400).
    #[error("{0}")]
    Invalid(String),
    /// The rules or the item's state do not allow it (409).
    #[error("{0}")]
    Refused(String),
}

impl ReviewError {
    fn invalid(m: impl Into<String>) -> ReviewError {
        ReviewError::Invalid(m.into())
    }
    fn refused(m: impl Into<String>) -> ReviewError {
        ReviewError::Refused(m.into())
    }
    pub fn message(&self) -> &str {
        match self {
            ReviewError::Invalid(m) | ReviewError::Refused(m) => m,
        }
    }
}

impl From<crate::enforcement::CaseError> for ReviewError {
    fn from(e: crate::enforcement::CaseError) -> Self {
        ReviewError::Invalid(e.message().to_string())
    }
}

/// What the drafting side enters to put an item on the desk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewSpec {
    pub kind: ReviewKind,
    pub title: String,
    /// 起草（承办）单位.
    pub drafting_unit: String,
    /// The draft, its explanation, basis and the drafter's own review (text for now).
    pub materials: String,
    /// The enforcement case this decision belongs to (重大执法决定).
    #[serde(default)]
    pub enforcement_case_id: Option<i64>,
    /// The major decision this review belongs to.
    #[serde(default)]
    pub major_decision_id: Option<i64>,
    /// Review by this day (defaults to the kind's longest period, or its shortest).
    #[serde(
        default,
        serialize_with = "date_format::option::serialize",
        deserialize_with = "crate::enforcement::nullable_date"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub due_on: Option<Date>,
    /// Why a shorter period than the kind's minimum is needed (emergency, order from above).
    #[serde(default)]
    pub urgent_reason: String,
    /// Registers an act already signed on this day without any review (counted as skipped).
    #[serde(
        default,
        serialize_with = "date_format::option::serialize",
        deserialize_with = "crate::enforcement::nullable_date"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub signed_on: Option<Date>,
}

/// The reviewer's opinion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Opinion {
    pub opinion: LegalOpinion,
    pub reasons: String,
    #[serde(with = "date_format")]
    pub on: Date,
    pub reviewer_id: i64,
    /// The roster adviser (法律顾问) who gave the opinion, when one did: the adviser's
    /// work log reads this link, not the reviewer's name.
    #[serde(default)]
    pub adviser_id: Option<i64>,
}

/// The drafting side's answer to the opinion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdoptionRecord {
    pub adoption: Adoption,
    pub reason: String,
    #[serde(with = "date_format")]
    pub on: Date,
}

/// An item on the desk, kept as JSON beside its row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewState {
    pub kind: ReviewKind,
    pub status: ReviewStatus,
    pub title: String,
    pub drafting_unit: String,
    pub materials: String,
    #[serde(default)]
    pub enforcement_case_id: Option<i64>,
    #[serde(default)]
    pub major_decision_id: Option<i64>,
    #[serde(with = "date_format")]
    pub submitted_on: Date,
    #[serde(with = "date_format")]
    pub due_on: Date,
    #[serde(default)]
    pub urgent_reason: String,
    #[serde(default)]
    pub opinion: Option<Opinion>,
    #[serde(default)]
    pub adoption: Option<AdoptionRecord>,
    #[serde(default, with = "date_format::option")]
    pub signed_on: Option<Date>,
}

impl ReviewState {
    /// The opinion was given on or before the signing (or the item is not signed yet).
    pub fn reviewed_before_signing(&self) -> bool {
        match (&self.opinion, self.signed_on) {
            (Some(o), Some(s)) => o.on <= s,
            _ => false,
        }
    }

    /// Signed without an opinion given before: a skipped review.
    pub fn skipped(&self) -> bool {
        self.signed_on.is_some() && !self.reviewed_before_signing()
    }

    /// The opinion came after the due day, or none came and the due day has passed.
    pub fn overdue(&self, today: Date) -> bool {
        match &self.opinion {
            Some(o) => o.on > self.due_on,
            None => self.status == ReviewStatus::Pending && today > self.due_on,
        }
    }

    /// The review lets the act go ahead: lawful, or amend with the amendment adopted
    /// (fully or in part, with reasons). What a major decision's discussion needs.
    pub fn passed(&self) -> bool {
        if self.status == ReviewStatus::Withdrawn {
            return false;
        }
        match (&self.opinion, &self.adoption) {
            (Some(o), _) if o.opinion == LegalOpinion::Lawful => true,
            (Some(o), Some(a)) if o.opinion == LegalOpinion::Amend => {
                a.adoption != Adoption::NotAdopted
            }
            _ => false,
        }
    }
}

/// Opens an item on `today` (or registers one already signed without review).
pub fn open_review(
    spec: &ReviewSpec,
    today: Date,
    cal: &Calendar,
    rules: &ReviewRules,
) -> Result<ReviewState, ReviewError> {
    check_text(&spec.title, "标题", 200)?;
    check_text(&spec.drafting_unit, "起草单位", 100)?;
    let mut s = ReviewState {
        kind: spec.kind,
        status: ReviewStatus::Pending,
        title: spec.title.trim().to_string(),
        drafting_unit: spec.drafting_unit.trim().to_string(),
        materials: spec.materials.trim().to_string(),
        enforcement_case_id: spec.enforcement_case_id,
        major_decision_id: spec.major_decision_id,
        submitted_on: today,
        due_on: today,
        urgent_reason: spec.urgent_reason.trim().to_string(),
        opinion: None,
        adoption: None,
        signed_on: None,
    };
    if spec.materials.chars().count() > 100_000 {
        return Err(ReviewError::invalid("审查材料不能超过10万字"));
    }
    if let Some(on) = spec.signed_on {
        if on > today {
            return Err(ReviewError::invalid("签发日期不能晚于今天"));
        }
        // Registered after the fact: it entered the desk the day it was signed.
        s.submitted_on = on;
        s.due_on = on;
        s.signed_on = Some(on);
        s.status = ReviewStatus::Signed;
        return Ok(s);
    }
    check_text(&spec.materials, "审查材料", 100_000)?;
    let p = rules.of(spec.kind);
    let earliest = p.min.due(today, cal);
    let latest = p.max.map(|m| m.due(today, cal));
    let due = spec.due_on.unwrap_or(latest.unwrap_or(earliest));
    let basis = ReviewRules::basis(spec.kind);
    if due < earliest && s.urgent_reason.is_empty() {
        return Err(ReviewError::refused(format!(
            "{}的审查期限不得少于{}（{basis}），最早为{earliest}；确属紧急的，请说明理由",
            spec.kind.label_zh(),
            p.min.label_zh()
        )));
    }
    if let (Some(max), Some(latest)) = (p.max, latest)
        && due > latest
    {
        return Err(ReviewError::refused(format!(
            "{}的审查期限不得超过{}（{basis}），最迟为{latest}",
            spec.kind.label_zh(),
            max.label_zh()
        )));
    }
    if due < today {
        return Err(ReviewError::invalid("审查期限不能早于今天"));
    }
    check_optional(&s.urgent_reason, "紧急理由", 500)?;
    s.due_on = due;
    Ok(s)
}

fn check_optional(v: &str, what: &str, max: usize) -> Result<(), ReviewError> {
    if v.trim().is_empty() {
        Ok(())
    } else {
        Ok(check_text(v, what, max)?)
    }
}

/// One action on an item; JSON form `{"action": "<code>", ...}`. The day is the server's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum ReviewAction {
    /// 出具审查意见: reasons required unless lawful.
    Review {
        opinion: LegalOpinion,
        #[serde(default)]
        reasons: String,
        /// The roster adviser who gave the opinion (of the item's township).
        #[serde(default)]
        adviser_id: Option<i64>,
    },
    /// 反馈采纳情况: a reason required unless adopted.
    RecordAdoption {
        adoption: Adoption,
        #[serde(default)]
        reason: String,
    },
    /// 签发 / 作出决定. Without an opinion this is a skipped review.
    Sign {
        #[serde(default)]
        note: String,
    },
    /// The drafting side drops the act.
    Withdraw { reason: String },
}

impl ReviewAction {
    pub fn code(&self) -> ReviewActionCode {
        match self {
            ReviewAction::Review { .. } => ReviewActionCode::Review,
            ReviewAction::RecordAdoption { .. } => ReviewActionCode::RecordAdoption,
            ReviewAction::Sign { .. } => ReviewActionCode::Sign,
            ReviewAction::Withdraw { .. } => ReviewActionCode::Withdraw,
        }
    }

    /// Text for the timeline.
    pub fn note(&self) -> String {
        match self {
            ReviewAction::Review {
                opinion, reasons, ..
            } => {
                format!("{}。{reasons}", opinion.label_zh())
            }
            ReviewAction::RecordAdoption { adoption, reason } => {
                format!("{}。{reason}", adoption.label_zh())
            }
            ReviewAction::Sign { note } => note.clone(),
            ReviewAction::Withdraw { reason } => reason.clone(),
        }
    }
}

/// Who a user is for an item: the reviewer (法制审核/法律顾问) or the drafting side.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReviewHands {
    pub reviewer: bool,
    pub drafter: bool,
}

impl ReviewActionCode {
    fn allowed_for(self, h: ReviewHands) -> bool {
        match self {
            ReviewActionCode::Review => h.reviewer,
            ReviewActionCode::Submit | ReviewActionCode::Register => false,
            _ => h.drafter,
        }
    }
}

fn possible(code: ReviewActionCode, s: &ReviewState) -> bool {
    use ReviewActionCode as C;
    use ReviewStatus as S;
    match code {
        C::Submit | C::Register => false,
        C::Review => s.status == S::Pending,
        C::RecordAdoption => s.status == S::Reviewed,
        // A major decision's review is closed by its collective discussion, not here.
        C::Sign | C::Withdraw => {
            s.major_decision_id.is_none()
                && matches!(s.status, S::Pending | S::Reviewed | S::Answered)
        }
    }
}

/// The actions `hands` may take on the item now, in display order.
pub fn allowed_review_actions(s: &ReviewState, hands: ReviewHands) -> Vec<ReviewActionCode> {
    ReviewActionCode::ALL
        .iter()
        .copied()
        .filter(|c| c.allowed_for(hands) && possible(*c, s))
        .collect()
}

impl ReviewHands {
    /// Whether these hands may take `code` at all (403 rather than 409).
    pub fn allow(self, code: ReviewActionCode) -> bool {
        code.allowed_for(self)
    }
}

/// Closes a major decision's review when the collective discussion took the decision:
/// signed after a passed review (the discussion's gate), so 审查率 counts it.
pub fn sign_for_decision(s: &ReviewState, today: Date) -> Result<ReviewState, ReviewError> {
    if !s.passed() || s.signed_on.is_some() {
        return Err(ReviewError::refused("该审查事项未通过审查或已签发"));
    }
    let mut n = s.clone();
    n.signed_on = Some(today);
    n.status = ReviewStatus::Signed;
    Ok(n)
}

/// Applies one action on `today` by `actor`; the new state or why it is refused.
pub fn apply_review(
    s: &ReviewState,
    action: &ReviewAction,
    today: Date,
    actor: i64,
) -> Result<ReviewState, ReviewError> {
    let code = action.code();
    if !possible(code, s) {
        return Err(ReviewError::refused(format!(
            "该事项当前为「{}」，不能{}",
            s.status.label_zh(),
            code.label_zh()
        )));
    }
    let mut n = s.clone();
    match action {
        ReviewAction::Review {
            opinion,
            reasons,
            adviser_id,
        } => {
            if *opinion != LegalOpinion::Lawful {
                check_text(reasons, "审查意见的理由", 5000).map_err(|_| {
                    ReviewError::invalid(format!(
                        "审查意见为「{}」的，须写明理由和修改意见（国办发〔2018〕115号）",
                        opinion.label_zh()
                    ))
                })?;
            } else {
                check_optional(reasons, "审查意见", 5000)?;
            }
            n.opinion = Some(Opinion {
                opinion: *opinion,
                reasons: reasons.trim().to_string(),
                on: today,
                reviewer_id: actor,
                adviser_id: *adviser_id,
            });
            n.status = ReviewStatus::Reviewed;
        }
        ReviewAction::RecordAdoption { adoption, reason } => {
            if *adoption != Adoption::Adopted {
                check_text(reason, "未采纳的理由", 2000).map_err(|_| {
                    ReviewError::invalid("未完全采纳审查意见的，须说明理由（国办发〔2018〕115号）")
                })?;
            } else {
                check_optional(reason, "说明", 2000)?;
            }
            n.adoption = Some(AdoptionRecord {
                adoption: *adoption,
                reason: reason.trim().to_string(),
                on: today,
            });
            n.status = ReviewStatus::Answered;
        }
        ReviewAction::Sign { note } => {
            check_optional(note, "说明", 500)?;
            if let Some(o) = &s.opinion {
                if o.opinion == LegalOpinion::Unlawful {
                    return Err(ReviewError::refused(
                        "经合法性审查认为不合法的，不得签发或提交决定（国办发〔2018〕115号；中办、国办2016年法律顾问意见）",
                    ));
                }
                if o.opinion == LegalOpinion::Amend && s.adoption.is_none() {
                    return Err(ReviewError::refused(
                        "审查意见要求修改，请先反馈采纳情况（采纳、部分采纳或未采纳及理由）再签发",
                    ));
                }
            }
            n.signed_on = Some(today);
            n.status = ReviewStatus::Signed;
        }
        ReviewAction::Withdraw { reason } => {
            check_text(reason, "撤回理由", 500)?;
            n.status = ReviewStatus::Withdrawn;
        }
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn spec(kind: ReviewKind) -> ReviewSpec {
        ReviewSpec {
            kind,
            title: "关于某事项的决定".into(),
            drafting_unit: "党政办".into(),
            materials: "草案及起草说明".into(),
            enforcement_case_id: None,
            major_decision_id: None,
            due_on: None,
            urgent_reason: String::new(),
            signed_on: None,
        }
    }

    #[test]
    fn periods_count_working_days_across_a_holiday() {
        let cal = Calendar::builtin();
        let rules = ReviewRules::default();
        // 2026-09-30 (Wed): 国庆 1–7 Oct are rest days, so 7 working days end after them.
        let s = open_review(
            &spec(ReviewKind::MajorDecision),
            date!(2026 - 09 - 30),
            &cal,
            &rules,
        )
        .unwrap();
        assert_eq!(s.due_on, cal.add_working_days(date!(2026 - 09 - 30), 7));
        assert!(s.due_on > date!(2026 - 10 - 08));
        let mut short = spec(ReviewKind::NormativeDocument);
        short.due_on = Some(date!(2026 - 10 - 09));
        let e = open_review(&short, date!(2026 - 09 - 30), &cal, &rules).unwrap_err();
        assert!(e.message().contains("5个工作日"), "{e}");
        short.urgent_reason = "上级紧急部署".into();
        assert!(open_review(&short, date!(2026 - 09 - 30), &cal, &rules).is_ok());
        short.due_on = Some(date!(2026 - 12 - 30));
        let e = open_review(&short, date!(2026 - 09 - 30), &cal, &rules).unwrap_err();
        assert!(e.message().contains("15个工作日"), "{e}");
    }

    #[test]
    fn reasons_gates_and_skips() {
        let cal = Calendar::builtin();
        let rules = ReviewRules::default();
        let today = date!(2026 - 03 - 02);
        let s = open_review(&spec(ReviewKind::Contract), today, &cal, &rules).unwrap();
        let amend = ReviewAction::Review {
            opinion: LegalOpinion::Amend,
            reasons: String::new(),
            adviser_id: None,
        };
        assert!(matches!(
            apply_review(&s, &amend, today, 1),
            Err(ReviewError::Invalid(_))
        ));
        let r = apply_review(
            &s,
            &ReviewAction::Review {
                opinion: LegalOpinion::Amend,
                reasons: "第5条违约金过高".into(),
                adviser_id: None,
            },
            today,
            1,
        )
        .unwrap();
        assert!(!r.passed());
        let sign = ReviewAction::Sign {
            note: String::new(),
        };
        assert!(matches!(
            apply_review(&r, &sign, today, 2),
            Err(ReviewError::Refused(_))
        ));
        let a = apply_review(
            &r,
            &ReviewAction::RecordAdoption {
                adoption: Adoption::Partly,
                reason: "违约金按对方意见保留一半".into(),
            },
            today,
            2,
        )
        .unwrap();
        assert!(a.passed());
        let signed = apply_review(&a, &sign, today, 2).unwrap();
        assert!(signed.reviewed_before_signing() && !signed.skipped());
        // Signing with no opinion is possible and counts as skipped.
        let skipped = apply_review(&s, &sign, today, 2).unwrap();
        assert!(skipped.skipped());
    }
}
