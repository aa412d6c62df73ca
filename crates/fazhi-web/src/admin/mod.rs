//! Administration of the organisation: divisions, grids, units, users, grants, import.

pub mod api;
pub mod import;
pub mod pages;
pub(crate) mod wire;
