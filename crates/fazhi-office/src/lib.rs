//! Office files: documents out (DOCX in the GB/T 9704 layout) and spreadsheets in and
//! out (XLSX). Named for what it holds, not "docs": no documentation lives here.

pub mod analysis;
pub mod annual;
pub mod decisions;
pub mod enforcement;
pub mod gongwen;
pub mod import;
pub mod items;
pub mod ledger;
pub mod litigation;
pub mod mediation;
pub mod notice;
pub mod org;
pub mod tables;
