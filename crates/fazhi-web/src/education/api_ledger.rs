//! JSON API of the imports of a township's existing ledgers: 普法活动 (see
//! `app::ledger`) and study sign-in sheets (see `app::sign_in`), each upload, dry run,
//! commit.

use axum::Json;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::app::{
    self, LedgerMapping, LedgerUploadOut, MAX_LEDGER_BYTES, SheetCheckOut, SignInCheckOut,
    SignInMapping, SignInUploadOut,
};
use crate::AppState;
use crate::auth::ApiUser;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath};

pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(
            OpenApiRouter::new()
                .routes(routes!(upload_event_ledger))
                .layer(axum::extract::DefaultBodyLimit::max(MAX_LEDGER_BYTES)),
        )
        .routes(routes!(dry_run_event_ledger))
        .routes(routes!(commit_event_ledger))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(upload_sign_in_sheet))
                .layer(axum::extract::DefaultBodyLimit::max(MAX_LEDGER_BYTES)),
        )
        .routes(routes!(dry_run_sign_in_sheet))
        .routes(routes!(commit_sign_in_sheet))
}

/// Upload a township's 普法活动 ledger (multipart field `file`, XLSX; a header row
/// below any title rows): its columns and a mapping suggested from the header names,
/// under a token for the next steps (an hour, this user only).
#[utoipa::path(post, path = "/api/v1/education/events/imports", tag = "education",
    request_body(content_type = "multipart/form-data", description = "field `file`: the XLSX ledger"),
    responses((status = 201, body = LedgerUploadOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 413, body = ErrorBody)))]
pub(crate) async fn upload_event_ledger(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    mut mp: Multipart,
) -> ApiResult<(StatusCode, Json<LedgerUploadOut>)> {
    p.require(fazhi_core::role::Permission::RecordEducation)?;
    let (name, bytes) = crate::matters::import::file_part(&mut mp).await?;
    Ok((
        StatusCode::CREATED,
        Json(app::ledger_upload(&state, &p, name, bytes).await?),
    ))
}

/// Check every row under a mapping: the bad rows with every reason, the rows already
/// imported; writes nothing.
#[utoipa::path(post, path = "/api/v1/education/events/imports/{token}/dry-run", tag = "education",
    params(("token" = String, Path, description = "token of the upload")),
    request_body = LedgerMapping,
    responses((status = 200, body = SheetCheckOut), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn dry_run_event_ledger(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(token): ApiPath<String>,
    ApiJson(m): ApiJson<LedgerMapping>,
) -> ApiResult<Json<SheetCheckOut>> {
    Ok(Json(
        app::ledger_check(&state, &p, &token, &m, false).await?,
    ))
}

/// Import all good rows in one transaction (rows already imported are skipped; bad
/// rows are listed and left out).
#[utoipa::path(post, path = "/api/v1/education/events/imports/{token}/commit", tag = "education",
    params(("token" = String, Path, description = "token of the upload")),
    request_body = LedgerMapping,
    responses((status = 200, body = SheetCheckOut), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn commit_event_ledger(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(token): ApiPath<String>,
    ApiJson(m): ApiJson<LedgerMapping>,
) -> ApiResult<Json<SheetCheckOut>> {
    Ok(Json(app::ledger_check(&state, &p, &token, &m, true).await?))
}

/// Upload a township's study sign-in sheets (multipart field `file`, XLSX; one row per
/// person and session): its columns and a suggested mapping, under a token.
#[utoipa::path(post, path = "/api/v1/education/study-sessions/imports", tag = "education",
    request_body(content_type = "multipart/form-data", description = "field `file`: the XLSX sign-in sheets"),
    responses((status = 201, body = SignInUploadOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 413, body = ErrorBody)))]
pub(crate) async fn upload_sign_in_sheet(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    mut mp: Multipart,
) -> ApiResult<(StatusCode, Json<SignInUploadOut>)> {
    p.require(fazhi_core::role::Permission::ManageEducation)?;
    let (name, bytes) = crate::matters::import::file_part(&mut mp).await?;
    Ok((
        StatusCode::CREATED,
        Json(app::sign_in_upload(&state, &p, name, bytes).await?),
    ))
}

/// Check every row: sessions by day and topic, names among the township's accounts;
/// bad rows with every reason; writes nothing.
#[utoipa::path(post, path = "/api/v1/education/study-sessions/imports/{token}/dry-run", tag = "education",
    params(("token" = String, Path, description = "token of the upload")),
    request_body = SignInMapping,
    responses((status = 200, body = SignInCheckOut), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn dry_run_sign_in_sheet(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(token): ApiPath<String>,
    ApiJson(m): ApiJson<SignInMapping>,
) -> ApiResult<Json<SignInCheckOut>> {
    Ok(Json(
        app::sign_in_check(&state, &p, &token, &m, false).await?,
    ))
}

/// Import all good sessions with their attendance in one transaction (sessions already
/// imported are skipped; a session with a bad row is left out whole).
#[utoipa::path(post, path = "/api/v1/education/study-sessions/imports/{token}/commit", tag = "education",
    params(("token" = String, Path, description = "token of the upload")),
    request_body = SignInMapping,
    responses((status = 200, body = SignInCheckOut), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn commit_sign_in_sheet(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(token): ApiPath<String>,
    ApiJson(m): ApiJson<SignInMapping>,
) -> ApiResult<Json<SignInCheckOut>> {
    Ok(Json(
        app::sign_in_check(&state, &p, &token, &m, true).await?,
    ))
}
