//! `/api/v1/normative-documents`: normative documents — drafting, the review from the
//! desk, deliberation, numbering, publication, filing, clean-up — and the public lists
//! (`/api/v1/public/normative-documents/{code}`, no login). Scoped: out of scope
//! answers 404.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::normative_app as app;
use super::normative_wire::*;
use crate::AppState;
use crate::auth::ApiUser;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};

pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(stats))
        .routes(routes!(list_rounds, create_round))
        .routes(routes!(get_round))
        .routes(routes!(list_documents, create_document))
        .routes(routes!(get_document))
        .routes(routes!(act))
        .routes(routes!(get_rules, put_rules))
        .routes(routes!(public_documents))
}

/// Documents in scope, newest first; `expiring=true` gives the reminders (in force and
/// within 6 months of expiry), `filing_overdue=true` those not filed in time.
#[utoipa::path(get, path = "/api/v1/normative-documents", tag = "decisions", params(NormativeQuery),
    responses((status = 200, body = Vec<NormativeOut>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub(crate) async fn list_documents(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(q): ApiQuery<NormativeQuery>,
) -> ApiResult<Json<Vec<NormativeOut>>> {
    Ok(Json(app::list(&state, &p, &q).await?))
}

/// Start a document (the draft's full text); 暂行/试行 in the title gives 2 years.
#[utoipa::path(post, path = "/api/v1/normative-documents", tag = "decisions", request_body = NormativeCreate,
    responses((status = 201, body = NormativeDetail), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub(crate) async fn create_document(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiJson(body): ApiJson<NormativeCreate>,
) -> ApiResult<(StatusCode, Json<NormativeDetail>)> {
    Ok((
        StatusCode::CREATED,
        Json(app::create(&state, &p, &body).await?),
    ))
}

/// One document with its text, review, steps, timeline and the actions the caller may take.
#[utoipa::path(get, path = "/api/v1/normative-documents/{id}", tag = "decisions",
    params(("id" = i64, Path)),
    responses((status = 200, body = NormativeDetail), (status = 404, body = ErrorBody)))]
pub(crate) async fn get_document(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<NormativeDetail>> {
    Ok(Json(app::detail(&state, &p, id).await?))
}

/// Act on a document: `record_comments`, `submit_review`, `drop` (the drafting side);
/// `deliberate` (only after a passed review: 409 naming 115号), `issue`, `publish`,
/// `clean_up` (the township leader); `file`. Refusals answer 409 `refused`.
#[utoipa::path(post, path = "/api/v1/normative-documents/{id}/actions", tag = "decisions",
    params(("id" = i64, Path)), request_body = NormativeActionBody,
    responses((status = 200, body = NormativeDetail), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn act(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<NormativeActionBody>,
) -> ApiResult<Json<NormativeDetail>> {
    Ok(Json(app::act(&state, &p, id, &body).await?))
}

/// The periods: filing, validity, the reminder, entry into force.
#[utoipa::path(get, path = "/api/v1/normative-documents/rules", tag = "decisions",
    responses((status = 200, body = NormativeRulesBody)))]
pub(crate) async fn get_rules(
    State(state): State<AppState>,
    ApiUser(_p): ApiUser,
) -> ApiResult<Json<NormativeRulesBody>> {
    Ok(Json(NormativeRulesBody {
        rules: app::rules(&state).await?,
    }))
}

/// Change the periods (settings managers).
#[utoipa::path(put, path = "/api/v1/normative-documents/rules", tag = "decisions", request_body = NormativeRulesBody,
    responses((status = 200, body = NormativeRulesBody), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub(crate) async fn put_rules(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiJson(body): ApiJson<NormativeRulesBody>,
) -> ApiResult<Json<NormativeRulesBody>> {
    Ok(Json(NormativeRulesBody {
        rules: app::put_rules(&state, &p, &body.rules).await?,
    }))
}

/// A township's published documents: the lists of valid, repealed and expired ones
/// with their full text (no login).
#[utoipa::path(get, path = "/api/v1/public/normative-documents/{code}", tag = "public",
    params(("code" = String, Path, description = "the township's 12-digit code")),
    responses((status = 200, body = PublicNormatives), (status = 404, body = ErrorBody)))]
pub(crate) async fn public_documents(
    State(state): State<AppState>,
    axum::extract::Path(code): axum::extract::Path<String>,
) -> ApiResult<Json<PublicNormatives>> {
    Ok(Json(app::public_view(&state, &code).await?))
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
pub(crate) struct StatsYear {
    /// Calendar year (default: this year).
    year: Option<i32>,
}

/// The figures of a year: published (each reviewed), filed, filed on time, late,
/// cleaned up, repealed, in force, expiring; 报备率 and 报备及时率.
#[utoipa::path(get, path = "/api/v1/normative-documents/stats", tag = "decisions", params(StatsYear),
    responses((status = 200, body = NormativeStatsOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub(crate) async fn stats(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(q): ApiQuery<StatsYear>,
) -> ApiResult<Json<NormativeStatsOut>> {
    let year = q.year.unwrap_or_else(|| state.clock.today().year());
    Ok(Json(app::stats(&state, &p, year).await?))
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
pub(crate) struct RoundsYear {
    /// Only the rounds of this year.
    #[serde(default, deserialize_with = "super::blank_year")]
    year: Option<i32>,
}

/// The clean-up rounds (清理) in scope with their lists, newest first.
#[utoipa::path(get, path = "/api/v1/normative-documents/rounds", tag = "decisions", params(RoundsYear),
    responses((status = 200, body = Vec<RoundOut>), (status = 403, body = ErrorBody)))]
pub(crate) async fn list_rounds(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(q): ApiQuery<RoundsYear>,
) -> ApiResult<Json<Vec<RoundOut>>> {
    Ok(Json(app::list_rounds(&state, &p, q.year).await?))
}

/// Records a clean-up round (the township leader): the decisions on the township's
/// published documents (keep, revise, repeal with a reason; those not named are kept)
/// are taken in one transaction, and the round keeps the valid, repealed and expired
/// lists it publishes on the public page.
#[utoipa::path(post, path = "/api/v1/normative-documents/rounds", tag = "decisions", request_body = RoundCreate,
    responses((status = 201, body = RoundOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn create_round(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiJson(body): ApiJson<RoundCreate>,
) -> ApiResult<(StatusCode, Json<RoundOut>)> {
    Ok((
        StatusCode::CREATED,
        Json(app::record_round(&state, &p, &body).await?),
    ))
}

/// One clean-up round in scope.
#[utoipa::path(get, path = "/api/v1/normative-documents/rounds/{id}", tag = "decisions",
    params(("id" = i64, Path, description = "round id")),
    responses((status = 200, body = RoundOut), (status = 404, body = ErrorBody)))]
pub(crate) async fn get_round(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<RoundOut>> {
    Ok(Json(app::round(&state, &p, id).await?))
}
