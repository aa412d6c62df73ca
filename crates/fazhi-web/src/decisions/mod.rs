//! Decisions and legal review (决策与合法性审查): the review desk where major decisions,
//! normative documents, contracts, major enforcement decisions and petition replies
//! wait for the legality review, and its figures (审查率). `app` holds the use cases;
//! `api` and `pages` are two faces of it.

pub mod api;
pub(crate) mod app;
mod pages;
pub mod wire;

pub(crate) use pages::routes as page_routes;
