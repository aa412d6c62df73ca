//! The figures of the review desk, each defined once: the tallies, the dashboard and
//! the drill-down lists all call [`ReviewFigure::counts`].

use serde::Serialize;
use time::Date;

use super::{Adoption, LegalOpinion, ReviewState, ReviewStatus};
use crate::matter::code_enum;

code_enum! {
    /// A count of review items, over the items that entered the desk in a period.
    pub enum ReviewFigure: "审查统计项" {
        /// Every item that entered the desk.
        Received = ("received", "纳入审查台账"),
        /// 审查率 denominator: acts taken (signed or decided) that needed review.
        NeededReview = ("needed_review", "应审查（已签发）"),
        /// 审查率 numerator: an opinion given on or before the signing.
        ReviewedBeforeSigning = ("reviewed_before_signing", "签发前经审查"),
        /// Signed without an opinion before: the list officials must see.
        Skipped = ("skipped", "未经审查签发"),
        /// Opinions given.
        Reviewed = ("reviewed", "出具审查意见"),
        Lawful = ("lawful", "审查意见：合法"),
        Unlawful = ("unlawful", "审查意见：不合法"),
        Amend = ("amend", "审查意见：修改后合法"),
        /// The drafting side did not fully adopt the opinion.
        NotFullyAdopted = ("not_fully_adopted", "意见未完全采纳"),
        /// Still waiting for the reviewer.
        Pending = ("pending", "待审查"),
        /// The opinion came late, or has not come and the due day passed.
        Overdue = ("overdue", "审查超期"),
    }
}

impl ReviewFigure {
    /// Whether item `s` counts in this figure on `today`: the one definition.
    pub fn counts(self, s: &ReviewState, today: Date) -> bool {
        let opinion = s.opinion.as_ref().map(|o| o.opinion);
        match self {
            ReviewFigure::Received => true,
            ReviewFigure::NeededReview => s.signed_on.is_some(),
            ReviewFigure::ReviewedBeforeSigning => s.reviewed_before_signing(),
            ReviewFigure::Skipped => s.skipped(),
            ReviewFigure::Reviewed => opinion.is_some(),
            ReviewFigure::Lawful => opinion == Some(LegalOpinion::Lawful),
            ReviewFigure::Unlawful => opinion == Some(LegalOpinion::Unlawful),
            ReviewFigure::Amend => opinion == Some(LegalOpinion::Amend),
            ReviewFigure::NotFullyAdopted => s
                .adoption
                .as_ref()
                .is_some_and(|a| a.adoption != Adoption::Adopted),
            ReviewFigure::Pending => s.status == ReviewStatus::Pending,
            ReviewFigure::Overdue => s.overdue(today),
        }
    }
}

/// The figures of a set of items, with the 审查率.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ReviewTally {
    /// (figure, count), in [`ReviewFigure::ALL`] order.
    pub counts: Vec<(ReviewFigure, i64)>,
}

impl ReviewTally {
    pub fn of<'a>(items: impl IntoIterator<Item = &'a ReviewState>, today: Date) -> ReviewTally {
        let mut t = ReviewTally {
            counts: ReviewFigure::ALL.iter().map(|f| (*f, 0)).collect(),
        };
        for s in items {
            for (f, n) in &mut t.counts {
                if f.counts(s, today) {
                    *n += 1;
                }
            }
        }
        t
    }

    pub fn get(&self, f: ReviewFigure) -> i64 {
        self.counts
            .iter()
            .find(|(g, _)| *g == f)
            .map_or(0, |(_, n)| *n)
    }

    /// 审查率 in percent, two decimals: reviewed before signing ÷ needed review.
    /// `None` when nothing was signed (no denominator, not 100%).
    pub fn review_rate(&self) -> Option<f64> {
        let needed = self.get(ReviewFigure::NeededReview);
        (needed > 0).then(|| {
            (self.get(ReviewFigure::ReviewedBeforeSigning) as f64 * 10000.0 / needed as f64).round()
                / 100.0
        })
    }
}
