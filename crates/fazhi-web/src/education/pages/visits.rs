//! `/education/visits`: enterprise visits (法治体检) of a year, or the follow-up list of
//! open issues past their day (`?overdue=1`); `/education/visits/new` (a phone form) and
//! `/education/visits/{id}` (the visit, its masked phone with an audited reveal, and the
//! form to record the rectification). The new-visit form takes its photos and sign-in
//! sheets in the same submit, as the event form does (`files::read_page_form`).

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{DefaultBodyLimit, Path, Query, Request, State};
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Form, Router};
use fazhi_core::role::Permission;
use serde::Deserialize;

use fazhi_db::education::files::FileRecord;

use super::files::{FilesBox, files_box};
use super::form::{FormValues, redisplay};
use super::{Choice, can_view, field_errors, form_error, places_in, see_other, with_status, years};
use crate::AppState;
use crate::auth::{PageUser, Principal};
use crate::education::app;
use crate::education::files;
use crate::education::wire::{VisitIn, VisitOut, VisitQuery};
use crate::error::ApiError;
use crate::page_error::{OrPage, PageError, PageResult};
use crate::pages::{Chrome, render, url_encode};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/education/visits", get(list_page))
        .route(
            "/education/visits/new",
            get(new_page)
                .post(new_submit)
                .layer(DefaultBodyLimit::max(files::MAX_FORM_BYTES)),
        )
        .route("/education/visits/{id}", get(detail_page).post(edit_submit))
        .route("/education/visits/{id}/reveal", post(reveal))
}

const ACTIVE: &str = "/education";

#[derive(Deserialize, Default)]
struct ListQuery {
    division: Option<String>,
    year: Option<i32>,
    overdue: Option<String>,
}

#[derive(Template)]
#[template(path = "education/visits.html")]
struct ListPage {
    chrome: Chrome,
    sub: &'static str,
    rows: Vec<VisitOut>,
    year: i32,
    overdue: bool,
    division: String,
    years: Vec<i32>,
    places: Vec<Choice>,
    can_record: bool,
}

async fn list_page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Query(q): Query<ListQuery>,
) -> PageResult {
    if !can_view(&p) {
        return Err(PageError::forbidden(&p));
    }
    let year = app::year_param(q.year, state.clock.today()).page(&p, ACTIVE)?;
    let overdue = q.overdue.as_deref().is_some_and(|o| !o.is_empty());
    let vq = VisitQuery {
        division: q.division.clone(),
        year: (!overdue).then_some(year),
        overdue: Some(overdue),
    };
    let rows = app::list_visits(&state, &p, &vq).await.page(&p, ACTIVE)?;
    let scope = p.scope(Permission::ViewEducation);
    Ok(render(&ListPage {
        chrome: Chrome::new(&p, ACTIVE),
        sub: "visits",
        rows,
        year,
        overdue,
        division: q.division.unwrap_or_default(),
        years: years(state.clock.today()),
        places: places_in(&state, &scope, false).await.page(&p, ACTIVE)?,
        can_record: p.can(Permission::RecordEducation),
    }))
}

#[derive(Template)]
#[template(path = "education/visit_form.html")]
struct FormPage {
    chrome: Chrome,
    sub: &'static str,
    heading: String,
    action: String,
    visit: Option<VisitOut>,
    f: FormValues,
    errors: BTreeMap<String, String>,
    message: Option<String>,
    flash: Option<String>,
    revealed: Option<String>,
    places: Vec<Choice>,
    today: String,
    editable: bool,
    files_box: Option<FilesBox>,
    /// Whether the new-visit form takes files (a file store is configured).
    files_enabled: bool,
}

impl FormPage {
    fn err(&self, field: &str) -> Option<&String> {
        self.errors.get(field)
    }
}

struct Shown {
    heading: String,
    action: String,
    visit: Option<VisitOut>,
    f: FormValues,
    errors: BTreeMap<String, String>,
    message: Option<String>,
    flash: Option<String>,
    revealed: Option<String>,
    files_box: Option<FilesBox>,
}

async fn form_page(state: &AppState, p: &Principal, s: Shown) -> PageResult {
    let scope = p.scope(Permission::RecordEducation);
    Ok(render(&FormPage {
        chrome: Chrome::new(p, ACTIVE),
        sub: "visits",
        editable: s.visit.as_ref().is_none_or(|v| v.can_edit),
        heading: s.heading,
        action: s.action,
        visit: s.visit,
        f: s.f,
        errors: s.errors,
        message: s.message,
        flash: s.flash,
        revealed: s.revealed,
        files_box: s.files_box,
        files_enabled: state.settings.evidence_dir.is_some(),
        places: places_in(state, &scope, false).await.page(p, ACTIVE)?,
        today: state.clock.today().to_string(),
    }))
}

/// On update an empty phone keeps the stored one (the form never shows it in full).
fn body_of(f: &FormValues, updating: bool) -> Result<VisitIn, ApiError> {
    let mut errors = BTreeMap::new();
    let issue_count = f.num(&mut errors, "issue_count");
    let version = f.num(&mut errors, "version");
    if !errors.is_empty() {
        return Err(form_error(errors));
    }
    let phone = f.get("contact_phone");
    Ok(VisitIn {
        division_code: f.opt("division_code"),
        enterprise: f.get("enterprise").into(),
        visited_on: f.opt("visited_on"),
        visitors: f.get("visitors").into(),
        contact_name: f.opt("contact_name"),
        contact_phone: (!(updating && phone.trim().is_empty())).then(|| phone.to_string()),
        issues: f.opt("issues"),
        issue_count,
        advice: f.opt("advice"),
        rectify_by: f.opt("rectify_by"),
        rectified_on: f.opt("rectified_on"),
        version,
    })
}

fn values_of(v: &VisitOut) -> FormValues {
    let mut f = FormValues::default();
    let o = |x: &Option<String>| x.clone().unwrap_or_default();
    f.set("division_code", &v.division_code);
    f.set("enterprise", &v.enterprise);
    f.set("visited_on", &v.visited_on);
    f.set("visitors", &v.visitors);
    f.set("contact_name", o(&v.contact_name));
    f.set("issues", o(&v.issues));
    f.set(
        "issue_count",
        if v.issue_count > 0 {
            v.issue_count.to_string()
        } else {
            String::new()
        },
    );
    f.set("advice", o(&v.advice));
    f.set("rectify_by", o(&v.rectify_by));
    f.set("rectified_on", o(&v.rectified_on));
    f.set("version", v.version);
    f
}

async fn new_page(State(state): State<AppState>, PageUser(p): PageUser) -> PageResult {
    if !p.can(Permission::RecordEducation) {
        return Err(PageError::forbidden(&p));
    }
    let mut f = FormValues::default();
    f.set("visited_on", state.clock.today());
    f.set("visitors", &p.display_name);
    let shown = Shown {
        heading: "登记法治体检走访".into(),
        action: "/education/visits/new".into(),
        visit: None,
        f,
        errors: BTreeMap::new(),
        message: None,
        flash: None,
        revealed: None,
        files_box: None,
    };
    form_page(&state, &p, shown).await
}

/// The new-visit form: urlencoded, or multipart with photos (`photo`) and sign-in
/// sheets (`sign_in`); the files go to the store first, then the visit and its files
/// are written together, or, when anything is refused, nothing is.
async fn new_submit(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    req: Request,
) -> PageResult {
    if !p.can(Permission::RecordEducation) {
        return Err(PageError::forbidden(&p));
    }
    let (pairs, stored) = files::read_page_form(&state, req)
        .await
        .map_err(|e| PageError::of(e, &p, ACTIVE))?;
    let f = FormValues::parse(pairs);
    let result = match (body_of(&f, false), stored) {
        (Ok(b), Ok(stored)) => app::create_visit_with_files(&state, &p, &b, &stored).await,
        (Err(e), _) | (_, Err(e)) => Err(e),
    };
    match result {
        Ok(r) => Ok(see_other(&format!(
            "/education/visits/{}?ok={}",
            r.id,
            url_encode("已登记")
        ))),
        Err(e) if redisplay(&e) => {
            let shown = Shown {
                heading: "登记法治体检走访".into(),
                action: "/education/visits/new".into(),
                visit: None,
                f,
                errors: field_errors(&e),
                message: Some(e.body.message.clone()),
                flash: None,
                revealed: None,
                files_box: None,
            };
            Ok(with_status(form_page(&state, &p, shown).await?, e.status))
        }
        Err(e) => Err(PageError::of(e, &p, ACTIVE)),
    }
}

#[derive(Deserialize, Default)]
struct Flash {
    ok: Option<String>,
    err: Option<String>,
}

fn id_of(raw: &str, p: &Principal) -> Result<i64, PageError> {
    raw.parse()
        .map_err(|_| PageError::of(ApiError::not_found(), p, ACTIVE))
}

async fn shown_visit(
    state: &AppState,
    p: &Principal,
    id: i64,
    f: Option<FormValues>,
    e: Option<&ApiError>,
    flash: Option<String>,
    revealed: Option<String>,
) -> PageResult {
    let v = app::visit_detail(state, p, id).await.page(p, ACTIVE)?;
    let files_box = files_box(state, p, FileRecord::Visit, id)
        .await
        .page(p, ACTIVE)?;
    let shown = Shown {
        heading: v.enterprise.clone(),
        action: format!("/education/visits/{id}"),
        f: f.unwrap_or_else(|| values_of(&v)),
        visit: Some(v),
        errors: e.map(field_errors).unwrap_or_default(),
        message: e.map(|e| e.body.message.clone()),
        flash,
        revealed,
        files_box: Some(files_box),
    };
    form_page(state, p, shown).await
}

async fn detail_page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Path(id): Path<String>,
    Query(flash): Query<Flash>,
) -> PageResult {
    let id = id_of(&id, &p)?;
    let err = flash.err.map(ApiError::bad_request);
    shown_visit(&state, &p, id, None, err.as_ref(), flash.ok, None).await
}

async fn edit_submit(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let id = id_of(&id, &p)?;
    let f = FormValues::parse(pairs);
    let result = match body_of(&f, true) {
        Ok(b) => app::update_visit(&state, &p, id, &b).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(see_other(&format!(
            "/education/visits/{id}?ok={}",
            url_encode("已保存修改")
        ))),
        Err(e) if redisplay(&e) => {
            let page = shown_visit(&state, &p, id, Some(f), Some(&e), None, None).await?;
            Ok(with_status(page, e.status))
        }
        Err(e) => Err(PageError::of(e, &p, ACTIVE)),
    }
}

async fn reveal(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Path(id): Path<String>,
) -> PageResult {
    let id = id_of(&id, &p)?;
    let phone = app::reveal_visit_phone(&state, &p, id)
        .await
        .page(&p, ACTIVE)?;
    let shown = phone.phone.unwrap_or_else(|| "未登记电话".into());
    let page = shown_visit(&state, &p, id, None, None, None, Some(shown)).await?;
    // The full phone is shown once and never cached.
    Ok(([(header::CACHE_CONTROL, "no-store")], page).into_response())
}
