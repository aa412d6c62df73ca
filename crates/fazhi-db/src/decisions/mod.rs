//! Decisions and legal review: the review desk (合法性审查) and its timeline. The rules
//! are `fazhi_core::decisions`; this module stores them.

pub mod advisers;
pub mod contracts;
pub mod litigation;
pub mod major;
pub mod normative;
pub mod normative_rounds;
pub mod reviews;
