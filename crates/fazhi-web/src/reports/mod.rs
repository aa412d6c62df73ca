//! Report reading on the web (issue 5 §4): a district supervisor uploads township
//! reports (files or a ZIP), sees the comparison table, the proofreading findings and
//! the repeated paragraphs, and downloads the same workbook as `fazhi analyze
//! --format xlsx`. The reading itself is `fazhi-analyze`; nothing is stored in the
//! database.

pub(crate) mod pages;
pub mod store;

pub use store::ResultStore;
