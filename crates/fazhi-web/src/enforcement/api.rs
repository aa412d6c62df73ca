//! `/api/v1/enforcement`: the item list, officers' certificates, cases and their
//! actions, the caller's queue, and the figures. Scoped like matters: out of scope
//! answers 404, like a missing record.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::app;
use super::evidence::{self, EvidenceOut};
use super::wire::*;
use crate::AppState;
use crate::auth::ApiUser;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};

pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_items, save_item))
        .routes(routes!(item_versions))
        .routes(routes!(list_officers))
        .routes(routes!(put_certificate))
        .routes(routes!(list_cases, create_case))
        .routes(routes!(get_case))
        .routes(routes!(act))
        .routes(routes!(super::documents::download))
        .routes(routes!(queue))
        .routes(routes!(stats))
        .routes(routes!(to_publish))
        .routes(routes!(public_enforcement))
        .routes(routes!(list_inspections, create_inspection))
        .routes(routes!(review_file, case_file_reviews))
        .routes(routes!(file_reviews))
        .routes(routes!(export_items))
        .routes(routes!(annual_statistics))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(import_items))
                .layer(axum::extract::DefaultBodyLimit::max(10 << 20)),
        )
        .routes(routes!(list_evidence))
        .routes(routes!(download_evidence))
        .routes(routes!(evidence_custody))
        .routes(routes!(supersede_evidence))
        .routes(routes!(verify_evidence))
        .merge(OpenApiRouter::new().routes(routes!(upload_evidence)).layer(
            axum::extract::DefaultBodyLimit::max(evidence::MAX_EVIDENCE_BYTES as usize + (1 << 20)),
        ))
}

/// Upload an evidence file (multipart: `file`, optional `description`), streamed to
/// disk with its SHA-256 and SM3 digests; JPEG, PNG, WebP, MP4/MOV, MP3, M4A, WAV, AMR
/// or PDF by content, up to 2 GB.
#[utoipa::path(post, path = "/api/v1/enforcement/cases/{id}/evidence", tag = "enforcement",
    params(("id" = i64, Path)),
    responses((status = 201, body = EvidenceOut), (status = 400, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 413, body = ErrorBody)))]
pub(crate) async fn upload_evidence(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
    form: axum::extract::Multipart,
) -> ApiResult<(StatusCode, Json<EvidenceOut>)> {
    Ok((
        StatusCode::CREATED,
        Json(evidence::upload(&state, &p, id, form).await?),
    ))
}

/// The evidence files of a case, superseded ones included.
#[utoipa::path(get, path = "/api/v1/enforcement/cases/{id}/evidence", tag = "enforcement",
    params(("id" = i64, Path)),
    responses((status = 200, body = Vec<EvidenceOut>), (status = 404, body = ErrorBody)))]
pub(crate) async fn list_evidence(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Vec<EvidenceOut>>> {
    Ok(Json(evidence::list(&state, &p, id).await?))
}

/// Download an evidence file, checked against its digests first: a changed or missing
/// file answers 409 `evidence_altered` and is logged, never served.
#[utoipa::path(get, path = "/api/v1/enforcement/cases/{id}/evidence/{file_id}", tag = "enforcement",
    params(("id" = i64, Path), ("file_id" = i64, Path)),
    responses((status = 200, description = "the file"), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn download_evidence(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath((id, file_id)): ApiPath<(i64, i64)>,
) -> ApiResult<axum::response::Response> {
    evidence::download(&state, &p, id, file_id).await
}

/// The chain of custody of an evidence file.
#[utoipa::path(get, path = "/api/v1/enforcement/cases/{id}/evidence/{file_id}/custody", tag = "enforcement",
    params(("id" = i64, Path), ("file_id" = i64, Path)),
    responses((status = 200, body = Vec<evidence::CustodyOut>), (status = 404, body = ErrorBody)))]
pub(crate) async fn evidence_custody(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath((id, file_id)): ApiPath<(i64, i64)>,
) -> ApiResult<Json<Vec<evidence::CustodyOut>>> {
    Ok(Json(evidence::custody(&state, &p, id, file_id).await?))
}

/// Supersede an evidence file with a reason (nothing is deleted).
#[utoipa::path(post, path = "/api/v1/enforcement/cases/{id}/evidence/{file_id}/supersede", tag = "enforcement",
    params(("id" = i64, Path), ("file_id" = i64, Path)), request_body = evidence::SupersedeIn,
    responses((status = 204), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn supersede_evidence(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath((id, file_id)): ApiPath<(i64, i64)>,
    ApiJson(body): ApiJson<evidence::SupersedeIn>,
) -> ApiResult<StatusCode> {
    evidence::supersede(&state, &p, id, file_id, &body).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub(crate) struct VerifyOut {
    intact: usize,
    files: usize,
}

/// Check every evidence file of a case against its digests now (logged per file).
#[utoipa::path(post, path = "/api/v1/enforcement/cases/{id}/evidence/verify", tag = "enforcement",
    params(("id" = i64, Path)),
    responses((status = 200, body = VerifyOut), (status = 404, body = ErrorBody)))]
pub(crate) async fn verify_evidence(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<VerifyOut>> {
    let (intact, files) = evidence::verify_all(&state, &p, id).await?;
    Ok(Json(VerifyOut { intact, files }))
}

/// 案卷评查: score a closed case file by the sheet in force (legal reviewers).
#[utoipa::path(post, path = "/api/v1/enforcement/cases/{id}/file-review", tag = "enforcement",
    params(("id" = i64, Path)), request_body = FileReviewIn,
    responses((status = 201, body = FileReviewOut), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn review_file(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<FileReviewIn>,
) -> ApiResult<(StatusCode, Json<FileReviewOut>)> {
    Ok((
        StatusCode::CREATED,
        Json(app::review_file(&state, &p, id, &body).await?),
    ))
}

/// The scorings of one case file, newest first.
#[utoipa::path(get, path = "/api/v1/enforcement/cases/{id}/file-review", tag = "enforcement",
    params(("id" = i64, Path)),
    responses((status = 200, body = Vec<FileReviewOut>), (status = 404, body = ErrorBody)))]
pub(crate) async fn case_file_reviews(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Vec<FileReviewOut>>> {
    Ok(Json(app::case_file_reviews(&state, &p, id).await?))
}

/// 案卷评查 results of a year: every file, per officer, per month.
#[utoipa::path(get, path = "/api/v1/enforcement/file-reviews", tag = "enforcement", params(YearQuery),
    responses((status = 200, body = FileReviewsOut), (status = 400, body = ErrorBody)))]
pub(crate) async fn file_reviews(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> ApiResult<Json<FileReviewsOut>> {
    let year = q.year.unwrap_or_else(|| state.clock.today().year());
    Ok(Json(app::file_reviews_of_year(&state, &p, year).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
pub(crate) struct InspectionQuery {
    /// Calendar year (default: this year).
    year: Option<i32>,
    /// Only inspections with this outcome (`corrected` = 纠违).
    outcome: Option<String>,
}

/// Inspections in scope in a year, newest first.
#[utoipa::path(get, path = "/api/v1/enforcement/inspections", tag = "enforcement", params(InspectionQuery),
    responses((status = 200, body = Vec<InspectionOut>), (status = 400, body = ErrorBody)))]
pub(crate) async fn list_inspections(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(q): ApiQuery<InspectionQuery>,
) -> ApiResult<Json<Vec<InspectionOut>>> {
    Ok(Json(
        app::list_inspections(&state, &p, q.year, &q.outcome).await?,
    ))
}

/// Record an inspection today (日常巡查, 双随机, 专项, complaint check) and its outcome.
#[utoipa::path(post, path = "/api/v1/enforcement/inspections", tag = "enforcement", request_body = InspectionCreate,
    responses((status = 201, body = InspectionOut), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn create_inspection(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiJson(body): ApiJson<InspectionCreate>,
) -> ApiResult<(StatusCode, Json<InspectionOut>)> {
    Ok((
        StatusCode::CREATED,
        Json(app::create_inspection(&state, &p, &body).await?),
    ))
}

/// Penalty decisions in scope not yet published (公示), nearest deadline first.
#[utoipa::path(get, path = "/api/v1/enforcement/to-publish", tag = "enforcement",
    responses((status = 200, body = Vec<CaseOut>), (status = 403, body = ErrorBody)))]
pub(crate) async fn to_publish(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
) -> ApiResult<Json<Vec<CaseOut>>> {
    Ok(Json(app::to_publish(&state, &p).await?))
}

/// A township's public enforcement information (no login): the body, its officers and
/// certificates, the item list and the published decisions.
#[utoipa::path(get, path = "/api/v1/public/enforcement/{code}", tag = "public",
    params(("code" = String, Path, description = "the township's 12-digit code")),
    responses((status = 200, body = PublicEnforcement), (status = 404, body = ErrorBody)))]
pub(crate) async fn public_enforcement(
    State(state): State<AppState>,
    axum::extract::Path(code): axum::extract::Path<String>,
) -> ApiResult<Json<PublicEnforcement>> {
    Ok(Json(app::public_view(&state, &code).await?))
}

/// The latest version of every item of the list in scope.
#[utoipa::path(get, path = "/api/v1/enforcement/items", tag = "enforcement",
    responses((status = 200, body = Vec<ItemOut>), (status = 403, body = ErrorBody)))]
pub(crate) async fn list_items(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
) -> ApiResult<Json<Vec<ItemOut>>> {
    Ok(Json(app::list_items(&state, &p).await?))
}

/// Add an item, or a new version of the item with the same code (cases opened under
/// an older version keep it).
#[utoipa::path(post, path = "/api/v1/enforcement/items", tag = "enforcement", request_body = ItemSave,
    responses((status = 201, body = ItemOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub(crate) async fn save_item(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiJson(body): ApiJson<ItemSave>,
) -> ApiResult<(StatusCode, Json<ItemOut>)> {
    Ok((
        StatusCode::CREATED,
        Json(app::save_item(&state, &p, &body).await?),
    ))
}

/// Every version of an item, newest first.
#[utoipa::path(get, path = "/api/v1/enforcement/items/{id}/versions", tag = "enforcement",
    params(("id" = i64, Path, description = "item version id")),
    responses((status = 200, body = Vec<ItemOut>), (status = 404, body = ErrorBody)))]
pub(crate) async fn item_versions(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Vec<ItemOut>>> {
    Ok(Json(app::item_versions(&state, &p, id).await?))
}

/// Officers with enforcement certificates in scope.
#[utoipa::path(get, path = "/api/v1/enforcement/officers", tag = "enforcement",
    responses((status = 200, body = Vec<OfficerOut>), (status = 403, body = ErrorBody)))]
pub(crate) async fn list_officers(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
) -> ApiResult<Json<Vec<OfficerOut>>> {
    Ok(Json(app::list_officers(&state, &p).await?))
}

/// Record or renew an account's enforcement certificate (user managers).
#[utoipa::path(put, path = "/api/v1/enforcement/officers/{user_id}", tag = "enforcement",
    params(("user_id" = i64, Path)), request_body = CertificateIn,
    responses((status = 204), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn put_certificate(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(user_id): ApiPath<i64>,
    ApiJson(body): ApiJson<CertificateIn>,
) -> ApiResult<StatusCode> {
    app::put_certificate(&state, &p, user_id, &body).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Cases in scope, newest first, with filters; `figure` with `year` lists exactly the
/// cases a statistics figure counts.
#[utoipa::path(get, path = "/api/v1/enforcement/cases", tag = "enforcement", params(CaseQuery),
    responses((status = 200, body = CasePage), (status = 400, body = ErrorBody)))]
pub(crate) async fn list_cases(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(q): ApiQuery<CaseQuery>,
) -> ApiResult<Json<CasePage>> {
    Ok(Json(app::list(&state, &p, &q).await?))
}

/// Open a case (普通程序 立案) or record a decision on the spot (简易程序). The law's
/// limits answer 409 `refused` with the article; malformed input answers 400.
#[utoipa::path(post, path = "/api/v1/enforcement/cases", tag = "enforcement", request_body = CaseCreate,
    responses((status = 201, body = CaseDetail), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn create_case(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiJson(body): ApiJson<CaseCreate>,
) -> ApiResult<(StatusCode, Json<CaseDetail>)> {
    Ok((
        StatusCode::CREATED,
        Json(app::create_case(&state, &p, &body).await?),
    ))
}

/// One case with its record, timeline and the actions the caller may take.
#[utoipa::path(get, path = "/api/v1/enforcement/cases/{id}", tag = "enforcement",
    params(("id" = i64, Path)),
    responses((status = 200, body = CaseDetail), (status = 404, body = ErrorBody)))]
pub(crate) async fn get_case(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<CaseDetail>> {
    Ok(Json(app::detail(&state, &p, id).await?))
}

/// Act on a case: `{"action": "record_evidence" | "notify" | "record_defence" |
/// "request_hearing" | "waive_hearing" | "schedule_hearing" | "hold_hearing" |
/// "submit_review" | "review" | "discuss" | "decide" | "serve" | "record_payment" |
/// "pause" | "resume" | "extend" | "file" | "close" | "archive", ...payload, "version"?}`.
/// A gate of the law answers 409 `refused` naming the article; another role's action 403.
#[utoipa::path(post, path = "/api/v1/enforcement/cases/{id}/actions", tag = "enforcement",
    params(("id" = i64, Path)), request_body = CaseActionBody,
    responses((status = 200, body = CaseDetail), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn act(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<CaseActionBody>,
) -> ApiResult<Json<CaseDetail>> {
    Ok(Json(app::act(&state, &p, id, &body).await?))
}

/// Cases waiting for the caller (review queue, decisions, officers' open cases).
#[utoipa::path(get, path = "/api/v1/enforcement/queue", tag = "enforcement",
    responses((status = 200, body = Vec<CaseOut>), (status = 403, body = ErrorBody)))]
pub(crate) async fn queue(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
) -> ApiResult<Json<Vec<CaseOut>>> {
    Ok(Json(app::queue(&state, &p).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
pub(crate) struct YearQuery {
    /// Calendar year (default: this year).
    year: Option<i32>,
}

/// The enforcement figures of a year, each with the link to the cases it counts.
#[utoipa::path(get, path = "/api/v1/stats/enforcement", tag = "enforcement", params(YearQuery),
    responses((status = 200, body = CaseStatsOut), (status = 400, body = ErrorBody)))]
pub(crate) async fn stats(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> ApiResult<Json<CaseStatsOut>> {
    let year = q.year.unwrap_or_else(|| state.clock.today().year());
    Ok(Json(app::stats(&state, &p, year).await?))
}

/// The item list in scope as an XLSX workbook (the template when the list is empty).
#[utoipa::path(get, path = "/api/v1/enforcement/items.xlsx", tag = "enforcement",
    responses((status = 200, description = "the workbook"), (status = 403, body = ErrorBody)))]
pub(crate) async fn export_items(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
) -> ApiResult<axum::response::Response> {
    use axum::response::IntoResponse;
    let bytes = app::export_items(&state, &p).await?;
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                "attachment; filename*=UTF-8''%E6%89%A7%E6%B3%95%E4%BA%8B%E9%A1%B9%E6%B8%85%E5%8D%95.xlsx",
            ),
        ],
        bytes,
    )
        .into_response())
}

/// Import the item list from an XLSX workbook (multipart: `file`, optional
/// `township_code`): every row is checked first; all items are saved or none.
#[utoipa::path(post, path = "/api/v1/enforcement/items/import", tag = "enforcement",
    responses((status = 200, body = ItemImportOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub(crate) async fn import_items(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    form: axum::extract::Multipart,
) -> ApiResult<Json<ItemImportOut>> {
    let (code, bytes) = items_upload(form).await?;
    Ok(Json(
        app::import_items(&state, &p, code.as_deref(), bytes).await?,
    ))
}

/// The `file` and `township_code` fields of an item-list upload.
pub(crate) async fn items_upload(
    mut form: axum::extract::Multipart,
) -> ApiResult<(Option<String>, Vec<u8>)> {
    let mut code = None;
    let mut bytes = None;
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|_| crate::error::ApiError::bad_request("上传内容不完整或超过10 MB"))?
    {
        match field.name() {
            Some("township_code") => {
                code = field.text().await.ok().filter(|c| !c.trim().is_empty())
            }
            Some("file") => {
                bytes = Some(
                    field
                        .bytes()
                        .await
                        .map_err(|_| {
                            crate::error::ApiError::bad_request("上传内容不完整或超过10 MB")
                        })?
                        .to_vec(),
                )
            }
            _ => {}
        }
    }
    let bytes = bytes.ok_or_else(|| crate::error::ApiError::field("file", "请选择清单文件"))?;
    Ok((code, bytes))
}

/// The 统计年报 of a year as an XLSX workbook (due by 31 January of the next year).
#[utoipa::path(get, path = "/api/v1/stats/enforcement.xlsx", tag = "enforcement", params(YearQuery),
    responses((status = 200, description = "the workbook"), (status = 400, body = ErrorBody)))]
pub(crate) async fn annual_statistics(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> ApiResult<axum::response::Response> {
    use axum::response::IntoResponse;
    let year = q.year.unwrap_or_else(|| state.clock.today().year());
    let bytes = app::annual_statistics(&state, &p, year).await?;
    let name = format!(
        "attachment; filename*=UTF-8''{}",
        crate::pages::url_encode(&format!("{year}年行政执法统计年报.xlsx"))
    );
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (axum::http::header::CONTENT_DISPOSITION, name),
        ],
        bytes,
    )
        .into_response())
}
