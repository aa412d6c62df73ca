//! JSON API of the 普法活动 ledger import: upload, dry run, commit (see
//! `app::ledger`).

use axum::Json;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::app::{self, LedgerCheckOut, LedgerMapping, LedgerUploadOut, MAX_LEDGER_BYTES};
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
    responses((status = 200, body = LedgerCheckOut), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn dry_run_event_ledger(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(token): ApiPath<String>,
    ApiJson(m): ApiJson<LedgerMapping>,
) -> ApiResult<Json<LedgerCheckOut>> {
    Ok(Json(
        app::ledger_check(&state, &p, &token, &m, false).await?,
    ))
}

/// Import all good rows in one transaction (rows already imported are skipped; bad
/// rows are listed and left out).
#[utoipa::path(post, path = "/api/v1/education/events/imports/{token}/commit", tag = "education",
    params(("token" = String, Path, description = "token of the upload")),
    request_body = LedgerMapping,
    responses((status = 200, body = LedgerCheckOut), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn commit_event_ledger(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(token): ApiPath<String>,
    ApiJson(m): ApiJson<LedgerMapping>,
) -> ApiResult<Json<LedgerCheckOut>> {
    Ok(Json(app::ledger_check(&state, &p, &token, &m, true).await?))
}
