//! The organisation: divisions, grids, units, and the settings admins edit.

pub(crate) mod cache;
pub mod divisions;
pub mod grids;
pub mod import;
pub mod settings;
pub mod units;
