//! JSON API of 积分制: a township's points per event type and its villages' points of
//! a year (see `app::points`).

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::app::{self, PointsIn, PointsOut};
use crate::AppState;
use crate::auth::ApiUser;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiQuery};

pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_points, put_points))
}

/// Which township and year.
#[derive(Debug, Deserialize, IntoParams)]
pub struct PointsQuery {
    /// A township's code (a village's code gives its township); default the first in scope.
    pub division: Option<String>,
    /// Default this year.
    pub year: Option<i32>,
}

/// A township's 积分制 setting and its villages' points of a year, counted from the
/// events recorded at each village.
#[utoipa::path(get, path = "/api/v1/education/points", tag = "education",
    params(PointsQuery),
    responses((status = 200, body = PointsOut), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn get_points(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(q): ApiQuery<PointsQuery>,
) -> ApiResult<Json<PointsOut>> {
    Ok(Json(
        app::points_table(&state, &p, q.division.as_deref(), q.year).await?,
    ))
}

/// Turn 积分制 on or off for a township and set the points per event type (at the
/// version read; absent for the first save).
#[utoipa::path(put, path = "/api/v1/education/points", tag = "education",
    request_body = PointsIn,
    responses((status = 200, body = PointsOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn put_points(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiJson(b): ApiJson<PointsIn>,
) -> ApiResult<Json<PointsOut>> {
    Ok(Json(app::save_points(&state, &p, &b).await?))
}
