//! `/education` (events of a year, filtered), `/education/events/new` (the phone form:
//! the few fields that matter first, the rest folded away, sensible defaults) and
//! `/education/events/{id}` (the record, and the same form to correct it).

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{DefaultBodyLimit, Path, Query, Request, State};
use axum::routing::get;
use axum::{Form, Router};
use fazhi_core::education::{EventKind, split_laws, themes_on};
use fazhi_core::role::Permission;
use fazhi_db::education::files::FileRecord;
use serde::Deserialize;

use super::files::{FilesBox, files_box};
use super::{
    Choice, can_view, field_errors, form_count, form_error, grids_in, places_in, see_other,
    units_for, with_status, years,
};
use crate::AppState;
use crate::auth::{PageUser, Principal};
use crate::education::app;
use crate::education::files;
use crate::education::wire::{EventIn, EventOut, EventQuery};
use crate::error::ApiError;
use crate::page_error::{OrPage, PageError, PageResult};
use crate::pages::{Chrome, render, url_encode};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/education", get(list_page))
        .route(
            "/education/events/new",
            get(new_page)
                .post(new_submit)
                .layer(DefaultBodyLimit::max(files::MAX_FORM_BYTES)),
        )
        .route("/education/events/{id}", get(detail_page).post(edit_submit))
}

const ACTIVE: &str = "/education";

#[derive(Deserialize, Default)]
struct ListQuery {
    division: Option<String>,
    year: Option<i32>,
    kind: Option<String>,
    theme: Option<String>,
    ok: Option<String>,
}

#[derive(Template)]
#[template(path = "education/events.html")]
struct ListPage {
    chrome: Chrome,
    sub: &'static str,
    rows: Vec<EventOut>,
    year: i32,
    years: Vec<i32>,
    division: String,
    kind: String,
    theme: String,
    kinds: &'static [EventKind],
    themes: Vec<Choice>,
    places: Vec<Choice>,
    can_record: bool,
    participants: i64,
    reached: i64,
    materials: i64,
    flash: Option<String>,
}

async fn list_page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Query(q): Query<ListQuery>,
) -> PageResult {
    if !can_view(&p) {
        return Err(PageError::forbidden(&p));
    }
    let today = state.clock.today();
    let year = app::year_param(q.year, today).page(&p, ACTIVE)?;
    let eq = EventQuery {
        division: q.division.clone(),
        year: Some(year),
        kind: q.kind.clone(),
        theme: q.theme.clone(),
        limit: Some(500),
        offset: None,
    };
    let rows = app::list_events(&state, &p, &eq).await.page(&p, ACTIVE)?;
    let themes = app::theme_days(&state, year).await.page(&p, ACTIVE)?;
    let scope = p.scope(Permission::ViewEducation);
    Ok(render(&ListPage {
        chrome: Chrome::new(&p, ACTIVE),
        sub: "events",
        participants: rows.iter().map(|r| r.participants).sum(),
        reached: rows.iter().map(|r| r.reached).sum(),
        materials: rows.iter().map(|r| r.materials).sum(),
        rows,
        year,
        years: years(today),
        division: q.division.unwrap_or_default(),
        kind: q.kind.unwrap_or_default(),
        theme: q.theme.unwrap_or_default(),
        kinds: EventKind::ALL,
        themes: themes
            .iter()
            .map(|t| Choice {
                value: t.key.clone(),
                label: t.name.clone(),
            })
            .collect(),
        places: places_in(&state, &scope, false).await.page(&p, ACTIVE)?,
        can_record: p.can(Permission::RecordEducation),
        flash: q.ok,
    }))
}

/// What the event form holds (kept on redisplay).
#[derive(Default)]
struct EventForm {
    kind: String,
    theme: String,
    held_on: String,
    division_code: String,
    grid_id: String,
    unit_id: String,
    title: String,
    place: String,
    participants: String,
    reached: String,
    materials: String,
    laws: String,
    summary: String,
    version: String,
}

impl EventForm {
    fn parse(pairs: Vec<(String, String)>) -> EventForm {
        let mut f = EventForm::default();
        for (k, v) in pairs {
            let slot = match k.as_str() {
                "kind" => &mut f.kind,
                "theme" => &mut f.theme,
                "held_on" => &mut f.held_on,
                "division_code" => &mut f.division_code,
                "grid_id" => &mut f.grid_id,
                "unit_id" => &mut f.unit_id,
                "title" => &mut f.title,
                "place" => &mut f.place,
                "participants" => &mut f.participants,
                "reached" => &mut f.reached,
                "materials" => &mut f.materials,
                "laws" => &mut f.laws,
                "summary" => &mut f.summary,
                "version" => &mut f.version,
                _ => continue,
            };
            *slot = v;
        }
        f
    }

    fn of(e: &EventOut) -> EventForm {
        EventForm {
            kind: e.kind.as_str().into(),
            theme: e.theme_key.clone().unwrap_or_default(),
            held_on: e.held_on.clone(),
            division_code: e.division_code.clone(),
            grid_id: e.grid_id.map(|g| g.to_string()).unwrap_or_default(),
            unit_id: e.unit_id.map(|u| u.to_string()).unwrap_or_default(),
            title: e.title.clone(),
            place: e.place.clone().unwrap_or_default(),
            participants: e.participants.to_string(),
            reached: e.reached.to_string(),
            materials: e.materials.to_string(),
            laws: e.laws.join("、"),
            summary: e.summary.clone().unwrap_or_default(),
            version: e.version.to_string(),
        }
    }

    /// The API body; numbers that are not numbers are refused here, on their field.
    fn body(&self) -> Result<EventIn, ApiError> {
        let mut errors = BTreeMap::new();
        let id = |errors: &mut BTreeMap<String, String>, field: &str, raw: &str| {
            form_count(errors, field, raw)
        };
        let body = EventIn {
            kind: self.kind.clone(),
            theme: Some(self.theme.clone()),
            held_on: Some(self.held_on.clone()),
            division_code: Some(self.division_code.clone()),
            grid_id: id(&mut errors, "grid_id", &self.grid_id),
            unit_id: id(&mut errors, "unit_id", &self.unit_id),
            title: self.title.clone(),
            place: Some(self.place.clone()),
            participants: form_count(&mut errors, "participants", &self.participants),
            reached: form_count(&mut errors, "reached", &self.reached),
            materials: form_count(&mut errors, "materials", &self.materials),
            laws: split_laws(&self.laws),
            summary: Some(self.summary.clone()),
            version: self.version.trim().parse().ok(),
        };
        if errors.is_empty() {
            Ok(body)
        } else {
            Err(form_error(errors))
        }
    }
}

#[derive(Template)]
#[template(path = "education/event_form.html")]
struct FormPage {
    chrome: Chrome,
    sub: &'static str,
    heading: String,
    action: String,
    event: Option<EventOut>,
    f: EventForm,
    errors: BTreeMap<String, String>,
    message: Option<String>,
    flash: Option<String>,
    kinds: &'static [EventKind],
    themes: Vec<Choice>,
    places: Vec<Choice>,
    grids: Vec<Choice>,
    units: Vec<Choice>,
    today: String,
    editable: bool,
    files_box: Option<FilesBox>,
    /// The file store is set up: the new form takes photos.
    files_enabled: bool,
}

impl FormPage {
    fn err(&self, field: &str) -> Option<&String> {
        self.errors.get(field)
    }
}

#[allow(clippy::too_many_arguments)]
async fn form_page(
    state: &AppState,
    p: &Principal,
    heading: String,
    action: String,
    event: Option<EventOut>,
    f: EventForm,
    errors: BTreeMap<String, String>,
    message: Option<String>,
    flash: Option<String>,
    files_box: Option<FilesBox>,
) -> PageResult {
    let scope = p.scope(Permission::RecordEducation);
    let today = state.clock.today();
    let year = app::year_param(
        crate::matters::wire::parse_date(f.held_on.trim()).map(|d| d.year()),
        today,
    )
    .unwrap_or(today.year());
    let themes = app::theme_days(state, year).await.page(p, ACTIVE)?;
    let editable = event.as_ref().is_none_or(|e| e.can_edit);
    Ok(render(&FormPage {
        chrome: Chrome::new(p, ACTIVE),
        sub: "events",
        heading,
        action,
        event,
        errors,
        message,
        flash,
        kinds: EventKind::ALL,
        themes: themes
            .iter()
            .map(|t| Choice {
                value: t.key.clone(),
                label: format!("{}（{}）", t.name, t.starts_on),
            })
            .collect(),
        places: places_in(state, &scope, false).await.page(p, ACTIVE)?,
        grids: grids_in(state, &scope).await.page(p, ACTIVE)?,
        units: units_for(state, &scope).await.page(p, ACTIVE)?,
        today: today.to_string(),
        editable,
        f,
        files_box,
        files_enabled: state.settings.evidence_dir.is_some(),
    }))
}

async fn new_page(State(state): State<AppState>, PageUser(p): PageUser) -> PageResult {
    if !p.can(Permission::RecordEducation) {
        return Err(PageError::forbidden(&p));
    }
    let today = state.clock.today();
    // Defaults: today, today's theme day if there is one, the user's own place.
    let table = app::theme_days(&state, today.year())
        .await
        .page(&p, ACTIVE)?;
    let theme = themes_on(&table, today).first().map(|t| t.key.clone());
    let scope = p.scope(Permission::RecordEducation);
    let places = places_in(&state, &scope, false).await.page(&p, ACTIVE)?;
    let f = EventForm {
        kind: if theme.is_some() {
            "theme_day"
        } else {
            "villages"
        }
        .into(),
        theme: theme.unwrap_or_default(),
        held_on: today.to_string(),
        division_code: places.first().map(|c| c.value.clone()).unwrap_or_default(),
        materials: "0".into(),
        ..EventForm::default()
    };
    form_page(
        &state,
        &p,
        "登记普法活动".into(),
        "/education/events/new".into(),
        None,
        f,
        BTreeMap::new(),
        None,
        None,
        None,
    )
    .await
}

/// The new-event form: urlencoded, or multipart with photos (`photo`) and sign-in
/// sheets (`sign_in`) sent in the same submit (the CSRF token in the query string).
/// The files go to the store first; the event and its files are then written together,
/// or, when anything is refused, nothing is.
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
    let f = EventForm::parse(pairs);
    let result = match (f.body(), stored) {
        (Ok(body), Ok(stored)) => app::create_event_with_files(&state, &p, &body, &stored).await,
        (Err(e), _) | (_, Err(e)) => Err(e),
    };
    match result {
        Ok(e) => Ok(see_other(&format!(
            "/education/events/{}?ok={}",
            e.id,
            url_encode("已登记")
        ))),
        Err(e) if e.status.is_client_error() => {
            let page = form_page(
                &state,
                &p,
                "登记普法活动".into(),
                "/education/events/new".into(),
                None,
                f,
                field_errors(&e),
                Some(e.body.message.clone()),
                None,
                None,
            )
            .await?;
            Ok(with_status(page, e.status))
        }
        Err(e) => Err(PageError::of(e, &p, ACTIVE)),
    }
}

#[derive(Deserialize, Default)]
struct Flash {
    ok: Option<String>,
    err: Option<String>,
}

async fn detail_page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Path(id): Path<String>,
    Query(flash): Query<Flash>,
) -> PageResult {
    let id: i64 = id
        .parse()
        .map_err(|_| PageError::of(ApiError::not_found(), &p, ACTIVE))?;
    let e = app::event_detail(&state, &p, id).await.page(&p, ACTIVE)?;
    let f = EventForm::of(&e);
    let files_box = files_box(&state, &p, FileRecord::Event, id)
        .await
        .page(&p, ACTIVE)?;
    form_page(
        &state,
        &p,
        e.title.clone(),
        format!("/education/events/{id}"),
        Some(e),
        f,
        BTreeMap::new(),
        flash.err,
        flash.ok,
        Some(files_box),
    )
    .await
}

async fn edit_submit(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let id: i64 = id
        .parse()
        .map_err(|_| PageError::of(ApiError::not_found(), &p, ACTIVE))?;
    let f = EventForm::parse(pairs);
    let result = match f.body() {
        Ok(body) => app::update_event(&state, &p, id, &body).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(see_other(&format!(
            "/education/events/{id}?ok={}",
            url_encode("已保存修改")
        ))),
        Err(e)
            if e.status.is_client_error()
                && e.status.as_u16() != 404
                && e.status.as_u16() != 403 =>
        {
            let current = app::event_detail(&state, &p, id).await.page(&p, ACTIVE)?;
            let files_box = files_box(&state, &p, FileRecord::Event, id)
                .await
                .page(&p, ACTIVE)?;
            let page = form_page(
                &state,
                &p,
                current.title.clone(),
                format!("/education/events/{id}"),
                Some(current),
                f,
                field_errors(&e),
                Some(e.body.message.clone()),
                None,
                Some(files_box),
            )
            .await?;
            Ok(with_status(page, e.status))
        }
        Err(e) => Err(PageError::of(e, &p, ACTIVE)),
    }
}
