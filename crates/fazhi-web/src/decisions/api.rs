//! `/api/v1/legal-reviews`: the review desk — items, their actions, the reviewer's
//! queue, the figures and the review periods. Scoped like cases: out of scope answers
//! 404, like a missing record.

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
        .routes(routes!(list_reviews, create_review))
        .routes(routes!(get_review))
        .routes(routes!(act))
        .routes(routes!(queue))
        .routes(routes!(stats))
        .routes(routes!(get_rules, put_rules))
}

/// Items on the desk in scope, newest first; `figure` with `year` lists exactly the
/// items a statistics figure counts.
#[utoipa::path(get, path = "/api/v1/legal-reviews", tag = "decisions", params(ReviewQuery),
    responses((status = 200, body = Vec<ReviewOut>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub(crate) async fn list_reviews(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(q): ApiQuery<ReviewQuery>,
) -> ApiResult<Json<Vec<ReviewOut>>> {
    Ok(Json(app::list(&state, &p, &q).await?))
}

/// Put an item on the desk (the due day must lie inside the kind's review period), or
/// register with `signed_on` an act already signed without review (counted as skipped).
#[utoipa::path(post, path = "/api/v1/legal-reviews", tag = "decisions", request_body = ReviewCreate,
    responses((status = 201, body = ReviewDetail), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn create_review(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiJson(body): ApiJson<ReviewCreate>,
) -> ApiResult<(StatusCode, Json<ReviewDetail>)> {
    Ok((
        StatusCode::CREATED,
        Json(app::create(&state, &p, &body).await?),
    ))
}

/// One item with its timeline and the actions the caller may take.
#[utoipa::path(get, path = "/api/v1/legal-reviews/{id}", tag = "decisions",
    params(("id" = i64, Path)),
    responses((status = 200, body = ReviewDetail), (status = 404, body = ErrorBody)))]
pub(crate) async fn get_review(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<ReviewDetail>> {
    Ok(Json(app::detail(&state, &p, id).await?))
}

/// Act on an item: `review` (reviewers), `record_adoption`, `sign`, `withdraw` (the
/// drafting side). Refusals answer 409 `refused` naming the rule.
#[utoipa::path(post, path = "/api/v1/legal-reviews/{id}/actions", tag = "decisions",
    params(("id" = i64, Path)), request_body = ReviewActionBody,
    responses((status = 200, body = ReviewDetail), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn act(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ReviewActionBody>,
) -> ApiResult<Json<ReviewDetail>> {
    Ok(Json(app::act(&state, &p, id, &body).await?))
}

/// Items waiting for the caller: opinions to give (nearest due day first), answers and
/// signings to record.
#[utoipa::path(get, path = "/api/v1/legal-reviews/queue", tag = "decisions",
    responses((status = 200, body = Vec<ReviewOut>), (status = 403, body = ErrorBody)))]
pub(crate) async fn queue(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
) -> ApiResult<Json<Vec<ReviewOut>>> {
    Ok(Json(app::queue(&state, &p).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
pub(crate) struct YearQuery {
    /// Calendar year (default: this year).
    year: Option<i32>,
}

/// The desk's figures of a year: 审查率, counts with drill-down links, per kind, and the
/// items signed without review.
#[utoipa::path(get, path = "/api/v1/legal-reviews/stats", tag = "decisions", params(YearQuery),
    responses((status = 200, body = ReviewStatsOut), (status = 400, body = ErrorBody)))]
pub(crate) async fn stats(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> ApiResult<Json<ReviewStatsOut>> {
    let year = q.year.unwrap_or_else(|| state.clock.today().year());
    Ok(Json(app::stats(&state, &p, year).await?))
}

/// The review periods per kind (national defaults where the law sets them).
#[utoipa::path(get, path = "/api/v1/legal-reviews/rules", tag = "decisions",
    responses((status = 200, body = ReviewRulesBody)))]
pub(crate) async fn get_rules(
    State(state): State<AppState>,
    ApiUser(_p): ApiUser,
) -> ApiResult<Json<ReviewRulesBody>> {
    Ok(Json(ReviewRulesBody {
        rules: app::rules(&state).await?,
    }))
}

/// Change the review periods (settings managers).
#[utoipa::path(put, path = "/api/v1/legal-reviews/rules", tag = "decisions", request_body = ReviewRulesBody,
    responses((status = 200, body = ReviewRulesBody), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub(crate) async fn put_rules(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiJson(body): ApiJson<ReviewRulesBody>,
) -> ApiResult<Json<ReviewRulesBody>> {
    Ok(Json(ReviewRulesBody {
        rules: app::put_rules(&state, &p, &body.rules).await?,
    }))
}
