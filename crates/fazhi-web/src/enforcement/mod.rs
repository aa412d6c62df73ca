//! Administrative enforcement (行政执法): the item list, officers' certificates, cases
//! under the simple and ordinary procedures, the legal-review queue and the figures.
//! `app` holds the use cases; `api` and `pages` are two faces of it.

pub mod api;
pub(crate) mod app;
mod pages;
pub mod wire;

pub(crate) use pages::{home_queue, routes as page_routes};
