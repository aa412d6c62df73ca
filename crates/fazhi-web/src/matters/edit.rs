//! `PATCH /api/v1/matters/{id}`: correcting a matter's details (summary, category,
//! address, party names) without retyping it; version-checked, audited, and the search
//! index follows in the same transaction.

use axum::Json;
use axum::extract::State;
use fazhi_core::role::Permission;
use fazhi_core::validate;
use fazhi_db::matters::{self, DetailChanges};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::wire::MatterOut;
use crate::AppState;
use crate::auth::ApiUser;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath};

pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(patch_matter))
}

/// A corrected party name.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct PartyName {
    pub id: i64,
    pub name: String,
}

/// Body of `PATCH /api/v1/matters/{id}`; absent fields stay as they are.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct MatterPatch {
    /// The version read (required: corrections never overwrite someone else's).
    pub version: i64,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub category: Option<String>,
    /// Empty text clears it.
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub parties: Vec<PartyName>,
}

/// Correct a matter's summary, category, address or party names.
#[utoipa::path(patch, path = "/api/v1/matters/{id}", tag = "matters",
    params(("id" = i64, Path)), request_body = MatterPatch,
    responses((status = 200, body = MatterOut), (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn patch_matter(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<MatterPatch>,
) -> ApiResult<Json<MatterOut>> {
    let scope = match p.require(Permission::ManageMatters) {
        Ok(s) => s,
        Err(_) => p.require(Permission::RegisterMatter)?,
    };
    let summary = body
        .summary
        .as_deref()
        .map(|s| validate::required_text("事项摘要", s, 2000))
        .transpose()
        .map_err(|m| ApiError::field("summary", m))?;
    let category = match body.category.as_deref().map(str::trim) {
        None => None,
        Some(c) if state.matters.categories().iter().any(|x| x.code == c) => Some(c.to_string()),
        Some(_) => return Err(ApiError::field("category", "请选择事项类别")),
    };
    let address = match body.address.as_deref().map(str::trim) {
        None => None,
        Some("") => Some(None),
        Some(a) if a.chars().count() > 200 => {
            return Err(ApiError::field("address", "不能超过200个字符"));
        }
        Some(a) => Some(Some(a.to_string())),
    };
    let party_names = body
        .parties
        .iter()
        .enumerate()
        .map(|(i, pn)| {
            validate::required_text("当事人姓名", &pn.name, 50)
                .map(|n| (pn.id, n))
                .map_err(|m| ApiError::field(&format!("parties[{i}].name"), m))
        })
        .collect::<ApiResult<Vec<_>>>()?;
    let changes = DetailChanges {
        summary,
        category,
        address,
        party_names,
    };
    let row = matters::write::update_details(
        &state.db,
        &p.actor(),
        &scope.roots,
        id,
        body.version,
        &changes,
    )
    .await?;
    Ok(Json(MatterOut::from_row(
        row,
        &state.matters,
        state.clock.today(),
    )))
}
