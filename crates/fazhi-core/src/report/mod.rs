//! The annual report (法治政府建设年度报告) drafted from records: the phrasing of
//! figures and the draft with its figure slots. The web layer fills the slots from
//! each work stream's own figures, so a number in the report means what it means in
//! the statistics it came from.

mod draft;
pub mod phrase;
pub mod secrecy;
pub mod template;
pub mod workflow;

pub use draft::{Draft, Para, Part, Section, Slot, paragraph_text};
