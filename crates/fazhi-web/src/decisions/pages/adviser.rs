//! The legal advisers pages: the roster with each village's coverage (一村一法律顾问),
//! adding an adviser, the adviser page (work log, assessments, the forms to log work
//! and to assess) and the adviser's own page. Every form goes through `adviser_app`.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use fazhi_core::decisions::{AdviserLogKind, AdviserRating};
use fazhi_core::enforcement::money::parse_yuan;
use fazhi_core::role::Permission;
use serde_json::{Map, Value, json};

use super::{Flash, require};
use crate::AppState;
use crate::auth::{PageUser, Principal};
use crate::decisions::adviser_app as app;
use crate::decisions::adviser_wire::{
    AdviserDetail, AdviserInput, AdviserOut, AdviserWorkOut, AssessmentCreate, CoverageQuery,
    LogCreate, VillageCoverage, WorkQuery,
};
use crate::error::ApiError;
use crate::extract::ApiPath;
use crate::matters::pages::{error_text, see_other};
use crate::page_error::{OrPage, PageError, PageResult};
use crate::pages::{Chrome, render, url_encode};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/decisions/advisers", get(list_page))
        .route("/decisions/advisers/new", get(new_page).post(new_submit))
        .route("/decisions/advisers/me", get(me_page))
        .route("/decisions/advisers/work", get(work_page))
        .route("/decisions/advisers/{id}", get(adviser_page))
        .route("/decisions/advisers/{id}/edit", post(edit_submit))
        .route("/decisions/advisers/{id}/log", post(log_submit))
        .route("/decisions/advisers/{id}/assess", post(assess_submit))
        .route("/decisions/reviews/{id}/adviser", post(assign_submit))
}

const ACTIVE: &str = "/decisions";

struct Fields(Vec<(String, String)>);

impl Fields {
    fn one(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }
    fn text(&self, name: &str) -> String {
        self.one(name).unwrap_or_default().to_string()
    }
}

fn parse<T: serde::de::DeserializeOwned>(v: Value) -> Result<T, String> {
    serde_json::from_value(v).map_err(|e| {
        let t = e.to_string();
        if t.contains("date") || t.contains('-') {
            "日期格式有误，请按“年-月-日”填写".to_string()
        } else {
            "表单内容有误，请检查后重新提交".to_string()
        }
    })
}

/// A refused input goes back to the form with its message; others are error pages.
fn back_or_page(e: ApiError, p: &Principal, back: &str) -> PageResult<Response> {
    if e.status.is_client_error()
        && e.status != axum::http::StatusCode::FORBIDDEN
        && e.status != axum::http::StatusCode::NOT_FOUND
    {
        Ok(see_other(&format!(
            "{back}?err={}",
            url_encode(&error_text(&e))
        )))
    } else {
        Err(PageError::of(e, p, ACTIVE))
    }
}

#[derive(Template)]
#[template(path = "decisions/advisers.html")]
struct ListPage {
    chrome: Chrome,
    rows: Vec<AdviserOut>,
    villages: Vec<VillageCoverage>,
    uncovered: usize,
    can_write: bool,
    stats: crate::decisions::adviser_wire::AdviserStatsOut,
}

async fn list_page(State(state): State<AppState>, PageUser(p): PageUser) -> PageResult<Response> {
    require(&p, Permission::ViewLegalReviews)?;
    let here = "/decisions/advisers";
    let rows = app::list(&state, &p).await.page(&p, here)?;
    let villages = app::coverage(&state, &p, &CoverageQuery::default())
        .await
        .page(&p, here)?;
    let stats = app::stats(&state, &p, state.clock.today().year())
        .await
        .page(&p, here)?;
    Ok(render(&ListPage {
        stats,
        chrome: Chrome::new(&p, ACTIVE),
        uncovered: villages.iter().filter(|v| !v.covered).count(),
        rows,
        villages,
        can_write: p.can(Permission::SubmitLegalReview),
    }))
}

#[derive(Template)]
#[template(path = "decisions/adviser_new.html")]
struct NewPage {
    chrome: Chrome,
    error: Option<String>,
}

#[derive(serde::Deserialize, Default)]
struct ErrQuery {
    err: Option<String>,
}

async fn new_page(PageUser(p): PageUser, Query(q): Query<ErrQuery>) -> PageResult<Response> {
    require(&p, Permission::SubmitLegalReview)?;
    Ok(render(&NewPage {
        chrome: Chrome::new(&p, ACTIVE),
        error: q.err,
    }))
}

fn create_body(f: &Fields) -> Result<AdviserInput, String> {
    let mut m = Map::new();
    for k in ["firm", "lawyer", "licence_no", "service_scope"] {
        m.insert(k.into(), json!(f.text(k)));
    }
    for (k, what) in [("term_from", "聘用起始日期"), ("term_to", "聘用终止日期")] {
        m.insert(k.into(), json!(f.one(k).ok_or(format!("请填写{what}"))?));
    }
    m.insert(
        "fee_fen".into(),
        json!(parse_yuan(f.one("fee").unwrap_or("0"))?),
    );
    m.insert(
        "serves_township".into(),
        json!(f.one("serves_township").is_some()),
    );
    for k in ["township_code", "username"] {
        if let Some(v) = f.one(k) {
            m.insert(k.into(), json!(v));
        }
    }
    let villages: Vec<String> = f
        .text("village_codes")
        .split(|c: char| c == ',' || c == '，' || c == '、' || c.is_whitespace())
        .filter(|c| !c.is_empty())
        .map(str::to_string)
        .collect();
    m.insert("village_codes".into(), json!(villages));
    parse(Value::Object(m))
}

async fn new_submit(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    require(&p, Permission::SubmitLegalReview)?;
    let back = "/decisions/advisers/new";
    let body = match create_body(&Fields(fields)) {
        Ok(b) => b,
        Err(m) => return Ok(see_other(&format!("{back}?err={}", url_encode(&m)))),
    };
    match app::create(&state, &p, &body).await {
        Ok(d) => Ok(see_other(&format!(
            "/decisions/advisers/{}?ok={}",
            d.adviser.id,
            url_encode("已登记法律顾问")
        ))),
        Err(e) => back_or_page(e, &p, back),
    }
}

#[derive(Template)]
#[template(path = "decisions/adviser.html")]
struct AdviserPage {
    chrome: Chrome,
    d: AdviserDetail,
    flash: Flash,
    today: String,
    year: i32,
    kinds: Vec<(&'static str, &'static str)>,
    ratings: Vec<(&'static str, &'static str)>,
    /// Work entries link to their records (not for an adviser's own account).
    links: bool,
    /// The fee in yuan and the villages' codes, for the edit form.
    fee_yuan: String,
    village_codes: String,
}

fn adviser_page_of(state: &AppState, p: &Principal, d: AdviserDetail, flash: Flash) -> Response {
    let today = state.clock.today();
    let fee_yuan = fazhi_core::enforcement::money::yuan(d.adviser.fee_fen);
    let village_codes = d
        .adviser
        .villages
        .iter()
        .map(|v| v.code.as_str())
        .collect::<Vec<_>>()
        .join(",");
    render(&AdviserPage {
        chrome: Chrome::new(
            p,
            if p.can(Permission::ViewLegalReviews) {
                ACTIVE
            } else {
                "/decisions/advisers/me"
            },
        ),
        d,
        flash,
        links: p.can(Permission::ViewLegalReviews),
        fee_yuan,
        village_codes,
        today: today.to_string(),
        year: today.year(),
        kinds: AdviserLogKind::ALL
            .iter()
            .map(|k| (k.as_str(), k.label_zh()))
            .collect(),
        ratings: AdviserRating::ALL
            .iter()
            .map(|k| (k.as_str(), k.label_zh()))
            .collect(),
    })
}

async fn adviser_page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(id): ApiPath<i64>,
    Query(flash): Query<Flash>,
) -> PageResult<Response> {
    let d = app::detail(&state, &p, id)
        .await
        .page(&p, "/decisions/advisers")?;
    Ok(adviser_page_of(&state, &p, d, flash))
}

async fn me_page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Query(flash): Query<Flash>,
) -> PageResult<Response> {
    require(&p, Permission::ActAsLegalAdviser)?;
    let d = app::me(&state, &p)
        .await
        .page(&p, "/decisions/advisers/me")?;
    Ok(adviser_page_of(&state, &p, d, flash))
}

async fn edit_submit(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(id): ApiPath<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    let here = format!("/decisions/advisers/{id}");
    let f = Fields(fields);
    let body = create_body(&f).and_then(|mut b| {
        b.version = match f.one("version") {
            Some(v) => Some(v.parse().map_err(|_| "版本号须为数字".to_string())?),
            None => None,
        };
        Ok(b)
    });
    let body = match body {
        Ok(b) => b,
        Err(m) => return Ok(see_other(&format!("{here}?err={}", url_encode(&m)))),
    };
    match app::update(&state, &p, id, &body).await {
        Ok(_) => Ok(see_other(&format!("{here}?ok={}", url_encode("已修改")))),
        Err(e) => back_or_page(e, &p, &here),
    }
}

async fn log_submit(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(id): ApiPath<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    let here = format!("/decisions/advisers/{id}");
    let f = Fields(fields);
    let body: Result<LogCreate, String> = parse(json!({
        "on": f.text("on"), "kind": f.text("kind"), "subject": f.text("subject"), "note": f.text("note"),
    }));
    let body = match body {
        Ok(b) => b,
        Err(m) => return Ok(see_other(&format!("{here}?err={}", url_encode(&m)))),
    };
    match app::add_log(&state, &p, id, &body).await {
        Ok(_) => Ok(see_other(&format!("{here}?ok={}", url_encode("已登记")))),
        Err(e) => back_or_page(e, &p, &here),
    }
}

async fn assess_submit(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(id): ApiPath<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    let here = format!("/decisions/advisers/{id}");
    let f = Fields(fields);
    let Ok(year) = f.text("year").parse::<i32>() else {
        return Ok(see_other(&format!(
            "{here}?err={}",
            url_encode("考核年度须为四位数字")
        )));
    };
    let body: Result<AssessmentCreate, String> = parse(json!({
        "year": year, "rating": f.text("rating"), "note": f.text("note"),
    }));
    let body = match body {
        Ok(b) => b,
        Err(m) => return Ok(see_other(&format!("{here}?err={}", url_encode(&m)))),
    };
    match app::assess(&state, &p, id, &body).await {
        Ok(_) => Ok(see_other(&format!(
            "{here}?ok={}",
            url_encode("已记录年度考核")
        ))),
        Err(e) => back_or_page(e, &p, &here),
    }
}

async fn assign_submit(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(id): ApiPath<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    let here = format!("/decisions/reviews/{id}");
    let f = Fields(fields);
    let Some(adviser_id) = f.one("adviser_id").and_then(|v| v.parse::<i64>().ok()) else {
        return Ok(see_other(&format!(
            "{here}?err={}",
            url_encode("请选择法律顾问")
        )));
    };
    let body = crate::decisions::adviser_wire::AssignAdviser { adviser_id };
    match app::assign(&state, &p, id, &body).await {
        Ok(a) => Ok(see_other(&format!(
            "{here}?ok={}",
            url_encode(&format!("已交法律顾问{}审查", a.lawyer))
        ))),
        Err(e) => back_or_page(e, &p, &here),
    }
}

#[derive(Template)]
#[template(path = "decisions/adviser_work.html")]
struct WorkPage {
    chrome: Chrome,
    title: String,
    rows: Vec<AdviserWorkOut>,
}

/// The drill-down of the advisers' work figures: the entries a figure counts.
async fn work_page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Query(q): Query<WorkQuery>,
) -> PageResult<Response> {
    require(&p, Permission::ViewLegalReviews)?;
    let rows = app::work(&state, &p, &q)
        .await
        .page(&p, "/decisions/advisers")?;
    let year = q.year.unwrap_or_else(|| state.clock.today().year());
    let kind = q
        .kind
        .as_deref()
        .and_then(|k| {
            fazhi_core::decisions::AdviserWorkKind::ALL
                .iter()
                .map(|w| (w.as_str(), w.label_zh()))
                .chain(
                    AdviserLogKind::ALL
                        .iter()
                        .map(|w| (w.as_str(), w.label_zh())),
                )
                .find(|(c, _)| *c == k)
        })
        .map_or("全部履职记录", |(_, l)| l);
    let who = match (q.adviser_id, rows.first()) {
        (Some(_), Some(r)) => format!("{}律师 · ", r.lawyer),
        _ => String::new(),
    };
    Ok(render(&WorkPage {
        chrome: Chrome::new(&p, "/decisions"),
        title: format!("{who}{year}年 · {kind}"),
        rows,
    }))
}
