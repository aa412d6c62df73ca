//! Administration of the organisation: divisions, grids, units, users, grants, import.

pub mod api;
pub(crate) mod audit_check;
mod audit_labels;
pub mod import;
pub mod pages;
pub(crate) mod wire;
