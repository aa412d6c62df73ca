//! `/api/v1/contracts`: the contracts register — contracts, their actions (review from
//! the desk, signing, milestones) and the expiry reminders. Scoped like the review
//! desk: out of scope answers 404, like a missing record.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::contract_app as app;
use super::contract_wire::*;
use crate::AppState;
use crate::auth::ApiUser;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};

pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(stats))
        .routes(routes!(list_contracts, create_contract))
        .routes(routes!(get_contract))
        .routes(routes!(act))
        .routes(routes!(expiring))
}

/// Contracts in scope, newest first; `skipped=true` lists those signed without a
/// passed review.
#[utoipa::path(get, path = "/api/v1/contracts", tag = "decisions", params(ContractQuery),
    responses((status = 200, body = Vec<ContractOut>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub(crate) async fn list_contracts(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(q): ApiQuery<ContractQuery>,
) -> ApiResult<Json<Vec<ContractOut>>> {
    Ok(Json(app::list(&state, &p, &q).await?))
}

/// Register a contract to be signed (amount in fen), optionally linked to a 合同 item
/// already on the review desk.
#[utoipa::path(post, path = "/api/v1/contracts", tag = "decisions", request_body = ContractCreate,
    responses((status = 201, body = ContractDetail), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody)))]
pub(crate) async fn create_contract(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiJson(body): ApiJson<ContractCreate>,
) -> ApiResult<(StatusCode, Json<ContractDetail>)> {
    Ok((
        StatusCode::CREATED,
        Json(app::create(&state, &p, &body).await?),
    ))
}

/// One contract with its review, milestones, timeline and the actions the caller may take.
#[utoipa::path(get, path = "/api/v1/contracts/{id}", tag = "decisions",
    params(("id" = i64, Path)),
    responses((status = 200, body = ContractDetail), (status = 404, body = ErrorBody)))]
pub(crate) async fn get_contract(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<ContractDetail>> {
    Ok(Json(app::detail(&state, &p, id).await?))
}

/// Act on a contract: `submit_review` (puts it on the review desk), `sign` (signs the
/// linked item too; without a passed review it counts as skipped, after an unlawful
/// opinion it is refused), `add_milestone`, `complete_milestone`, `complete`,
/// `terminate`, `drop`.
#[utoipa::path(post, path = "/api/v1/contracts/{id}/actions", tag = "decisions",
    params(("id" = i64, Path)), request_body = ContractActionBody,
    responses((status = 200, body = ContractDetail), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn act(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ContractActionBody>,
) -> ApiResult<Json<ContractDetail>> {
    Ok(Json(app::act(&state, &p, id, &body).await?))
}

/// The expiry reminders: contracts in force expiring within `days` days (default 30),
/// and those already expired but not closed, nearest first.
#[utoipa::path(get, path = "/api/v1/contracts/expiring", tag = "decisions", params(ExpiringQuery),
    responses((status = 200, body = Vec<ContractOut>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub(crate) async fn expiring(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(q): ApiQuery<ExpiringQuery>,
) -> ApiResult<Json<Vec<ContractOut>>> {
    Ok(Json(app::expiring(&state, &p, &q).await?))
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
pub(crate) struct StatsYear {
    /// Calendar year (default: this year).
    year: Option<i32>,
}

/// The contracts' figures of a year: signed, reviewed before signing, signed without
/// review (also on the review desk's skipped list), late milestones, the amount, with
/// drill-down links.
#[utoipa::path(get, path = "/api/v1/contracts/stats", tag = "decisions", params(StatsYear),
    responses((status = 200, body = ContractStatsOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub(crate) async fn stats(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(q): ApiQuery<StatsYear>,
) -> ApiResult<Json<ContractStatsOut>> {
    let year = q.year.unwrap_or_else(|| state.clock.today().year());
    Ok(Json(app::stats(&state, &p, year).await?))
}
