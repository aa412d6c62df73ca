//! `/education/plan`: the yearly 普法 plan and 谁执法谁普法 responsibility list with the
//! progress of each item (counted from the recorded events), and the form to add an
//! item; `/education/plan/{id}` to correct one.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::routing::get;
use axum::{Form, Router};
use fazhi_core::education::{EventKind, split_laws};
use fazhi_core::role::Permission;
use serde::Deserialize;

use super::form::{FormValues, redisplay};
use super::{
    Choice, can_view, field_errors, form_error, places_in, see_other, units_for, with_status, years,
};
use crate::AppState;
use crate::auth::{PageUser, Principal};
use crate::education::app;
use crate::education::wire::{PlaceYearQuery, PlanItemIn, PlanItemOut};
use crate::error::ApiError;
use crate::page_error::{OrPage, PageError, PageResult};
use crate::pages::{Chrome, render, url_encode};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/education/plan", get(list_page).post(new_submit))
        .route("/education/plan/{id}", get(detail_page).post(edit_submit))
}

const ACTIVE: &str = "/education";

#[derive(Template)]
#[template(path = "education/plan.html")]
struct ListPage {
    chrome: Chrome,
    sub: &'static str,
    rows: Vec<PlanItemOut>,
    planned: i64,
    done: i64,
    year: i32,
    division: String,
    years: Vec<i32>,
    places: Vec<Choice>,
    /// The form to add an item (for those who keep the plan).
    form: Option<ItemForm>,
    flash: Option<String>,
}

/// The item form and what it offers.
struct ItemForm {
    f: FormValues,
    errors: BTreeMap<String, String>,
    message: Option<String>,
    townships: Vec<Choice>,
    units: Vec<Choice>,
    kinds: &'static [EventKind],
    years: Vec<i32>,
}

impl ItemForm {
    fn err(&self, field: &str) -> Option<&String> {
        self.errors.get(field)
    }
}

async fn item_form(
    state: &AppState,
    p: &Principal,
    f: FormValues,
    errors: BTreeMap<String, String>,
    message: Option<String>,
) -> PageResult<ItemForm> {
    let scope = p.scope(Permission::ManageEducation);
    Ok(ItemForm {
        f,
        errors,
        message,
        townships: places_in(state, &scope, false)
            .await
            .page(p, ACTIVE)?
            .into_iter()
            .filter(|c| c.value.ends_with("000"))
            .collect(),
        units: units_for(state, &scope).await.page(p, ACTIVE)?,
        kinds: EventKind::ALL,
        years: years(state.clock.today()),
    })
}

#[derive(Deserialize, Default)]
struct ListQuery {
    division: Option<String>,
    year: Option<i32>,
    ok: Option<String>,
}

async fn list(state: &AppState, p: &Principal, q: ListQuery, form: Option<ItemForm>) -> PageResult {
    if !can_view(p) {
        return Err(PageError::forbidden(p));
    }
    let year = app::year_param(q.year, state.clock.today()).page(p, ACTIVE)?;
    let pq = PlaceYearQuery {
        division: q.division.clone(),
        year: Some(year),
    };
    let rows = app::list_plan(state, p, &pq).await.page(p, ACTIVE)?;
    let form = match form {
        Some(f) => Some(f),
        None if p.can(Permission::ManageEducation) => {
            let mut f = FormValues::default();
            f.set("year", year);
            Some(item_form(state, p, f, BTreeMap::new(), None).await?)
        }
        None => None,
    };
    let scope = p.scope(Permission::ViewEducation);
    Ok(render(&ListPage {
        chrome: Chrome::new(p, ACTIVE),
        sub: "plan",
        planned: rows.iter().map(|r| r.planned).sum(),
        done: rows.iter().map(|r| r.done.min(r.planned)).sum(),
        rows,
        year,
        division: q.division.unwrap_or_default(),
        years: years(state.clock.today()),
        places: places_in(state, &scope, false).await.page(p, ACTIVE)?,
        form,
        flash: q.ok,
    }))
}

async fn list_page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Query(q): Query<ListQuery>,
) -> PageResult {
    list(&state, &p, q, None).await
}

fn body_of(f: &FormValues) -> Result<PlanItemIn, ApiError> {
    let mut errors = BTreeMap::new();
    let year = f.num(&mut errors, "year");
    let unit_id = f.num(&mut errors, "unit_id");
    let planned = f.num(&mut errors, "planned");
    let version = f.num(&mut errors, "version");
    if !errors.is_empty() {
        return Err(form_error(errors));
    }
    Ok(PlanItemIn {
        year,
        division_code: f.opt("division_code"),
        unit_id,
        laws: split_laws(f.get("laws")),
        kind: f.opt("kind"),
        planned,
        note: f.opt("note"),
        version,
    })
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
        Ok(b) => app::create_plan_item(&state, &p, &b).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(r) => Ok(see_other(&format!(
            "/education/plan?year={}&ok={}",
            r.year,
            url_encode("已加入计划")
        ))),
        Err(e) if redisplay(&e) => {
            let year = f.get("year").parse().ok();
            let form = item_form(
                &state,
                &p,
                f,
                field_errors(&e),
                Some(e.body.message.clone()),
            )
            .await?;
            let q = ListQuery {
                year,
                ..ListQuery::default()
            };
            Ok(with_status(
                list(&state, &p, q, Some(form)).await?,
                e.status,
            ))
        }
        Err(e) => Err(PageError::of(e, &p, ACTIVE)),
    }
}

#[derive(Template)]
#[template(path = "education/plan_item.html")]
struct ItemPage {
    chrome: Chrome,
    sub: &'static str,
    item: PlanItemOut,
    form: Option<ItemForm>,
    flash: Option<String>,
}

fn values_of(r: &PlanItemOut) -> FormValues {
    let mut f = FormValues::default();
    f.set("year", r.year);
    f.set("division_code", &r.township_code);
    f.set("unit_id", r.unit_id);
    f.set("laws", r.laws.join("、"));
    f.set("kind", r.kind.map_or("", |k| k.as_str()));
    f.set("planned", r.planned);
    f.set("note", r.note.clone().unwrap_or_default());
    f.set("version", r.version);
    f
}

fn id_of(raw: &str, p: &Principal) -> Result<i64, PageError> {
    raw.parse()
        .map_err(|_| PageError::of(ApiError::not_found(), p, ACTIVE))
}

async fn item_page(
    state: &AppState,
    p: &Principal,
    id: i64,
    f: Option<FormValues>,
    e: Option<ApiError>,
    flash: Option<String>,
) -> PageResult {
    let item = app::plan_item_detail(state, p, id).await.page(p, ACTIVE)?;
    let form = if item.can_edit {
        let f = f.unwrap_or_else(|| values_of(&item));
        let (errors, message) = match &e {
            Some(e) => (field_errors(e), Some(e.body.message.clone())),
            None => (BTreeMap::new(), None),
        };
        Some(item_form(state, p, f, errors, message).await?)
    } else {
        None
    };
    let page = render(&ItemPage {
        chrome: Chrome::new(p, ACTIVE),
        sub: "plan",
        item,
        form,
        flash,
    });
    Ok(match e {
        Some(e) => with_status(page, e.status),
        None => page,
    })
}

async fn detail_page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Path(id): Path<String>,
    Query(q): Query<ListQuery>,
) -> PageResult {
    let id = id_of(&id, &p)?;
    item_page(&state, &p, id, None, None, q.ok).await
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
        Ok(b) => app::update_plan_item(&state, &p, id, &b).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(see_other(&format!(
            "/education/plan/{id}?ok={}",
            url_encode("已保存修改")
        ))),
        Err(e) if redisplay(&e) => item_page(&state, &p, id, Some(f), Some(e), None).await,
        Err(e) => Err(PageError::of(e, &p, ACTIVE)),
    }
}
