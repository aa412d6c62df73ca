//! Domain types and rules of Fazhi. No I/O, no async, no SQL, no HTTP.

pub mod calendar;
pub mod decisions;
pub mod division;
pub mod education;
pub mod enforcement;
pub mod matter;
pub mod party;
pub mod report;
pub mod role;
pub mod search;
pub mod stats;
pub mod validate;
