//! Statistics of matters: one definition per figure, used by the API, the pages and
//! the annual report, so a figure means the same everywhere.
//!
//! Basis: the matters **received** in the period (by `received_on`), each counted once —
//! a repeat petition (重复信访) is counted with the matter it repeats, not again.
//! Later steps (acceptance, closing, follow-up) are counted for those matters as they
//! stand today.

use serde::Serialize;

use crate::matter::MatterState;

/// A counted figure. Its definition is [`Figure::counts`]; the stored `figure_flags`
/// of a matter are the figures it is in, one [`Figure::bit`] each, and lists of a
/// figure select rows by those bits ([`Figure::flag_test`]), so the rule is written once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Figure {
    Received,
    Accepted,
    Resolved,
    Closed,
    ClosedOnTime,
    Evaluated,
    Satisfied,
    Repeats,
    Reopened,
}

impl Figure {
    pub const ALL: [Figure; 9] = [
        Figure::Received,
        Figure::Accepted,
        Figure::Resolved,
        Figure::Closed,
        Figure::ClosedOnTime,
        Figure::Evaluated,
        Figure::Satisfied,
        Figure::Repeats,
        Figure::Reopened,
    ];

    /// The key used in the API and in `DEFINITIONS`.
    pub const fn key(self) -> &'static str {
        match self {
            Figure::Received => "received",
            Figure::Accepted => "accepted",
            Figure::Resolved => "resolved",
            Figure::Closed => "closed",
            Figure::ClosedOnTime => "closed_on_time",
            Figure::Evaluated => "evaluated",
            Figure::Satisfied => "satisfied",
            Figure::Repeats => "repeats",
            Figure::Reopened => "reopened",
        }
    }

    pub fn from_key(key: &str) -> Option<Figure> {
        Figure::ALL.into_iter().find(|f| f.key() == key)
    }

    /// The figure's bit in `figure_flags`. `Repeats` marks a repeat petition; every
    /// other figure counts only matters without it (repeats count with the matter they
    /// repeat), and `Received` is simply "not a repeat", so it needs no bit of its own.
    pub const fn bit(self) -> i64 {
        match self {
            Figure::Repeats => 1,
            Figure::Accepted => 2,
            Figure::Resolved => 4,
            Figure::Closed => 8,
            Figure::ClosedOnTime => 16,
            Figure::Evaluated => 32,
            Figure::Satisfied => 64,
            Figure::Reopened => 128,
            Figure::Received => 0,
        }
    }

    /// The definition: whether a matter in this state (a repeat of another or not)
    /// is counted in this figure.
    pub fn counts(self, s: &MatterState, repeat: bool) -> bool {
        // A closing waiting for the centre's review does not count (decisions.md).
        let closure = s.approved_closure();
        let satisfaction = s.follow_up.as_ref().map(|f| f.satisfaction);
        if self == Figure::Repeats {
            return repeat;
        }
        !repeat
            && match self {
                Figure::Received | Figure::Repeats => true,
                Figure::Accepted => s.accepted_on.is_some(),
                Figure::Resolved => closure.is_some_and(|c| c.resolved),
                Figure::Closed => closure.is_some(),
                Figure::ClosedOnTime => closure.is_some_and(|c| c.on_time),
                Figure::Evaluated => satisfaction.is_some_and(|v| v.is_evaluated()),
                Figure::Satisfied => satisfaction.is_some_and(|v| v.is_satisfied()),
                Figure::Reopened => s.reopened > 0,
            }
    }

    /// `(mask, value)`: a matter is in the figure when `figure_flags & mask = value`.
    pub const fn flag_test(self) -> (i64, i64) {
        match self {
            Figure::Repeats => (1, 1),
            f => (1 | f.bit(), f.bit()),
        }
    }
}

/// The `figure_flags` of a matter: the bits of the figures it is counted in. The flags
/// of one figure are set exactly when [`Figure::counts`] says so (bits of the other
/// figures are set only for non-repeats, which the tests of `flag_test` rely on).
pub fn figure_flags(s: &MatterState, repeat: bool) -> i64 {
    let flags: i64 = Figure::ALL
        .into_iter()
        .filter(|f| f.counts(s, repeat))
        .map(Figure::bit)
        .sum();
    // A repeat is in no figure but `Repeats`.
    debug_assert!(!repeat || flags == 1);
    flags
}

/// Counts for one group of matters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct MatterCounts {
    /// 受理登记: received in the period, repeats excluded.
    pub received: i64,
    /// 受理: accepted (the handling deadline ran).
    pub accepted: i64,
    /// 化解: closed with the conflict settled.
    pub resolved: i64,
    /// 办结: closed (including followed up and archived).
    pub closed: i64,
    /// 按期办结: closed on or before the handling deadline.
    pub closed_on_time: i64,
    /// 参评: followed up with an answer (满意 / 基本满意 / 不满意; 未能联系 is not counted).
    pub evaluated: i64,
    /// 满意: 满意 or 基本满意.
    pub satisfied: i64,
    /// 重复信访: repeats received in the period (not in `received`).
    pub repeats: i64,
    /// 重新办理: sent back for handling again after a dissatisfied follow-up.
    pub reopened: i64,
}

/// Rates in percent with two decimals; `None` when the denominator is zero.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct MatterRates {
    /// 化解率 = resolved / accepted.
    pub resolution_rate: Option<f64>,
    /// 办结率 = closed / accepted.
    pub completion_rate: Option<f64>,
    /// 按期办结率 = closed on time / closed.
    pub on_time_rate: Option<f64>,
    /// 满意率 = (满意 + 基本满意) / evaluated.
    pub satisfaction_rate: Option<f64>,
    /// 参评率 = evaluated / closed.
    pub evaluated_rate: Option<f64>,
}

impl std::ops::AddAssign for MatterCounts {
    fn add_assign(&mut self, o: MatterCounts) {
        self.received += o.received;
        self.accepted += o.accepted;
        self.resolved += o.resolved;
        self.closed += o.closed;
        self.closed_on_time += o.closed_on_time;
        self.evaluated += o.evaluated;
        self.satisfied += o.satisfied;
        self.repeats += o.repeats;
        self.reopened += o.reopened;
    }
}

/// `part / whole` in percent, rounded half away from zero to two decimals.
pub fn percent(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| {
        // Integer arithmetic first so 2/3 is 66.67 exactly, not 66.66999….
        let basis_points = (part as i128 * 10_000 * 2 + whole as i128) / (whole as i128 * 2);
        basis_points as f64 / 100.0
    })
}

impl MatterCounts {
    /// The rates defined on these counts.
    pub fn rates(&self) -> MatterRates {
        MatterRates {
            resolution_rate: percent(self.resolved, self.accepted),
            completion_rate: percent(self.closed, self.accepted),
            on_time_rate: percent(self.closed_on_time, self.closed),
            satisfaction_rate: percent(self.satisfied, self.evaluated),
            evaluated_rate: percent(self.evaluated, self.closed),
        }
    }
}

/// (key, Chinese name, how it is counted) of every figure, for the UI's explanations.
pub const DEFINITIONS: &[(&str, &str, &str)] = &[
    (
        "received",
        "受理登记数",
        "期间内收到并登记的事项数（按收到日期）；重复信访不重复计数",
    ),
    (
        "accepted",
        "受理数",
        "上述事项中已受理（开始计算办理期限）的件数",
    ),
    ("resolved", "化解数", "已办结且矛盾得到化解的件数"),
    (
        "closed",
        "办结数",
        "已办结（含已回访、已归档）的件数；村（社区）或部门办结的须经综治中心审核通过，待审核的不计",
    ),
    ("closed_on_time", "按期办结数", "在办理期限内办结的件数"),
    (
        "evaluated",
        "参评数",
        "回访中给出满意、基本满意或不满意评价的件数（未能联系不计）",
    ),
    ("satisfied", "满意数", "回访评价为满意或基本满意的件数"),
    (
        "repeats",
        "重复信访数",
        "期间内收到的重复信访件数，已并入原事项统计",
    ),
    (
        "reopened",
        "重新办理数",
        "回访不满意后退回重新办理的件数（每件计一次）",
    ),
    ("resolution_rate", "化解率", "化解数 ÷ 受理数 × 100%"),
    ("completion_rate", "办结率", "办结数 ÷ 受理数 × 100%"),
    ("on_time_rate", "按期办结率", "按期办结数 ÷ 办结数 × 100%"),
    (
        "satisfaction_rate",
        "满意率",
        "（满意 + 基本满意）÷ 参评数 × 100%",
    ),
    ("evaluated_rate", "参评率", "参评数 ÷ 办结数 × 100%"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_follow_the_definitions() {
        let c = MatterCounts {
            received: 10,
            accepted: 9,
            resolved: 6,
            closed: 8,
            closed_on_time: 7,
            evaluated: 6,
            satisfied: 5,
            repeats: 1,
            reopened: 0,
        };
        let r = c.rates();
        assert_eq!(r.resolution_rate, Some(66.67));
        assert_eq!(r.completion_rate, Some(88.89));
        assert_eq!(r.on_time_rate, Some(87.5));
        assert_eq!(r.satisfaction_rate, Some(83.33));
        assert_eq!(r.evaluated_rate, Some(75.0));
        assert_eq!(MatterCounts::default().rates().resolution_rate, None);
        assert_eq!(percent(1, 8), Some(12.5));
        assert_eq!(percent(1, 3), Some(33.33));
        assert_eq!(percent(5, 5), Some(100.0));
    }
}
