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
    OpenApiRouter::new().routes(routes!(get_draft))
}

/// The first draft of a township's report for a year, written from its records: every
/// figure is a slot with its value as written, its definition, the link to the records
/// it counts, and whether it is traced (from records) or typed (not recorded yet).
#[utoipa::path(get, path = "/api/v1/annual/{code}/{year}", tag = "annual",
    params(("code" = String, Path, description = "the township's 12-digit code"), ("year" = i32, Path)),
    responses((status = 200, description = "the draft"), (status = 404, body = ErrorBody)))]
pub(crate) async fn get_draft(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath((code, year)): ApiPath<(String, i32)>,
) -> ApiResult<Json<fazhi_core::report::Draft>> {
    Ok(Json(app::draft(&state, &p, &code, year).await?))
}
