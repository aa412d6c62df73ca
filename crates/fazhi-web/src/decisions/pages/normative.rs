//! Normative document pages: the list with the reminders (expiring, not filed in
//! time), drafting a document, the document page with its steps and the forms its
//! state allows, and the public lists (no login). Every form goes through
//! `normative_app`, as the API does.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use fazhi_core::decisions::{CleanupDecision, NormativeStatus, Validity};
use fazhi_core::role::Permission;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::{Flash, require};
use crate::AppState;
use crate::auth::PageUser;
use crate::decisions::normative_app as app;
use crate::decisions::normative_wire::{
    NormativeActionBody, NormativeCreate, NormativeDetail, NormativeOut, NormativeQuery,
    PublicNormatives, RoundCreate, RoundOut,
};
use crate::extract::ApiPath;
use crate::matters::pages::{error_text, see_other};
use crate::page_error::{OrPage, PageError, PageResult};
use crate::pages::{Chrome, render, url_encode};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/decisions/normative", get(list_page))
        .route("/decisions/normative/new", get(new_page).post(new_submit))
        .route(
            "/decisions/normative/rounds",
            get(rounds_page).post(round_submit),
        )
        .route("/decisions/normative/rounds/{id}", get(round_page))
        .route("/decisions/normative/{id}", get(document_page))
        .route("/decisions/normative/{id}/act", post(act_submit))
        .route("/public/normative/{code}", get(public_page))
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
#[template(path = "decisions/normative_list.html")]
struct ListPage {
    chrome: Chrome,
    rows: Vec<NormativeOut>,
    reminders: Vec<NormativeOut>,
    statuses: Vec<(&'static str, &'static str, bool)>,
    can_write: bool,
    township_code: Option<String>,
}

async fn list_page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Query(q): Query<NormativeQuery>,
) -> PageResult<Response> {
    require(&p, Permission::ViewLegalReviews)?;
    let here = "/decisions/normative";
    let rows = app::list(&state, &p, &q).await.page(&p, here)?;
    let reminders = app::list(&state, &p, &NormativeQuery::default())
        .await
        .page(&p, here)?
        .into_iter()
        .filter(|d| d.expiring || d.filing_overdue)
        .collect();
    // The public list of the user's township, when there is one.
    let township_code = match p.grants.as_slice() {
        [g] => fazhi_db::admin::divisions::by_id(&state.db, g.division_id)
            .await
            .ok()
            .filter(|d| d.level == fazhi_core::division::Level::Township)
            .map(|d| d.code),
        _ => None,
    };
    let sel = |c: &str| q.status.as_deref() == Some(c);
    Ok(render(&ListPage {
        chrome: Chrome::new(&p, ACTIVE),
        rows,
        reminders,
        statuses: NormativeStatus::ALL
            .iter()
            .map(|s| (s.as_str(), s.label_zh(), sel(s.as_str())))
            .collect(),
        can_write: p.can(Permission::SubmitLegalReview),
        township_code,
    }))
}

#[derive(Template)]
#[template(path = "decisions/normative_new.html")]
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

async fn new_submit(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    require(&p, Permission::SubmitLegalReview)?;
    let f = Fields(fields);
    let back = |m: &str| see_other(&format!("/decisions/normative/new?err={}", url_encode(m)));
    let mut m = Map::new();
    for k in ["title", "drafting_unit", "text", "explanation"] {
        m.insert(k.into(), json!(f.text(k)));
    }
    if let Some(v) = f.one("township_code") {
        m.insert("township_code".into(), json!(v));
    }
    let body: NormativeCreate = match parse(Value::Object(m)) {
        Ok(b) => b,
        Err(m) => return Ok(back(&m)),
    };
    match app::create(&state, &p, &body).await {
        Ok(d) => Ok(see_other(&format!(
            "/decisions/normative/{}?ok={}",
            d.document.id,
            url_encode("已保存草案；征求意见后送合法性审核")
        ))),
        Err(e) if e.status.is_client_error() && e.status != axum::http::StatusCode::FORBIDDEN => {
            Ok(back(&error_text(&e)))
        }
        Err(e) => Err(PageError::of(e, &p, ACTIVE)),
    }
}

#[derive(Template)]
#[template(path = "decisions/normative.html")]
struct DocumentPage {
    chrome: Chrome,
    d: NormativeDetail,
    flash: Flash,
    today: String,
    decisions: Vec<(&'static str, &'static str)>,
}

impl DocumentPage {
    fn can(&self, code: &str) -> bool {
        self.d.allowed_actions.iter().any(|a| a.as_str() == code)
    }
}

async fn document_page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(id): ApiPath<i64>,
    Query(flash): Query<Flash>,
) -> PageResult<Response> {
    require(&p, Permission::ViewLegalReviews)?;
    let d = app::detail(&state, &p, id)
        .await
        .page(&p, "/decisions/normative")?;
    Ok(render(&DocumentPage {
        chrome: Chrome::new(&p, ACTIVE),
        d,
        flash,
        today: state.clock.today().to_string(),
        decisions: CleanupDecision::ALL
            .iter()
            .map(|c| (c.as_str(), c.label_zh()))
            .collect(),
    }))
}

fn action_body(f: &Fields) -> Result<NormativeActionBody, String> {
    let code = f.one("action").ok_or("未选择操作")?.to_string();
    let mut m = Map::new();
    m.insert("action".into(), json!(code));
    if let Some(v) = f.one("version") {
        m.insert(
            "version".into(),
            json!(v.parse::<i64>().map_err(|_| "版本号有误")?),
        );
    }
    if let Some(v) = f.one("n") {
        m.insert(
            "n".into(),
            json!(v.parse::<usize>().map_err(|_| "请选择要答复的意见")?),
        );
    }
    for k in [
        "on",
        "effective_on",
        "materials",
        "decision",
        "note",
        "author",
        "answer",
    ] {
        if let Some(v) = f.one(k) {
            m.insert(k.into(), json!(v));
        }
    }
    // Required texts go as typed (empty included): the rules name what is missing.
    let required: &[&str] = match code.as_str() {
        "record_comments" => &["summary"],
        "deliberate" => &["meeting", "conclusion"],
        "issue" => &["number"],
        "publish" => &["via"],
        "file" => &["with"],
        "drop" => &["reason"],
        "record_comment" => &["content"],
        "answer_comment" => &["answer"],
        "renew" => &["number", "via"],
        "lapse" => &["note"],
        _ => &[],
    };
    for k in required {
        m.insert((*k).into(), json!(f.text(k)));
    }
    // Advisers picked from the roster: one checkbox each.
    let advisers =
        f.0.iter()
            .filter(|(k, v)| k == "adviser_ids" && !v.trim().is_empty())
            .map(|(_, v)| v.trim().parse::<i64>().map(|n| json!(n)))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| "请从名册中选择法律顾问")?;
    if code == "deliberate" && !advisers.is_empty() {
        m.insert("adviser_ids".into(), Value::Array(advisers));
    }
    if code == "deliberate" && !m.contains_key("on") {
        return Err("请填写审议日期".into());
    }
    if code == "clean_up" && !m.contains_key("decision") {
        return Err("请选择清理结果".into());
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
    let here = format!("/decisions/normative/{id}");
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
        Err(e) => Err(PageError::of(e, &p, "/decisions/normative")),
    }
}

#[derive(Template)]
#[template(path = "decisions/normative_public.html")]
struct PublicPage {
    v: PublicNormatives,
}

async fn public_page(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> PageResult<Response> {
    let v = app::public_view(&state, &code).await?;
    Ok(render(&PublicPage { v }))
}

#[derive(Deserialize, Default)]
struct RoundsQuery {
    #[serde(default, deserialize_with = "crate::decisions::blank_year")]
    year: Option<i32>,
    ok: Option<String>,
    err: Option<String>,
}

#[derive(Template)]
#[template(path = "decisions/normative_rounds.html")]
struct RoundsPage {
    chrome: Chrome,
    rounds: Vec<RoundOut>,
    /// Published documents a new round decides on (for the township leader).
    docs: Vec<NormativeOut>,
    can_record: bool,
    decisions: Vec<(&'static str, &'static str)>,
    today: String,
    year: String,
    flash: Flash,
}

/// The clean-up rounds with their lists, and the form of a new round (the leader).
async fn rounds_page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Query(q): Query<RoundsQuery>,
) -> PageResult<Response> {
    require(&p, Permission::ViewLegalReviews)?;
    let here = "/decisions/normative/rounds";
    let rounds = app::list_rounds(&state, &p, q.year).await.page(&p, here)?;
    let can_record = p.can(Permission::DecideMajor);
    let docs = if can_record {
        let published = NormativeQuery {
            status: Some(NormativeStatus::Published.as_str().into()),
            ..Default::default()
        };
        app::list(&state, &p, &published).await.page(&p, here)?
    } else {
        Vec::new()
    };
    Ok(render(&RoundsPage {
        chrome: Chrome::new(&p, ACTIVE),
        rounds,
        docs,
        can_record,
        decisions: CleanupDecision::ALL
            .iter()
            .map(|c| (c.as_str(), c.label_zh()))
            .collect(),
        today: state.clock.today().to_string(),
        year: q.year.map(|y| y.to_string()).unwrap_or_default(),
        flash: Flash {
            ok: q.ok,
            err: q.err,
        },
    }))
}

/// The round form as the API's body: one `decision_{id}` (and `note_{id}`) per
/// document; those kept without a note are left out (kept by default).
fn round_body(f: &Fields) -> Result<RoundCreate, String> {
    let mut decisions = Vec::new();
    for (k, v) in &f.0 {
        let Some(id) = k.strip_prefix("decision_") else {
            continue;
        };
        let note = f.text(&format!("note_{id}"));
        if v.trim() == CleanupDecision::Keep.as_str() && note.is_empty() {
            continue;
        }
        let id: i64 = id.parse().map_err(|_| "表单内容有误")?;
        decisions.push(json!({"document_id": id, "decision": v.trim(), "note": note}));
    }
    let mut m = Map::new();
    if let Some(c) = f.one("township_code") {
        m.insert("township_code".into(), json!(c));
    }
    m.insert("on".into(), json!(f.one("on").ok_or("请填写清理日期")?));
    m.insert("scope".into(), json!(f.text("scope")));
    m.insert("note".into(), json!(f.text("note")));
    m.insert("decisions".into(), Value::Array(decisions));
    parse(Value::Object(m))
}

async fn round_submit(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    require(&p, Permission::DecideMajor)?;
    let here = "/decisions/normative/rounds";
    let body = match round_body(&Fields(fields)) {
        Ok(b) => b,
        Err(m) => return Ok(see_other(&format!("{here}?err={}", url_encode(&m)))),
    };
    match app::record_round(&state, &p, &body).await {
        Ok(r) => Ok(see_other(&format!(
            "/decisions/normative/rounds/{}?ok={}",
            r.id,
            url_encode("已登记清理结果，并在公开目录公布")
        ))),
        Err(e) if e.status.is_client_error() && e.status != axum::http::StatusCode::NOT_FOUND => {
            Ok(see_other(&format!(
                "{here}?err={}",
                url_encode(&error_text(&e))
            )))
        }
        Err(e) => Err(PageError::of(e, &p, here)),
    }
}

#[derive(Template)]
#[template(path = "decisions/normative_round.html")]
struct RoundPage {
    chrome: Chrome,
    round: RoundOut,
    flash: Flash,
}

async fn round_page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(id): ApiPath<i64>,
    Query(flash): Query<Flash>,
) -> PageResult<Response> {
    require(&p, Permission::ViewLegalReviews)?;
    let round = app::round(&state, &p, id)
        .await
        .page(&p, "/decisions/normative/rounds")?;
    Ok(render(&RoundPage {
        chrome: Chrome::new(&p, ACTIVE),
        round,
        flash,
    }))
}
