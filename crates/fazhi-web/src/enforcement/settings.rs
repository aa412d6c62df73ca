//! `/api/v1/settings/enforcement` and `/settings/enforcement`: the periods and limits
//! of cases (where sector or provincial rules differ from the national defaults) and
//! the 案卷评查 sheet. Installation-wide, so only a top-level admin changes them.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Json, Router};
use fazhi_core::enforcement::money::{parse_yuan, yuan};
use fazhi_core::enforcement::{EnforcementRules, Rubric};
use fazhi_core::role::Permission;
use fazhi_db::admin::settings;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::app::{RUBRIC_KEY, RULES_KEY, rubric, rules};
use crate::AppState;
use crate::auth::{ApiUser, PageUser, Principal};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::ApiJson;
use crate::matters::pages::see_other;
use crate::matters::settings_api::require_global;
use crate::page_error::{OrPage, PageError, PageResult};
use crate::pages::{Chrome, render, url_encode};

/// The enforcement settings.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct EnforcementSettings {
    /// Periods (calendar or working days) and limits in fen; see `fazhi_core::enforcement::EnforcementRules`.
    #[schema(value_type = Object)]
    pub rules: EnforcementRules,
    /// The 案卷评查 sheet: items (veto or points, summing to 100) and grade cut-offs.
    pub rubric: Rubric,
}

pub(crate) fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_settings, put_settings))
}

pub(crate) fn page_routes() -> Router<AppState> {
    Router::new().route("/settings/enforcement", get(page).post(submit))
}

async fn current(state: &AppState) -> ApiResult<EnforcementSettings> {
    Ok(EnforcementSettings {
        rules: rules(state).await?,
        rubric: rubric(state).await?,
    })
}

async fn save(state: &AppState, p: &Principal, s: &EnforcementSettings) -> ApiResult<()> {
    require_global(state, p).await?;
    s.rules
        .validate()
        .map_err(|m| ApiError::field("rules", m))?;
    s.rubric
        .validate()
        .map_err(|m| ApiError::field("rubric", m))?;
    let actor = p.actor();
    let json = |v: &dyn erased::Json| v.to_json();
    settings::put(&state.db, &actor, RULES_KEY, &json(&s.rules)).await?;
    settings::put(&state.db, &actor, RUBRIC_KEY, &json(&s.rubric)).await?;
    Ok(())
}

mod erased {
    /// Serialises either setting (a small indirection so `save` reads plainly).
    pub trait Json {
        fn to_json(&self) -> String;
    }
    impl<T: serde::Serialize> Json for T {
        fn to_json(&self) -> String {
            serde_json::to_string(self).expect("settings serialise")
        }
    }
}

/// The enforcement settings in force.
#[utoipa::path(get, path = "/api/v1/settings/enforcement", tag = "settings",
    responses((status = 200, body = EnforcementSettings), (status = 403, body = ErrorBody)))]
pub(crate) async fn get_settings(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
) -> ApiResult<Json<EnforcementSettings>> {
    p.require(Permission::ViewCases)
        .or_else(|_| p.require(Permission::ManageSettings))?;
    Ok(Json(current(&state).await?))
}

/// Replace the enforcement settings (top-level admins); both are checked first.
#[utoipa::path(put, path = "/api/v1/settings/enforcement", tag = "settings",
    request_body = EnforcementSettings,
    responses((status = 200, body = EnforcementSettings), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub(crate) async fn put_settings(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiJson(body): ApiJson<EnforcementSettings>,
) -> ApiResult<Json<EnforcementSettings>> {
    save(&state, &p, &body).await?;
    Ok(Json(current(&state).await?))
}

#[derive(Template)]
#[template(path = "enforcement/settings.html")]
struct SettingsPage {
    chrome: Chrome,
    r: EnforcementRules,
    rubric_json: String,
    ok: Option<String>,
    err: Option<String>,
}

impl SettingsPage {
    fn yuan(&self, fen: &i64) -> String {
        yuan(*fen)
    }
}

#[derive(Deserialize, Default)]
struct Flash {
    ok: Option<String>,
    err: Option<String>,
}

async fn page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Query(f): Query<Flash>,
) -> PageResult<Response> {
    if require_global(&state, &p).await.is_err() {
        return Err(PageError::forbidden(&p));
    }
    let active = "/settings/enforcement";
    let s = current(&state).await.page(&p, active)?;
    Ok(render(&SettingsPage {
        chrome: Chrome::new(&p, active),
        rubric_json: serde_json::to_string_pretty(&s.rubric).unwrap_or_default(),
        r: s.rules,
        ok: f.ok,
        err: f.err,
    }))
}

#[derive(Deserialize)]
struct SettingsForm {
    simple_fine_citizen: String,
    simple_fine_organisation: String,
    on_spot_collection: String,
    large_fine_citizen: String,
    large_fine_organisation: String,
    max_extension_days: String,
    defence_days: String,
    published_years_citizen: String,
    published_years_organisation: String,
    rubric: String,
}

async fn submit(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Form(f): Form<SettingsForm>,
) -> PageResult<Response> {
    let back =
        |k: &str, m: &str| see_other(&format!("/settings/enforcement?{k}={}", url_encode(m)));
    let mut s = current(&state).await.page(&p, "/settings/enforcement")?;
    let parsed = (|| -> Result<(), String> {
        let money = |v: &str, what: &str| parse_yuan(v).map_err(|e| format!("{what}：{e}"));
        let number = |v: &str, what: &str| {
            v.trim()
                .parse::<u32>()
                .map_err(|_| format!("{what}须为整数"))
        };
        s.rules.simple_fine_citizen_fen = money(&f.simple_fine_citizen, "对公民当场罚款限额")?;
        s.rules.simple_fine_organisation_fen =
            money(&f.simple_fine_organisation, "对组织当场罚款限额")?;
        s.rules.on_spot_collection_fen = money(&f.on_spot_collection, "当场收缴限额")?;
        s.rules.large_fine_citizen_fen = money(&f.large_fine_citizen, "对公民较大数额罚款")?;
        s.rules.large_fine_organisation_fen =
            money(&f.large_fine_organisation, "对组织较大数额罚款")?;
        s.rules.max_extension_days = number(&f.max_extension_days, "可延长天数")?;
        s.rules.defence_period.days = number(&f.defence_days, "陈述申辩期限")?;
        s.rules.published_years_citizen =
            number(&f.published_years_citizen, "自然人公示年限")? as i32;
        s.rules.published_years_organisation =
            number(&f.published_years_organisation, "组织公示年限")? as i32;
        s.rubric = serde_json::from_str(&f.rubric)
            .map_err(|_| "评查标准的格式有误（JSON）".to_string())?;
        Ok(())
    })();
    if let Err(m) = parsed {
        return Ok(back("err", &m));
    }
    match save(&state, &p, &s).await {
        Ok(()) => Ok(back("ok", "已保存行政执法设置")),
        Err(e) if e.status.is_client_error() => {
            Ok(back("err", &crate::matters::pages::error_text(&e)))
        }
        Err(e) => Err(PageError::of(e, &p, "/settings/enforcement")),
    }
}
