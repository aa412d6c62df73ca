//! Matters (事项): one front door for disputes, petitions and complaints. The JSON API,
//! the pages, intake checks shared by both, and the settings admins can change.

pub mod api;
pub mod config;
pub mod documents;
pub mod edit;
pub mod export;
pub mod import;
pub mod intake;
pub mod limit;
pub mod pages;
pub mod settings_api;
pub mod stats_api;
pub mod sweeps_api;
pub mod wire;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;

/// The client's address, for rate limits; "local" when the server was not given one
/// (tests driving the router directly).
pub struct ClientAddr(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(
            parts
                .extensions
                .get::<ConnectInfo<std::net::SocketAddr>>()
                .map_or_else(|| "local".into(), |c| c.0.ip().to_string()),
        ))
    }
}
