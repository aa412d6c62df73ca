//! The contracts pages: the register with the expiry reminders on top, registering a
//! contract, and the contract page with its review, milestones and the forms its state
//! allows. Every form goes through `contract_app`, as the API does.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use fazhi_core::decisions::ContractStatus;
use fazhi_core::enforcement::money::parse_yuan;
use fazhi_core::role::Permission;
use serde_json::{Map, Value, json};

use super::{Flash, require};
use crate::AppState;
use crate::auth::PageUser;
use crate::decisions::contract_app as app;
use crate::decisions::contract_wire::{
    ContractActionBody, ContractCreate, ContractDetail, ContractOut, ContractQuery, EXPIRY_DAYS,
    ExpiringQuery,
};
use crate::extract::ApiPath;
use crate::matters::pages::{error_text, see_other};
use crate::page_error::{OrPage, PageError, PageResult};
use crate::pages::{Chrome, render, url_encode};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/decisions/contracts", get(list_page))
        .route("/decisions/contracts/new", get(new_page).post(new_submit))
        .route("/decisions/contracts/{id}", get(contract_page))
        .route("/decisions/contracts/{id}/act", post(act_submit))
}

const ACTIVE: &str = "/decisions";

/// The submitted fields, in order.
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

#[derive(Template)]
#[template(path = "decisions/contracts.html")]
struct ListPage {
    chrome: Chrome,
    rows: Vec<ContractOut>,
    expiring: Vec<ContractOut>,
    expiry_days: i64,
    statuses: Vec<(&'static str, &'static str, bool)>,
    year: String,
    skipped: bool,
    can_write: bool,
}

async fn list_page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Query(q): Query<ContractQuery>,
) -> PageResult<Response> {
    require(&p, Permission::ViewLegalReviews)?;
    let here = "/decisions/contracts";
    let rows = app::list(&state, &p, &q).await.page(&p, here)?;
    let expiring = app::expiring(&state, &p, &ExpiringQuery::default())
        .await
        .page(&p, here)?;
    let sel = |c: &str| q.status.as_deref() == Some(c);
    Ok(render(&ListPage {
        chrome: Chrome::new(&p, ACTIVE),
        rows,
        expiring,
        expiry_days: EXPIRY_DAYS,
        statuses: ContractStatus::ALL
            .iter()
            .map(|s| (s.as_str(), s.label_zh(), sel(s.as_str())))
            .collect(),
        year: q.year.map(|y| y.to_string()).unwrap_or_default(),
        skipped: q.skipped == Some(true),
        can_write: p.can(Permission::SubmitLegalReview),
    }))
}

#[derive(Template)]
#[template(path = "decisions/contract_new.html")]
struct NewPage {
    chrome: Chrome,
    error: Option<String>,
}

#[derive(serde::Deserialize, Default)]
struct NewQuery {
    err: Option<String>,
}

async fn new_page(PageUser(p): PageUser, Query(q): Query<NewQuery>) -> PageResult<Response> {
    require(&p, Permission::SubmitLegalReview)?;
    Ok(render(&NewPage {
        chrome: Chrome::new(&p, ACTIVE),
        error: q.err,
    }))
}

/// The form as the API's body: the amount typed in yuan becomes fen.
fn create_body(f: &Fields) -> Result<ContractCreate, String> {
    let mut m = Map::new();
    for k in ["title", "counterparty", "drafting_unit"] {
        m.insert(k.into(), json!(f.text(k)));
    }
    let amount = parse_yuan(f.one("amount").unwrap_or("0"))?;
    m.insert("amount_fen".into(), json!(amount));
    for k in ["starts_on", "expires_on", "township_code"] {
        if let Some(v) = f.one(k) {
            m.insert(k.into(), json!(v));
        }
    }
    if let Some(v) = f.one("legal_review_id") {
        let id: i64 = v.parse().map_err(|_| "审查事项编号须为数字")?;
        m.insert("legal_review_id".into(), json!(id));
    }
    parse(Value::Object(m))
}

async fn new_submit(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    require(&p, Permission::SubmitLegalReview)?;
    let back = |m: &str| see_other(&format!("/decisions/contracts/new?err={}", url_encode(m)));
    let body = match create_body(&Fields(fields)) {
        Ok(b) => b,
        Err(m) => return Ok(back(&m)),
    };
    match app::create(&state, &p, &body).await {
        Ok(d) => Ok(see_other(&format!(
            "/decisions/contracts/{}?ok={}",
            d.contract.id,
            url_encode("已登记合同；签订前请送合法性审查")
        ))),
        Err(e) if e.status.is_client_error() && e.status != axum::http::StatusCode::FORBIDDEN => {
            Ok(back(&error_text(&e)))
        }
        Err(e) => Err(PageError::of(e, &p, ACTIVE)),
    }
}

#[derive(Template)]
#[template(path = "decisions/contract.html")]
struct ContractPage {
    chrome: Chrome,
    d: ContractDetail,
    flash: Flash,
    today: String,
}

impl ContractPage {
    fn can(&self, code: &str) -> bool {
        self.d.allowed_actions.iter().any(|a| a.as_str() == code)
    }
}

async fn contract_page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(id): ApiPath<i64>,
    Query(flash): Query<Flash>,
) -> PageResult<Response> {
    require(&p, Permission::ViewLegalReviews)?;
    let d = app::detail(&state, &p, id)
        .await
        .page(&p, "/decisions/contracts")?;
    Ok(render(&ContractPage {
        chrome: Chrome::new(&p, ACTIVE),
        d,
        flash,
        today: state.clock.today().to_string(),
    }))
}

fn action_body(f: &Fields) -> Result<ContractActionBody, String> {
    let code = f.one("action").ok_or("未选择操作")?.to_string();
    let mut m = Map::new();
    m.insert("action".into(), json!(code));
    for (k, what) in [("version", "版本号"), ("index", "履约节点序号")] {
        if let Some(v) = f.one(k) {
            let n: i64 = v.parse().map_err(|_| format!("{what}须为数字"))?;
            m.insert(k.into(), json!(n));
        }
    }
    for k in ["on", "due_on", "title", "note", "materials"] {
        if let Some(v) = f.one(k) {
            m.insert(k.into(), json!(v));
        }
    }
    // Required texts left empty reach the rules, which name them.
    for (c, k) in [
        ("terminate", "reason"),
        ("drop", "reason"),
        ("add_milestone", "title"),
    ] {
        if code == c {
            m.insert(k.into(), json!(f.text(k)));
        }
    }
    if code == "add_milestone" && !m.contains_key("due_on") {
        return Err("请填写履约节点日期".into());
    }
    parse(Value::Object(m))
}

async fn act_submit(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(id): ApiPath<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    require(&p, Permission::ViewLegalReviews)?;
    let here = format!("/decisions/contracts/{id}");
    let body = match action_body(&Fields(fields)) {
        Ok(b) => b,
        Err(m) => return Ok(see_other(&format!("{here}?err={}", url_encode(&m)))),
    };
    let label = body.action.code().label_zh();
    match app::act(&state, &p, id, &body).await {
        Ok(_) => Ok(see_other(&format!(
            "{here}?ok={}",
            url_encode(&format!("已{label}"))
        ))),
        Err(e) if e.status.is_client_error() && e.status != axum::http::StatusCode::NOT_FOUND => {
            Ok(see_other(&format!(
                "{here}?err={}",
                url_encode(&error_text(&e))
            )))
        }
        Err(e) => Err(PageError::of(e, &p, "/decisions/contracts")),
    }
}
