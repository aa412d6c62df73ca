//! Documents out (DOCX in the GB/T 9704 layout) and spreadsheets in and out (XLSX).

pub mod analysis;
pub mod gongwen;
pub mod import;
pub mod ledger;
pub mod mediation;
pub mod notice;
pub mod org;
