//! The enforcement figures, each defined once: the tallies, the dashboard and the
//! drill-down lists (which show exactly the cases a figure counts) all call
//! [`CaseFigure::counts`].

use serde::Serialize;

use super::{CaseOutcome, CaseState, Procedure, ReviewOpinion};
use crate::matter::code_enum;

code_enum! {
    /// A count of cases, over the cases opened in a period.
    pub enum CaseFigure: "执法统计项" {
        /// 案件总数 (opened in the period, both procedures).
        Opened = ("opened", "办理案件"),
        /// 简易程序 (当场处罚).
        Simple = ("simple", "简易程序案件"),
        /// 普通程序 (立案).
        Ordinary = ("ordinary", "普通程序案件"),
        /// With a decision of any kind.
        Decided = ("decided", "已作出决定"),
        /// 作出行政处罚决定.
        Penalised = ("penalised", "作出处罚决定"),
        /// 不予处罚 (Art 33).
        NotPenalised = ("not_penalised", "不予处罚"),
        /// 撤销立案 or 移送.
        DroppedOrTransferred = ("dropped_or_transferred", "撤案或移送"),
        /// 法制审核 at least once.
        Reviewed = ("reviewed", "经法制审核"),
        /// A review returned with problems at least once.
        ReviewReturned = ("review_returned", "法制审核提出问题"),
        /// 告知听证权利.
        HearingRight = ("hearing_right", "告知听证权利"),
        /// 举行听证.
        HearingHeld = ("hearing_held", "举行听证"),
        /// 集体讨论.
        Discussed = ("discussed", "集体讨论"),
        /// Decided after the 90-day period (with extensions and pauses).
        DecidedLate = ("decided_late", "超期作出决定"),
        /// 结案 (closed or archived).
        Closed = ("closed", "已结案"),
        /// Penalty decisions published (公示).
        Published = ("published", "处罚决定已公示"),
        /// Published within the 7 working days (118号).
        PublishedOnTime = ("published_on_time", "按期公示"),
        /// 督办 at least once.
        Supervised = ("supervised", "督办案件"),
        /// The decision was changed, revoked, found unlawful or void afterwards.
        Revoked = ("revoked", "决定被撤销或变更"),
    }
}

impl CaseFigure {
    /// Whether case `s` counts in this figure: the one definition.
    pub fn counts(self, s: &CaseState) -> bool {
        let outcome = s.decision.as_ref().map(|d| d.outcome);
        match self {
            CaseFigure::Opened => true,
            CaseFigure::Simple => s.procedure == Procedure::Simple,
            CaseFigure::Ordinary => s.procedure == Procedure::Ordinary,
            CaseFigure::Decided => outcome.is_some(),
            CaseFigure::Penalised => outcome == Some(CaseOutcome::Penalty),
            CaseFigure::NotPenalised => outcome == Some(CaseOutcome::NoPenalty),
            CaseFigure::DroppedOrTransferred => matches!(
                outcome,
                Some(CaseOutcome::Dropped | CaseOutcome::Transferred)
            ),
            CaseFigure::Reviewed => s.reviews.iter().any(|r| r.opinion.is_some()),
            CaseFigure::ReviewReturned => s
                .reviews
                .iter()
                .any(|r| r.opinion == Some(ReviewOpinion::Returned)),
            CaseFigure::HearingRight => s.notice.as_ref().is_some_and(|n| n.hearing_right),
            CaseFigure::HearingHeld => s.hearing.as_ref().is_some_and(|h| h.held_on.is_some()),
            CaseFigure::Discussed => s.discussion.is_some(),
            CaseFigure::DecidedLate => match (&s.decision, &s.clock) {
                (Some(d), Some(c)) => d.on > c.due,
                _ => false,
            },
            CaseFigure::Closed => s.status.is_finished(),
            CaseFigure::Published => s.to_publish() && s.published_on.is_some(),
            CaseFigure::Supervised => !s.supervisions.is_empty(),
            CaseFigure::Revoked => s.revoked_on.is_some(),
            CaseFigure::PublishedOnTime => match (&s.decision, s.published_on) {
                (Some(d), Some(p)) => s.to_publish() && d.publish_due.is_some_and(|due| p <= due),
                _ => false,
            },
        }
    }
}

/// The figures of a set of cases, with the money involved.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CaseTally {
    /// (figure code, count), in [`CaseFigure::ALL`] order.
    pub counts: Vec<(CaseFigure, i64)>,
    /// 罚款 imposed by the decisions, in fen.
    pub fines_imposed_fen: i64,
    /// Fines and surcharges collected, in fen.
    pub fines_collected_fen: i64,
}

impl CaseTally {
    pub fn of<'a>(cases: impl IntoIterator<Item = &'a CaseState>) -> CaseTally {
        let mut t = CaseTally {
            counts: CaseFigure::ALL.iter().map(|f| (*f, 0)).collect(),
            ..CaseTally::default()
        };
        for s in cases {
            for (f, n) in &mut t.counts {
                if f.counts(s) {
                    *n += 1;
                }
            }
            t.fines_imposed_fen += s.fine_fen();
            t.fines_collected_fen += s.paid();
        }
        t
    }

    pub fn get(&self, f: CaseFigure) -> i64 {
        self.counts
            .iter()
            .find(|(g, _)| *g == f)
            .map_or(0, |(_, n)| *n)
    }
}
