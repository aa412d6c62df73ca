//! The web application: JSON API under `/api/v1` (with its OpenAPI document),
//! server-rendered pages in Simplified Chinese, authentication and scoping.

pub mod admin;
pub mod annual;
mod assets;
pub mod auth;
pub mod decisions;
pub mod education;
pub mod enforcement;
pub mod error;
mod extract;
mod files;
pub mod jobs;
pub mod limit;
pub mod matters;
pub mod notify;
mod openapi;
pub mod page_error;
mod pages;
pub mod reports;
mod state;
pub mod store;

pub use files::{StoredFile, store_bytes};
pub use state::{AppState, Clock, Settings};

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use tower_http::trace::TraceLayer;
use utoipa_axum::router::OpenApiRouter;

/// Largest JSON or form body accepted (uploads have their own limit).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// The API routes with their OpenAPI description, from one list.
fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(openapi::base())
        .merge(auth::api::routes())
        .merge(admin::api::routes())
        .merge(matters::api::routes())
        .merge(matters::attachments::routes())
        .merge(notify::api::routes())
        .merge(matters::settings_api::routes())
        .merge(matters::stats_api::routes())
        .merge(matters::export::routes())
        .merge(matters::import::routes())
        .merge(jobs::routes())
        .merge(matters::edit::routes())
        .merge(matters::sweeps_api::routes())
        .merge(matters::documents::routes())
        .merge(education::api::routes())
        .merge(enforcement::api::routes())
        .merge(decisions::api::routes())
        .merge(decisions::major_api::routes())
        .merge(decisions::litigation_api::routes())
        .merge(decisions::contract_api::routes())
        .merge(decisions::normative_api::routes())
        .merge(decisions::stats_api::routes())
        .merge(decisions::adviser_api::routes())
        .merge(decisions::documents::routes())
        .merge(annual::api::routes())
        .merge(enforcement::settings_api_routes())
}

/// The OpenAPI document of the API, as served at `/api/v1/openapi.json`.
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    api().split_for_parts().1
}

/// The whole application.
pub fn app(state: AppState) -> Router {
    let (api_router, doc) = api().split_for_parts();
    let doc = std::sync::Arc::new(doc);
    Router::new()
        .merge(api_router)
        .route(
            "/api/v1/openapi.json",
            get(move || {
                let doc = doc.clone();
                async move { axum::Json((*doc).clone()) }
            }),
        )
        .route("/api/v1/{*rest}", axum::routing::any(error::api_not_found))
        .route("/healthz", get(healthz))
        .merge(assets::routes())
        .merge(auth::pages::routes())
        .merge(pages::routes())
        .merge(admin::pages::routes())
        .merge(matters::pages::routes())
        .merge(reports::pages::routes())
        .merge(education::pages::routes())
        .merge(enforcement::page_routes())
        .merge(decisions::page_routes())
        .merge(annual::page_routes())
        .merge(notify::page_routes())
        .merge(enforcement::settings_page_routes())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::csrf::guard,
        ))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn(pages::security_headers))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

async fn healthz(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    match fazhi_db::admin::settings::get(&state.db, "healthz").await {
        Ok(_) => (axum::http::StatusCode::OK, "ok").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (
                axum::http::StatusCode::SERVICE_UNAVAILABLE,
                "database unavailable",
            )
                .into_response()
        }
    }
}

/// Serves the application on `listener` until Ctrl-C / SIGTERM.
/// With an anchor, the audit chain's head is checkpointed at start, every minute and
/// on the way out.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    let notifying = notify::spawn(state.clone());
    let anchoring = state.anchor.clone().map(|anchor| {
        let (db, clock) = (state.db.clone(), state.clock.clone());
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
            loop {
                tick.tick().await;
                if let Err(e) = anchor.checkpoint(&db, clock.now_ms()).await {
                    tracing::error!(error = %e, "audit checkpoint failed");
                }
            }
        })
    });
    let last = state
        .anchor
        .clone()
        .map(|a| (a, state.db.clone(), state.clock.clone()));
    let app = app(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    let served = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await;
    notifying.abort();
    if let Some(task) = anchoring {
        task.abort();
    }
    if let Some((anchor, db, clock)) = last
        && let Err(e) = anchor.checkpoint(&db, clock.now_ms()).await
    {
        tracing::error!(error = %e, "audit checkpoint failed");
    }
    served
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
