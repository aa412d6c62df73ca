//! `/api/v1/litigation`: the 复议 and 诉讼 register — cases, their actions, the figures
//! (纠错率, 败诉率, 负责人出庭应诉率) and the hearings heads attended. Scoped like the
//! review desk: out of scope answers 404, like a missing record.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::litigation_app as app;
use super::litigation_wire::*;
use crate::AppState;
use crate::auth::ApiUser;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};

pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_cases, create_case))
        .routes(routes!(get_case))
        .routes(routes!(act))
        .routes(routes!(stats))
        .routes(routes!(head_attendance))
        .routes(routes!(answer_document))
}

/// Cases in scope, open deadlines first; `figure` with `year` lists exactly the cases
/// a statistics figure counts, `overdue=true` those with a missed deadline.
#[utoipa::path(get, path = "/api/v1/litigation", tag = "decisions", params(LitigationQuery),
    responses((status = 200, body = Vec<LitigationOut>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub(crate) async fn list_cases(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(q): ApiQuery<LitigationQuery>,
) -> ApiResult<Json<Vec<LitigationOut>>> {
    Ok(Json(app::list(&state, &p, &q).await?))
}

/// Register a 复议 or 诉讼 case; the deadlines are computed on the holiday calendar
/// (复议 答复 10 working days, 诉讼 答辩 15 days, first instance 6 months).
#[utoipa::path(post, path = "/api/v1/litigation", tag = "decisions", request_body = LitigationCreate,
    responses((status = 201, body = LitigationDetail), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn create_case(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiJson(body): ApiJson<LitigationCreate>,
) -> ApiResult<(StatusCode, Json<LitigationDetail>)> {
    Ok((
        StatusCode::CREATED,
        Json(app::create(&state, &p, &body).await?),
    ))
}

/// One case with its hearings, timeline and the actions the caller may take.
#[utoipa::path(get, path = "/api/v1/litigation/{id}", tag = "decisions",
    params(("id" = i64, Path)),
    responses((status = 200, body = LitigationDetail), (status = 404, body = ErrorBody)))]
pub(crate) async fn get_case(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<LitigationDetail>> {
    Ok(Json(app::detail(&state, &p, id).await?))
}

/// Act on a case: `answer`, `schedule_hearing`, `record_attendance`, `conclude`,
/// `record_opinion_letter`, `record_correction`. Refusals answer 409 `refused`.
#[utoipa::path(post, path = "/api/v1/litigation/{id}/actions", tag = "decisions",
    params(("id" = i64, Path)), request_body = LitigationActionBody,
    responses((status = 200, body = LitigationDetail), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn act(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<LitigationActionBody>,
) -> ApiResult<Json<LitigationDetail>> {
    Ok(Json(app::act(&state, &p, id, &body).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
pub(crate) struct StatsQuery {
    /// Calendar year (default: this year).
    year: Option<i32>,
}

/// The register's figures of a year: 复议纠错率, 诉讼败诉率, 负责人出庭应诉率, the counts
/// with drill-down links and the cases by outcome.
#[utoipa::path(get, path = "/api/v1/litigation/stats", tag = "decisions", params(StatsQuery),
    responses((status = 200, body = LitigationStatsOut), (status = 400, body = ErrorBody)))]
pub(crate) async fn stats(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(q): ApiQuery<StatsQuery>,
) -> ApiResult<Json<LitigationStatsOut>> {
    let year = q.year.unwrap_or_else(|| state.clock.today().year());
    Ok(Json(app::stats(&state, &p, year).await?))
}

/// The hearings of a year a head (主要或分管负责人) of a township attended, with the
/// head's account: what the annual report's 第一责任人 section cites.
#[utoipa::path(get, path = "/api/v1/litigation/head-attendance", tag = "decisions", params(HeadAttendanceQuery),
    responses((status = 200, body = Vec<HeadAttendanceOut>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub(crate) async fn head_attendance(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(q): ApiQuery<HeadAttendanceQuery>,
) -> ApiResult<Json<Vec<HeadAttendanceOut>>> {
    Ok(Json(app::head_attendance(&state, &p, &q).await?))
}

/// The skeleton of the township's answer (行政复议答复书 or 行政诉讼答辩状) as DOCX in the
/// 公文 layout, filled from the register.
#[utoipa::path(get, path = "/api/v1/litigation/{id}/documents/answer.docx", tag = "decisions",
    params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (status = 404, body = ErrorBody)))]
pub(crate) async fn answer_document(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<axum::response::Response> {
    app::answer_docx(&state, &p, id).await
}
