//! Who may do what to a matter now: the one place that decides which actions a user
//! is offered (pages draw their buttons from it) and may take (the API refuses the
//! rest before the state machine is asked).
//!
//! The permission to act follows the assignment: the current lead handler (the members
//! of its unit, or the village's mediators) and the centre (综治中心, leaders in scope)
//! act on a matter; co-handlers (协办) give feedback; everyone else in scope only reads.

use time::Date;

use super::{
    Action, ActionCode, Assignee, AssigneeKind, DeadlineRules, MatterState, Satisfaction, Status,
    Transition, TransitionError, apply,
};
use crate::calendar::Calendar;
use crate::division::path_in_subtree;
use crate::role::{Grant, Permission, Scope};

/// What a user holds over one matter, from [`Hands::of`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Hands {
    /// The centre's hand (ManageMatters at the matter's place): assign, supervise,
    /// review closings, follow up.
    pub manage: bool,
    /// Works on it: a member of the current lead handler, or the centre's staff.
    pub handle: bool,
    /// A member of a co-handler (协办): feedback only.
    pub support: bool,
}

/// Who a user is toward matters: their grants and the unit they belong to.
#[derive(Debug, Clone, Copy)]
pub struct Member<'a> {
    pub grants: &'a [Grant],
    /// The unit (部门/站所) the account belongs to: a member of its team.
    pub unit_id: Option<i64>,
}

impl Member<'_> {
    /// Whether this user works for handler `a` (`path`: its division path, when known).
    pub fn works_for(&self, a: &Assignee, path: Option<&str>) -> bool {
        let handles = |g: &&Grant| g.role.has(Permission::HandleMatter);
        match a.kind {
            AssigneeKind::Unit => {
                self.unit_id == Some(a.id) && self.grants.iter().any(|g| handles(&g))
            }
            AssigneeKind::Division => self.grants.iter().filter(handles).any(|g| {
                g.division_id == a.id || path.is_some_and(|p| path_in_subtree(p, &g.division_path))
            }),
        }
    }

    /// The co-handler or lead this user speaks for on a matter, lead first.
    pub fn handler_of(&self, s: &MatterState, lead_path: Option<&str>) -> Option<Assignee> {
        let a = s.assignment.as_ref()?;
        if self.works_for(&a.assignee, lead_path) {
            return Some(a.assignee);
        }
        a.co_handlers
            .iter()
            .find(|c| self.works_for(c, None))
            .copied()
    }
}

impl Hands {
    /// The hands of `who` on a matter at `place` in state `s` (`lead_path`: the division
    /// path of its lead handler).
    pub fn of(who: Member<'_>, place: &str, s: &MatterState, lead_path: Option<&str>) -> Hands {
        let manage = Scope::for_permission(who.grants, Permission::ManageMatters).covers(place);
        let centre =
            manage && Scope::for_permission(who.grants, Permission::HandleMatter).covers(place);
        let lead = s
            .assignment
            .as_ref()
            .is_some_and(|a| who.works_for(&a.assignee, lead_path));
        let support = !lead
            && s.assignment
                .as_ref()
                .is_some_and(|a| a.co_handlers.iter().any(|c| who.works_for(c, None)));
        Hands {
            manage,
            handle: centre || lead,
            support,
        }
    }

    /// Whether these hands may take `code` (leaving aside whether the state allows it).
    fn hold(self, code: ActionCode) -> bool {
        match code {
            ActionCode::Feedback => self.handle || self.support || self.manage,
            c if c.permission() == Permission::HandleMatter => self.handle,
            _ => self.manage,
        }
    }
}

impl ActionCode {
    /// The permission an action needs at the matter's place (and [`Hands`] decide
    /// whether this user holds the matter).
    pub const fn permission(self) -> Permission {
        match self {
            ActionCode::Acknowledge
            | ActionCode::RecordMediation
            | ActionCode::Return
            | ActionCode::Close
            | ActionCode::Pause
            | ActionCode::Resume
            | ActionCode::Feedback => Permission::HandleMatter,
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
        ActionCode::Escalate | ActionCode::Supervise | ActionCode::Feedback => active,
        ActionCode::Close => active && !s.needs_new_step,
        ActionCode::ApproveClosure | ActionCode::RejectClosure => st == Status::Reviewing,
        ActionCode::Assess => active || matches!(st, Status::Pending | Status::Registered),
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
        .filter(|c| hands.hold(*c))
        .filter(|c| possible(*c, s, rules))
        .collect()
}

/// Applies `action` for a user with `hands`: refuses (403) an action the state allows
/// but this user does not hold, then lets [`apply`] decide; a closing by a handler who
/// is not the centre goes to the centre's review (待审核) instead of closing. The
/// centre's own closing needs no review: it is the reviewer.
pub fn apply_as(
    s: &MatterState,
    action: &Action,
    hands: Hands,
    today: Date,
    cal: &Calendar,
    rules: &DeadlineRules,
) -> Result<Transition, TransitionError> {
    let code = action.code();
    if !hands.hold(code) && possible(code, s, rules) {
        return Err(TransitionError::Forbidden {
            message: format!(
                "您不是该事项当前的承办人员：只有承办单位的人员或综治中心可以对其进行“{}”操作，您可以查看",
                code.label_zh()
            ),
        });
    }
    let mut t = apply(s, action, today, cal, rules)?;
    if !hands.hold(code) {
        // The state machine allowed what `possible` did not foresee: refuse all the same.
        return Err(TransitionError::not_offered(code, s.status));
    }
    if code == ActionCode::Close && !hands.manage {
        t.state.status = Status::Reviewing;
        t.to = Status::Reviewing;
    }
    Ok(t)
}
