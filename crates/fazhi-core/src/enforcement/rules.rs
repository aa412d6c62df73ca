//! The periods and limits of the 行政处罚法 (2021), as settings with the national
//! defaults. Where sector or provincial rules differ (hearing thresholds, extensions),
//! a township changes the setting, not the code.

use serde::{Deserialize, Serialize};

use super::money::YUAN;
use crate::calendar::Period;

/// Limits and periods for enforcement cases.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EnforcementRules {
    /// 简易程序: largest fine on a citizen (Art 51: 200 元).
    pub simple_fine_citizen_fen: i64,
    /// 简易程序: largest fine on an organisation (Art 51: 3,000 元).
    pub simple_fine_organisation_fen: i64,
    /// On-the-spot collection only up to this fine (Art 68: 100 元).
    pub on_spot_collection_fen: i64,
    /// Decide within this period of 立案 (Art 60: 90 calendar days).
    pub decision_period: Period,
    /// Extension a sector rule allows with the head's approval (0 = none; the Act has none).
    pub max_extension_days: u32,
    /// 陈述申辩 period after the notice (not in the Act; commonly 3 working days).
    pub defence_period: Period,
    /// The party asks for a hearing within this period of the notice (Art 64: 5 working days).
    pub hearing_request_period: Period,
    /// Notice of the hearing at least this long before it (Art 64: 7 working days).
    pub hearing_notice_period: Period,
    /// Serve an absent party within this period of the decision (Art 61: 7 working days).
    pub service_period: Period,
    /// Pay within this period of receiving the decision (Art 67: 15 days).
    pub payment_period: Period,
    /// Late-payment surcharge per day, in tenths of a percent (Art 72: 3 % = 30).
    pub surcharge_permille_per_day: i64,
    /// A fine from this amount on a citizen gives a hearing right (Art 63 "较大数额"; varies by sector).
    pub large_fine_citizen_fen: i64,
    /// The same for an organisation.
    pub large_fine_organisation_fen: i64,
    /// Limitation (Art 36): years within which a violation must be discovered.
    pub limitation_years: i32,
    /// Limitation where life, health or financial safety was involved and harmed.
    pub limitation_years_safety: i32,
    /// Publish decisions within this period (118号: 7 working days for penalties).
    pub publication_period: Period,
    /// Withdraw a published decision within this period of its revocation (Art 48: 3 working days).
    pub withdrawal_period: Period,
    /// Years a published decision on a person stays online (no national rule; a local one says 2).
    pub published_years_citizen: i32,
    /// The same for an organisation (the local rule says 5).
    pub published_years_organisation: i32,
}

impl Default for EnforcementRules {
    fn default() -> Self {
        EnforcementRules {
            simple_fine_citizen_fen: 200 * YUAN,
            simple_fine_organisation_fen: 3_000 * YUAN,
            on_spot_collection_fen: 100 * YUAN,
            decision_period: Period::calendar_days(90),
            max_extension_days: 30,
            defence_period: Period::working_days(3),
            hearing_request_period: Period::working_days(5),
            hearing_notice_period: Period::working_days(7),
            service_period: Period::working_days(7),
            payment_period: Period::calendar_days(15),
            surcharge_permille_per_day: 30,
            large_fine_citizen_fen: 10_000 * YUAN,
            large_fine_organisation_fen: 100_000 * YUAN,
            limitation_years: 2,
            limitation_years_safety: 5,
            publication_period: Period::working_days(7),
            withdrawal_period: Period::working_days(3),
            published_years_citizen: 2,
            published_years_organisation: 5,
        }
    }
}
