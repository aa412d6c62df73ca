//! Decisions and legal review (决策与合法性审查): one review desk where everything that
//! must be reviewed before it is signed or decided waits for the reviewer's opinion,
//! and the figures of that desk (审查率). Pure domain logic; storage and HTTP live in
//! `fazhi-db` and `fazhi-web`.

mod adviser;
mod codes;
mod contract;
mod litigation;
mod major;
mod major_figure;
mod normative;
mod review;
mod rules;
mod stats;

pub use adviser::{
    AdviserLogKind, AdviserRating, AdviserSpec, AdviserWorkKind, check_adviser, check_assessment,
    check_log, names_lawyer, term_valid_on,
};
pub use codes::{Adoption, LegalOpinion, ReviewActionCode, ReviewKind, ReviewStatus};
pub use contract::{
    ContractAction, ContractActionCode, ContractFigure, ContractSpec, ContractState,
    ContractStatus, Milestone, ReviewChange, allowed_contract_actions, apply_contract,
    contract_review_spec, open_contract,
};
pub use litigation::{
    AttendeeRole, HearingRecord, Instance, LitigationAction, LitigationActionCode,
    LitigationFigure, LitigationKind, LitigationOutcome, LitigationRules, LitigationSpec,
    LitigationState, LitigationStatus, LitigationTally, add_months, allowed_litigation_actions,
    apply_litigation, open_litigation,
};
pub use major::{
    Adjustment, CatalogueState, Comment, Consultation, DecisionAction, DecisionActionCode,
    DecisionContext, DecisionPlan, DecisionRules, DecisionState, DecisionStatus, Discussion,
    Hearing, Record, allowed_decision_actions, apply_decision,
};
pub use major_figure::DecisionFigure;
pub use normative::{
    Cleanup, CleanupDecision, CleanupRoundSpec, NormativeAction, NormativeActionCode,
    NormativeContext, NormativeFigure, NormativeRules, NormativeSpec, NormativeState,
    NormativeStatus, Renewal, RoundDecision, RoundEntry, RoundLists, Validity,
    allowed_normative_actions, apply_normative, apply_round_decision, check_round, open_normative,
};
pub use review::{
    ReviewAction, ReviewError, ReviewHands, ReviewSpec, ReviewState, allowed_review_actions,
    apply_review, open_review, sign_for_decision,
};
pub use rules::{ReviewPeriods, ReviewRules};
pub use stats::{ReviewFigure, ReviewTally};
