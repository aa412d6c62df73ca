//! The state of one enforcement case, kept whole (as JSON) with the case row.

use serde::{Deserialize, Serialize};
use time::Date;

use super::{
    CaseOutcome, CaseStatus, EnforcementRules, EvidenceKind, Grade, ItemRef, PartyKind,
    PauseReason, PenaltyKind, Procedure, ReviewOpinion, ServiceMethod,
};
use crate::calendar::{Calendar, Deadline, Warning, date_format};

/// The penalty intended (in the notice) or imposed (in the decision).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Penalty {
    pub kinds: Vec<PenaltyKind>,
    /// Fine in fen (0 without a fine).
    #[serde(default)]
    pub fine_fen: i64,
    /// Illegal gains or property confiscated, valued in fen.
    #[serde(default)]
    pub confiscation_fen: i64,
}

impl Penalty {
    /// Whether `self` is heavier than `other` in any respect (Art 45: no raise after the defence).
    pub fn exceeds(&self, other: &Penalty) -> bool {
        self.fine_fen > other.fine_fen
            || self.confiscation_fen > other.confiscation_fen
            || self.kinds.iter().any(|k| !other.kinds.contains(k))
    }

    /// "罚款500元" / "警告" / "警告，罚款200元".
    pub fn label_zh(&self) -> String {
        self.kinds
            .iter()
            .map(|k| match k {
                PenaltyKind::Fine => format!("罚款{}元", super::money::yuan(self.fine_fen)),
                PenaltyKind::Confiscation if self.confiscation_fen > 0 => format!(
                    "{}（价值{}元）",
                    k.label_zh(),
                    super::money::yuan(self.confiscation_fen)
                ),
                k => k.label_zh().to_string(),
            })
            .collect::<Vec<_>>()
            .join("，")
    }
}

/// The party a case is against. Only the name is kept here; personal identifiers are
/// not needed for the workflow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseParty {
    pub kind: PartyKind,
    pub name: String,
    #[serde(default)]
    pub address: String,
}

/// Something done by officers (who must be at least two, with valid certificates).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    #[serde(with = "date_format")]
    pub on: Date,
    pub kind: EvidenceKind,
    pub description: String,
    /// Officers' user ids.
    pub officers: Vec<i64>,
}

/// 告知: the intended penalty and the party's rights (Arts 44, 63).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    #[serde(with = "date_format")]
    pub on: Date,
    pub penalty: Penalty,
    pub grade: Grade,
    pub hearing_right: bool,
    /// Last day for 陈述申辩.
    #[serde(with = "date_format")]
    pub defence_due: Date,
    /// Last day to ask for a hearing (when there is a right).
    #[serde(with = "date_format")]
    pub hearing_request_due: Date,
}

/// 陈述申辩, or its recorded waiver.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Defence {
    #[serde(with = "date_format")]
    pub on: Date,
    pub waived: bool,
    pub summary: String,
}

/// 听证, from request to transcript.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Hearing {
    #[serde(default, with = "date_format::option")]
    pub requested_on: Option<Date>,
    /// The party waived the hearing right in writing.
    #[serde(default)]
    pub waived: bool,
    /// When the notice of time and place was given.
    #[serde(default, with = "date_format::option")]
    pub notified_on: Option<Date>,
    #[serde(default, with = "date_format::option")]
    pub scheduled_on: Option<Date>,
    #[serde(default, with = "date_format::option")]
    pub held_on: Option<Date>,
    #[serde(default)]
    pub transcript: String,
}

/// One submission to legal review and its result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    #[serde(with = "date_format")]
    pub submitted_on: Date,
    #[serde(default, with = "date_format::option")]
    pub reviewed_on: Option<Date>,
    #[serde(default)]
    pub opinion: Option<ReviewOpinion>,
    #[serde(default)]
    pub note: String,
    /// Reviewer's user id.
    #[serde(default)]
    pub reviewer: Option<i64>,
    /// The points confirmed in order.
    #[serde(default)]
    pub checks: Vec<super::ReviewCheck>,
}

/// 集体讨论 (Art 57 ¶2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Discussion {
    #[serde(with = "date_format")]
    pub on: Date,
    pub conclusion: String,
    #[serde(default)]
    pub dissent: String,
}

/// 决定.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    #[serde(with = "date_format")]
    pub on: Date,
    pub outcome: CaseOutcome,
    #[serde(default)]
    pub penalty: Option<Penalty>,
    #[serde(default)]
    pub grade: Option<Grade>,
    pub reasons: String,
    /// The fine was collected on the spot (Art 68).
    #[serde(default)]
    pub collected_on_spot: bool,
    /// Last day to serve it (Art 61).
    #[serde(with = "date_format")]
    pub service_due: Date,
    /// Last day to publish a penalty decision (118号), fixed when it is made.
    #[serde(default, with = "date_format::option")]
    pub publish_due: Option<Date>,
}

/// 送达.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Service {
    #[serde(with = "date_format")]
    pub on: Date,
    pub method: ServiceMethod,
    /// Last day to pay without the surcharge (Art 67).
    #[serde(with = "date_format")]
    pub payment_due: Date,
}

/// A payment received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payment {
    #[serde(with = "date_format")]
    pub on: Date,
    pub amount_fen: i64,
}

/// A pause of the 90-day clock and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pause {
    #[serde(with = "date_format")]
    pub from: Date,
    #[serde(default, with = "date_format::option")]
    pub to: Option<Date>,
    pub reason: PauseReason,
}

/// Everything known about a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseState {
    pub procedure: Procedure,
    pub status: CaseStatus,
    pub item: ItemRef,
    pub party: CaseParty,
    pub facts: String,
    /// When the violation happened (or, if continuing, ended).
    #[serde(with = "date_format")]
    pub act_on: Date,
    #[serde(with = "date_format")]
    pub discovered_on: Date,
    /// Involves life, health or financial safety and caused harm (5-year limitation).
    #[serde(default)]
    pub safety_harm: bool,
    /// Art 58 (1)–(3): major public interest, major rights, complex — review required.
    #[serde(default)]
    pub major: bool,
    /// Complex or serious: decided collectively (Art 57 ¶2).
    #[serde(default)]
    pub complex: bool,
    /// The matter this case came from, if any.
    #[serde(default)]
    pub matter_id: Option<i64>,
    #[serde(with = "date_format")]
    pub opened_on: Date,
    /// The officers who opened it.
    pub officers: Vec<i64>,
    /// The 90-day clock (ordinary procedure only).
    #[serde(default)]
    pub clock: Option<Deadline>,
    #[serde(default)]
    pub pauses: Vec<Pause>,
    #[serde(default)]
    pub evidence: Vec<Evidence>,
    #[serde(default)]
    pub notice: Option<Notice>,
    #[serde(default)]
    pub defence: Option<Defence>,
    #[serde(default)]
    pub hearing: Option<Hearing>,
    #[serde(default)]
    pub reviews: Vec<Review>,
    #[serde(default)]
    pub discussion: Option<Discussion>,
    #[serde(default)]
    pub decision: Option<Decision>,
    #[serde(default)]
    pub service: Option<Service>,
    #[serde(default)]
    pub payments: Vec<Payment>,
    /// 备案 of an on-the-spot decision (Art 52).
    #[serde(default, with = "date_format::option")]
    pub filed_on: Option<Date>,
    #[serde(default, with = "date_format::option")]
    pub closed_on: Option<Date>,
    #[serde(default, with = "date_format::option")]
    pub archived_on: Option<Date>,
    /// 公示 of the decision.
    #[serde(default, with = "date_format::option")]
    pub published_on: Option<Date>,
    #[serde(default, with = "date_format::option")]
    pub withdrawn_on: Option<Date>,
    #[serde(default)]
    pub withdrawal_reason: String,
    /// 督办 given, oldest first.
    #[serde(default)]
    pub supervisions: Vec<Supervision>,
    /// The decision was changed, revoked, found unlawful or void.
    #[serde(default, with = "date_format::option")]
    pub revoked_on: Option<Date>,
    #[serde(default)]
    pub revocation_reason: String,
    /// Last day to withdraw the published decision after its revocation (Art 48).
    #[serde(default, with = "date_format::option")]
    pub withdraw_due: Option<Date>,
}

/// One 督办.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Supervision {
    #[serde(with = "date_format")]
    pub on: Date,
    pub note: String,
    /// The head's user id.
    pub by: i64,
}

impl CaseState {
    /// Last day on which the violation could still be discovered (Art 36).
    pub fn limitation_end(&self, rules: &EnforcementRules) -> Date {
        let years = if self.safety_harm {
            rules.limitation_years_safety
        } else {
            rules.limitation_years
        };
        let y = self.act_on.year() + years;
        // 29 February moves to 28 February in a non-leap year.
        Date::from_calendar_date(y, self.act_on.month(), self.act_on.day())
            .or_else(|_| Date::from_calendar_date(y, self.act_on.month(), 28))
            .unwrap_or(self.act_on)
    }

    /// Discovered after the limitation period: no penalty may be imposed.
    pub fn limitation_expired(&self, rules: &EnforcementRules) -> bool {
        self.discovered_on > self.limitation_end(rules)
    }

    /// Whether legal review must pass before the decision (Art 58, the catalogue).
    pub fn review_required(&self) -> bool {
        self.procedure == Procedure::Ordinary
            && (self.item.spec.review_catalogue
                || self.major
                || self.hearing.as_ref().is_some_and(|h| h.held_on.is_some()))
    }

    /// The latest review result, if any was given.
    pub fn last_review(&self) -> Option<&Review> {
        self.reviews.last()
    }

    /// A review has passed and nothing was changed since (the last one is 同意).
    pub fn review_passed(&self) -> bool {
        self.last_review()
            .is_some_and(|r| r.opinion == Some(ReviewOpinion::Approved))
    }

    /// The total due on `today`: the fine plus the late surcharge (capped at the fine).
    pub fn amount_due(&self, today: Date, rules: &EnforcementRules) -> i64 {
        let fine = self
            .decision
            .as_ref()
            .and_then(|d| d.penalty.as_ref())
            .map_or(0, |p| p.fine_fen);
        fine + self.surcharge(today, rules)
    }

    /// 加处罚款 (Art 72): 3 % of the fine per day late, never more than the fine.
    pub fn surcharge(&self, today: Date, rules: &EnforcementRules) -> i64 {
        let (Some(d), Some(s)) = (&self.decision, &self.service) else {
            return 0;
        };
        let fine = d.penalty.as_ref().map_or(0, |p| p.fine_fen);
        if d.collected_on_spot || fine == 0 {
            return 0;
        }
        // Late days run until the day the fine was paid in full, or today.
        let mut paid = 0;
        let mut end = today;
        for p in &self.payments {
            paid += p.amount_fen;
            if paid >= fine {
                end = p.on;
                break;
            }
        }
        let late = (end - s.payment_due).whole_days().max(0);
        // Saturating: a fine near the type's limit must not wrap into a small surcharge.
        (fine.saturating_mul(rules.surcharge_permille_per_day) / 1000)
            .saturating_mul(late)
            .min(fine)
    }

    /// Sum of the payments.
    pub fn paid(&self) -> i64 {
        self.payments.iter().map(|p| p.amount_fen).sum()
    }

    /// The 90-day warning on `today` (none once decided).
    pub fn warning(&self, today: Date, yellow_days: u32) -> Warning {
        match &self.clock {
            Some(c) if self.status.before_decision() => c.warning(today, yellow_days),
            _ => Warning::None,
        }
    }

    /// The next day something is due, and what, for lists and reminders.
    pub fn next_due(&self) -> Option<(&'static str, Date)> {
        use CaseStatus::*;
        match self.status {
            Opened | Notified | Hearing | InReview | Ready => self
                .clock
                .as_ref()
                .filter(|c| !c.is_paused())
                .map(|c| ("作出决定", c.due)),
            Decided => self.decision.as_ref().map(|d| ("送达", d.service_due)),
            Served => self.service.as_ref().map(|s| ("缴纳罚款", s.payment_due)),
            _ => None,
        }
    }

    /// Recomputes calendar-dependent dates after a calendar change.
    pub fn recompute(&mut self, cal: &Calendar) {
        if let Some(c) = &mut self.clock {
            c.recompute(cal);
        }
    }

    /// A penalty decision must be published (118号; the no-penalty and dropped ones are not).
    pub fn to_publish(&self) -> bool {
        self.decision
            .as_ref()
            .is_some_and(|d| d.outcome == CaseOutcome::Penalty)
    }

    /// Last day to publish the decision (7 working days from it, 118号).
    pub fn publication_due(&self, rules: &EnforcementRules, cal: &Calendar) -> Option<Date> {
        self.decision
            .as_ref()
            .filter(|_| self.to_publish())
            .map(|d| {
                d.publish_due
                    .unwrap_or_else(|| rules.publication_period.due(d.on, cal))
            })
    }

    /// Last day the published decision stays online (a setting: shorter for persons).
    pub fn takedown_on(&self, rules: &EnforcementRules) -> Option<Date> {
        let on = self.published_on?;
        let years = match self.party.kind {
            super::PartyKind::Citizen => rules.published_years_citizen,
            super::PartyKind::Organisation => rules.published_years_organisation,
        };
        Date::from_calendar_date(on.year() + years, on.month(), on.day().min(28)).ok()
    }

    /// The party as published: a person's name reduced to the surname (张某),
    /// an organisation's name in full (personal data is never published).
    pub fn public_party(&self) -> String {
        match self.party.kind {
            super::PartyKind::Organisation => self.party.name.clone(),
            super::PartyKind::Citizen => match self.party.name.chars().next() {
                Some(c) => format!("{c}某"),
                None => "某某".into(),
            },
        }
    }

    /// The decided fine, if any.
    pub fn fine_fen(&self) -> i64 {
        self.decision
            .as_ref()
            .and_then(|d| d.penalty.as_ref())
            .map_or(0, |p| p.fine_fen)
    }
}
