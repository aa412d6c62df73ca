//! `/api/v1/decisions`: the yearly catalogue of major decisions, each decision's steps,
//! and the public view. Scoped: out of scope answers 404.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::major_app as app;
use super::major_wire::*;
use crate::AppState;
use crate::auth::ApiUser;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath};

pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(catalogues))
        .routes(routes!(plan))
        .routes(routes!(agree))
        .routes(routes!(publish_catalogue))
        .routes(routes!(get_decision))
        .routes(routes!(act))
        .routes(routes!(public_decisions))
        .routes(routes!(get_rules, put_rules))
}

/// Catalogues in scope with their decisions, newest year first.
#[utoipa::path(get, path = "/api/v1/decisions/catalogues", tag = "decisions",
    responses((status = 200, body = Vec<CatalogueOut>), (status = 403, body = ErrorBody)))]
pub(crate) async fn catalogues(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
) -> ApiResult<Json<Vec<CatalogueOut>>> {
    Ok(Json(app::catalogues(&state, &p).await?))
}

/// Add a decision to the catalogue of a year (once published, with the reason of the adjustment).
#[utoipa::path(post, path = "/api/v1/decisions/catalogues/{year}/decisions", tag = "decisions",
    params(("year" = i32, Path)), request_body = DecisionPlanIn,
    responses((status = 201, body = DecisionDetail), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub(crate) async fn plan(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(year): ApiPath<i32>,
    ApiJson(body): ApiJson<DecisionPlanIn>,
) -> ApiResult<(StatusCode, Json<DecisionDetail>)> {
    Ok((
        StatusCode::CREATED,
        Json(app::plan(&state, &p, year, &body).await?),
    ))
}

/// Record the day the Party committee agreed to the catalogue.
#[utoipa::path(post, path = "/api/v1/decisions/catalogues/{id}/agreement", tag = "decisions",
    params(("id" = i64, Path)), request_body = AgreementIn,
    responses((status = 200, body = CatalogueOut), (status = 404, body = ErrorBody)))]
pub(crate) async fn agree(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<AgreementIn>,
) -> ApiResult<Json<CatalogueOut>> {
    Ok(Json(app::agree(&state, &p, id, &body).await?))
}

/// Publish the catalogue (409 before the Party committee's agreement, Art 3).
#[utoipa::path(post, path = "/api/v1/decisions/catalogues/{id}/publish", tag = "decisions",
    params(("id" = i64, Path)),
    responses((status = 200, body = CatalogueOut), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn publish_catalogue(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<CatalogueOut>> {
    Ok(Json(app::publish_catalogue(&state, &p, id).await?))
}

/// One decision with its record, timeline and the steps the caller may take.
#[utoipa::path(get, path = "/api/v1/decisions/{id}", tag = "decisions",
    params(("id" = i64, Path)),
    responses((status = 200, body = DecisionDetail), (status = 404, body = ErrorBody)))]
pub(crate) async fn get_decision(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<DecisionDetail>> {
    Ok(Json(app::detail(&state, &p, id).await?))
}

/// Take one step of 713号. Out-of-order steps answer 409 `refused` naming the article
/// (no discussion without a passed legal review, Arts 25–28; no publication before it).
#[utoipa::path(post, path = "/api/v1/decisions/{id}/actions", tag = "decisions",
    params(("id" = i64, Path)), request_body = DecisionActionBody,
    responses((status = 200, body = DecisionDetail), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn act(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<DecisionActionBody>,
) -> ApiResult<Json<DecisionDetail>> {
    Ok(Json(app::act(&state, &p, id, &body).await?))
}

/// A township's published catalogues and each decision's public steps (no login).
#[utoipa::path(get, path = "/api/v1/public/decisions/{code}", tag = "public",
    params(("code" = String, Path, description = "the township's 12-digit code")),
    responses((status = 200, body = PublicDecisions), (status = 404, body = ErrorBody)))]
pub(crate) async fn public_decisions(
    State(state): State<AppState>,
    axum::extract::Path(code): axum::extract::Path<String>,
) -> ApiResult<Json<PublicDecisions>> {
    Ok(Json(app::public_view(&state, &code).await?))
}

/// The comment period and hearing lead time (national defaults unless set).
#[utoipa::path(get, path = "/api/v1/decisions/rules", tag = "decisions",
    responses((status = 200, body = DecisionRulesBody)))]
pub(crate) async fn get_rules(
    State(state): State<AppState>,
    ApiUser(_p): ApiUser,
) -> ApiResult<Json<DecisionRulesBody>> {
    Ok(Json(DecisionRulesBody {
        rules: app::rules(&state).await?,
    }))
}

/// Change the comment period and hearing lead time (settings managers).
#[utoipa::path(put, path = "/api/v1/decisions/rules", tag = "decisions", request_body = DecisionRulesBody,
    responses((status = 200, body = DecisionRulesBody), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub(crate) async fn put_rules(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiJson(body): ApiJson<DecisionRulesBody>,
) -> ApiResult<Json<DecisionRulesBody>> {
    Ok(Json(DecisionRulesBody {
        rules: app::put_rules(&state, &p, &body.rules).await?,
    }))
}
