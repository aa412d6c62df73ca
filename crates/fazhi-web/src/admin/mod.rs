//! Administration of the organisation: divisions, grids, units, users, grants, import.

pub mod api;
mod audit_labels;
pub mod import;
pub mod pages;
pub(crate) mod wire;
