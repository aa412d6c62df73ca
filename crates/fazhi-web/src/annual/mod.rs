//! The annual report (法治政府建设年度报告): a first draft written from the records,
//! every figure a slot bound to the statistic it came from; its review, signing,
//! submission and publication; and the district's view of all its townships.

pub mod api;
pub(crate) mod app;

pub use app::draft_unscoped;
pub mod district;
mod district_pages;
mod pages;
pub mod review;
pub(crate) mod template;

/// The report's pages: drafting and the way out, review and the district's view.
pub(crate) fn page_routes() -> axum::Router<crate::AppState> {
    pages::routes().merge(district_pages::routes())
}
