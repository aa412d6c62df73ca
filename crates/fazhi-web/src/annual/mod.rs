//! The annual report (法治政府建设年度报告): a first draft written from the records,
//! every figure a slot bound to the statistic it came from (issue 18, first slice:
//! no saving, review or submission yet).

pub mod api;
pub(crate) mod app;
mod pages;

pub(crate) use pages::routes as page_routes;
