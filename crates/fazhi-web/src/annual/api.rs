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
        .routes(routes!(district_view))
        .routes(routes!(add_comment))
        .routes(routes!(resolve_comment))
        .routes(routes!(send_notice))
        .routes(routes!(reply_notice))
        .routes(routes!(get_template, put_template))
}

/// The order and titles of the five parts (the district's template).
#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub(crate) struct TemplateBody {
    /// In order: `{"part": "measures|first_responsible|shortcomings|next_year|other", "title": "…"}`.
    parts: Vec<TemplatePart>,
}

#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub(crate) struct TemplatePart {
    #[schema(value_type = String)]
    part: fazhi_core::report::template::PartKey,
    title: String,
}

impl From<fazhi_core::report::template::Template> for TemplateBody {
    fn from(t: fazhi_core::report::template::Template) -> Self {
        TemplateBody {
            parts: t
                .parts
                .into_iter()
                .map(|(part, title)| TemplatePart { part, title })
                .collect(),
        }
    }
}

/// The district's template of the report: the five parts in order with their titles
/// (without numbers).
#[utoipa::path(get, path = "/api/v1/annual/template", tag = "annual",
    responses((status = 200, body = TemplateBody)))]
pub(crate) async fn get_template(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
) -> ApiResult<Json<TemplateBody>> {
    p.require(fazhi_core::role::Permission::ViewMatters)?;
    Ok(Json(app::template(&state).await?.into()))
}

/// Sets the template (the district's supervisor or an administrator): each part once,
/// each title still readable as its part.
#[utoipa::path(put, path = "/api/v1/annual/template", tag = "annual", request_body = TemplateBody,
    responses((status = 200, body = TemplateBody), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub(crate) async fn put_template(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    crate::extract::ApiJson(body): crate::extract::ApiJson<TemplateBody>,
) -> ApiResult<Json<TemplateBody>> {
    let parts = body.parts.into_iter().map(|x| (x.part, x.title)).collect();
    Ok(Json(super::template::put(&state, &p, parts).await?.into()))
}

/// An id of what was written.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub(crate) struct Written {
    id: i64,
}

/// The district's view of a year: every township in the caller's scope of reports
/// (ReadReports) with its report's state, deadlines, the reader's findings on the text
/// as submitted or uploaded, its figures beside the records', paragraphs shared
/// between townships, and the 督办 notices.
#[utoipa::path(get, path = "/api/v1/annual/district/{year}", tag = "annual",
    params(("year" = i32, Path)),
    responses((status = 200, body = super::district::DistrictView), (status = 403, body = ErrorBody)))]
pub(crate) async fn district_view(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(year): ApiPath<i32>,
) -> ApiResult<Json<super::district::DistrictView>> {
    Ok(Json(super::district::view(&state, &p, year).await?))
}

/// A review comment on one paragraph (1-based part and paragraph); open comments hold
/// the secrecy check.
#[utoipa::path(post, path = "/api/v1/annual/{code}/{year}/comments", tag = "annual",
    params(("code" = String, Path), ("year" = i32, Path)), request_body = super::review::CommentIn,
    responses((status = 200, body = Written), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub(crate) async fn add_comment(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath((code, year)): ApiPath<(String, i32)>,
    crate::extract::ApiJson(body): crate::extract::ApiJson<super::review::CommentIn>,
) -> ApiResult<Json<Written>> {
    let id = super::review::add_comment(&state, &p, &code, year, &body).await?;
    Ok(Json(Written { id }))
}

/// The drafting side's answer to a comment.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub(crate) struct Answer {
    answer: String,
}

/// Closes a review comment with the drafting side's answer (township staff).
#[utoipa::path(post, path = "/api/v1/annual/{code}/{year}/comments/{id}/resolve", tag = "annual",
    params(("code" = String, Path), ("year" = i32, Path), ("id" = i64, Path)), request_body = Answer,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn resolve_comment(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath((code, year, id)): ApiPath<(String, i32, i64)>,
    crate::extract::ApiJson(body): crate::extract::ApiJson<Answer>,
) -> ApiResult<axum::http::StatusCode> {
    super::review::resolve_comment(&state, &p, &code, year, id, &body.answer).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

/// Sends a 督办 notice to a township about its report (the district supervisor).
#[utoipa::path(post, path = "/api/v1/annual/notices", tag = "annual",
    request_body = super::district::NoticeIn,
    responses((status = 200, body = Written), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub(crate) async fn send_notice(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    crate::extract::ApiJson(body): crate::extract::ApiJson<super::district::NoticeIn>,
) -> ApiResult<Json<Written>> {
    let id = super::district::send_notice(&state, &p, &body).await?;
    Ok(Json(Written { id }))
}

/// The township's reply to a notice.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub(crate) struct Reply {
    reply: String,
}

/// Answers a 督办 notice (the township's staff).
#[utoipa::path(post, path = "/api/v1/annual/{code}/notices/{id}/reply", tag = "annual",
    params(("code" = String, Path), ("id" = i64, Path)), request_body = Reply,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn reply_notice(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath((code, id)): ApiPath<(String, i64)>,
    crate::extract::ApiJson(body): crate::extract::ApiJson<Reply>,
) -> ApiResult<axum::http::StatusCode> {
    super::district::reply_notice(&state, &p, &code, id, &body.reply).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
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
