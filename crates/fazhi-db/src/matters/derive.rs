//! The columns beside `state` are derived from it on every write, so lists, tasks and
//! figures can filter and sort in SQL without reading JSON.

use fazhi_core::matter::MatterState;

/// Values of the derived columns of one matter.
pub(crate) struct Derived {
    pub status: String,
    pub accepted_on: Option<String>,
    pub closed_on: Option<String>,
    pub due_kind: Option<String>,
    pub due_on: Option<String>,
    pub handling_due: Option<String>,
    pub paused: i64,
    pub assignee_kind: Option<String>,
    pub assignee_id: Option<i64>,
    pub supervision: Option<String>,
    pub closure_type: Option<String>,
    pub resolved: Option<i64>,
    pub outcome: Option<String>,
    pub on_time: Option<i64>,
    pub satisfaction: Option<String>,
}

/// Bits of the `figure_flags` column: the counted figures of `fazhi_core::stats` a
/// matter is in (`stats::figure_condition` gives the same figures as SQL conditions), so that
/// statistics count rows per flag combination instead of testing columns row by row.
pub(crate) mod flag {
    pub const REPEAT: i64 = 1;
    pub const ACCEPTED: i64 = 2;
    pub const RESOLVED: i64 = 4;
    pub const CLOSED: i64 = 8;
    pub const ON_TIME: i64 = 16;
    pub const EVALUATED: i64 = 32;
    pub const SATISFIED: i64 = 64;
}

impl Derived {
    /// The `figure_flags` of a matter with these columns; `repeat` when it repeats another.
    pub fn figure_flags(&self, repeat: bool) -> i64 {
        let sat = self.satisfaction.as_deref();
        [
            (repeat, flag::REPEAT),
            (self.accepted_on.is_some(), flag::ACCEPTED),
            (self.resolved == Some(1), flag::RESOLVED),
            (self.closed_on.is_some(), flag::CLOSED),
            (self.on_time == Some(1), flag::ON_TIME),
            (
                matches!(
                    sat,
                    Some("satisfied" | "basically_satisfied" | "dissatisfied")
                ),
                flag::EVALUATED,
            ),
            (
                matches!(sat, Some("satisfied" | "basically_satisfied")),
                flag::SATISFIED,
            ),
        ]
        .iter()
        .filter(|(on, _)| *on)
        .map(|(_, bit)| bit)
        .sum()
    }

    pub fn of(s: &MatterState) -> Derived {
        let due = s.next_due();
        let closure = s.closure.as_ref();
        let assignee = s.assignment.as_ref().map(|a| a.assignee);
        Derived {
            status: s.status.as_str().into(),
            accepted_on: s.accepted_on.map(|d| d.to_string()),
            closed_on: closure.map(|c| c.closed_on.to_string()),
            due_kind: due.map(|(k, _)| k.as_str().into()),
            due_on: due.map(|(_, d)| d.to_string()),
            handling_due: s.handling.as_ref().map(|h| h.due.to_string()),
            paused: i64::from(s.is_paused()),
            assignee_kind: assignee.map(|a| a.kind.as_str().into()),
            assignee_id: assignee.map(|a| a.id),
            supervision: s.supervision.map(|l| l.as_str().into()),
            closure_type: closure.map(|c| c.closure_type.as_str().into()),
            resolved: closure.map(|c| i64::from(c.resolved)),
            outcome: closure.and_then(|c| c.outcome).map(|o| o.as_str().into()),
            on_time: closure.map(|c| i64::from(c.on_time)),
            satisfaction: s.follow_up.as_ref().map(|f| f.satisfaction.as_str().into()),
        }
    }
}
