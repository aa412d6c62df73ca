//! One module per command family.

pub mod analyze;
