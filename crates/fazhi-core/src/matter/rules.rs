//! Deadline rules per kind of matter: configuration with defaults from rules.md §1, §7.

use serde::{Deserialize, Serialize};

use super::Kind;
use crate::calendar::Period;

/// Deadline rules for one kind of matter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindRules {
    /// Written acceptance notice due this long after receipt, if any.
    #[serde(default)]
    pub acceptance: Option<Period>,
    /// Handling period counted from acceptance (受理).
    pub handling: Period,
    /// Longest single extension in days, if extensions are allowed at all.
    #[serde(default)]
    pub max_extension_days: Option<u32>,
    /// Window to object that a transferred matter is outside our remit, if any.
    #[serde(default)]
    pub objection: Option<Period>,
}

/// Deadline rules for all kinds plus the warning threshold; stored as settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeadlineRules {
    /// Yellow warning this many calendar days (or fewer) before a deadline.
    pub yellow_days: u32,
    /// 矛盾纠纷.
    pub dispute: KindRules,
    /// 信访.
    pub petition: KindRules,
    /// 投诉.
    pub complaint: KindRules,
    /// 建议.
    pub suggestion: KindRules,
    /// 咨询.
    pub consultation: KindRules,
}

impl Default for DeadlineRules {
    fn default() -> Self {
        DeadlineRules {
            yellow_days: 3,
            // Local practice, not statute: 《人民调解工作若干规定》(司法部 2002) Art 37
            // says mediation should normally end within one month [U].
            dispute: KindRules {
                acceptance: None,
                handling: Period::calendar_days(30),
                max_extension_days: None,
                objection: None,
            },
            // 信访工作条例: acceptance notice 15日 (Art 23), handling 60日 from
            // acceptance with one extension of at most 30日 (Art 34), objection to
            // an out-of-remit transfer within 5个工作日 (Art 23 ¶3).
            petition: KindRules {
                acceptance: Some(Period::calendar_days(15)),
                handling: Period::calendar_days(60),
                max_extension_days: Some(30),
                objection: Some(Period::working_days(5)),
            },
            // Local practice, not statute: hotline rules commonly allow 15 working days.
            complaint: KindRules {
                acceptance: None,
                handling: Period::working_days(15),
                max_extension_days: None,
                objection: None,
            },
            // Local practice, not statute.
            suggestion: KindRules {
                acceptance: None,
                handling: Period::calendar_days(30),
                max_extension_days: None,
                objection: None,
            },
            // Local practice, not statute: most are answered on the spot.
            consultation: KindRules {
                acceptance: None,
                handling: Period::working_days(5),
                max_extension_days: None,
                objection: None,
            },
        }
    }
}

impl DeadlineRules {
    /// The keys an edit must name, every one: a missing kind would otherwise fall back
    /// to its default without anyone noticing.
    pub const KEYS: [&'static str; 6] = [
        "yellow_days",
        "dispute",
        "petition",
        "complaint",
        "suggestion",
        "consultation",
    ];

    /// Checks rules an administrator entered: every period at least 1 and at most 365
    /// days, extensions at most 365 days, the warning at most 30 days ahead. The error
    /// names the kind (or `yellow_days`) and says what is wrong, in Chinese.
    pub fn check(&self) -> Result<(), (&'static str, String)> {
        if self.yellow_days > 30 {
            return Err(("yellow_days", "预警提前天数须在0到30天之间".into()));
        }
        let ok = |p: &Period| (1..=365).contains(&p.days);
        for k in Kind::ALL {
            let r = self.for_kind(*k);
            let (key, label) = (k.as_str(), k.label_zh());
            if !ok(&r.handling) {
                return Err((key, format!("{label}的办理期限须在1到365天之间")));
            }
            if r.acceptance.as_ref().is_some_and(|p| !ok(p)) {
                return Err((key, format!("{label}的受理告知期限须在1到365天之间")));
            }
            if r.objection.as_ref().is_some_and(|p| !ok(p)) {
                return Err((key, format!("{label}的异议期限须在1到365天之间")));
            }
            if r.max_extension_days
                .is_some_and(|d| !(1..=365).contains(&d))
            {
                return Err((key, format!("{label}的最长延期须在1到365天之间")));
            }
        }
        Ok(())
    }

    /// The rules for `kind`.
    pub fn for_kind(&self, kind: Kind) -> &KindRules {
        match kind {
            Kind::Dispute => &self.dispute,
            Kind::Petition => &self.petition,
            Kind::Complaint => &self.complaint,
            Kind::Suggestion => &self.suggestion,
            Kind::Consultation => &self.consultation,
        }
    }
}
