//! `/api/v1/settings/…`: the holiday calendar, deadline rules and category list.
//! They apply to the whole installation, so only an admin of a top-level division
//! may change them; deadlines of open matters are recomputed after a change.

use axum::Json;
use axum::extract::State;
use fazhi_core::calendar::Calendar;
use fazhi_core::matter::DeadlineRules;
use fazhi_core::role::Permission;
use fazhi_db::admin::settings;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::config::{CALENDAR_KEY, CATEGORIES_KEY, CategoryItem, RULES_KEY};
use crate::AppState;
use crate::auth::{ApiUser, Principal};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::ApiJson;

pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_calendar, put_calendar))
        .routes(routes!(get_rules, put_rules))
        .routes(routes!(get_categories, put_categories))
}

pub(crate) use crate::auth::require_global;

/// The holiday calendar as editable text, and what it covers.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CalendarDoc {
    /// TOML text: per year, the holidays with their rest days and make-up working days.
    pub text: String,
    /// Years covered (read-only).
    #[serde(default)]
    pub years: Vec<i32>,
    /// Set from 1 December when next year's official schedule is missing (read-only).
    #[serde(default)]
    pub next_year_missing: Option<i32>,
    /// Open matters whose deadlines were recomputed (after a change).
    #[serde(default)]
    pub recomputed: Option<u64>,
}

pub(crate) fn calendar_doc(state: &AppState) -> CalendarDoc {
    let cal = state.matters.calendar();
    CalendarDoc {
        text: cal.to_text(),
        years: cal.years(),
        next_year_missing: cal.next_year_missing(state.clock.today()),
        recomputed: None,
    }
}

/// The holiday calendar used for deadlines.
#[utoipa::path(get, path = "/api/v1/settings/calendar", tag = "settings",
    responses((status = 200, body = CalendarDoc)))]
pub(crate) async fn get_calendar(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
) -> ApiResult<Json<CalendarDoc>> {
    p.require(Permission::ViewMatters)
        .or_else(|_| p.require(Permission::ManageSettings))?;
    Ok(Json(calendar_doc(&state)))
}

/// Stores a calendar edited as text and recomputes the deadlines of open matters.
pub(crate) async fn save_calendar(state: &AppState, p: &Principal, text: &str) -> ApiResult<u64> {
    require_global(state, p).await?;
    let cal = Calendar::parse(text).map_err(|e| ApiError::field("text", e.to_string()))?;
    settings::put(&state.db, &p.actor(), CALENDAR_KEY, &cal.to_text()).await?;
    state.matters.set_calendar(cal.clone());
    Ok(
        fazhi_db::matters::write::recompute_open(&state.db, |s| s.recompute_deadlines(&cal))
            .await?,
    )
}

/// Replace the holiday calendar (admins of the whole installation).
#[utoipa::path(put, path = "/api/v1/settings/calendar", tag = "settings", request_body = CalendarDoc,
    responses((status = 200, body = CalendarDoc), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub(crate) async fn put_calendar(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiJson(body): ApiJson<CalendarDoc>,
) -> ApiResult<Json<CalendarDoc>> {
    let n = save_calendar(&state, &p, &body.text).await?;
    Ok(Json(CalendarDoc {
        recomputed: Some(n),
        ..calendar_doc(&state)
    }))
}

/// The deadline rules per kind of matter.
#[utoipa::path(get, path = "/api/v1/settings/deadline-rules", tag = "settings",
    responses((status = 200, body = Object)))]
pub(crate) async fn get_rules(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
) -> ApiResult<Json<DeadlineRules>> {
    p.require(Permission::ViewMatters)
        .or_else(|_| p.require(Permission::ManageSettings))?;
    Ok(Json(state.matters.rules()))
}

/// Replace the deadline rules; they apply to matters received or accepted from now on.
#[utoipa::path(put, path = "/api/v1/settings/deadline-rules", tag = "settings",
    request_body(content = Object, description = "DeadlineRules as returned by GET"),
    responses((status = 200, body = Object), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub(crate) async fn put_rules(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiJson(raw): ApiJson<serde_json::Value>,
) -> ApiResult<Json<DeadlineRules>> {
    require_global(&state, &p).await?;
    // Every key must be given: the stored rules fill gaps with defaults, an edit must not.
    let Some(obj) = raw.as_object() else {
        return Err(ApiError::field("rules", "期限规则须为JSON对象"));
    };
    for key in DeadlineRules::KEYS {
        if !obj.contains_key(key) {
            return Err(ApiError::field(key, "缺少该项期限规则，请完整填写"));
        }
    }
    if let Some(k) = obj
        .keys()
        .find(|k| !DeadlineRules::KEYS.contains(&k.as_str()))
    {
        return Err(ApiError::field(k, "不认识的期限规则项"));
    }
    let rules: DeadlineRules = serde_json::from_value(raw)
        .map_err(|e| ApiError::field("rules", format!("期限规则格式不正确：{e}")))?;
    rules.check().map_err(|(k, m)| ApiError::field(k, m))?;
    let text = serde_json::to_string(&rules).map_err(ApiError::internal)?;
    settings::put(&state.db, &p.actor(), RULES_KEY, &text).await?;
    state.matters.set_rules(rules.clone());
    Ok(Json(rules))
}

/// The category list for intake.
#[utoipa::path(get, path = "/api/v1/settings/categories", tag = "settings",
    responses((status = 200, body = Vec<CategoryItem>)))]
pub(crate) async fn get_categories(
    State(state): State<AppState>,
    ApiUser(_p): ApiUser,
) -> Json<Vec<CategoryItem>> {
    Json(state.matters.categories())
}

/// Replace the category list. Codes in use stay valid for old matters (shown as stored).
#[utoipa::path(put, path = "/api/v1/settings/categories", tag = "settings",
    request_body = Vec<CategoryItem>,
    responses((status = 200, body = Vec<CategoryItem>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub(crate) async fn put_categories(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiJson(cats): ApiJson<Vec<CategoryItem>>,
) -> ApiResult<Json<Vec<CategoryItem>>> {
    require_global(&state, &p).await?;
    if cats.is_empty() {
        return Err(ApiError::field("categories", "类别列表不能为空"));
    }
    let mut seen = std::collections::HashSet::new();
    for c in &cats {
        let ok_code = !c.code.is_empty()
            && c.code.len() <= 40
            && c.code
                .chars()
                .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_');
        if !ok_code || !seen.insert(c.code.clone()) {
            return Err(ApiError::field(
                "code",
                format!("类别代码“{}”须为不重复的小写字母、数字或下划线", c.code),
            ));
        }
        if c.label.trim().is_empty() || c.label.chars().count() > 20 {
            return Err(ApiError::field("label", "类别名称须为1到20个字"));
        }
    }
    let text = serde_json::to_string(&cats).map_err(ApiError::internal)?;
    settings::put(&state.db, &p.actor(), CATEGORIES_KEY, &text).await?;
    state.matters.set_categories(cats.clone());
    Ok(Json(cats))
}
