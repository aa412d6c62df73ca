//! Review periods per kind, as settings with the national defaults. Provinces and
//! townships differ (and contracts, petition replies have no national period), so a
//! township changes the setting, not the code.

use serde::{Deserialize, Serialize};

use super::ReviewKind;
use crate::calendar::Period;

/// The shortest and longest review period of one kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewPeriods {
    /// The reviewer is given at least this long (713号 Art 27: normally ≥ 7 working days).
    pub min: Period,
    /// And at most this long (115号: ≤ 15 working days); `None` = no upper limit.
    #[serde(default)]
    pub max: Option<Period>,
}

/// Review periods of every kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReviewRules {
    pub major_decision: ReviewPeriods,
    pub normative_document: ReviewPeriods,
    pub contract: ReviewPeriods,
    pub enforcement_decision: ReviewPeriods,
    pub petition_reply: ReviewPeriods,
    pub other: ReviewPeriods,
}

impl Default for ReviewRules {
    fn default() -> Self {
        // No national period for the last four kinds: 5 working days at most is a
        // common local practice, kept as a setting.
        let local = ReviewPeriods {
            min: Period::working_days(0),
            max: Some(Period::working_days(5)),
        };
        ReviewRules {
            major_decision: ReviewPeriods {
                min: Period::working_days(7),
                max: None,
            },
            normative_document: ReviewPeriods {
                min: Period::working_days(5),
                max: Some(Period::working_days(15)),
            },
            contract: local,
            enforcement_decision: local,
            petition_reply: local,
            other: local,
        }
    }
}

impl ReviewRules {
    /// The periods of `kind`.
    pub fn of(&self, kind: ReviewKind) -> ReviewPeriods {
        match kind {
            ReviewKind::MajorDecision => self.major_decision,
            ReviewKind::NormativeDocument => self.normative_document,
            ReviewKind::Contract => self.contract,
            ReviewKind::EnforcementDecision => self.enforcement_decision,
            ReviewKind::PetitionReply => self.petition_reply,
            ReviewKind::Other => self.other,
        }
    }

    /// The rule behind the periods of `kind`, for messages.
    pub fn basis(kind: ReviewKind) -> &'static str {
        match kind {
            ReviewKind::MajorDecision => "《重大行政决策程序暂行条例》第27条",
            ReviewKind::NormativeDocument => "国办发〔2018〕115号",
            _ => "本镇（街道）审查期限设置",
        }
    }
}
