//! The 复议 and 诉讼 register pages: the list with overdue deadlines highlighted (and
//! the figures' drill-down), registering a case, and the case page with its steps and
//! the forms its state allows. Every form goes through `litigation_app`, as the API does.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use fazhi_core::decisions::{
    AttendeeRole, Instance, LitigationFigure, LitigationKind, LitigationOutcome, LitigationStatus,
};
use fazhi_core::role::Permission;
use serde_json::{Map, Value, json};

use super::{Flash, require};
use crate::AppState;
use crate::auth::{PageUser, Principal};
use crate::decisions::litigation_app as app;
use crate::decisions::litigation_wire::{
    LitigationActionBody, LitigationCreate, LitigationDetail, LitigationOut, LitigationQuery,
};
use crate::extract::ApiPath;
use crate::matters::pages::{error_text, see_other};
use crate::page_error::{OrPage, PageError, PageResult};
use crate::pages::{Chrome, render, url_encode};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/decisions/litigation", get(list_page))
        .route("/decisions/litigation/new", get(new_page).post(new_submit))
        .route("/decisions/litigation/{id}", get(case_page))
        .route("/decisions/litigation/{id}/act", post(act_submit))
}

type Options = Vec<(&'static str, &'static str)>;
type Choices = Vec<(&'static str, &'static str, bool)>;

const ACTIVE: &str = "/decisions";

fn can_write(p: &Principal) -> bool {
    p.can(Permission::SubmitLegalReview) || p.can(Permission::GiveLegalReview)
}

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
    fn flag(&self, name: &str) -> bool {
        self.one(name).is_some()
    }
    fn int(&self, name: &str, m: &mut Map<String, Value>, what: &str) -> Result<(), String> {
        if let Some(v) = self.one(name) {
            let n: i64 = v.parse().map_err(|_| format!("{what}须为数字"))?;
            m.insert(name.into(), json!(n));
        }
        Ok(())
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
#[template(path = "decisions/litigation_list.html")]
struct ListPage {
    chrome: Chrome,
    rows: Vec<LitigationOut>,
    title: String,
    kinds: Choices,
    statuses: Choices,
    year: String,
    overdue: bool,
    can_write: bool,
}

async fn list_page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Query(q): Query<LitigationQuery>,
) -> PageResult<Response> {
    require(&p, Permission::ViewLegalReviews)?;
    let rows = app::list(&state, &p, &q)
        .await
        .page(&p, "/decisions/litigation")?;
    let figure = q
        .figure
        .as_deref()
        .and_then(|f| f.parse::<LitigationFigure>().ok());
    let title = match (figure, q.year) {
        (Some(f), Some(y)) => format!("{y}年 · {}", f.label_zh()),
        (Some(f), None) => f.label_zh().to_string(),
        _ if q.overdue == Some(true) => "期限已过的复议、诉讼案件".into(),
        _ => "行政复议、行政诉讼案件台账".into(),
    };
    let sel = |v: &Option<String>, c: &str| v.as_deref() == Some(c);
    Ok(render(&ListPage {
        chrome: Chrome::new(&p, ACTIVE),
        rows,
        title,
        kinds: LitigationKind::ALL
            .iter()
            .map(|k| (k.as_str(), k.label_zh(), sel(&q.kind, k.as_str())))
            .collect(),
        statuses: LitigationStatus::ALL
            .iter()
            .map(|k| (k.as_str(), k.label_zh(), sel(&q.status, k.as_str())))
            .collect(),
        year: q.year.map(|y| y.to_string()).unwrap_or_default(),
        overdue: q.overdue == Some(true),
        can_write: can_write(&p),
    }))
}

#[derive(Template)]
#[template(path = "decisions/litigation_new.html")]
struct NewPage {
    chrome: Chrome,
    kinds: Options,
    instances: Options,
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
    if !can_write(&p) {
        return Err(PageError::forbidden(&p));
    }
    Ok(render(&NewPage {
        chrome: Chrome::new(&p, ACTIVE),
        kinds: LitigationKind::ALL
            .iter()
            .map(|k| (k.as_str(), k.label_zh()))
            .collect(),
        instances: Instance::ALL
            .iter()
            .map(|k| (k.as_str(), k.label_zh()))
            .collect(),
        today: state.clock.today().to_string(),
        error: q.err,
    }))
}

/// The form as the API's body; empty optional fields are left out.
fn create_body(f: &Fields) -> Result<LitigationCreate, String> {
    let mut m = Map::new();
    for k in ["kind", "claimant", "body", "challenged_act", "case_number"] {
        m.insert(k.into(), json!(f.text(k)));
    }
    if f.one("received_on").is_none() {
        return Err("请填写收到副本日期".into());
    }
    for k in ["instance", "received_on", "filed_on", "township_code"] {
        if let Some(v) = f.one(k) {
            m.insert(k.into(), json!(v));
        }
    }
    // 审级 applies to lawsuits only: the phone form shows it for both.
    if f.one("kind") == Some(LitigationKind::Reconsideration.as_str()) {
        m.remove("instance");
    }
    m.insert("simple".into(), json!(f.flag("simple")));
    f.int("enforcement_case_id", &mut m, "执法案件编号")?;
    f.int("major_decision_id", &mut m, "重大行政决策编号")?;
    parse(Value::Object(m))
}

async fn new_submit(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    if !can_write(&p) {
        return Err(PageError::forbidden(&p));
    }
    let back = |m: &str| see_other(&format!("/decisions/litigation/new?err={}", url_encode(m)));
    let body = match create_body(&Fields(fields)) {
        Ok(b) => b,
        Err(m) => return Ok(back(&m)),
    };
    match app::create(&state, &p, &body).await {
        Ok(d) => Ok(see_other(&format!(
            "/decisions/litigation/{}?ok={}",
            d.case.id,
            url_encode(&format!(
                "已登记，提交答复（答辩状）及证据的期限至 {}",
                d.case.answer_due
            ))
        ))),
        Err(e) if e.status.is_client_error() && e.status != axum::http::StatusCode::FORBIDDEN => {
            Ok(back(&error_text(&e)))
        }
        Err(e) => Err(PageError::of(e, &p, ACTIVE)),
    }
}

#[derive(Template)]
#[template(path = "decisions/litigation.html")]
struct CasePage {
    chrome: Chrome,
    d: LitigationDetail,
    flash: Flash,
    today: String,
    attendees: Options,
    outcomes: Options,
}

impl CasePage {
    fn can(&self, code: &str) -> bool {
        self.d.allowed_actions.iter().any(|a| a.as_str() == code)
    }
}

async fn case_page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(id): ApiPath<i64>,
    Query(flash): Query<Flash>,
) -> PageResult<Response> {
    require(&p, Permission::ViewLegalReviews)?;
    let d = app::detail(&state, &p, id)
        .await
        .page(&p, "/decisions/litigation")?;
    Ok(render(&CasePage {
        chrome: Chrome::new(&p, ACTIVE),
        d,
        flash,
        today: state.clock.today().to_string(),
        attendees: AttendeeRole::ALL
            .iter()
            .map(|k| (k.as_str(), k.label_zh()))
            .collect(),
        outcomes: LitigationOutcome::ALL
            .iter()
            .map(|k| (k.as_str(), k.label_zh()))
            .collect(),
    }))
}

fn action_body(f: &Fields) -> Result<LitigationActionBody, String> {
    let code = f.one("action").ok_or("未选择操作")?.to_string();
    let mut m = Map::new();
    m.insert("action".into(), json!(code));
    f.int("version", &mut m, "版本号")?;
    f.int("index", &mut m, "开庭（听证）序号")?;
    f.int("head_user_id", &mut m, "负责人")?;
    // Advisers picked from the roster: one checkbox each.
    let advisers =
        f.0.iter()
            .filter(|(k, v)| k == "adviser_ids" && !v.trim().is_empty())
            .map(|(_, v)| v.trim().parse::<i64>().map(|n| json!(n)))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| "请从名册中选择法律顾问")?;
    if code == "record_attendance" && !advisers.is_empty() {
        m.insert("adviser_ids".into(), Value::Array(advisers));
    }
    for k in [
        "on",
        "note",
        "attendee",
        "attendee_name",
        "excuse",
        "proof",
        "outcome",
        "content",
        "summary",
    ] {
        if let Some(v) = f.one(k) {
            m.insert(k.into(), json!(v));
        }
    }
    for k in ["evidence_submitted", "summoned", "spoke_on_resolution"] {
        m.insert(k.into(), json!(f.flag(k)));
    }
    // Required texts left empty reach the rules, which name them.
    match code.as_str() {
        "record_opinion_letter" if !m.contains_key("content") => {
            m.insert("content".into(), json!(""));
        }
        "record_correction" if !m.contains_key("summary") => {
            m.insert("summary".into(), json!(""));
        }
        "schedule_hearing" if !m.contains_key("on") => return Err("请填写开庭（听证）日期".into()),
        "record_attendance" if !m.contains_key("attendee") => return Err("请选择出庭人员".into()),
        "conclude" if !m.contains_key("outcome") => return Err("请选择结案方式".into()),
        _ => {}
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
    let here = format!("/decisions/litigation/{id}");
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
        Err(e) => Err(PageError::of(e, &p, "/decisions/litigation")),
    }
}
