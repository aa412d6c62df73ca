//! `/education/statements`: the heads' 述法 statements of a year; `/education/statements/new`
//! and `/education/statements/{id}` (the text, the form to correct it, and the
//! district's rating form).

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::routing::{get, post};
use axum::{Form, Router};
use fazhi_core::education::{HeadPost, StatementOccasion, StatementRating};
use fazhi_core::role::Permission;
use serde::Deserialize;

use super::form::{FormValues, redisplay};
use super::{Choice, can_view, field_errors, form_error, places_in, see_other, with_status, years};
use crate::AppState;
use crate::auth::{PageUser, Principal};
use crate::education::app;
use crate::education::wire::{PlaceYearQuery, RatingIn, StatementIn, StatementOut};
use crate::error::ApiError;
use crate::page_error::{OrPage, PageError, PageResult};
use crate::pages::{Chrome, render, url_encode};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/education/statements", get(list_page))
        .route("/education/statements/new", get(new_page).post(new_submit))
        .route(
            "/education/statements/{id}",
            get(detail_page).post(edit_submit),
        )
        .route("/education/statements/{id}/rating", post(rate_submit))
}

const ACTIVE: &str = "/education";

#[derive(Template)]
#[template(path = "education/statements.html")]
struct ListPage {
    chrome: Chrome,
    sub: &'static str,
    rows: Vec<StatementOut>,
    year: i32,
    division: String,
    years: Vec<i32>,
    places: Vec<Choice>,
    can_record: bool,
}

async fn list_page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Query(q): Query<PlaceYearQuery>,
) -> PageResult {
    if !can_view(&p) {
        return Err(PageError::forbidden(&p));
    }
    let year = app::year_param(q.year, state.clock.today()).page(&p, ACTIVE)?;
    let rows = app::list_statements(&state, &p, &q)
        .await
        .page(&p, ACTIVE)?;
    let scope = p.scope(Permission::ViewEducation);
    Ok(render(&ListPage {
        chrome: Chrome::new(&p, ACTIVE),
        sub: "statements",
        rows,
        year,
        division: q.division.unwrap_or_default(),
        years: years(state.clock.today()),
        places: places_in(&state, &scope, false).await.page(&p, ACTIVE)?,
        can_record: p.can(Permission::ManageEducation),
    }))
}

#[derive(Template)]
#[template(path = "education/statement_form.html")]
struct FormPage {
    chrome: Chrome,
    sub: &'static str,
    heading: String,
    action: String,
    statement: Option<StatementOut>,
    f: FormValues,
    rating: FormValues,
    errors: BTreeMap<String, String>,
    message: Option<String>,
    flash: Option<String>,
    posts: &'static [HeadPost],
    occasions: &'static [StatementOccasion],
    ratings: &'static [StatementRating],
    townships: Vec<Choice>,
    heads: Vec<Choice>,
    years: Vec<i32>,
    editable: bool,
}

impl FormPage {
    fn err(&self, field: &str) -> Option<&String> {
        self.errors.get(field)
    }
}

struct Shown {
    heading: String,
    action: String,
    statement: Option<StatementOut>,
    f: FormValues,
    rating: FormValues,
    errors: BTreeMap<String, String>,
    message: Option<String>,
    flash: Option<String>,
}

async fn form_page(state: &AppState, p: &Principal, s: Shown) -> PageResult {
    let scope = p.scope(Permission::ManageEducation);
    let townships: Vec<Choice> = places_in(state, &scope, false)
        .await
        .page(p, ACTIVE)?
        .into_iter()
        .filter(|c| c.value.ends_with("000"))
        .collect();
    let editable = s.statement.as_ref().is_none_or(|r| r.can_edit);
    let code = match s.f.get("division_code") {
        "" => townships.first().map(|c| c.value.clone()),
        c => Some(c.to_string()),
    };
    // The heads offered: accounts of the township chosen (none if it is out of scope).
    let heads = match (&s.statement, code) {
        (None, Some(c)) if editable => app::heads(state, p, Some(&c))
            .await
            .unwrap_or_default()
            .into_iter()
            .map(|h| Choice {
                value: h.user_id.to_string(),
                label: h.name,
            })
            .collect(),
        _ => Vec::new(),
    };
    Ok(render(&FormPage {
        chrome: Chrome::new(p, ACTIVE),
        sub: "statements",
        heading: s.heading,
        action: s.action,
        statement: s.statement,
        f: s.f,
        rating: s.rating,
        errors: s.errors,
        message: s.message,
        flash: s.flash,
        posts: HeadPost::ALL,
        occasions: StatementOccasion::ALL,
        ratings: StatementRating::ALL,
        townships,
        heads,
        years: years(state.clock.today()),
        editable,
    }))
}

fn body_of(f: &FormValues) -> Result<StatementIn, ApiError> {
    let mut errors = BTreeMap::new();
    let year = f.num(&mut errors, "year");
    let user_id = f.num(&mut errors, "user_id");
    let version = f.num(&mut errors, "version");
    if !errors.is_empty() {
        return Err(form_error(errors));
    }
    Ok(StatementIn {
        year,
        division_code: f.opt("division_code"),
        user_id,
        post: f.get("post").into(),
        delivered_on: f.opt("delivered_on"),
        occasion: f.get("occasion").into(),
        title: f.opt("title"),
        text: f.get("text").into(),
        version,
    })
}

fn values_of(r: &StatementOut) -> FormValues {
    let mut f = FormValues::default();
    f.set("year", r.year);
    f.set("division_code", &r.township_code);
    f.set("user_id", r.user_id);
    f.set("post", r.post.as_str());
    f.set("delivered_on", &r.delivered_on);
    f.set("occasion", r.occasion.as_str());
    f.set("title", &r.title);
    f.set("text", &r.text);
    f.set("version", r.version);
    f
}

fn rating_of(r: &StatementOut) -> FormValues {
    let mut f = FormValues::default();
    f.set("rating", r.rating.map_or("", |x| x.as_str()));
    f.set("note", r.rating_note.clone().unwrap_or_default());
    f.set("version", r.version);
    f
}

#[derive(Deserialize, Default)]
struct NewQuery {
    division: Option<String>,
}

async fn new_page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Query(q): Query<NewQuery>,
) -> PageResult {
    if !p.can(Permission::ManageEducation) {
        return Err(PageError::forbidden(&p));
    }
    let today = state.clock.today();
    let mut f = FormValues::default();
    f.set("year", today.year());
    f.set("delivered_on", today);
    f.set("occasion", "year_end");
    f.set("division_code", q.division.unwrap_or_default());
    let shown = Shown {
        heading: "登记述法报告".into(),
        action: "/education/statements/new".into(),
        statement: None,
        f,
        rating: FormValues::default(),
        errors: BTreeMap::new(),
        message: None,
        flash: None,
    };
    form_page(&state, &p, shown).await
}

async fn new_submit(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    if !p.can(Permission::ManageEducation) {
        return Err(PageError::forbidden(&p));
    }
    let f = FormValues::parse(pairs);
    let result = match body_of(&f) {
        Ok(b) => app::create_statement(&state, &p, &b).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(r) => Ok(see_other(&format!(
            "/education/statements/{}?ok={}",
            r.id,
            url_encode("已登记")
        ))),
        Err(e) if redisplay(&e) => {
            let shown = Shown {
                heading: "登记述法报告".into(),
                action: "/education/statements/new".into(),
                statement: None,
                f,
                rating: FormValues::default(),
                errors: field_errors(&e),
                message: Some(e.body.message.clone()),
                flash: None,
            };
            Ok(with_status(form_page(&state, &p, shown).await?, e.status))
        }
        Err(e) => Err(PageError::of(e, &p, ACTIVE)),
    }
}

#[derive(Deserialize, Default)]
struct Flash {
    ok: Option<String>,
}

fn id_of(raw: &str, p: &Principal) -> Result<i64, PageError> {
    raw.parse()
        .map_err(|_| PageError::of(ApiError::not_found(), p, ACTIVE))
}

async fn detail_page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Path(id): Path<String>,
    Query(flash): Query<Flash>,
) -> PageResult {
    let id = id_of(&id, &p)?;
    let r = app::statement_detail(&state, &p, id)
        .await
        .page(&p, ACTIVE)?;
    let shown = Shown {
        heading: format!("{} {}年度述法", r.head_name, r.year),
        action: format!("/education/statements/{id}"),
        f: values_of(&r),
        rating: rating_of(&r),
        statement: Some(r),
        errors: BTreeMap::new(),
        message: None,
        flash: flash.ok,
    };
    form_page(&state, &p, shown).await
}

/// The page again after a refused edit or rating: the stored record, the input kept.
async fn refused(
    state: &AppState,
    p: &Principal,
    id: i64,
    e: ApiError,
    f: Option<FormValues>,
    rating: Option<FormValues>,
) -> PageResult {
    let r = app::statement_detail(state, p, id).await.page(p, ACTIVE)?;
    let shown = Shown {
        heading: format!("{} {}年度述法", r.head_name, r.year),
        action: format!("/education/statements/{id}"),
        f: f.unwrap_or_else(|| values_of(&r)),
        rating: rating.unwrap_or_else(|| rating_of(&r)),
        statement: Some(r),
        errors: field_errors(&e),
        message: Some(e.body.message.clone()),
        flash: None,
    };
    Ok(with_status(form_page(state, p, shown).await?, e.status))
}

async fn edit_submit(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let id = id_of(&id, &p)?;
    let f = FormValues::parse(pairs);
    let result = match body_of(&f) {
        Ok(b) => app::update_statement(&state, &p, id, &b).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(see_other(&format!(
            "/education/statements/{id}?ok={}",
            url_encode("已保存修改")
        ))),
        Err(e) if redisplay(&e) => refused(&state, &p, id, e, Some(f), None).await,
        Err(e) => Err(PageError::of(e, &p, ACTIVE)),
    }
}

async fn rate_submit(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let id = id_of(&id, &p)?;
    let f = FormValues::parse(pairs);
    let mut errors = BTreeMap::new();
    let version = f.num(&mut errors, "version");
    let body = RatingIn {
        rating: f.get("rating").into(),
        note: f.opt("note"),
        version,
    };
    match app::rate_statement(&state, &p, id, &body).await {
        Ok(_) => Ok(see_other(&format!(
            "/education/statements/{id}?ok={}",
            url_encode("已保存评价")
        ))),
        Err(e) if redisplay(&e) => refused(&state, &p, id, e, None, Some(f)).await,
        Err(e) => Err(PageError::of(e, &p, ACTIVE)),
    }
}
