//! `/education/emergency`: emergency plans with their reminders (review due, not drilled
//! within the period, not filed); `/education/emergency/new`; `/education/emergency/{id}`
//! (the plan, its drills, the form to revise it and the form to record a drill).

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::routing::{get, post};
use axum::{Form, Router};
use fazhi_core::education::{DEFAULT_DRILL_YEARS, DrillForm, PlanKind};
use fazhi_core::role::Permission;
use serde::Deserialize;

use super::form::{FormValues, redisplay};
use super::{Choice, can_view, field_errors, form_error, places_in, see_other, with_status};
use crate::AppState;
use crate::auth::{PageUser, Principal};
use crate::education::app;
use crate::education::wire::{
    DrillIn, DrillOut, EmergencyPlanIn, EmergencyPlanOut, EmergencyQuery,
};
use crate::error::ApiError;
use crate::page_error::{OrPage, PageError, PageResult};
use crate::pages::{Chrome, render, url_encode};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/education/emergency", get(list_page))
        .route("/education/emergency/new", get(new_page).post(new_submit))
        .route(
            "/education/emergency/{id}",
            get(detail_page).post(edit_submit),
        )
        .route("/education/emergency/{id}/drills", post(drill_submit))
}

const ACTIVE: &str = "/education";

#[derive(Deserialize, Default)]
struct ListQuery {
    division: Option<String>,
    due: Option<String>,
}

#[derive(Template)]
#[template(path = "education/emergency.html")]
struct ListPage {
    chrome: Chrome,
    sub: &'static str,
    rows: Vec<EmergencyPlanOut>,
    due: bool,
    division: String,
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
    let due = q.due.as_deref().is_some_and(|d| !d.is_empty());
    let eq = EmergencyQuery {
        division: q.division.clone(),
        due: Some(due),
    };
    let rows = app::list_emergency_plans(&state, &p, &eq)
        .await
        .page(&p, ACTIVE)?;
    let scope = p.scope(Permission::ViewEducation);
    Ok(render(&ListPage {
        chrome: Chrome::new(&p, ACTIVE),
        sub: "emergency",
        rows,
        due,
        division: q.division.unwrap_or_default(),
        places: places_in(&state, &scope, false).await.page(&p, ACTIVE)?,
        can_record: p.can(Permission::ManageEducation),
    }))
}

#[derive(Template)]
#[template(path = "education/emergency_plan.html")]
struct PlanPage {
    chrome: Chrome,
    sub: &'static str,
    heading: String,
    action: String,
    plan: Option<EmergencyPlanOut>,
    drills: Vec<DrillOut>,
    f: FormValues,
    d: FormValues,
    errors: BTreeMap<String, String>,
    message: Option<String>,
    flash: Option<String>,
    kinds: &'static [PlanKind],
    forms: &'static [DrillForm],
    places: Vec<Choice>,
    today: String,
    editable: bool,
}

impl PlanPage {
    fn err(&self, field: &str) -> Option<&String> {
        self.errors.get(field)
    }
}

#[derive(Default)]
struct Shown {
    heading: String,
    action: String,
    plan: Option<EmergencyPlanOut>,
    drills: Vec<DrillOut>,
    f: FormValues,
    d: FormValues,
    errors: BTreeMap<String, String>,
    message: Option<String>,
    flash: Option<String>,
}

async fn plan_page(state: &AppState, p: &Principal, s: Shown) -> PageResult {
    let scope = p.scope(Permission::ManageEducation);
    Ok(render(&PlanPage {
        chrome: Chrome::new(p, ACTIVE),
        sub: "emergency",
        editable: s.plan.as_ref().is_none_or(|x| x.can_edit),
        heading: s.heading,
        action: s.action,
        plan: s.plan,
        drills: s.drills,
        f: s.f,
        d: s.d,
        errors: s.errors,
        message: s.message,
        flash: s.flash,
        kinds: PlanKind::ALL,
        forms: DrillForm::ALL,
        places: places_in(state, &scope, false).await.page(p, ACTIVE)?,
        today: state.clock.today().to_string(),
    }))
}

fn body_of(f: &FormValues) -> Result<EmergencyPlanIn, ApiError> {
    let mut errors = BTreeMap::new();
    let drill_years = f.num(&mut errors, "drill_years");
    let version = f.num(&mut errors, "version");
    if !errors.is_empty() {
        return Err(form_error(errors));
    }
    Ok(EmergencyPlanIn {
        division_code: f.opt("division_code"),
        kind: f.get("kind").into(),
        title: f.get("title").into(),
        version_label: f.get("version_label").into(),
        approved_on: f.opt("approved_on"),
        approved_by: f.get("approved_by").into(),
        filed_on: f.opt("filed_on"),
        next_review_on: f.opt("next_review_on"),
        drill_years,
        version,
    })
}

fn values_of(x: &EmergencyPlanOut) -> FormValues {
    let mut f = FormValues::default();
    f.set("division_code", &x.division_code);
    f.set("kind", x.kind.as_str());
    f.set("title", &x.title);
    f.set("version_label", &x.version_label);
    f.set("approved_on", &x.approved_on);
    f.set("approved_by", &x.approved_by);
    f.set("filed_on", x.filed_on.clone().unwrap_or_default());
    f.set("next_review_on", &x.next_review_on);
    f.set("drill_years", x.drill_years);
    f.set("version", x.version);
    f
}

fn new_drill(today: time::Date) -> FormValues {
    let mut d = FormValues::default();
    d.set("held_on", today);
    d.set("form", "tabletop");
    d
}

async fn new_page(State(state): State<AppState>, PageUser(p): PageUser) -> PageResult {
    if !p.can(Permission::ManageEducation) {
        return Err(PageError::forbidden(&p));
    }
    let mut f = FormValues::default();
    f.set("drill_years", DEFAULT_DRILL_YEARS);
    let shown = Shown {
        heading: "登记应急预案".into(),
        action: "/education/emergency/new".into(),
        f,
        ..Shown::default()
    };
    plan_page(&state, &p, shown).await
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
        Ok(b) => app::create_emergency_plan(&state, &p, &b).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(r) => Ok(see_other(&format!(
            "/education/emergency/{}?ok={}",
            r.id,
            url_encode("已登记")
        ))),
        Err(e) if redisplay(&e) => {
            let shown = Shown {
                heading: "登记应急预案".into(),
                action: "/education/emergency/new".into(),
                f,
                errors: field_errors(&e),
                message: Some(e.body.message.clone()),
                ..Shown::default()
            };
            Ok(with_status(plan_page(&state, &p, shown).await?, e.status))
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

async fn shown_plan(
    state: &AppState,
    p: &Principal,
    id: i64,
    f: Option<FormValues>,
    d: Option<FormValues>,
    e: Option<&ApiError>,
    flash: Option<String>,
) -> PageResult {
    let detail = app::emergency_plan_detail(state, p, id)
        .await
        .page(p, ACTIVE)?;
    let shown = Shown {
        heading: detail.plan.title.clone(),
        action: format!("/education/emergency/{id}"),
        f: f.unwrap_or_else(|| values_of(&detail.plan)),
        d: d.unwrap_or_else(|| new_drill(state.clock.today())),
        plan: Some(detail.plan),
        drills: detail.drills,
        errors: e.map(field_errors).unwrap_or_default(),
        message: e.map(|e| e.body.message.clone()),
        flash,
    };
    plan_page(state, p, shown).await
}

async fn detail_page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Path(id): Path<String>,
    Query(flash): Query<Flash>,
) -> PageResult {
    let id = id_of(&id, &p)?;
    shown_plan(&state, &p, id, None, None, None, flash.ok).await
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
        Ok(b) => app::update_emergency_plan(&state, &p, id, &b).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(see_other(&format!(
            "/education/emergency/{id}?ok={}",
            url_encode("已保存修改")
        ))),
        Err(e) if redisplay(&e) => {
            let page = shown_plan(&state, &p, id, Some(f), None, Some(&e), None).await?;
            Ok(with_status(page, e.status))
        }
        Err(e) => Err(PageError::of(e, &p, ACTIVE)),
    }
}

async fn drill_submit(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let id = id_of(&id, &p)?;
    let d = FormValues::parse(pairs);
    let mut errors = BTreeMap::new();
    let participants = d.num(&mut errors, "participants");
    let result = if errors.is_empty() {
        let body = DrillIn {
            held_on: d.opt("held_on"),
            scenario: d.get("scenario").into(),
            form: d.get("form").into(),
            participants,
            evaluation: d.opt("evaluation"),
            revisions: d.opt("revisions"),
        };
        app::create_drill(&state, &p, id, &body).await
    } else {
        Err(form_error(errors))
    };
    match result {
        Ok(_) => Ok(see_other(&format!(
            "/education/emergency/{id}?ok={}",
            url_encode("已登记演练")
        ))),
        Err(e) if redisplay(&e) => {
            let page = shown_plan(&state, &p, id, None, Some(d), Some(&e), None).await?;
            Ok(with_status(page, e.status))
        }
        Err(e) => Err(PageError::of(e, &p, ACTIVE)),
    }
}
