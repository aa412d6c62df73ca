//! Test support, in a crate of its own so that production code cannot depend on it:
//! fresh real databases (`db`, re-exported from `fazhi-db`'s `testing` feature, which
//! only this crate turns on) and helpers that drive the real router (`web`).

pub use fazhi_db::testing as db;
pub mod web;
