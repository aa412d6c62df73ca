//! Monthly sweeps (排查): a grid submits the matters found that month or a zero report;
//! the township sees which grids have not reported.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use fazhi_core::role::{Permission, Scope};
use fazhi_db::DbError;
use fazhi_db::matters::sweeps::{self, NewSweep};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::admin::api::division_in_scope;
use crate::auth::{ApiUser, Principal};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiQuery};

pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(submit_sweep))
        .routes(routes!(sweep_status))
}

/// Body of `POST /api/v1/sweeps`.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct SweepIn {
    /// The grid; a grid worker's own grid when absent.
    #[serde(default)]
    pub grid_id: Option<i64>,
    /// `YYYY-MM`; this month when absent.
    #[serde(default)]
    pub month: Option<String>,
    /// 零报告: nothing found this month.
    #[serde(default)]
    pub zero_report: bool,
    /// Matters found (registered first), in the grid's village.
    #[serde(default)]
    pub matter_ids: Vec<i64>,
    #[serde(default)]
    pub note: Option<String>,
}

/// A stored sweep.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SweepOut {
    pub id: i64,
    pub grid_id: i64,
    pub month: String,
    pub zero_report: bool,
    pub matters: usize,
}

pub(crate) fn this_month(state: &AppState) -> String {
    state.clock.today().to_string()[..7].to_string()
}

fn check_month(state: &AppState, m: &str) -> ApiResult<String> {
    let bad = || ApiError::field("month", "月份格式须为YYYY-MM");
    let (y, mo) = m.trim().split_once('-').ok_or_else(bad)?;
    let (y, mo): (i32, u8) = (
        y.parse().map_err(|_| bad())?,
        mo.parse().map_err(|_| bad())?,
    );
    if !(2000..=2100).contains(&y) || !(1..=12).contains(&mo) {
        return Err(bad());
    }
    let month = format!("{y:04}-{mo:02}");
    if month > this_month(state) {
        return Err(ApiError::field("month", "不能提交以后月份的排查"));
    }
    Ok(month)
}

/// The scope in which the caller submits sweeps (grid workers, or staff for them).
pub(crate) fn sweep_scope(p: &Principal) -> ApiResult<Scope> {
    [
        Permission::ReportMatter,
        Permission::RegisterMatter,
        Permission::ManageMatters,
    ]
    .into_iter()
    .map(|perm| p.scope(perm))
    .find(|s| !s.is_empty())
    .ok_or_else(ApiError::forbidden)
}

/// A grid worker's own grid: someone who reports matters but neither registers nor
/// manages them works for the grid their account names, and for no other (their grant
/// on the village lets them read its matters, not speak for its other grids). None for
/// staff, and for a grid worker whose account names no grid.
pub(crate) async fn own_grid(state: &AppState, p: &Principal) -> ApiResult<Option<i64>> {
    if p.can(Permission::RegisterMatter)
        || p.can(Permission::ManageMatters)
        || !p.can(Permission::ReportMatter)
    {
        return Ok(None);
    }
    Ok(fazhi_db::auth::users::get(&state.db, p.user_id)
        .await?
        .grid_id)
}

/// The refusal of a grid worker's act for a grid not their own.
pub(crate) fn not_own_grid(message: &str) -> ApiError {
    ApiError::new(StatusCode::FORBIDDEN, "not_own_grid", message)
}

/// Submit a grid's monthly sweep: the matters found, or a zero report.
#[utoipa::path(post, path = "/api/v1/sweeps", tag = "matters", request_body = SweepIn,
    responses((status = 201, body = SweepOut), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn submit_sweep(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiJson(body): ApiJson<SweepIn>,
) -> ApiResult<(StatusCode, Json<SweepOut>)> {
    Ok((StatusCode::CREATED, Json(submit(&state, &p, body).await?)))
}

/// Checks and stores a sweep for the caller; shared by the API and the page.
pub(crate) async fn submit(state: &AppState, p: &Principal, body: SweepIn) -> ApiResult<SweepOut> {
    let state = state.clone();
    let scope = sweep_scope(p)?;
    let own = own_grid(&state, p).await?;
    let grid_id = match (body.grid_id, own) {
        (Some(g), Some(o)) if g != o => {
            return Err(not_own_grid("网格员只能提交本人负责网格的排查"));
        }
        (Some(g), _) => g,
        (None, Some(o)) => o,
        (None, None) => fazhi_db::auth::users::get(&state.db, p.user_id)
            .await?
            .grid_id
            .ok_or_else(|| ApiError::field("grid_id", "请选择网格"))?,
    };
    let grid = fazhi_db::admin::grids::by_id(&state.db, grid_id)
        .await
        .ok()
        .filter(|g| scope.covers(&g.division_path))
        .ok_or_else(|| ApiError::field("grid_id", "网格不存在或不在管辖范围内"))?;
    let month = match body.month.as_deref().filter(|m| !m.trim().is_empty()) {
        Some(m) => check_month(&state, m)?,
        None => this_month(&state),
    };
    match (body.zero_report, body.matter_ids.is_empty()) {
        (true, false) => {
            return Err(ApiError::field("zero_report", "零报告不能同时列出事项"));
        }
        (false, true) => {
            return Err(ApiError::field(
                "matter_ids",
                "请列出本月排查发现的事项（先登记），或提交零报告",
            ));
        }
        _ => {}
    }
    let view = p.scope(Permission::ViewMatters);
    for (i, id) in body.matter_ids.iter().enumerate() {
        let ok = fazhi_db::matters::read::get(&state.db, &view.roots, *id)
            .await
            .is_ok_and(|m| m.division_path.starts_with(&grid.division_path));
        if !ok {
            return Err(ApiError::field(
                &format!("matter_ids[{i}]"),
                "事项不存在或不属于本网格所在村（社区）",
            ));
        }
    }
    let note = body
        .note
        .unwrap_or_default()
        .trim()
        .chars()
        .take(500)
        .collect();
    let s = NewSweep {
        grid_id,
        month: month.clone(),
        zero_report: body.zero_report,
        note,
        matter_ids: body.matter_ids.clone(),
    };
    let id = sweeps::submit(&state.db, &p.actor(), &s)
        .await
        .map_err(|e| match e {
            DbError::Conflict { field: "month", .. } => ApiError::new(
                StatusCode::CONFLICT,
                "conflict",
                format!("本网格{month}的排查已提交"),
            ),
            other => other.into(),
        })?;
    Ok(SweepOut {
        id,
        grid_id,
        month,
        zero_report: body.zero_report,
        matters: body.matter_ids.len(),
    })
}

/// Query of the sweep status.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SweepQuery {
    /// Township or village code; the caller's area when absent.
    pub division: Option<String>,
    /// `YYYY-MM`; this month when absent.
    pub month: Option<String>,
}

/// One grid's state for the month.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GridSweep {
    pub grid_id: i64,
    pub grid_name: String,
    pub village_code: String,
    pub village_name: String,
    /// Submitted at all.
    pub reported: bool,
    pub zero_report: bool,
    pub matters: i64,
}

/// Which grids have reported for a month.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SweepStatus {
    pub month: String,
    pub reported: usize,
    pub missing: usize,
    pub grids: Vec<GridSweep>,
}

pub(crate) async fn status_of(
    state: &AppState,
    p: &Principal,
    q: &SweepQuery,
) -> ApiResult<SweepStatus> {
    let scope = p.require(Permission::ViewMatters)?;
    let month = match q.month.as_deref().filter(|m| !m.trim().is_empty()) {
        Some(m) => check_month(state, m)?,
        None => this_month(state),
    };
    let path = match q.division.as_deref().filter(|d| !d.trim().is_empty()) {
        Some(code) => {
            division_in_scope(state, &scope, code.trim(), Some("division"))
                .await?
                .path
        }
        None => scope.roots.first().cloned().unwrap_or_default(),
    };
    let rows = sweeps::status(&state.db, &scope.roots, &path, &month).await?;
    let grids: Vec<GridSweep> = rows
        .into_iter()
        .map(|r| GridSweep {
            reported: r.sweep_id.is_some(),
            zero_report: r.zero_report == Some(true),
            matters: r.matters,
            grid_id: r.grid_id,
            grid_name: r.grid_name,
            village_code: r.village_code,
            village_name: r.village_name,
        })
        .collect();
    let reported = grids.iter().filter(|g| g.reported).count();
    Ok(SweepStatus {
        month,
        reported,
        missing: grids.len() - reported,
        grids,
    })
}

/// Which grids of an area have (not) submitted their sweep for a month.
#[utoipa::path(get, path = "/api/v1/sweeps/status", tag = "matters", params(SweepQuery),
    responses((status = 200, body = SweepStatus), (status = 400, body = ErrorBody)))]
pub(crate) async fn sweep_status(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(q): ApiQuery<SweepQuery>,
) -> ApiResult<Json<SweepStatus>> {
    Ok(Json(status_of(&state, &p, &q).await?))
}
