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
        .routes(routes!(queue))
        .routes(routes!(stats))
        .routes(routes!(to_publish))
        .routes(routes!(public_enforcement))
        .routes(routes!(list_inspections, create_inspection))
        .routes(routes!(review_file, case_file_reviews))
        .routes(routes!(file_reviews))
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
