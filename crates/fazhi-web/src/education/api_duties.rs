//! `/api/v1/education/{statements,villages,plan,visits,emergency-plans}`: 述法, the
//! village table, the 普法 plan with progress, enterprise visits and emergency plans
//! with drills. Thin adapters over `app/`; out of scope answers 404.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::app;
use super::wire::*;
use crate::AppState;
use crate::auth::ApiUser;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};

pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_statements, create_statement))
        .routes(routes!(statement_heads))
        .routes(routes!(get_statement, update_statement))
        .routes(routes!(rate_statement))
        .routes(routes!(village_table))
        .routes(routes!(village_workbook))
        .routes(routes!(get_village, save_village))
        .routes(routes!(list_plan, create_plan_item))
        .routes(routes!(get_plan_item, update_plan_item))
        .routes(routes!(list_visits, create_visit))
        .routes(routes!(get_visit, update_visit))
        .routes(routes!(reveal_visit_phone))
        .routes(routes!(list_emergency_plans, create_emergency_plan))
        .routes(routes!(get_emergency_plan, update_emergency_plan))
        .routes(routes!(create_drill))
}

/// Record a head's 述法 statement of a year (one per head and year: a second is 409).
#[utoipa::path(post, path = "/api/v1/education/statements", tag = "education", request_body = StatementIn,
    responses((status = 201, body = StatementOut), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn create_statement(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiJson(body): ApiJson<StatementIn>,
) -> ApiResult<(StatusCode, Json<StatementOut>)> {
    Ok((
        StatusCode::CREATED,
        Json(app::create_statement(&state, &p, &body).await?),
    ))
}

/// 述法 statements in scope of a year.
#[utoipa::path(get, path = "/api/v1/education/statements", tag = "education", params(PlaceYearQuery),
    responses((status = 200, body = Vec<StatementOut>), (status = 400, body = ErrorBody)))]
pub(crate) async fn list_statements(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(q): ApiQuery<PlaceYearQuery>,
) -> ApiResult<Json<Vec<StatementOut>>> {
    Ok(Json(app::list_statements(&state, &p, &q).await?))
}

/// Query of the heads a statement may name.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HeadQuery {
    /// Code of the township; the caller's own by default.
    pub division: Option<String>,
}

/// The accounts of a township a statement may name as its head.
#[utoipa::path(get, path = "/api/v1/education/statements/heads", tag = "education", params(HeadQuery),
    responses((status = 200, body = Vec<HeadOut>), (status = 400, body = ErrorBody)))]
pub(crate) async fn statement_heads(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(q): ApiQuery<HeadQuery>,
) -> ApiResult<Json<Vec<HeadOut>>> {
    Ok(Json(app::heads(&state, &p, q.division.as_deref()).await?))
}

/// One 述法 statement.
#[utoipa::path(get, path = "/api/v1/education/statements/{id}", tag = "education",
    params(("id" = i64, Path)), responses((status = 200, body = StatementOut), (status = 404, body = ErrorBody)))]
pub(crate) async fn get_statement(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<StatementOut>> {
    Ok(Json(app::statement_detail(&state, &p, id).await?))
}

/// Change a statement (with the `version` read); its head, township and year stay.
#[utoipa::path(put, path = "/api/v1/education/statements/{id}", tag = "education",
    params(("id" = i64, Path)), request_body = StatementIn,
    responses((status = 200, body = StatementOut), (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn update_statement(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<StatementIn>,
) -> ApiResult<Json<StatementOut>> {
    Ok(Json(app::update_statement(&state, &p, id, &body).await?))
}

/// Rate a statement (the district; with the `version` read).
#[utoipa::path(post, path = "/api/v1/education/statements/{id}/rating", tag = "education",
    params(("id" = i64, Path)), request_body = RatingIn,
    responses((status = 200, body = StatementOut), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn rate_statement(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<RatingIn>,
) -> ApiResult<Json<StatementOut>> {
    Ok(Json(app::rate_statement(&state, &p, id, &body).await?))
}

/// Query of the village table.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VillageQuery {
    /// Code of a township or the district in scope; the whole scope by default.
    pub division: Option<String>,
}

/// The village table: each village's 示范村 title, 村规民约 review, legal adviser and
/// 法律明白人 coverage, with the counts per township.
#[utoipa::path(get, path = "/api/v1/education/villages", tag = "education", params(VillageQuery),
    responses((status = 200, body = VillageTable), (status = 400, body = ErrorBody)))]
pub(crate) async fn village_table(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(q): ApiQuery<VillageQuery>,
) -> ApiResult<Json<VillageTable>> {
    Ok(Json(
        app::village_table(&state, &p, q.division.as_deref()).await?,
    ))
}

/// The village table as an XLSX workbook (the townships' counts, then every village).
#[utoipa::path(get, path = "/api/v1/education/villages.xlsx", tag = "education", params(VillageQuery),
    responses((status = 200, description = "the workbook"), (status = 400, body = ErrorBody)))]
pub(crate) async fn village_workbook(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(q): ApiQuery<VillageQuery>,
) -> ApiResult<axum::response::Response> {
    use axum::response::IntoResponse;
    let bytes = app::village_workbook(&state, &p, q.division.as_deref()).await?;
    let name = format!(
        "attachment; filename*=UTF-8''{}",
        crate::pages::url_encode("村（社区）法治建设情况.xlsx")
    );
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (axum::http::header::CONTENT_DISPOSITION, name),
        ],
        bytes,
    )
        .into_response())
}

/// One village's row of the table.
#[utoipa::path(get, path = "/api/v1/education/villages/{code}", tag = "education",
    params(("code" = String, Path)), responses((status = 200, body = VillageOut), (status = 404, body = ErrorBody)))]
pub(crate) async fn get_village(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(code): ApiPath<String>,
) -> ApiResult<Json<VillageOut>> {
    Ok(Json(app::village_detail(&state, &p, &code).await?))
}

/// Save a village's standing (with the `version` read; none for the first save).
#[utoipa::path(put, path = "/api/v1/education/villages/{code}", tag = "education",
    params(("code" = String, Path)), request_body = VillageIn,
    responses((status = 200, body = VillageOut), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn save_village(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(code): ApiPath<String>,
    ApiJson(body): ApiJson<VillageIn>,
) -> ApiResult<Json<VillageOut>> {
    Ok(Json(app::save_village(&state, &p, &code, &body).await?))
}

/// Add an item to a township's 普法 plan (谁执法谁普法 responsibility list).
#[utoipa::path(post, path = "/api/v1/education/plan", tag = "education", request_body = PlanItemIn,
    responses((status = 201, body = PlanItemOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub(crate) async fn create_plan_item(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiJson(body): ApiJson<PlanItemIn>,
) -> ApiResult<(StatusCode, Json<PlanItemOut>)> {
    Ok((
        StatusCode::CREATED,
        Json(app::create_plan_item(&state, &p, &body).await?),
    ))
}

/// The plan items of a year in scope with their progress from the recorded events.
#[utoipa::path(get, path = "/api/v1/education/plan", tag = "education", params(PlaceYearQuery),
    responses((status = 200, body = Vec<PlanItemOut>), (status = 400, body = ErrorBody)))]
pub(crate) async fn list_plan(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(q): ApiQuery<PlaceYearQuery>,
) -> ApiResult<Json<Vec<PlanItemOut>>> {
    Ok(Json(app::list_plan(&state, &p, &q).await?))
}

/// One plan item with its progress.
#[utoipa::path(get, path = "/api/v1/education/plan/{id}", tag = "education",
    params(("id" = i64, Path)), responses((status = 200, body = PlanItemOut), (status = 404, body = ErrorBody)))]
pub(crate) async fn get_plan_item(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<PlanItemOut>> {
    Ok(Json(app::plan_item_detail(&state, &p, id).await?))
}

/// Change a plan item (with the `version` read).
#[utoipa::path(put, path = "/api/v1/education/plan/{id}", tag = "education",
    params(("id" = i64, Path)), request_body = PlanItemIn,
    responses((status = 200, body = PlanItemOut), (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn update_plan_item(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<PlanItemIn>,
) -> ApiResult<Json<PlanItemOut>> {
    Ok(Json(app::update_plan_item(&state, &p, id, &body).await?))
}

/// Record an enterprise visit (法治体检).
#[utoipa::path(post, path = "/api/v1/education/visits", tag = "education", request_body = VisitIn,
    responses((status = 201, body = VisitOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub(crate) async fn create_visit(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiJson(body): ApiJson<VisitIn>,
) -> ApiResult<(StatusCode, Json<VisitOut>)> {
    Ok((
        StatusCode::CREATED,
        Json(app::create_visit(&state, &p, &body).await?),
    ))
}

/// Enterprise visits in scope; `overdue=true` gives the follow-up list.
#[utoipa::path(get, path = "/api/v1/education/visits", tag = "education", params(VisitQuery),
    responses((status = 200, body = Vec<VisitOut>), (status = 400, body = ErrorBody)))]
pub(crate) async fn list_visits(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(q): ApiQuery<VisitQuery>,
) -> ApiResult<Json<Vec<VisitOut>>> {
    Ok(Json(app::list_visits(&state, &p, &q).await?))
}

/// One enterprise visit (phone masked).
#[utoipa::path(get, path = "/api/v1/education/visits/{id}", tag = "education",
    params(("id" = i64, Path)), responses((status = 200, body = VisitOut), (status = 404, body = ErrorBody)))]
pub(crate) async fn get_visit(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<VisitOut>> {
    Ok(Json(app::visit_detail(&state, &p, id).await?))
}

/// Change a visit (with the `version` read), e.g. to record the rectification.
#[utoipa::path(put, path = "/api/v1/education/visits/{id}", tag = "education",
    params(("id" = i64, Path)), request_body = VisitIn,
    responses((status = 200, body = VisitOut), (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn update_visit(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<VisitIn>,
) -> ApiResult<Json<VisitOut>> {
    Ok(Json(app::update_visit(&state, &p, id, &body).await?))
}

/// Show a visit's contact phone in full (audited).
#[utoipa::path(post, path = "/api/v1/education/visits/{id}/reveal", tag = "education",
    params(("id" = i64, Path)),
    responses((status = 200, body = PhoneOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn reveal_visit_phone(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<PhoneOut>> {
    Ok(Json(app::reveal_visit_phone(&state, &p, id).await?))
}

/// Record an emergency plan.
#[utoipa::path(post, path = "/api/v1/education/emergency-plans", tag = "education", request_body = EmergencyPlanIn,
    responses((status = 201, body = EmergencyPlanOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub(crate) async fn create_emergency_plan(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiJson(body): ApiJson<EmergencyPlanIn>,
) -> ApiResult<(StatusCode, Json<EmergencyPlanOut>)> {
    Ok((
        StatusCode::CREATED,
        Json(app::create_emergency_plan(&state, &p, &body).await?),
    ))
}

/// Emergency plans in scope with their reminders; `due=true`: only those with one.
#[utoipa::path(get, path = "/api/v1/education/emergency-plans", tag = "education", params(EmergencyQuery),
    responses((status = 200, body = Vec<EmergencyPlanOut>), (status = 400, body = ErrorBody)))]
pub(crate) async fn list_emergency_plans(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(q): ApiQuery<EmergencyQuery>,
) -> ApiResult<Json<Vec<EmergencyPlanOut>>> {
    Ok(Json(app::list_emergency_plans(&state, &p, &q).await?))
}

/// One emergency plan with its drills.
#[utoipa::path(get, path = "/api/v1/education/emergency-plans/{id}", tag = "education",
    params(("id" = i64, Path)), responses((status = 200, body = EmergencyPlanDetail), (status = 404, body = ErrorBody)))]
pub(crate) async fn get_emergency_plan(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<EmergencyPlanDetail>> {
    Ok(Json(app::emergency_plan_detail(&state, &p, id).await?))
}

/// Revise an emergency plan (with the `version` read).
#[utoipa::path(put, path = "/api/v1/education/emergency-plans/{id}", tag = "education",
    params(("id" = i64, Path)), request_body = EmergencyPlanIn,
    responses((status = 200, body = EmergencyPlanOut), (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn update_emergency_plan(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<EmergencyPlanIn>,
) -> ApiResult<Json<EmergencyPlanOut>> {
    Ok(Json(
        app::update_emergency_plan(&state, &p, id, &body).await?,
    ))
}

/// Record a drill on an emergency plan.
#[utoipa::path(post, path = "/api/v1/education/emergency-plans/{id}/drills", tag = "education",
    params(("id" = i64, Path)), request_body = DrillIn,
    responses((status = 201, body = DrillOut), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn create_drill(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<DrillIn>,
) -> ApiResult<(StatusCode, Json<DrillOut>)> {
    Ok((
        StatusCode::CREATED,
        Json(app::create_drill(&state, &p, id, &body).await?),
    ))
}
