//! `/api/v1/notifications`: the caller's notifications, the unread count (the page
//! header's badge asks it), marking read, and the webhook's settings and log.

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::webhook::{self, WebhookConfig};
use crate::AppState;
use crate::auth::{ApiUser, Principal};
use crate::error::{ApiError, ApiResult, ErrorBody};

/// One notification.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NotificationOut {
    pub id: i64,
    /// assigned, due, overdue, supervised, review, returned, annual_notice, digest.
    pub kind: String,
    pub title: String,
    pub link: String,
    pub created_at: i64,
    pub read: bool,
}

/// The caller's notifications, unread first (at most 200).
pub(crate) async fn list(state: &AppState, p: &Principal) -> ApiResult<Vec<NotificationOut>> {
    Ok(fazhi_db::notify::of_user(&state.db, p.user_id, 200)
        .await?
        .into_iter()
        .map(|n| NotificationOut {
            id: n.id,
            kind: n.kind,
            title: n.title,
            link: n.link,
            created_at: n.created_at,
            read: n.read_at.is_some(),
        })
        .collect())
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Unread {
    count: i64,
}

#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct ReadIn {
    /// One notification; without it, all of the caller's.
    id: Option<i64>,
}

pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_notifications))
        .routes(routes!(unread))
        .routes(routes!(mark_read))
        .routes(routes!(get_webhook, put_webhook))
}

/// The caller's notifications, unread first.
#[utoipa::path(get, path = "/api/v1/notifications", tag = "notifications",
    responses((status = 200, body = Vec<NotificationOut>)))]
pub(crate) async fn get_notifications(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
) -> ApiResult<Json<Vec<NotificationOut>>> {
    Ok(Json(list(&state, &p).await?))
}

/// How many of the caller's notifications are unread.
#[utoipa::path(get, path = "/api/v1/notifications/unread", tag = "notifications",
    responses((status = 200, body = Unread)))]
pub(crate) async fn unread(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
) -> ApiResult<Json<Unread>> {
    Ok(Json(Unread {
        count: fazhi_db::notify::unread(&state.db, p.user_id).await?,
    }))
}

/// Marks one of the caller's notifications read, or all of them.
#[utoipa::path(post, path = "/api/v1/notifications/read", tag = "notifications",
    request_body = ReadIn, responses((status = 200, body = Unread)))]
pub(crate) async fn mark_read(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    crate::extract::ApiJson(body): crate::extract::ApiJson<ReadIn>,
) -> ApiResult<Json<Unread>> {
    fazhi_db::notify::mark_read(&state.db, p.user_id, body.id).await?;
    Ok(Json(Unread {
        count: fazhi_db::notify::unread(&state.db, p.user_id).await?,
    }))
}

/// The webhook's address (the secret is never shown again).
#[utoipa::path(get, path = "/api/v1/settings/webhook", tag = "settings",
    responses((status = 200, body = WebhookConfig), (status = 403, body = ErrorBody)))]
pub(crate) async fn get_webhook(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
) -> ApiResult<Json<WebhookConfig>> {
    crate::auth::require_global(&state, &p).await?;
    let c = webhook::config(&state).await?;
    Ok(Json(WebhookConfig {
        url: c.map(|c| c.url).unwrap_or_default(),
        secret: String::new(),
    }))
}

/// Sets the webhook (administrators): an intranet `http://` address and a secret of at
/// least 16 characters; an empty address turns it off.
#[utoipa::path(put, path = "/api/v1/settings/webhook", tag = "settings", request_body = WebhookConfig,
    responses((status = 200, body = WebhookConfig), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub(crate) async fn put_webhook(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    crate::extract::ApiJson(body): crate::extract::ApiJson<WebhookConfig>,
) -> ApiResult<Json<WebhookConfig>> {
    let c = save(&state, &p, &body).await?;
    Ok(Json(WebhookConfig {
        url: c.url,
        secret: String::new(),
    }))
}

/// Checks and stores the webhook (audited as a setting change).
pub(crate) async fn save(
    state: &AppState,
    p: &Principal,
    body: &WebhookConfig,
) -> ApiResult<WebhookConfig> {
    crate::auth::require_global(state, p).await?;
    let c = webhook::check(body)?;
    let json = serde_json::to_string(&c).map_err(ApiError::internal)?;
    fazhi_db::admin::settings::put(&state.db, &p.actor(), webhook::KEY, &json).await?;
    Ok(c)
}
