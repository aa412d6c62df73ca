//! The columns beside `state` are derived from it on every write, so lists, tasks and
//! figures can filter and sort in SQL without reading JSON.

use fazhi_core::matter::{
    Assignee, AssigneeKind, ClosureType, DeadlineKind, MatterState, MediationOutcome, RiskLevel,
    Satisfaction, Status, SupervisionLevel,
};
use time::Date;

/// Values of the derived columns of one matter.
pub(crate) struct Derived {
    pub status: Status,
    pub accepted_on: Option<Date>,
    pub closed_on: Option<Date>,
    pub due_kind: Option<DeadlineKind>,
    pub due_on: Option<Date>,
    pub handling_due: Option<Date>,
    pub paused: bool,
    pub assignee_kind: Option<AssigneeKind>,
    pub assignee_id: Option<i64>,
    pub supervision: Option<SupervisionLevel>,
    pub closure_type: Option<ClosureType>,
    pub resolved: Option<bool>,
    pub outcome: Option<MediationOutcome>,
    pub on_time: Option<bool>,
    pub satisfaction: Option<Satisfaction>,
    /// The centre's risk level (研判).
    pub risk: Option<RiskLevel>,
    /// Urgent or red-risk: first in task lists.
    pub urgent: bool,
    /// `figure_flags`: the figures of `fazhi_core::stats` the matter is counted in.
    figures: i64,
    figures_if_repeat: i64,
}

impl Derived {
    /// The `figure_flags` of a matter with these columns; `repeat` when it repeats another.
    pub fn figure_flags(&self, repeat: bool) -> i64 {
        if repeat {
            self.figures_if_repeat
        } else {
            self.figures
        }
    }

    pub fn of(s: &MatterState) -> Derived {
        let due = s.next_due();
        // Closing columns show an approved closing only: one under review counts nowhere.
        let closure = s.approved_closure();
        let assignee = s.assignment.as_ref().map(|a| a.assignee);
        Derived {
            status: s.status,
            accepted_on: s.accepted_on,
            closed_on: closure.map(|c| c.closed_on),
            due_kind: due.map(|(k, _)| k),
            due_on: due.map(|(_, d)| d),
            handling_due: s.handling.as_ref().map(|h| h.due),
            paused: s.is_paused(),
            assignee_kind: assignee.map(|a| a.kind),
            assignee_id: assignee.map(|a| a.id),
            supervision: s.supervision,
            closure_type: closure.map(|c| c.closure_type),
            resolved: closure.map(|c| c.resolved),
            outcome: closure.and_then(|c| c.outcome),
            on_time: closure.map(|c| c.on_time),
            satisfaction: s.follow_up.as_ref().map(|f| f.satisfaction),
            risk: s.assessment.as_ref().map(|a| a.risk),
            urgent: s.is_pressing(),
            figures: fazhi_core::stats::figure_flags(s, false),
            figures_if_repeat: fazhi_core::stats::figure_flags(s, true),
        }
    }
}

/// The co-handlers (协办) whose task lists show the matter (`matter_co_handlers`):
/// those of the current assignment while it is being handled.
pub(crate) fn co_handlers(s: &MatterState) -> Vec<Assignee> {
    match &s.assignment {
        Some(a) if !s.status.is_closed() => a.co_handlers.clone(),
        _ => Vec::new(),
    }
}
