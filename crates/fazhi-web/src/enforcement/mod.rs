//! Administrative enforcement (行政执法): the item list, officers' certificates, cases
//! under the simple and ordinary procedures, the legal-review queue and the figures.
//! `app` holds the use cases; `api` and `pages` are two faces of it; `documents`
//! answers the case's DOCX documents.

pub mod api;
pub(crate) mod app;
mod documents;
pub mod evidence;
mod pages;
pub mod wire;

pub(crate) use pages::{home_queue, routes as page_routes};
