//! `/api/v1` matters: intake, lists, detail, workflow actions, personal-data reveal,
//! my tasks, overdue lists, public submission and tracking. Every read and write is
//! limited to the caller's scope; out of scope answers 404, like a missing record.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use fazhi_core::role::Permission;
use fazhi_db::matters::{self, MatterSort, parties};
use fazhi_db::pii::PiiKind;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::app::{
    detail, filter_of, options_of, order_of, page_limit, public_submit, register,
    registration_scope, run_action, task_query, track_view,
};
use super::wire::ActionRequest;
use super::wire::*;
use crate::AppState;
use crate::auth::ApiUser;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};

pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_matters, create_matter))
        .routes(routes!(get_matter))
        .routes(routes!(act))
        .routes(routes!(reveal))
        .routes(routes!(get_photo))
        .routes(routes!(lookup))
        .routes(routes!(tasks))
        .routes(routes!(overdue))
        .routes(routes!(options))
        .routes(routes!(track))
        .routes(routes!(submit))
}

/// Register a matter (centre staff, village mediators) or report one (grid workers).
#[utoipa::path(post, path = "/api/v1/matters", tag = "matters", request_body = MatterCreate,
    responses((status = 201, body = MatterOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub(crate) async fn create_matter(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiJson(mut body): ApiJson<MatterCreate>,
) -> ApiResult<(StatusCode, Json<MatterOut>)> {
    let scope = registration_scope(&state, &p, &mut body).await?;
    let m = register(&state, &p.actor(), &scope, &body, false, Vec::new()).await?;
    Ok((StatusCode::CREATED, Json(m)))
}

/// List matters in scope, with filters, an order (`sort`) and keyset pages (`after`).
#[utoipa::path(get, path = "/api/v1/matters", tag = "matters", params(MatterQuery),
    responses((status = 200, body = MatterPage), (status = 400, body = ErrorBody)))]
pub(crate) async fn list_matters(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(q): ApiQuery<MatterQuery>,
) -> ApiResult<Json<MatterPage>> {
    let scope = p.require(Permission::ViewMatters)?;
    let limit = page_limit(q.limit)?;
    let (sort, after) = order_of(&q)?;
    let f = filter_of(&state, &p, &scope, &q).await?;
    let rows =
        matters::read::list(&state.db, &scope.roots, &f, sort, after.as_ref(), limit).await?;
    let last = rows.last().filter(|_| rows.len() as i64 == limit);
    let next = last.map(|r| sort.cursor_of(r).encode());
    let next_before = last.filter(|_| sort == MatterSort::IdDesc).map(|r| r.id);
    let today = state.clock.today();
    Ok(Json(MatterPage {
        items: MatterOut::many(rows, &state.matters, today),
        next,
        next_before,
    }))
}

/// One matter with its parties (masked), timeline, photos and related matters.
#[utoipa::path(get, path = "/api/v1/matters/{id}", tag = "matters",
    params(("id" = i64, Path, description = "matter id")),
    responses((status = 200, body = MatterDetail), (status = 404, body = ErrorBody)))]
pub(crate) async fn get_matter(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<MatterDetail>> {
    Ok(Json(detail(&state, &p, id).await?))
}

/// Apply a workflow action: `{"action": "accept" | "reject" | "assign" | "acknowledge" |
/// "transfer" | "return" | "escalate" | "record_mediation" | "extend" | "pause" | "resume" |
/// "supervise" | "close" | "follow_up" | "reopen" | "archive" | "register", ...payload,
/// "version"?: n, "note"?: text}`. An action the workflow does not allow now answers 409
/// with the reason; a stale `version` answers 409 `stale_version`.
#[utoipa::path(post, path = "/api/v1/matters/{id}/actions", tag = "matters",
    params(("id" = i64, Path, description = "matter id")),
    request_body = ActionRequest,
    responses((status = 200, body = ActionResult), (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn act(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ActionBody>,
) -> ApiResult<Json<ActionResult>> {
    p.require(Permission::ViewMatters)?;
    Ok(Json(
        run_action(&state, &p, id, body.version, body.action).await?,
    ))
}

/// Show one party's ID number or phone in full; needs the permission and is audited.
#[utoipa::path(post, path = "/api/v1/matters/{id}/parties/{party_id}/reveal", tag = "matters",
    params(("id" = i64, Path), ("party_id" = i64, Path)), request_body = RevealBody,
    responses((status = 200, body = RevealOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn reveal(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath((id, party_id)): ApiPath<(i64, i64)>,
    ApiJson(body): ApiJson<RevealBody>,
) -> ApiResult<Json<RevealOut>> {
    let scope = p.require(Permission::RevealPersonalData)?;
    let kind = match body.field.as_str() {
        "id_number" => PiiKind::IdNumber,
        "phone" => PiiKind::Phone,
        _ => return Err(ApiError::field("field", "只能查看id_number或phone")),
    };
    let value = parties::reveal(
        &state.db,
        &state.vault,
        &p.actor(),
        &scope.roots,
        id,
        party_id,
        kind,
    )
    .await?;
    Ok(Json(RevealOut { value }))
}

/// A photo of a matter in scope.
#[utoipa::path(get, path = "/api/v1/matters/{id}/photos/{photo_id}", tag = "matters",
    params(("id" = i64, Path), ("photo_id" = i64, Path)),
    responses((status = 200, description = "the image"), (status = 404, body = ErrorBody)))]
pub(crate) async fn get_photo(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath((id, photo_id)): ApiPath<(i64, i64)>,
) -> ApiResult<Response> {
    let scope = p.require(Permission::ViewMatters)?;
    let photo = matters::read::photo(&state.db, &scope.roots, id, photo_id).await?;
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        photo
            .content_type
            .parse()
            .unwrap_or(header::HeaderValue::from_static("application/octet-stream")),
    );
    headers.insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("private, max-age=3600"),
    );
    Ok((headers, photo.bytes).into_response())
}

/// Other matters of the same person (same ID number or phone), shown at intake.
/// A POST, so personal data never appears in URLs or logs.
#[utoipa::path(post, path = "/api/v1/matters/lookup", tag = "matters", request_body = LookupBody,
    responses((status = 200, body = Vec<MatterOut>), (status = 400, body = ErrorBody)))]
pub(crate) async fn lookup(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiJson(body): ApiJson<LookupBody>,
) -> ApiResult<Json<Vec<MatterOut>>> {
    let scope = p.require(Permission::ViewMatters)?;
    let today = state.clock.today();
    let mut ids = Vec::new();
    let mut phones = Vec::new();
    if let Some(raw) = body.id_number.as_deref().filter(|s| !s.trim().is_empty()) {
        ids.push(
            fazhi_core::party::check_id_number(raw.trim(), today)
                .map_err(|e| ApiError::field("id_number", e.to_string()))?,
        );
    }
    if let Some(raw) = body.phone.as_deref().filter(|s| !s.trim().is_empty()) {
        phones.push(
            fazhi_core::party::check_phone(raw.trim())
                .map_err(|e| ApiError::field("phone", e.to_string()))?,
        );
    }
    let keys = parties::lookup_keys(&state.vault, &ids, &phones);
    let rows = matters::read::with_person(&state.db, &scope.roots, &keys, None, 50).await?;
    Ok(Json(MatterOut::many(rows, &state.matters, today)))
}

/// What I must do next, nearest deadline first.
#[utoipa::path(get, path = "/api/v1/tasks", tag = "matters",
    responses((status = 200, body = Vec<MatterOut>)))]
pub(crate) async fn tasks(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
) -> ApiResult<Json<Vec<MatterOut>>> {
    let t = task_query(&p);
    let rows = matters::read::tasks(&state.db, &t, 200).await?;
    let today = state.clock.today();
    Ok(Json(MatterOut::many(rows, &state.matters, today)))
}

/// Work in hand and overdue matters per handling unit or village (supervision list).
#[utoipa::path(get, path = "/api/v1/matters/overdue-by-handler", tag = "matters",
    responses((status = 200, body = Vec<OverdueOut>)))]
pub(crate) async fn overdue(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
) -> ApiResult<Json<Vec<OverdueOut>>> {
    let scope = p.require(Permission::ViewMatters)?;
    let today = state.clock.today().to_string();
    let rows = matters::read::workload_by_handler(&state.db, &scope.roots, &today).await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| OverdueOut {
                assignee_kind: r.assignee_kind,
                assignee_id: r.assignee_id,
                name: r.assignee_name,
                township_name: r.township_name,
                open: r.open,
                unsigned: r.unsigned,
                reviewing: r.reviewing,
                overdue: r.overdue,
                supervised: r.supervised,
            })
            .collect(),
    ))
}

/// Choices for intake: kinds, channels, the category list and party roles.
#[utoipa::path(get, path = "/api/v1/matter-options", tag = "matters",
    responses((status = 200, body = Options)))]
pub(crate) async fn options(State(state): State<AppState>) -> Json<Options> {
    Json(options_of(&state))
}

/// Public tracking: status and dates only, never personal data. No login needed.
#[utoipa::path(get, path = "/api/v1/public/track/{code}", tag = "public",
    params(("code" = String, Path, description = "查询码")),
    responses((status = 200, body = TrackOut), (status = 404, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub(crate) async fn track(
    State(state): State<AppState>,
    client: super::ClientAddr,
    ApiPath(code): ApiPath<String>,
) -> ApiResult<Json<TrackOut>> {
    Ok(Json(track_view(&state, &client.0, &code).await?))
}

/// The public form (no login, rate-limited): creates a pending matter that staff
/// register or refuse. Returns the tracking code.
#[utoipa::path(post, path = "/api/v1/public/matters", tag = "public", request_body = PublicSubmit,
    responses((status = 201, body = SubmitOut), (status = 400, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub(crate) async fn submit(
    State(state): State<AppState>,
    client: super::ClientAddr,
    ApiJson(body): ApiJson<PublicSubmit>,
) -> ApiResult<(StatusCode, Json<SubmitOut>)> {
    let out = public_submit(&state, &client.0, &body).await?;
    Ok((StatusCode::CREATED, Json(out)))
}
