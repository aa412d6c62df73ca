//! `/api/v1/session` (log in, who am I, log out) and `/api/v1/tokens` (integration tokens).

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use fazhi_core::role::Permission;
use fazhi_db::auth::{grants, sessions, tokens};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{ApiUser, Via, secrets};
use crate::AppState;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath};

pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login, me, logout))
        .routes(routes!(list_tokens, create_token))
        .routes(routes!(revoke_token))
}

/// Credentials for `POST /api/v1/session`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

/// One role grant as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct GrantOut {
    pub id: i64,
    pub role: fazhi_core::role::Role,
    pub role_label: String,
    pub division_code: String,
    pub division_name: String,
}

/// The logged-in user.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionOut {
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub grants: Vec<GrantOut>,
    /// Send as `X-CSRF-Token` on every POST/PATCH/DELETE made with the session cookie.
    pub csrf_token: Option<String>,
}

pub(crate) async fn grants_out(state: &AppState, user_id: i64) -> ApiResult<Vec<GrantOut>> {
    Ok(grants::for_user(&state.db, user_id)
        .await?
        .into_iter()
        .map(|g| GrantOut {
            id: g.id,
            role_label: g.role.label_zh().to_string(),
            role: g.role,
            division_code: g.division_code,
            division_name: g.division_name,
        })
        .collect())
}

/// Log in; sets the session cookie and returns the CSRF token.
#[utoipa::path(post, path = "/api/v1/session", tag = "session",
    request_body = LoginRequest,
    responses((status = 200, body = SessionOut), (status = 401, body = ErrorBody)))]
async fn login(
    State(state): State<AppState>,
    client: crate::limit::ClientAddr,
    ApiJson(req): ApiJson<LoginRequest>,
) -> ApiResult<Response> {
    let done = super::login(&state, &req.username, &req.password, "api", &client.0).await?;
    let user = fazhi_db::auth::users::get(&state.db, done.user_id).await?;
    let body = SessionOut {
        user_id: user.id,
        username: user.username,
        display_name: user.display_name,
        grants: grants_out(&state, done.user_id).await?,
        csrf_token: Some(done.csrf),
    };
    Ok((
        [(
            header::SET_COOKIE,
            super::session_cookie(&state, &done.token),
        )],
        Json(body),
    )
        .into_response())
}

/// The caller and their grants.
#[utoipa::path(get, path = "/api/v1/session", tag = "session",
    responses((status = 200, body = SessionOut), (status = 401, body = ErrorBody)))]
async fn me(State(state): State<AppState>, ApiUser(p): ApiUser) -> ApiResult<Json<SessionOut>> {
    Ok(Json(SessionOut {
        user_id: p.user_id,
        username: p.username.clone(),
        display_name: p.display_name.clone(),
        grants: grants_out(&state, p.user_id).await?,
        csrf_token: match &p.via {
            Via::Session { csrf, .. } => Some(csrf.clone()),
            Via::Token { .. } => None,
        },
    }))
}

/// Log out: ends the session and clears the cookie.
#[utoipa::path(delete, path = "/api/v1/session", tag = "session",
    responses((status = 204), (status = 401, body = ErrorBody)))]
async fn logout(State(state): State<AppState>, ApiUser(p): ApiUser) -> ApiResult<Response> {
    if let Via::Session { id, .. } = p.via {
        sessions::delete(&state.db, id).await?;
    }
    Ok((
        StatusCode::NO_CONTENT,
        [(header::SET_COOKIE, super::clear_session_cookie(&state))],
    )
        .into_response())
}

/// An API token as listed (never the token itself).
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenOut {
    pub id: i64,
    pub name: String,
    pub user_id: i64,
    pub username: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked: bool,
}

/// A new token for an integration, acting as user `user_id`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct TokenCreate {
    pub name: String,
    pub user_id: i64,
}

/// The token, shown once.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenCreated {
    pub id: i64,
    /// Send as `Authorization: Bearer <token>`. It is stored hashed and cannot be shown again.
    pub token: String,
}

/// List API tokens (admins).
#[utoipa::path(get, path = "/api/v1/tokens", tag = "tokens",
    responses((status = 200, body = Vec<TokenOut>), (status = 403, body = ErrorBody)))]
async fn list_tokens(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
) -> ApiResult<Json<Vec<TokenOut>>> {
    p.require(Permission::ManageTokens)?;
    Ok(Json(
        tokens::list(&state.db)
            .await?
            .into_iter()
            .map(|t| TokenOut {
                id: t.id,
                name: t.name,
                user_id: t.user_id,
                username: t.username,
                created_at: t.created_at,
                last_used_at: t.last_used_at,
                revoked: t.revoked_at.is_some(),
            })
            .collect(),
    ))
}

/// Create an API token (admins); the token acts with the grants of `user_id`.
#[utoipa::path(post, path = "/api/v1/tokens", tag = "tokens",
    request_body = TokenCreate,
    responses((status = 201, body = TokenCreated), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub(crate) async fn create_token(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiJson(req): ApiJson<TokenCreate>,
) -> ApiResult<(StatusCode, Json<TokenCreated>)> {
    let scope = p.require(Permission::ManageTokens)?;
    let name = fazhi_core::validate::required_text("名称", &req.name, 100)
        .map_err(|m| ApiError::field("name", m))?;
    fazhi_db::auth::users::get(&state.db, req.user_id)
        .await
        .map_err(|_| ApiError::field("user_id", "用户不存在"))?;
    if !fazhi_db::auth::users::in_scope(&state.db, req.user_id, p.manager(&scope)).await? {
        return Err(ApiError::field(
            "user_id",
            "不能为管辖范围以外的用户创建令牌",
        ));
    }
    let token = format!("fz_{}", secrets::random_token());
    let id = tokens::create(
        &state.db,
        &p.actor(),
        &name,
        req.user_id,
        &secrets::hash_token(&token),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(TokenCreated { id, token })))
}

/// Revoke an API token (admins).
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "tokens",
    params(("id" = i64, Path, description = "token id")),
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub(crate) async fn revoke_token(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    p.require(Permission::ManageTokens)?;
    tokens::revoke(&state.db, &p.actor(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}
