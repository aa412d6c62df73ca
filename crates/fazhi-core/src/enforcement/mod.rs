//! Administrative enforcement (行政执法): the item list, cases under the simple and
//! ordinary procedures of the 行政处罚法 (2021), and the gates the law puts before a
//! decision. Pure domain logic; storage and HTTP live in `fazhi-db` and `fazhi-web`.

mod action;
mod apply;
mod codes;
mod item;
pub mod money;
mod open;
mod rubric;
mod rules;
mod state;
mod stats;

pub use action::{CaseAction, CaseActionCode};
pub(crate) use apply::check_text;
pub use apply::{
    CaseContext, CaseError, CaseHands, OfficerCert, allowed_case_actions, apply_case,
    check_officers, hands_allow, hearing_right,
};
pub use codes::{
    CaseOutcome, CaseStatus, EvidenceKind, Grade, InspectionKind, InspectionOutcome, PartyKind,
    PauseReason, PenaltyKind, PowerSource, Procedure, ReviewCheck, ReviewOpinion, ServiceMethod,
};
pub use item::{DiscretionStep, ItemRef, ItemSpec};
pub(crate) use open::nullable_date;
pub use open::{CaseSpec, InspectionSpec, OnSpot, decide_on_spot, open_case};
pub use rubric::{Deduction, FileGrade, FileScore, Rubric, RubricItem};
pub use rules::EnforcementRules;
pub use state::{
    CaseParty, CaseState, Decision, Defence, Discussion, Evidence, Hearing, Notice, Pause, Payment,
    Penalty, Review, Service, Supervision,
};
pub use stats::{CaseFigure, CaseTally};
