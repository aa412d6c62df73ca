//! Static assets, embedded in the binary: nothing is fetched from the internet.

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;

use crate::AppState;

const APP_CSS: &str = include_str!("../static/app.css");
const APP_JS: &str = include_str!("../static/app.js");

/// The site's icon: the character 法 on the header's red.
const FAVICON_SVG: &str = include_str!("../static/favicon.svg");

pub(crate) fn routes() -> Router<AppState> {
    // Browsers ask for /favicon.ico whatever the page says; both answer the SVG.
    let icon = || async {
        (
            [
                (header::CONTENT_TYPE, "image/svg+xml"),
                (header::CACHE_CONTROL, "max-age=86400"),
            ],
            FAVICON_SVG,
        )
            .into_response()
    };
    Router::new()
        .route("/favicon.svg", get(icon))
        .route("/favicon.ico", get(icon))
        .route(
            "/static/app.css",
            get(|| async {
                (
                    [
                        (header::CONTENT_TYPE, "text/css; charset=utf-8"),
                        (header::CACHE_CONTROL, "max-age=3600"),
                    ],
                    APP_CSS,
                )
                    .into_response()
            }),
        )
        .route(
            "/static/app.js",
            get(|| async {
                (
                    [
                        (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
                        (header::CACHE_CONTROL, "max-age=3600"),
                    ],
                    APP_JS,
                )
                    .into_response()
            }),
        )
}
