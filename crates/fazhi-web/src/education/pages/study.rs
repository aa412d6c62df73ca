//! `/education/study` (sessions of a year), `/education/study/new` and
//! `/education/study/{id}`: the form lists the township's accounts, each expected and
//! present, expected and absent, or not on the list (never typed names).

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::routing::get;
use axum::{Form, Router};
use fazhi_core::education::{StudyKind, split_laws};
use fazhi_core::role::Permission;
use serde::Deserialize;

use super::{Choice, can_view, field_errors, form_error, places_in, see_other, with_status, years};
use crate::AppState;
use crate::auth::{PageUser, Principal};
use crate::education::app;
use crate::education::wire::{Attendee, Candidate, StudyIn, StudyOut, StudyQuery};
use crate::error::ApiError;
use crate::page_error::{OrPage, PageError, PageResult};
use crate::pages::{Chrome, render, url_encode};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/education/study", get(list_page))
        .route("/education/study/new", get(new_page).post(new_submit))
        .route("/education/study/{id}", get(detail_page).post(edit_submit))
}

const ACTIVE: &str = "/education";

#[derive(Deserialize, Default)]
struct ListQuery {
    division: Option<String>,
    year: Option<i32>,
    kind: Option<String>,
}

#[derive(Template)]
#[template(path = "education/study.html")]
struct ListPage {
    chrome: Chrome,
    sub: &'static str,
    rows: Vec<StudyOut>,
    year: i32,
    years: Vec<i32>,
    division: String,
    kind: String,
    kinds: &'static [StudyKind],
    places: Vec<Choice>,
    can_record: bool,
    hours: f64,
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
    let sq = StudyQuery {
        division: q.division.clone(),
        year: Some(year),
        kind: q.kind.clone(),
        limit: Some(500),
        offset: None,
    };
    let rows = app::list_study(&state, &p, &sq).await.page(&p, ACTIVE)?;
    let scope = p.scope(Permission::ViewEducation);
    Ok(render(&ListPage {
        chrome: Chrome::new(&p, ACTIVE),
        sub: "study",
        hours: (rows.iter().map(|r| r.hours).sum::<f64>() * 100.0).round() / 100.0,
        rows,
        year,
        years: years(today),
        division: q.division.unwrap_or_default(),
        kind: q.kind.unwrap_or_default(),
        kinds: StudyKind::ALL,
        places: places_in(&state, &scope, false).await.page(&p, ACTIVE)?,
        can_record: p.can(Permission::ManageEducation),
    }))
}

/// One account on the form: 'present', 'absent' or '' (not on the list).
struct Mark {
    user_id: i64,
    name: String,
    mark: String,
}

#[derive(Default)]
struct StudyForm {
    kind: String,
    held_on: String,
    division_code: String,
    topic: String,
    speaker: String,
    hours: String,
    laws: String,
    summary: String,
    version: String,
    marks: BTreeMap<i64, String>,
}

impl StudyForm {
    fn parse(pairs: Vec<(String, String)>) -> StudyForm {
        let mut f = StudyForm::default();
        for (k, v) in pairs {
            if let Some(id) = k.strip_prefix("att_").and_then(|s| s.parse::<i64>().ok()) {
                f.marks.insert(id, v);
                continue;
            }
            let slot = match k.as_str() {
                "kind" => &mut f.kind,
                "held_on" => &mut f.held_on,
                "division_code" => &mut f.division_code,
                "topic" => &mut f.topic,
                "speaker" => &mut f.speaker,
                "hours" => &mut f.hours,
                "laws" => &mut f.laws,
                "summary" => &mut f.summary,
                "version" => &mut f.version,
                _ => continue,
            };
            *slot = v;
        }
        f
    }

    fn of(s: &StudyOut) -> StudyForm {
        StudyForm {
            kind: s.kind.as_str().into(),
            held_on: s.held_on.clone(),
            division_code: s.division_code.clone(),
            topic: s.topic.clone(),
            speaker: s.speaker.clone().unwrap_or_default(),
            hours: s.hours.to_string(),
            laws: s.laws.join("、"),
            summary: s.summary.clone().unwrap_or_default(),
            version: s.version.to_string(),
            marks: s
                .attendees
                .iter()
                .flatten()
                .map(|a| {
                    (
                        a.user_id,
                        if a.present { "present" } else { "absent" }.into(),
                    )
                })
                .collect(),
        }
    }

    fn body(&self) -> Result<StudyIn, ApiError> {
        let hours = match self.hours.trim() {
            "" => None,
            h => match h.parse::<f64>() {
                Ok(v) => Some(v),
                Err(_) => {
                    let mut e = BTreeMap::new();
                    e.insert("hours".to_string(), "学时请填写数字，如1.5".to_string());
                    return Err(form_error(e));
                }
            },
        };
        Ok(StudyIn {
            kind: self.kind.clone(),
            held_on: Some(self.held_on.clone()),
            division_code: Some(self.division_code.clone()),
            topic: self.topic.clone(),
            speaker: Some(self.speaker.clone()),
            hours,
            laws: split_laws(&self.laws),
            summary: Some(self.summary.clone()),
            attendees: self
                .marks
                .iter()
                .filter(|(_, m)| matches!(m.as_str(), "present" | "absent"))
                .map(|(id, m)| Attendee {
                    user_id: *id,
                    present: m == "present",
                    name: String::new(),
                })
                .collect(),
            version: self.version.trim().parse().ok(),
        })
    }
}

#[derive(Template)]
#[template(path = "education/study_form.html")]
struct FormPage {
    chrome: Chrome,
    sub: &'static str,
    heading: String,
    action: String,
    session: Option<StudyOut>,
    f: StudyForm,
    marks: Vec<Mark>,
    errors: BTreeMap<String, String>,
    message: Option<String>,
    flash: Option<String>,
    kinds: &'static [StudyKind],
    places: Vec<Choice>,
    today: String,
    editable: bool,
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
    session: Option<StudyOut>,
    f: StudyForm,
    errors: BTreeMap<String, String>,
    message: Option<String>,
    flash: Option<String>,
) -> PageResult {
    let scope = p.scope(Permission::ManageEducation);
    let editable = session.as_ref().is_none_or(|s| s.can_edit);
    let code = Some(f.division_code.as_str()).filter(|c| !c.is_empty());
    let candidates: Vec<Candidate> = if editable {
        app::candidates(state, p, code).await.page(p, ACTIVE)?
    } else {
        Vec::new()
    };
    let marks = candidates
        .into_iter()
        .map(|c| Mark {
            mark: f.marks.get(&c.user_id).cloned().unwrap_or_default(),
            user_id: c.user_id,
            name: c.name,
        })
        .collect();
    Ok(render(&FormPage {
        chrome: Chrome::new(p, ACTIVE),
        sub: "study",
        heading,
        action,
        session,
        marks,
        errors,
        message,
        flash,
        kinds: StudyKind::ALL,
        places: places_in(state, &scope, false).await.page(p, ACTIVE)?,
        today: state.clock.today().to_string(),
        editable,
        f,
    }))
}

async fn new_page(State(state): State<AppState>, PageUser(p): PageUser) -> PageResult {
    if !p.can(Permission::ManageEducation) {
        return Err(PageError::forbidden(&p));
    }
    let scope = p.scope(Permission::ManageEducation);
    let places = places_in(&state, &scope, false).await.page(&p, ACTIVE)?;
    let code = places.first().map(|c| c.value.clone()).unwrap_or_default();
    // Accounts at the place itself are expected and present by default.
    let marks = app::candidates(
        &state,
        &p,
        Some(&code).filter(|c| !c.is_empty()).map(|s| s.as_str()),
    )
    .await
    .page(&p, ACTIVE)?
    .into_iter()
    .filter(|c| c.default_expected)
    .map(|c| (c.user_id, "present".to_string()))
    .collect();
    let f = StudyForm {
        kind: "pre_meeting".into(),
        held_on: state.clock.today().to_string(),
        division_code: code,
        hours: "1".into(),
        marks,
        ..StudyForm::default()
    };
    form_page(
        &state,
        &p,
        "登记学法".into(),
        "/education/study/new".into(),
        None,
        f,
        BTreeMap::new(),
        None,
        None,
    )
    .await
}

async fn new_submit(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    if !p.can(Permission::ManageEducation) {
        return Err(PageError::forbidden(&p));
    }
    let f = StudyForm::parse(pairs);
    let result = match f.body() {
        Ok(body) => app::create_study(&state, &p, &body).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(s) => Ok(see_other(&format!(
            "/education/study/{}?ok={}",
            s.id,
            url_encode("已登记")
        ))),
        Err(e) if e.status.is_client_error() => {
            let page = form_page(
                &state,
                &p,
                "登记学法".into(),
                "/education/study/new".into(),
                None,
                f,
                field_errors(&e),
                Some(e.body.message.clone()),
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
    let s = app::study_detail(&state, &p, id).await.page(&p, ACTIVE)?;
    let f = StudyForm::of(&s);
    form_page(
        &state,
        &p,
        s.topic.clone(),
        format!("/education/study/{id}"),
        Some(s),
        f,
        BTreeMap::new(),
        None,
        flash.ok,
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
    let f = StudyForm::parse(pairs);
    let result = match f.body() {
        Ok(body) => app::update_study(&state, &p, id, &body).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(see_other(&format!(
            "/education/study/{id}?ok={}",
            url_encode("已保存修改")
        ))),
        Err(e)
            if e.status.is_client_error()
                && e.status.as_u16() != 404
                && e.status.as_u16() != 403 =>
        {
            let current = app::study_detail(&state, &p, id).await.page(&p, ACTIVE)?;
            let page = form_page(
                &state,
                &p,
                current.topic.clone(),
                format!("/education/study/{id}"),
                Some(current),
                f,
                field_errors(&e),
                Some(e.body.message.clone()),
                None,
            )
            .await?;
            Ok(with_status(page, e.status))
        }
        Err(e) => Err(PageError::of(e, &p, ACTIVE)),
    }
}
