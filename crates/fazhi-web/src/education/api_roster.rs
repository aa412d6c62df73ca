//! JSON API of the rosters as XLSX (see `app::roster_sheet`): the export, and the
//! import's upload, dry run and commit.

use axum::Json;
use axum::extract::{Multipart, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::app::{self, RosterExportQuery, RosterMapping, RosterUploadOut, SheetCheckOut};
use crate::AppState;
use crate::auth::ApiUser;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};

pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(export_roster))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(upload_roster))
                .layer(axum::extract::DefaultBodyLimit::max(app::MAX_LEDGER_BYTES)),
        )
        .routes(routes!(dry_run_roster))
        .routes(routes!(commit_roster))
}

/// The workbook of a roster export, named in Chinese; never cached when it holds
/// personal data in full.
pub(crate) fn roster_download(bytes: Vec<u8>, full: bool) -> Response {
    let name = format!(
        "attachment; filename*=UTF-8''{}",
        crate::pages::url_encode("队伍名册.xlsx")
    );
    let cache = if full { "no-store" } else { "private" };
    (
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (header::CONTENT_DISPOSITION, name),
            (header::CACHE_CONTROL, cache.to_string()),
        ],
        bytes,
    )
        .into_response()
}

/// The rosters in scope as XLSX (the list's filters; phones and ID numbers masked
/// unless `personal=full`, which needs the right to reveal them and is audited).
#[utoipa::path(get, path = "/api/v1/education/roster.xlsx", tag = "education", params(RosterExportQuery),
    responses((status = 200, description = "the workbook"), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub(crate) async fn export_roster(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(q): ApiQuery<RosterExportQuery>,
) -> ApiResult<Response> {
    let (bytes, full) = app::roster_workbook(&state, &p, &q).await?;
    Ok(roster_download(bytes, full))
}

/// Upload a roster (multipart field `file`, XLSX; a header row below any title rows):
/// its columns and a mapping suggested from the header names, under a token.
#[utoipa::path(post, path = "/api/v1/education/roster/imports", tag = "education",
    request_body(content_type = "multipart/form-data", description = "field `file`: the XLSX roster"),
    responses((status = 201, body = RosterUploadOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 413, body = ErrorBody)))]
pub(crate) async fn upload_roster(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    mut mp: Multipart,
) -> ApiResult<(StatusCode, Json<RosterUploadOut>)> {
    p.require(fazhi_core::role::Permission::ManageEducation)?;
    let (name, bytes) = crate::matters::import::file_part(&mut mp).await?;
    Ok((
        StatusCode::CREATED,
        Json(app::roster_upload(&state, &p, name, bytes).await?),
    ))
}

/// Check every row under a mapping: the bad rows with every reason, the people already
/// on the roster; writes nothing.
#[utoipa::path(post, path = "/api/v1/education/roster/imports/{token}/dry-run", tag = "education",
    params(("token" = String, Path, description = "token of the upload")),
    request_body = RosterMapping,
    responses((status = 200, body = SheetCheckOut), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn dry_run_roster(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(token): ApiPath<String>,
    ApiJson(m): ApiJson<RosterMapping>,
) -> ApiResult<Json<SheetCheckOut>> {
    Ok(Json(
        app::roster_check(&state, &p, &token, &m, false).await?,
    ))
}

/// Import every new person in one transaction; refused (nothing written) while any
/// row is bad. People already on the roster are skipped.
#[utoipa::path(post, path = "/api/v1/education/roster/imports/{token}/commit", tag = "education",
    params(("token" = String, Path, description = "token of the upload")),
    request_body = RosterMapping,
    responses((status = 200, body = SheetCheckOut), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn commit_roster(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(token): ApiPath<String>,
    ApiJson(m): ApiJson<RosterMapping>,
) -> ApiResult<Json<SheetCheckOut>> {
    Ok(Json(app::roster_check(&state, &p, &token, &m, true).await?))
}
