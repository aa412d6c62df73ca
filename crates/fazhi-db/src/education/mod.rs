//! Legal education (普法) and cadre study (学法): theme days per year, publicity events,
//! study sessions with attendance, rosters (phones sealed), and the yearly figures.
//! The checks and the figure definitions live in `fazhi_core::education`; this module
//! stores their results and scopes every read.

pub mod emergency;
pub mod events;
pub mod exams;
pub mod files;
pub mod ledger;
pub mod plan;
pub mod points;
pub mod rescue;
pub mod roster;
pub mod statements;
pub mod stats;
pub mod study;
pub mod themes;
pub mod villages;
pub mod visits;

use fazhi_core::education::{
    DrillForm, EduFileKind, EventKind, HeadPost, ModelLevel, PlanKind, RosterRole,
    StatementOccasion, StatementRating, StudyKind,
};

use crate::column::{Column, code_columns};
use crate::sql::Value;

code_columns!(
    EventKind,
    StudyKind,
    RosterRole,
    HeadPost,
    StatementOccasion,
    StatementRating,
    ModelLevel,
    PlanKind,
    DrillForm,
    EduFileKind
);

/// Laws are stored one per line.
pub(crate) fn join_laws(laws: &[String]) -> String {
    laws.join("\n")
}

/// The stored laws as a list.
pub fn laws_of(stored: &str) -> Vec<String> {
    stored
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect()
}

/// Where a record is: its division (already checked against the caller's scope) and
/// optionally a grid of it.
#[derive(Debug, Clone)]
pub struct Place {
    pub division_id: i64,
    pub division_path: String,
    pub grid_id: Option<i64>,
}
