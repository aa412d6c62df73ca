//! Matters (事项): disputes, petitions, complaints, suggestions and consultations.
//!
//! Pure domain logic: codes and labels, deadline rules, the workflow state machine
//! ([`apply`]) and tracking codes. Storage and HTTP live in `fazhi-db` and `fazhi-web`.

mod action;
mod allowed;
mod attachment;
mod codes;
mod kind;
mod risk;
mod rules;
mod state;
mod status;
mod tracking;
mod transition;

pub use action::{Action, ActionCode, Assignee, AssigneeKind};
pub use allowed::{Hands, Member, allowed_actions, apply_as};
pub use attachment::AttachmentKind;
pub(crate) use codes::code_enum;
pub use codes::{Code, UnknownCode};
pub use kind::{Category, Channel, DEFAULT_CATEGORIES, Kind, default_category};
pub use risk::RiskLevel;
pub use rules::{DeadlineRules, KindRules};
pub use state::{Assessment, Assignment, Closure, DeadlineKind, Extension, FollowUp, MatterState};
pub use status::{
    ClosureType, MediationOutcome, PetitionOpinion, Route, Satisfaction, Status, SupervisionLevel,
};
pub use tracking::{
    TRACKING_ALPHABET, TRACKING_CODE_LEN, TrackingCode, TrackingCodeError, shown as tracking_shown,
};
pub use transition::{Transition, TransitionError, apply};
