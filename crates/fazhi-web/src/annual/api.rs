//! `/api/v1/annual/{code}/{year}`: the draft as JSON (sections, paragraphs, slots).

use axum::Json;
use axum::extract::State;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::app;
use crate::AppState;
use crate::auth::ApiUser;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::ApiPath;

pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_draft, put_draft))
        .routes(routes!(step))
}

/// One step of the way out: `checked` (the personal-data scan finds nothing and the
/// checklist is confirmed), `signed` (by the head; two signers; no figure left to
/// type), `submitted`, `published` (the public page shows the text as published).
#[utoipa::path(post, path = "/api/v1/annual/{code}/{year}/step", tag = "annual",
    params(("code" = String, Path), ("year" = i32, Path)), request_body = super::app::StepIn,
    responses((status = 200, body = super::app::DraftView), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn step(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath((code, year)): ApiPath<(String, i32)>,
    crate::extract::ApiJson(body): crate::extract::ApiJson<super::app::StepIn>,
) -> ApiResult<Json<super::app::DraftView>> {
    app::advance(&state, &p, &code, year, &body).await?;
    Ok(Json(app::view(&state, &p, &code, year).await?))
}

/// Body of `PUT /api/v1/annual/{code}/{year}`.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub(crate) struct DraftSave {
    /// The version read (0 when never saved).
    version: i64,
    /// Per part, its paragraphs; figures as `〔key〕` tokens (typed ones `〔key=value；source〕`).
    sections: Vec<Vec<String>>,
}

/// Save the words of the draft around its figures (township staff); figures keep
/// their binding and always show today's values.
#[utoipa::path(put, path = "/api/v1/annual/{code}/{year}", tag = "annual",
    params(("code" = String, Path), ("year" = i32, Path)), request_body = DraftSave,
    responses((status = 200, body = super::app::DraftView), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn put_draft(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath((code, year)): ApiPath<(String, i32)>,
    crate::extract::ApiJson(body): crate::extract::ApiJson<DraftSave>,
) -> ApiResult<Json<super::app::DraftView>> {
    app::save(&state, &p, &code, year, body.version, &body.sections).await?;
    Ok(Json(app::view(&state, &p, &code, year).await?))
}

/// The draft of a township's report for a year: the saved words (or the platform's
/// first draft) with every figure a slot holding today's value, its definition, the
/// link to the records it counts and whether it is traced or typed; `moved` lists the
/// figures that changed since the last save.
#[utoipa::path(get, path = "/api/v1/annual/{code}/{year}", tag = "annual",
    params(("code" = String, Path, description = "the township's 12-digit code"), ("year" = i32, Path)),
    responses((status = 200, body = super::app::DraftView), (status = 404, body = ErrorBody)))]
pub(crate) async fn get_draft(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath((code, year)): ApiPath<(String, i32)>,
) -> ApiResult<Json<super::app::DraftView>> {
    Ok(Json(app::view(&state, &p, &code, year).await?))
}
