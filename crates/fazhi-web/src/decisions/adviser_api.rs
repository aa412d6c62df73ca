//! `/api/v1/legal-advisers`: the roster of legal advisers (法律顾问), their village
//! coverage, work logs and yearly assessments, and putting a review item to an
//! adviser. Scoped like the review desk: out of scope answers 404.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::adviser_app as app;
use super::adviser_wire::*;
use crate::AppState;
use crate::auth::ApiUser;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};

pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_advisers, create_adviser))
        .routes(routes!(me))
        .routes(routes!(coverage))
        .routes(routes!(stats))
        .routes(routes!(work))
        .routes(routes!(get_adviser, update_adviser))
        .routes(routes!(add_log))
        .routes(routes!(assess))
        .routes(routes!(assign))
}

/// The roster in scope, by township.
#[utoipa::path(get, path = "/api/v1/legal-advisers", tag = "decisions",
    responses((status = 200, body = Vec<AdviserOut>), (status = 403, body = ErrorBody)))]
pub(crate) async fn list_advisers(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
) -> ApiResult<Json<Vec<AdviserOut>>> {
    Ok(Json(app::list(&state, &p).await?))
}

/// Add an adviser (firm, lawyer, 17-digit licence number, term, scope, fee in fen), the
/// villages served and optionally the adviser's own account.
#[utoipa::path(post, path = "/api/v1/legal-advisers", tag = "decisions", request_body = AdviserInput,
    responses((status = 201, body = AdviserDetail), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn create_adviser(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiJson(body): ApiJson<AdviserInput>,
) -> ApiResult<(StatusCode, Json<AdviserDetail>)> {
    Ok((
        StatusCode::CREATED,
        Json(app::create(&state, &p, &body).await?),
    ))
}

/// The adviser entry of the caller's own account (法律顾问（外聘）), with its work log
/// and the review items put to it.
#[utoipa::path(get, path = "/api/v1/legal-advisers/me", tag = "decisions",
    responses((status = 200, body = AdviserDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn me(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
) -> ApiResult<Json<AdviserDetail>> {
    Ok(Json(app::me(&state, &p).await?))
}

/// Per village: whether an adviser's contract is in force today (一村一法律顾问).
#[utoipa::path(get, path = "/api/v1/legal-advisers/coverage", tag = "decisions", params(CoverageQuery),
    responses((status = 200, body = Vec<VillageCoverage>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub(crate) async fn coverage(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(q): ApiQuery<CoverageQuery>,
) -> ApiResult<Json<Vec<VillageCoverage>>> {
    Ok(Json(app::coverage(&state, &p, &q).await?))
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
pub(crate) struct StatsYear {
    /// Calendar year (default: this year).
    year: Option<i32>,
}

/// The advisers' figures of a year: on the roster and in force, villages covered, the
/// work logs' entries by kind and the year's assessments by rating.
#[utoipa::path(get, path = "/api/v1/legal-advisers/stats", tag = "decisions", params(StatsYear),
    responses((status = 200, body = AdviserStatsOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub(crate) async fn stats(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(q): ApiQuery<StatsYear>,
) -> ApiResult<Json<AdviserStatsOut>> {
    let year = q.year.unwrap_or_else(|| state.clock.today().year());
    Ok(Json(app::stats(&state, &p, year).await?))
}

/// One adviser with the work log (from the records where they acted, and logged work),
/// the assessments and the review items put to them.
#[utoipa::path(get, path = "/api/v1/legal-advisers/{id}", tag = "decisions",
    params(("id" = i64, Path)),
    responses((status = 200, body = AdviserDetail), (status = 404, body = ErrorBody)))]
pub(crate) async fn get_adviser(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<AdviserDetail>> {
    Ok(Json(app::detail(&state, &p, id).await?))
}

/// Change an adviser's entry (`version` as read).
#[utoipa::path(put, path = "/api/v1/legal-advisers/{id}", tag = "decisions",
    params(("id" = i64, Path)), request_body = AdviserInput,
    responses((status = 200, body = AdviserDetail), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn update_adviser(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<AdviserInput>,
) -> ApiResult<Json<AdviserDetail>> {
    Ok(Json(app::update(&state, &p, id, &body).await?))
}

/// Log a consultation, mediation, petition or other work by hand.
#[utoipa::path(post, path = "/api/v1/legal-advisers/{id}/logs", tag = "decisions",
    params(("id" = i64, Path)), request_body = LogCreate,
    responses((status = 200, body = AdviserDetail), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn add_log(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<LogCreate>,
) -> ApiResult<Json<AdviserDetail>> {
    Ok(Json(app::add_log(&state, &p, id, &body).await?))
}

/// The township leader's yearly assessment (优秀/称职/基本称职/不称职; one per year).
#[utoipa::path(post, path = "/api/v1/legal-advisers/{id}/assessments", tag = "decisions",
    params(("id" = i64, Path)), request_body = AssessmentCreate,
    responses((status = 200, body = AdviserDetail), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn assess(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<AssessmentCreate>,
) -> ApiResult<Json<AdviserDetail>> {
    Ok(Json(app::assess(&state, &p, id, &body).await?))
}

/// Put a review item to an adviser of its township whose contract is in force; the
/// adviser's account may then read it and give the opinion.
#[utoipa::path(post, path = "/api/v1/legal-reviews/{id}/adviser", tag = "decisions",
    params(("id" = i64, Path)), request_body = AssignAdviser,
    responses((status = 200, body = AdviserOut), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn assign(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<AssignAdviser>,
) -> ApiResult<Json<AdviserOut>> {
    Ok(Json(app::assign(&state, &p, id, &body).await?))
}

/// The drill-down of the advisers' work figures: exactly the work-log entries a figure
/// of `/api/v1/legal-advisers/stats` counts (year, kind, one adviser or all in scope).
#[utoipa::path(get, path = "/api/v1/legal-advisers/work", tag = "decisions", params(WorkQuery),
    responses((status = 200, body = Vec<AdviserWorkOut>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn work(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(q): ApiQuery<WorkQuery>,
) -> ApiResult<Json<Vec<AdviserWorkOut>>> {
    Ok(Json(app::work(&state, &p, &q).await?))
}
