//! `/api/v1` administration endpoints. Every read and write is limited to the
//! caller's scope; records outside it answer 404, exactly like missing ones.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use fazhi_core::division::{DivisionCode, Level};
use fazhi_core::role::{Permission, Role, Scope};
use fazhi_core::validate;
use fazhi_db::admin::divisions::{self, DivisionFilter, DivisionRow, NewDivision};
use fazhi_db::admin::{grids, units};
use fazhi_db::auth::{grants, users};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::wire::*;
use crate::AppState;
use crate::auth::ApiUser;
use crate::auth::api::GrantOut;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};

pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_divisions, create_division))
        .routes(routes!(get_division, patch_division))
        .routes(routes!(list_grids, create_grid))
        .routes(routes!(get_grid, patch_grid))
        .routes(routes!(list_units, create_unit))
        .routes(routes!(get_unit))
        .routes(routes!(list_users, create_user))
        .routes(routes!(get_user, patch_user))
        .routes(routes!(set_password))
        .routes(routes!(list_grants, add_grant))
        .routes(routes!(revoke_grant))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(super::import::import_org))
                .layer(axum::extract::DefaultBodyLimit::max(
                    super::import::MAX_IMPORT_BYTES,
                )),
        )
}

/// A division by code, if it exists and lies in `scope`; otherwise the same 404.
pub(crate) async fn division_in_scope(
    state: &AppState,
    scope: &Scope,
    code: &str,
    field: Option<&str>,
) -> ApiResult<DivisionRow> {
    let miss = || match field {
        Some(f) => ApiError::field(f, format!("区划代码“{code}”不存在或不在管辖范围内")),
        None => ApiError::not_found(),
    };
    let code = DivisionCode::parse(code).map_err(|m| match field {
        Some(f) => ApiError::field(f, m),
        None => ApiError::not_found(),
    })?;
    let d = divisions::by_code(&state.db, code.as_str())
        .await
        .map_err(|_| miss())?;
    if scope.covers(&d.path) {
        Ok(d)
    } else {
        Err(miss())
    }
}

/// The id of an optional division filter; a code outside the scope is refused
/// (never silently widened or dropped).
async fn division_filter(
    state: &AppState,
    scope: &Scope,
    code: Option<&str>,
    field: &str,
) -> ApiResult<Option<i64>> {
    match code {
        Some(c) => Ok(Some(
            division_in_scope(state, scope, c, Some(field)).await?.id,
        )),
        None => Ok(None),
    }
}

fn check_date(field: &str, v: &Option<String>) -> ApiResult<Option<time::Date>> {
    v.as_deref()
        .map(|s| {
            let fmt = time::macros::format_description!("[year]-[month]-[day]");
            time::Date::parse(s.trim(), &fmt)
                .map_err(|_| ApiError::field(field, "日期格式须为YYYY-MM-DD"))
        })
        .transpose()
}

/// List divisions in scope.
#[utoipa::path(get, path = "/api/v1/divisions", tag = "organisation", params(ListQuery),
    responses((status = 200, body = Vec<DivisionOut>), (status = 400, body = ErrorBody)))]
pub(crate) async fn list_divisions(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Json<Vec<DivisionOut>>> {
    let scope = p.require(Permission::ViewOrg)?;
    let (after_id, limit) = q.page();
    let parent_id =
        division_filter(&state, &scope, q.parent_code.as_deref(), "parent_code").await?;
    let level = match &q.level {
        Some(l) => Some(
            Level::parse(l)
                .ok_or_else(|| ApiError::field("level", "层级须为county、township或village"))?,
        ),
        None => None,
    };
    let f = DivisionFilter {
        parent_id,
        level,
        after_id,
        limit,
    };
    Ok(Json(
        divisions::list(&state.db, &scope.roots, &f)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

/// Create a division under a parent in scope.
#[utoipa::path(post, path = "/api/v1/divisions", tag = "organisation", request_body = DivisionCreate,
    responses((status = 201, body = DivisionOut), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn create_division(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiJson(b): ApiJson<DivisionCreate>,
) -> ApiResult<(StatusCode, Json<DivisionOut>)> {
    let scope = p.require(Permission::ManageOrg)?;
    let code = DivisionCode::parse(&b.code).map_err(|m| ApiError::field("code", m))?;
    let name =
        validate::required_text("名称", &b.name, 100).map_err(|m| ApiError::field("name", m))?;
    let level = Level::parse(&b.level)
        .ok_or_else(|| ApiError::field("level", "层级须为county、township或village"))?;
    let valid_from = check_date("valid_from", &b.valid_from)?;
    let valid_to = check_date("valid_to", &b.valid_to)?;
    let Some(parent_code) = &b.parent_code else {
        return Err(ApiError::field(
            "parent_code",
            "须指定上级区划（区县级区划由系统管理员在命令行导入）",
        ));
    };
    let parent = division_in_scope(&state, &scope, parent_code, Some("parent_code")).await?;
    let parent_level = parent.level;
    if parent_level.child() != Some(level) {
        return Err(ApiError::field(
            "level",
            format!(
                "“{}”之下只能建立{}",
                parent.name,
                parent_level.child().map(|l| l.label_zh()).unwrap_or("网格")
            ),
        ));
    }
    let parent_code = DivisionCode::parse(&parent.code).map_err(ApiError::internal)?;
    code.check_level(level, Some(&parent_code))
        .map_err(|m| ApiError::field("code", m))?;
    let d = divisions::create(
        &state.db,
        &p.actor(),
        &NewDivision {
            code: code.to_string(),
            name,
            level,
            parent_id: Some(parent.id),
            valid_from,
            valid_to,
        },
    )
    .await?;
    Ok((StatusCode::CREATED, Json(d.into())))
}

/// One division by code.
#[utoipa::path(get, path = "/api/v1/divisions/{code}", tag = "organisation",
    params(("code" = String, Path, description = "12-digit division code")),
    responses((status = 200, body = DivisionOut), (status = 404, body = ErrorBody)))]
async fn get_division(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(code): ApiPath<String>,
) -> ApiResult<Json<DivisionOut>> {
    let scope = p.require(Permission::ViewOrg)?;
    Ok(Json(
        division_in_scope(&state, &scope, &code, None).await?.into(),
    ))
}

/// Rename a division or change its validity period.
#[utoipa::path(patch, path = "/api/v1/divisions/{code}", tag = "organisation", request_body = DivisionPatch,
    params(("code" = String, Path, description = "12-digit division code")),
    responses((status = 200, body = DivisionOut), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn patch_division(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(code): ApiPath<String>,
    ApiJson(b): ApiJson<DivisionPatch>,
) -> ApiResult<Json<DivisionOut>> {
    let scope = p.require(Permission::ManageOrg)?;
    let d = division_in_scope(&state, &scope, &code, None).await?;
    let name = b
        .name
        .as_deref()
        .map(|n| validate::required_text("名称", n, 100))
        .transpose()
        .map_err(|m| ApiError::field("name", m))?;
    let valid_from = check_date("valid_from", &b.valid_from)?;
    let valid_to = check_date("valid_to", &b.valid_to)?;
    let d = divisions::update(
        &state.db,
        &p.actor(),
        d.id,
        name,
        valid_from.map(Some),
        valid_to.map(Some),
    )
    .await?;
    Ok(Json(d.into()))
}

/// List grids in scope.
#[utoipa::path(get, path = "/api/v1/grids", tag = "organisation", params(ListQuery),
    responses((status = 200, body = Vec<GridOut>)))]
pub(crate) async fn list_grids(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Json<Vec<GridOut>>> {
    let scope = p.require(Permission::ViewOrg)?;
    let (after_id, limit) = q.page();
    let div = division_filter(&state, &scope, q.division_code.as_deref(), "division_code").await?;
    Ok(Json(
        grids::list(&state.db, &scope.roots, div, after_id, limit)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

/// Create a grid under a village or community in scope.
#[utoipa::path(post, path = "/api/v1/grids", tag = "organisation", request_body = GridCreate,
    responses((status = 201, body = GridOut), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn create_grid(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiJson(b): ApiJson<GridCreate>,
) -> ApiResult<(StatusCode, Json<GridOut>)> {
    let scope = p.require(Permission::ManageOrg)?;
    let d = division_in_scope(&state, &scope, &b.division_code, Some("division_code")).await?;
    if d.level != fazhi_core::division::Level::Village {
        return Err(ApiError::field(
            "division_code",
            "网格只能建在村（社区）之下",
        ));
    }
    let name =
        validate::required_text("名称", &b.name, 100).map_err(|m| ApiError::field("name", m))?;
    if b.households.is_some_and(|h| h < 0) {
        return Err(ApiError::field("households", "户数不能为负数"));
    }
    let g = grids::create(&state.db, &p.actor(), d.id, &name, b.households).await?;
    Ok((StatusCode::CREATED, Json(g.into())))
}

async fn grid_in_scope(state: &AppState, scope: &Scope, id: i64) -> ApiResult<grids::GridRow> {
    let g = grids::by_id(&state.db, id).await?;
    if scope.covers(&g.division_path) {
        Ok(g)
    } else {
        Err(ApiError::not_found())
    }
}

/// One grid.
#[utoipa::path(get, path = "/api/v1/grids/{id}", tag = "organisation",
    params(("id" = i64, Path, description = "grid id")),
    responses((status = 200, body = GridOut), (status = 404, body = ErrorBody)))]
async fn get_grid(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<GridOut>> {
    let scope = p.require(Permission::ViewOrg)?;
    Ok(Json(grid_in_scope(&state, &scope, id).await?.into()))
}

/// Rename a grid or set its household count.
#[utoipa::path(patch, path = "/api/v1/grids/{id}", tag = "organisation", request_body = GridPatch,
    params(("id" = i64, Path, description = "grid id")),
    responses((status = 200, body = GridOut), (status = 404, body = ErrorBody)))]
async fn patch_grid(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<GridPatch>,
) -> ApiResult<Json<GridOut>> {
    let scope = p.require(Permission::ManageOrg)?;
    grid_in_scope(&state, &scope, id).await?;
    let name = b
        .name
        .as_deref()
        .map(|n| validate::required_text("名称", n, 100))
        .transpose()
        .map_err(|m| ApiError::field("name", m))?;
    if b.households.is_some_and(|h| h < 0) {
        return Err(ApiError::field("households", "户数不能为负数"));
    }
    Ok(Json(
        grids::update(&state.db, &p.actor(), id, name, b.households.map(Some))
            .await?
            .into(),
    ))
}

/// List units in scope.
#[utoipa::path(get, path = "/api/v1/units", tag = "organisation", params(ListQuery),
    responses((status = 200, body = Vec<UnitOut>)))]
pub(crate) async fn list_units(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Json<Vec<UnitOut>>> {
    let scope = p.require(Permission::ViewOrg)?;
    let (after_id, limit) = q.page();
    let div = division_filter(&state, &scope, q.division_code.as_deref(), "division_code").await?;
    Ok(Json(
        units::list(&state.db, &scope.roots, div, after_id, limit)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

/// Create a unit attached to a division in scope.
#[utoipa::path(post, path = "/api/v1/units", tag = "organisation", request_body = UnitCreate,
    responses((status = 201, body = UnitOut), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn create_unit(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiJson(b): ApiJson<UnitCreate>,
) -> ApiResult<(StatusCode, Json<UnitOut>)> {
    let scope = p.require(Permission::ManageOrg)?;
    let d = division_in_scope(&state, &scope, &b.division_code, Some("division_code")).await?;
    let name =
        validate::required_text("名称", &b.name, 100).map_err(|m| ApiError::field("name", m))?;
    let kind =
        validate::required_text("类型", &b.kind, 50).map_err(|m| ApiError::field("kind", m))?;
    let u = units::create(&state.db, &p.actor(), d.id, &name, &kind).await?;
    Ok((StatusCode::CREATED, Json(u.into())))
}

/// One unit.
#[utoipa::path(get, path = "/api/v1/units/{id}", tag = "organisation",
    params(("id" = i64, Path, description = "unit id")),
    responses((status = 200, body = UnitOut), (status = 404, body = ErrorBody)))]
async fn get_unit(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<UnitOut>> {
    let scope = p.require(Permission::ViewOrg)?;
    let u = units::by_id(&state.db, id).await?;
    if !scope.covers(&u.division_path) {
        return Err(ApiError::not_found());
    }
    Ok(Json(u.into()))
}

async fn user_in_scope(
    state: &AppState,
    manager: users::Manager<'_>,
    id: i64,
) -> ApiResult<users::UserRow> {
    let u = users::get(&state.db, id).await?;
    if users::in_scope(&state.db, id, manager).await? {
        Ok(u)
    } else {
        Err(ApiError::not_found())
    }
}

/// List users whose grants all lie in the caller's scope.
#[utoipa::path(get, path = "/api/v1/users", tag = "users", params(ListQuery),
    responses((status = 200, body = Vec<UserOut>), (status = 403, body = ErrorBody)))]
pub(crate) async fn list_users(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Json<Vec<UserOut>>> {
    let scope = p.require(Permission::ManageUsers)?;
    let (after_id, limit) = q.page();
    let now = state.clock.now_ms();
    Ok(Json(
        users::list_in_scope(&state.db, p.manager(&scope), after_id, limit)
            .await?
            .into_iter()
            .map(|u| UserOut::from_row(u, now))
            .collect(),
    ))
}

/// Create a user (then grant roles).
#[utoipa::path(post, path = "/api/v1/users", tag = "users", request_body = UserCreate,
    responses((status = 201, body = UserOut), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn create_user(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiJson(b): ApiJson<UserCreate>,
) -> ApiResult<(StatusCode, Json<UserOut>)> {
    let scope = p.require(Permission::ManageUsers)?;
    validate::username(&b.username).map_err(|m| ApiError::field("username", m))?;
    let display_name = validate::required_text("姓名", &b.display_name, 50)
        .map_err(|m| ApiError::field("display_name", m))?;
    validate::password(&b.username, &b.password).map_err(|m| ApiError::field("password", m))?;
    let phone =
        validate::staff_phone(b.phone.as_deref()).map_err(|m| ApiError::field("phone", m))?;
    if let Some(g) = b.grid_id {
        grid_in_scope(&state, &scope, g)
            .await
            .map_err(|_| ApiError::field("grid_id", "网格不存在或不在管辖范围内"))?;
    }
    if let Some(u) = b.unit_id {
        let unit = units::by_id(&state.db, u)
            .await
            .map_err(|_| ApiError::field("unit_id", "单位不存在"))?;
        if !scope.covers(&unit.division_path) {
            return Err(ApiError::field("unit_id", "单位不存在"));
        }
    }
    let hash = crate::auth::secrets::hash_password(b.password)
        .await
        .map_err(ApiError::internal)?;
    let u = users::create(
        &state.db,
        &p.actor(),
        &users::NewUser {
            username: b.username,
            display_name,
            phone,
            password_hash: hash,
            grid_id: b.grid_id,
            unit_id: b.unit_id,
        },
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(UserOut::from_row(u, state.clock.now_ms())),
    ))
}

/// One user.
#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "users",
    params(("id" = i64, Path, description = "user id")),
    responses((status = 200, body = UserOut), (status = 404, body = ErrorBody)))]
async fn get_user(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<UserOut>> {
    let scope = p.require(Permission::ManageUsers)?;
    Ok(Json(UserOut::from_row(
        user_in_scope(&state, p.manager(&scope), id).await?,
        state.clock.now_ms(),
    )))
}

/// Change a user's name, phone, or disable/enable them (disabling ends their sessions).
#[utoipa::path(patch, path = "/api/v1/users/{id}", tag = "users", request_body = UserPatch,
    params(("id" = i64, Path, description = "user id")),
    responses((status = 200, body = UserOut), (status = 404, body = ErrorBody)))]
pub(crate) async fn patch_user(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<UserPatch>,
) -> ApiResult<Json<UserOut>> {
    let scope = p.require(Permission::ManageUsers)?;
    user_in_scope(&state, p.manager(&scope), id).await?;
    if b.disabled == Some(true) && id == p.user_id {
        return Err(ApiError::field("disabled", "不能停用自己的账户"));
    }
    let display_name = b
        .display_name
        .as_deref()
        .map(|n| validate::required_text("姓名", n, 50))
        .transpose()
        .map_err(|m| ApiError::field("display_name", m))?;
    let phone = b
        .phone
        .as_deref()
        .map(|s| validate::staff_phone(Some(s)))
        .transpose()
        .map_err(|m| ApiError::field("phone", m))?;
    let changes = users::UserChanges {
        display_name,
        phone,
        disabled: b.disabled,
        ..Default::default()
    };
    Ok(Json(UserOut::from_row(
        users::update(&state.db, &p.actor(), id, &changes).await?,
        state.clock.now_ms(),
    )))
}

/// Set a user's password (ends their sessions and lifts a lock-out).
#[utoipa::path(post, path = "/api/v1/users/{id}/password", tag = "users", request_body = PasswordSet,
    params(("id" = i64, Path, description = "user id")),
    responses((status = 204), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn set_password(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<PasswordSet>,
) -> ApiResult<StatusCode> {
    let scope = p.require(Permission::ManageUsers)?;
    let u = user_in_scope(&state, p.manager(&scope), id).await?;
    validate::password(&u.username, &b.password).map_err(|m| ApiError::field("password", m))?;
    let hash = crate::auth::secrets::hash_password(b.password)
        .await
        .map_err(ApiError::internal)?;
    users::set_password(&state.db, &p.actor(), id, &hash).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A user's grants.
#[utoipa::path(get, path = "/api/v1/users/{id}/grants", tag = "users",
    params(("id" = i64, Path, description = "user id")),
    responses((status = 200, body = Vec<GrantOut>), (status = 404, body = ErrorBody)))]
async fn list_grants(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Vec<GrantOut>>> {
    let scope = p.require(Permission::ManageUsers)?;
    user_in_scope(&state, p.manager(&scope), id).await?;
    Ok(Json(crate::auth::api::grants_out(&state, id).await?))
}

/// Grant a role on a division subtree inside the caller's scope.
#[utoipa::path(post, path = "/api/v1/users/{id}/grants", tag = "users", request_body = GrantCreate,
    params(("id" = i64, Path, description = "user id")),
    responses((status = 201, body = Vec<GrantOut>), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn add_grant(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<GrantCreate>,
) -> ApiResult<(StatusCode, Json<Vec<GrantOut>>)> {
    let scope = p.require(Permission::ManageUsers)?;
    user_in_scope(&state, p.manager(&scope), id).await?;
    let role: Role = b
        .role
        .parse()
        .map_err(|m: String| ApiError::field("role", m))?;
    let d = division_in_scope(&state, &scope, &b.division_code, Some("division_code")).await?;
    grants::add(&state.db, &p.actor(), id, role, d.id).await?;
    Ok((
        StatusCode::CREATED,
        Json(crate::auth::api::grants_out(&state, id).await?),
    ))
}

/// Revoke one grant.
#[utoipa::path(delete, path = "/api/v1/users/{id}/grants/{grant_id}", tag = "users",
    params(("id" = i64, Path, description = "user id"), ("grant_id" = i64, Path, description = "grant id")),
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub(crate) async fn revoke_grant(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath((id, grant_id)): ApiPath<(i64, i64)>,
) -> ApiResult<StatusCode> {
    let scope = p.require(Permission::ManageUsers)?;
    user_in_scope(&state, p.manager(&scope), id).await?;
    grants::revoke(&state.db, &p.actor(), id, grant_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
