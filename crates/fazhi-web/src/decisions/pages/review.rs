//! Submitting an item, and the item page with the forms its state allows.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use fazhi_core::decisions::{Adoption, LegalOpinion, ReviewKind};
use fazhi_core::role::Permission;
use serde_json::{Map, Value, json};

use super::{Flash, require};
use crate::AppState;
use crate::auth::PageUser;
use crate::decisions::app;
use crate::decisions::wire::{ReviewActionBody, ReviewCreate, ReviewDetail};
use crate::extract::ApiPath;
use crate::matters::pages::{error_text, see_other};
use crate::page_error::{OrPage, PageError, PageResult};
use crate::pages::{Chrome, render, url_encode};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/decisions/reviews/new", get(new_page).post(new_submit))
        .route("/decisions/reviews/{id}", get(review_page))
        .route("/decisions/reviews/{id}/act", post(act_submit))
}

type Options = Vec<(&'static str, &'static str)>;

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
        if e.to_string().contains("date") || e.to_string().contains('-') {
            "日期格式有误，请按“年-月-日”填写".to_string()
        } else {
            "表单内容有误，请检查后重新提交".to_string()
        }
    })
}

#[derive(Template)]
#[template(path = "decisions/new.html")]
struct NewPage {
    chrome: Chrome,
    kinds: Options,
    today: String,
    error: Option<String>,
}

#[derive(serde::Deserialize, Default)]
struct NewQuery {
    err: Option<String>,
}

async fn new_page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Query(q): Query<NewQuery>,
) -> PageResult<Response> {
    require(&p, Permission::SubmitLegalReview)?;
    Ok(render(&NewPage {
        chrome: Chrome::new(&p, "/decisions"),
        kinds: ReviewKind::ALL
            .iter()
            .map(|k| (k.as_str(), k.label_zh()))
            .collect(),
        today: state.clock.today().to_string(),
        error: q.err,
    }))
}

/// The form as the API's body; empty optional fields are left out.
fn create_body(f: &Fields) -> Result<ReviewCreate, String> {
    let mut m = Map::new();
    for k in [
        "kind",
        "title",
        "drafting_unit",
        "materials",
        "urgent_reason",
    ] {
        m.insert(k.into(), json!(f.text(k)));
    }
    for k in ["due_on", "signed_on", "township_code"] {
        if let Some(v) = f.one(k) {
            m.insert(k.into(), json!(v));
        }
    }
    if let Some(v) = f.one("enforcement_case_id") {
        let id: i64 = v.parse().map_err(|_| "执法案件编号须为数字")?;
        m.insert("enforcement_case_id".into(), json!(id));
    }
    parse(Value::Object(m))
}

async fn new_submit(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    require(&p, Permission::SubmitLegalReview)?;
    let back = |m: &str| see_other(&format!("/decisions/reviews/new?err={}", url_encode(m)));
    let body = match create_body(&Fields(fields)) {
        Ok(b) => b,
        Err(m) => return Ok(back(&m)),
    };
    match app::create(&state, &p, &body).await {
        Ok(d) => Ok(see_other(&format!(
            "/decisions/reviews/{}?ok={}",
            d.review.id,
            url_encode(&format!("已提交审查，审查期限至 {}", d.review.due_on))
        ))),
        Err(e) if e.status.is_client_error() && e.status != axum::http::StatusCode::FORBIDDEN => {
            Ok(back(&error_text(&e)))
        }
        Err(e) => Err(PageError::of(e, &p, "/decisions")),
    }
}

#[derive(Template)]
#[template(path = "decisions/review.html")]
struct ReviewPage {
    chrome: Chrome,
    d: ReviewDetail,
    flash: Flash,
    opinions: Options,
    adoptions: Options,
    /// Advisers of the item's township in force today, when the item may be put to one.
    advisers: Vec<(i64, String)>,
}

impl ReviewPage {
    fn can(&self, code: &str) -> bool {
        self.d.allowed_actions.iter().any(|a| a.as_str() == code)
    }
}

async fn review_page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(id): ApiPath<i64>,
    Query(flash): Query<Flash>,
) -> PageResult<Response> {
    if !p.can(Permission::ActAsLegalAdviser) {
        require(&p, Permission::ViewLegalReviews)?;
    }
    let d = app::detail(&state, &p, id)
        .await
        .page(&p, "/decisions/reviews")?;
    let advisers = if d.review.status == fazhi_core::decisions::ReviewStatus::Pending
        && p.can(Permission::SubmitLegalReview)
    {
        crate::decisions::adviser_app::list(&state, &p)
            .await
            .page(&p, "/decisions/reviews")?
            .into_iter()
            .filter(|a| a.valid_today && a.division_name == d.review.division_name)
            .map(|a| (a.id, format!("{}（{}）", a.lawyer, a.firm)))
            .collect()
    } else {
        Vec::new()
    };
    Ok(render(&ReviewPage {
        advisers,
        chrome: Chrome::new(&p, "/decisions"),
        d,
        flash,
        opinions: LegalOpinion::ALL
            .iter()
            .map(|k| (k.as_str(), k.label_zh()))
            .collect(),
        adoptions: Adoption::ALL
            .iter()
            .map(|k| (k.as_str(), k.label_zh()))
            .collect(),
    }))
}

fn action_body(f: &Fields) -> Result<ReviewActionBody, String> {
    let code = f.one("action").ok_or("未选择操作")?.to_string();
    let mut m = Map::new();
    m.insert("action".into(), json!(code));
    if let Some(v) = f.one("version") {
        m.insert(
            "version".into(),
            json!(v.parse::<i64>().map_err(|_| "版本号有误")?),
        );
    }
    for k in ["opinion", "reasons", "adoption", "reason", "note"] {
        if let Some(v) = f.one(k) {
            m.insert(k.into(), json!(v));
        }
    }
    if let Some(v) = f.one("adviser_id") {
        m.insert(
            "adviser_id".into(),
            json!(v.parse::<i64>().map_err(|_| "请从名册中选择法律顾问")?),
        );
    }
    if code == "withdraw" && !m.contains_key("reason") {
        m.insert("reason".into(), json!(""));
    }
    parse(Value::Object(m))
}

async fn act_submit(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(id): ApiPath<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    if !p.can(Permission::ActAsLegalAdviser) {
        require(&p, Permission::ViewLegalReviews)?;
    }
    let here = format!("/decisions/reviews/{id}");
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
        Err(e) => Err(PageError::of(e, &p, "/decisions/reviews")),
    }
}
