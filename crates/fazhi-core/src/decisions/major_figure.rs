//! The figures of major decisions (重大行政决策), each defined once: the tallies on the
//! statistics page and the drill-down list of a figure both call [`DecisionFigure::counts`].
//! The basis is the decisions of a year's catalogue; "on time" means decided within
//! the catalogue's year (the periods inside the procedure are gates, not figures).

use time::Date;

use super::{DecisionState, DecisionStatus};
use crate::matter::code_enum;

code_enum! {
    /// A count of the decisions of a year's catalogue (重大行政决策统计项).
    pub enum DecisionFigure: "重大决策统计项" {
        /// Every decision listed in the catalogue, removed ones included.
        Listed = ("listed", "列入决策事项目录"),
        /// Dropped from the catalogue with a reason.
        Removed = ("removed", "调出目录"),
        Started = ("started", "已启动"),
        /// The draft published for comments (公众参与).
        Consulted = ("consulted", "公开征求意见"),
        /// A 听证会 held.
        Hearing = ("hearing", "举行听证"),
        /// Put to the review desk (合法性审查).
        Reviewed = ("reviewed", "送合法性审查"),
        /// Taken at a collective discussion (集体讨论决定).
        Decided = ("decided", "集体讨论决定"),
        /// Decided within the catalogue's year.
        DecidedOnTime = ("decided_on_time", "按期决定（目录年度内）"),
        /// Not removed, and not decided within the catalogue's year (decided later, or
        /// still open once the year is over).
        Late = ("late", "逾期（目录年度内未决定）"),
        Published = ("published", "已公布"),
        Archived = ("archived", "已归档"),
        /// 后评估 done.
        Evaluated = ("evaluated", "已后评估"),
    }
}

impl DecisionFigure {
    /// Whether decision `s` of the catalogue of `year` counts in this figure on `today`.
    pub fn counts(self, s: &DecisionState, year: i32, today: Date) -> bool {
        let removed = s.status == DecisionStatus::Removed;
        let decided_on = s.discussion.as_ref().map(|d| d.on);
        match self {
            DecisionFigure::Listed => true,
            DecisionFigure::Removed => removed,
            DecisionFigure::Started => s.started_on.is_some(),
            DecisionFigure::Consulted => s.consultation.is_some(),
            DecisionFigure::Hearing => s.consultation.as_ref().is_some_and(|c| c.hearing.is_some()),
            DecisionFigure::Reviewed => s.legal_review_id.is_some(),
            DecisionFigure::Decided => decided_on.is_some(),
            DecisionFigure::DecidedOnTime => decided_on.is_some_and(|d| d.year() <= year),
            DecisionFigure::Late => {
                !removed
                    && match decided_on {
                        Some(d) => d.year() > year,
                        None => today.year() > year,
                    }
            }
            DecisionFigure::Published => s.published_on.is_some(),
            DecisionFigure::Archived => s.archived_on.is_some(),
            DecisionFigure::Evaluated => s.evaluation.is_some(),
        }
    }
}
