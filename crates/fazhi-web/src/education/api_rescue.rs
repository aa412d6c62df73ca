//! JSON API of rescue teams (应急救援队伍) and campaigns (专项行动) (see `app::rescue`).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::app::{self, CampaignIn, CampaignOut, RescueQuery, RescueTeamIn, RescueTeamOut};
use super::wire::PhoneOut;
use crate::AppState;
use crate::auth::ApiUser;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};

pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_rescue_teams, create_rescue_team))
        .routes(routes!(get_rescue_team, update_rescue_team))
        .routes(routes!(reveal_rescue_phone))
        .routes(routes!(list_campaigns, create_campaign))
        .routes(routes!(get_campaign, update_campaign))
}

/// Rescue teams in scope (the leader's phone masked).
#[utoipa::path(get, path = "/api/v1/education/rescue-teams", tag = "education",
    params(RescueQuery),
    responses((status = 200, body = Vec<RescueTeamOut>), (status = 400, body = ErrorBody)))]
pub(crate) async fn list_rescue_teams(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(q): ApiQuery<RescueQuery>,
) -> ApiResult<Json<Vec<RescueTeamOut>>> {
    Ok(Json(app::list_rescue_teams(&state, &p, &q).await?))
}

/// Record a rescue team (应急救援队伍) of a township or village.
#[utoipa::path(post, path = "/api/v1/education/rescue-teams", tag = "education",
    request_body = RescueTeamIn,
    responses((status = 201, body = RescueTeamOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub(crate) async fn create_rescue_team(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiJson(b): ApiJson<RescueTeamIn>,
) -> ApiResult<(StatusCode, Json<RescueTeamOut>)> {
    Ok((
        StatusCode::CREATED,
        Json(app::create_rescue_team(&state, &p, &b).await?),
    ))
}

/// One rescue team.
#[utoipa::path(get, path = "/api/v1/education/rescue-teams/{id}", tag = "education",
    params(("id" = i64, Path)),
    responses((status = 200, body = RescueTeamOut), (status = 404, body = ErrorBody)))]
pub(crate) async fn get_rescue_team(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<RescueTeamOut>> {
    Ok(Json(app::rescue_team_detail(&state, &p, id).await?))
}

/// Change a rescue team at the version read (an empty phone keeps the stored one).
#[utoipa::path(put, path = "/api/v1/education/rescue-teams/{id}", tag = "education",
    params(("id" = i64, Path)), request_body = RescueTeamIn,
    responses((status = 200, body = RescueTeamOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn update_rescue_team(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<RescueTeamIn>,
) -> ApiResult<Json<RescueTeamOut>> {
    Ok(Json(app::update_rescue_team(&state, &p, id, &b).await?))
}

/// The leader's full phone, audited (`rescue_team.reveal`).
#[utoipa::path(post, path = "/api/v1/education/rescue-teams/{id}/reveal", tag = "education",
    params(("id" = i64, Path)),
    responses((status = 200, body = PhoneOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn reveal_rescue_phone(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<PhoneOut>> {
    Ok(Json(app::reveal_rescue_phone(&state, &p, id).await?))
}

/// Campaigns (专项行动) in scope started in a year.
#[utoipa::path(get, path = "/api/v1/education/campaigns", tag = "education",
    params(RescueQuery),
    responses((status = 200, body = Vec<CampaignOut>), (status = 400, body = ErrorBody)))]
pub(crate) async fn list_campaigns(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(q): ApiQuery<RescueQuery>,
) -> ApiResult<Json<Vec<CampaignOut>>> {
    Ok(Json(app::list_campaigns(&state, &p, &q).await?))
}

/// Record a campaign (专项行动): name, period, results.
#[utoipa::path(post, path = "/api/v1/education/campaigns", tag = "education",
    request_body = CampaignIn,
    responses((status = 201, body = CampaignOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub(crate) async fn create_campaign(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiJson(b): ApiJson<CampaignIn>,
) -> ApiResult<(StatusCode, Json<CampaignOut>)> {
    Ok((
        StatusCode::CREATED,
        Json(app::create_campaign(&state, &p, &b).await?),
    ))
}

/// One campaign.
#[utoipa::path(get, path = "/api/v1/education/campaigns/{id}", tag = "education",
    params(("id" = i64, Path)),
    responses((status = 200, body = CampaignOut), (status = 404, body = ErrorBody)))]
pub(crate) async fn get_campaign(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<CampaignOut>> {
    Ok(Json(app::campaign_detail(&state, &p, id).await?))
}

/// Change a campaign at the version read (e.g. its results when it ends).
#[utoipa::path(put, path = "/api/v1/education/campaigns/{id}", tag = "education",
    params(("id" = i64, Path)), request_body = CampaignIn,
    responses((status = 200, body = CampaignOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn update_campaign(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<CampaignIn>,
) -> ApiResult<Json<CampaignOut>> {
    Ok(Json(app::update_campaign(&state, &p, id, &b).await?))
}
