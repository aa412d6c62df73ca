//! `/api/v1/decisions/stats` (every figure of the stream for a year, with drill-down
//! links) and `/api/v1/decisions` (the decisions of a year's catalogues, the list a
//! major-decision figure links to).

use axum::Json;
use axum::extract::State;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::major_stats::{self as app, DecisionQuery, DecisionsStatsOut};
use super::major_wire::DecisionOut;
use crate::AppState;
use crate::auth::ApiUser;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::ApiQuery;

pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(all_stats))
        .routes(routes!(list_decisions))
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
pub(crate) struct StatsYear {
    /// Calendar year (default: this year).
    #[serde(default, deserialize_with = "super::blank_year")]
    year: Option<i32>,
}

/// Every figure of the decisions stream for a year: the review desk (审查率), major
/// decisions by step and on time, normative documents reviewed / filed / cleaned up,
/// contracts reviewed, the legal advisers' work per adviser and in total, and the
/// 复议/诉讼 counts with the three rates. Each figure carries `list` and `api`, the
/// links to exactly the records it counts.
#[utoipa::path(get, path = "/api/v1/decisions/stats", tag = "decisions", params(StatsYear),
    responses((status = 200, body = DecisionsStatsOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub(crate) async fn all_stats(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(q): ApiQuery<StatsYear>,
) -> ApiResult<Json<DecisionsStatsOut>> {
    let year = q.year.unwrap_or_else(|| state.clock.today().year());
    Ok(Json(app::all(&state, &p, year).await?))
}

/// The decisions of a year's catalogues in scope; `figure` or `status` gives exactly
/// the decisions a figure or a step of `/api/v1/decisions/stats` counts.
#[utoipa::path(get, path = "/api/v1/decisions", tag = "decisions", params(DecisionQuery),
    responses((status = 200, body = Vec<DecisionOut>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub(crate) async fn list_decisions(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(q): ApiQuery<DecisionQuery>,
) -> ApiResult<Json<Vec<DecisionOut>>> {
    Ok(Json(app::list(&state, &p, &q).await?))
}
