//! Who may do what to a matter now: the one place that decides which actions a user
//! is offered (pages draw their buttons from it) and may take (the API refuses the
//! rest before the state machine is asked).

use super::{ActionCode, DeadlineRules, MatterState, Satisfaction, Status};
use crate::role::Permission;

/// What a user holds at a matter's place: `manage` (assign, supervise, close the
/// loop) and `handle` (work on it). Computed from their grants by the caller.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Hands {
    pub manage: bool,
    pub handle: bool,
}

impl ActionCode {
    /// The permission an action needs at the matter's place.
    pub const fn permission(self) -> Permission {
        match self {
            ActionCode::Acknowledge
            | ActionCode::RecordMediation
            | ActionCode::Return
            | ActionCode::Close
            | ActionCode::Pause
            | ActionCode::Resume => Permission::HandleMatter,
            _ => Permission::ManageMatters,
        }
    }
}

/// Whether the action is possible in this state at all, whoever asks.
fn possible(code: ActionCode, s: &MatterState, rules: &DeadlineRules) -> bool {
    let st = s.status;
    let handling = matches!(st, Status::Assigned | Status::InProgress);
    let active = st.is_active();
    match code {
        ActionCode::Register => st == Status::Pending,
        ActionCode::Accept | ActionCode::Reject => {
            matches!(st, Status::Pending | Status::Registered)
        }
        ActionCode::Assign => st == Status::Accepted,
        ActionCode::Acknowledge => st == Status::Assigned,
        ActionCode::Transfer | ActionCode::Return => handling,
        ActionCode::RecordMediation => handling && s.kind.allows_mediation(),
        ActionCode::Extend => {
            active
                && rules
                    .for_kind(s.kind)
                    .max_extension_days
                    .is_some_and(|d| d > 0)
        }
        ActionCode::Pause => active && !s.is_paused(),
        ActionCode::Resume => active && s.is_paused(),
        ActionCode::Escalate | ActionCode::Supervise | ActionCode::Close => active,
        ActionCode::FollowUp => st == Status::Closed,
        ActionCode::Reopen => {
            st == Status::FollowedUp
                && s.follow_up
                    .as_ref()
                    .is_some_and(|f| f.satisfaction == Satisfaction::Dissatisfied)
        }
        ActionCode::Archive => st == Status::FollowedUp,
    }
}

/// The actions a user with `hands` may take on a matter in state `s`, in display order.
pub fn allowed_actions(s: &MatterState, rules: &DeadlineRules, hands: Hands) -> Vec<ActionCode> {
    ActionCode::ALL
        .iter()
        .copied()
        .filter(|c| match c.permission() {
            Permission::HandleMatter => hands.handle,
            _ => hands.manage,
        })
        .filter(|c| possible(*c, s, rules))
        .collect()
}
