//! Major decision pages: the catalogues with their decisions, a decision with a form for
//! each step it allows now, and the public page (no login).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use fazhi_core::role::Permission;
use serde_json::{Map, Value, json};

use super::{Flash, require};
use crate::AppState;
use crate::auth::PageUser;
use crate::decisions::major_app as app;
use crate::decisions::major_wire::{
    AgreementIn, CatalogueOut, DecisionActionBody, DecisionDetail, DecisionPlanIn, PublicDecisions,
};
use crate::error::ApiError;
use crate::extract::ApiPath;
use crate::matters::pages::{error_text, see_other};
use crate::page_error::{OrPage, PageError, PageResult};
use crate::pages::{Chrome, render, url_encode};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/decisions/major", get(list_page))
        .route("/decisions/major/plan", post(plan_submit))
        .route("/decisions/major/list", get(figure_page))
        .route(
            "/decisions/major/catalogues/{id}/agreement",
            post(agree_submit),
        )
        .route(
            "/decisions/major/catalogues/{id}/publish",
            post(publish_submit),
        )
        .route("/decisions/major/{id}", get(decision_page))
        .route("/decisions/major/{id}/act", post(act_submit))
        .route("/public/decisions/{code}", get(public_page))
}

fn one(f: &[(String, String)], k: &str) -> Option<String> {
    f.iter()
        .find(|(n, _)| n == k)
        .map(|(_, v)| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// Where a form's result goes: back with the message, or the error page.
fn answer<T>(
    r: Result<T, ApiError>,
    p: &crate::auth::Principal,
    here: &str,
    ok: &str,
) -> PageResult<Response> {
    match r {
        Ok(_) => Ok(see_other(&format!("{here}?ok={}", url_encode(ok)))),
        Err(e) if e.status.is_client_error() && e.status != axum::http::StatusCode::NOT_FOUND => {
            Ok(see_other(&format!(
                "{here}?err={}",
                url_encode(&error_text(&e))
            )))
        }
        Err(e) => Err(PageError::of(e, p, "/decisions/major")),
    }
}

#[derive(Template)]
#[template(path = "decisions/major.html")]
struct ListPage {
    chrome: Chrome,
    catalogues: Vec<CatalogueOut>,
    can_decide: bool,
    year: i32,
    today: String,
    flash: Flash,
}

async fn list_page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Query(flash): Query<Flash>,
) -> PageResult<Response> {
    require(&p, Permission::ViewDecisions)?;
    let catalogues = app::catalogues(&state, &p).await.page(&p, "/decisions")?;
    Ok(render(&ListPage {
        chrome: Chrome::new(&p, "/decisions"),
        catalogues,
        can_decide: p.can(Permission::DecideMajor),
        year: state.clock.today().year(),
        today: state.clock.today().to_string(),
        flash,
    }))
}

async fn plan_submit(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Form(f): Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    require(&p, Permission::DecideMajor)?;
    let here = "/decisions/major";
    let year: i32 = one(&f, "year").and_then(|y| y.parse().ok()).unwrap_or(0);
    let body = json!({
        "title": one(&f, "title").unwrap_or_default(),
        "lead_unit": one(&f, "lead_unit").unwrap_or_default(),
        "planned_steps": one(&f, "planned_steps").unwrap_or_default(),
        "needs_experts": one(&f, "needs_experts").is_some(),
        "needs_risk": one(&f, "needs_risk").is_some(),
        "reason": one(&f, "reason").unwrap_or_default(),
    });
    let body: DecisionPlanIn = serde_json::from_value(body)
        .map_err(ApiError::internal)
        .page(&p, here)?;
    answer(
        app::plan(&state, &p, year, &body).await,
        &p,
        here,
        "已列入决策事项目录",
    )
}

async fn agree_submit(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(id): ApiPath<i64>,
    Form(f): Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    require(&p, Permission::DecideMajor)?;
    let here = "/decisions/major";
    let body: Result<AgreementIn, _> =
        serde_json::from_value(json!({"on": one(&f, "on").unwrap_or_default()}));
    let r = match body {
        Ok(b) => app::agree(&state, &p, id, &b).await,
        Err(_) => Err(ApiError::field("on", "请填写党委同意日期")),
    };
    answer(r, &p, here, "已登记党委同意日期")
}

async fn publish_submit(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(id): ApiPath<i64>,
) -> PageResult<Response> {
    require(&p, Permission::DecideMajor)?;
    let r = app::publish_catalogue(&state, &p, id).await;
    answer(r, &p, "/decisions/major", "已公布决策事项目录")
}

#[derive(Template)]
#[template(path = "decisions/decision.html")]
struct DecisionPage {
    chrome: Chrome,
    d: DecisionDetail,
    flash: Flash,
}

async fn decision_page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(id): ApiPath<i64>,
    Query(flash): Query<Flash>,
) -> PageResult<Response> {
    require(&p, Permission::ViewDecisions)?;
    let d = app::detail(&state, &p, id)
        .await
        .page(&p, "/decisions/major")?;
    Ok(render(&DecisionPage {
        chrome: Chrome::new(&p, "/decisions"),
        d,
        flash,
    }))
}

/// The form as the API's body: numbers and flags typed, empty fields left out.
fn action_body(f: &[(String, String)]) -> Result<DecisionActionBody, String> {
    let mut m = Map::new();
    // Advisers picked from the roster: one checkbox each, an array in the API.
    let mut advisers = Vec::new();
    for (k, v) in f {
        let v = v.trim();
        if k == "_csrf" || v.is_empty() {
            continue;
        }
        if k == "adviser_ids" {
            advisers.push(json!(
                v.parse::<i64>().map_err(|_| "请从名册中选择法律顾问")?
            ));
            continue;
        }
        let val = match k.as_str() {
            "version" | "days" => json!(v.parse::<i64>().map_err(|_| "请填写数字")?),
            "index" => json!(v.parse::<i64>().map_err(|_| "请填写意见序号")? - 1),
            "head_against_majority" => json!(true),
            _ => json!(v),
        };
        m.insert(k.clone(), val);
    }
    if !advisers.is_empty() {
        m.insert("adviser_ids".into(), Value::Array(advisers));
    }
    serde_json::from_value(Value::Object(m)).map_err(|e| {
        if e.to_string().contains('-') {
            "日期格式有误，请按“年-月-日”填写".to_string()
        } else {
            "表单内容不完整，请检查后重新提交".to_string()
        }
    })
}

async fn act_submit(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(id): ApiPath<i64>,
    Form(f): Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    require(&p, Permission::ViewDecisions)?;
    let here = format!("/decisions/major/{id}");
    let body = match action_body(&f) {
        Ok(b) => b,
        Err(m) => return Ok(see_other(&format!("{here}?err={}", url_encode(&m)))),
    };
    let label = format!("已{}", body.action.code().label_zh());
    answer(app::act(&state, &p, id, &body).await, &p, &here, &label)
}

#[derive(Template)]
#[template(path = "decisions/public.html")]
struct PublicPage {
    v: PublicDecisions,
}

async fn public_page(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> PageResult<Response> {
    let v = app::public_view(&state, &code).await?;
    Ok(render(&PublicPage { v }))
}

#[derive(Template)]
#[template(path = "decisions/major_list.html")]
struct FigurePage {
    chrome: Chrome,
    title: String,
    rows: Vec<crate::decisions::major_wire::DecisionOut>,
}

/// The drill-down of the major decisions' figures: the decisions a figure or a step of
/// a year's catalogues counts.
async fn figure_page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Query(q): Query<crate::decisions::major_stats::DecisionQuery>,
) -> PageResult<Response> {
    use fazhi_core::decisions::{DecisionFigure, DecisionStatus};
    require(&p, Permission::ViewDecisions)?;
    let rows = crate::decisions::major_stats::list(&state, &p, &q)
        .await
        .page(&p, "/decisions/major")?;
    let year = q.year.unwrap_or_else(|| state.clock.today().year());
    let what = q
        .figure
        .as_deref()
        .and_then(|f| f.parse::<DecisionFigure>().ok())
        .map(|f| f.label_zh())
        .or_else(|| {
            q.status
                .as_deref()
                .and_then(|s| s.parse::<DecisionStatus>().ok())
                .map(|s| s.label_zh())
        })
        .unwrap_or("决策事项");
    Ok(render(&FigurePage {
        chrome: Chrome::new(&p, "/decisions"),
        title: format!("{year}年决策事项目录 · {what}"),
        rows,
    }))
}
