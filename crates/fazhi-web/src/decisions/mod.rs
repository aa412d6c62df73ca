//! Decisions and legal review (决策与合法性审查): the review desk where major decisions,
//! normative documents, contracts, major enforcement decisions and petition replies
//! wait for the legality review, and its figures (审查率). `app` holds the use cases;
//! `api` and `pages` are two faces of it.

pub mod adviser_api;
pub(crate) mod adviser_app;
pub mod adviser_wire;
pub mod api;
pub(crate) mod app;
pub mod contract_api;
pub(crate) mod contract_app;
pub mod contract_wire;
pub mod documents;
pub mod litigation_api;
pub(crate) mod litigation_app;
pub mod litigation_wire;
pub mod major_api;
pub(crate) mod major_app;
pub mod major_stats;
pub mod major_wire;
pub mod normative_api;
pub(crate) mod normative_app;
pub mod normative_wire;
mod pages;
pub mod stats_api;
pub mod wire;

pub(crate) use pages::routes as page_routes;

/// A year from a query string where a blank field (a filter form's empty input) means
/// none, rather than a refused request.
pub(crate) fn blank_year<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<i32>, D::Error> {
    use serde::Deserialize;
    let s: Option<String> = Option::deserialize(d)?;
    match s.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => v
            .parse()
            .map(Some)
            .map_err(|_| serde::de::Error::custom("年份须为四位数字")),
    }
}
