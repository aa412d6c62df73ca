//! `/education/roster`: the people who carry the work, per village, with the gap list
//! of villages short of 法律明白人; `/education/roster/new` and `/education/roster/{id}`
//! (the entry, its masked phone, an audited reveal, and the form to correct it).

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Form, Router};
use fazhi_core::education::{LEGAL_LITERATE_TARGET, RosterRole, VillageRoster};
use fazhi_core::role::Permission;
use serde::Deserialize;

use super::{Choice, can_view, field_errors, grids_in, places_in, see_other, with_status};
use crate::AppState;
use crate::auth::{PageUser, Principal};
use crate::education::app;
use crate::education::wire::{EduStatsQuery, PersonRevealOut, RosterIn, RosterOut, RosterQuery};
use crate::error::ApiError;
use crate::page_error::{OrPage, PageError, PageResult};
use crate::pages::{Chrome, render, url_encode};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/education/roster", get(list_page))
        .route("/education/roster/new", get(new_page).post(new_submit))
        .route("/education/roster/{id}", get(detail_page).post(edit_submit))
        .route("/education/roster/{id}/reveal", post(reveal))
        .route("/education/roster/export", get(export))
}

/// The roster as XLSX for the page's filters (`personal=full` as the API: audited).
async fn export(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Query(q): Query<app::RosterExportQuery>,
) -> Result<axum::response::Response, PageError> {
    let (bytes, full) = app::roster_workbook(&state, &p, &q)
        .await
        .map_err(|e| PageError::of(e, &p, ACTIVE))?;
    Ok(crate::education::api_roster::roster_download(bytes, full))
}

const ACTIVE: &str = "/education";

#[derive(Deserialize, Default)]
struct ListQuery {
    division: Option<String>,
    role: Option<String>,
    all: Option<String>,
}

#[derive(Template)]
#[template(path = "education/roster.html")]
struct ListPage {
    chrome: Chrome,
    sub: &'static str,
    rows: Vec<RosterOut>,
    gaps: Vec<VillageRoster>,
    target: i64,
    division: String,
    role: String,
    all: bool,
    roles: &'static [RosterRole],
    places: Vec<Choice>,
    can_record: bool,
    /// The list's filters as a query string, for the export links.
    query: String,
    /// Whether the caller may export the list with phones and ID numbers in full.
    can_reveal: bool,
}

async fn list_page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Query(q): Query<ListQuery>,
) -> PageResult {
    if !can_view(&p) {
        return Err(PageError::forbidden(&p));
    }
    let all = q.all.as_deref().is_some_and(|a| !a.is_empty());
    let rq = RosterQuery {
        division: q.division.clone(),
        role: q.role.clone(),
        all: Some(all),
        limit: Some(500),
        offset: None,
    };
    let rows = app::list_roster(&state, &p, &rq).await.page(&p, ACTIVE)?;
    let stats = app::figures(
        &state,
        &p,
        &EduStatsQuery {
            division: q.division.clone(),
            year: None,
        },
    )
    .await
    .page(&p, ACTIVE)?;
    let scope = p.scope(Permission::ViewEducation);
    let may = app::reveal_scope(&p);
    let can_reveal = scope.roots.iter().all(|r| may.covers(r));
    let query = format!(
        "division={}&role={}{}",
        url_encode(q.division.as_deref().unwrap_or_default()),
        url_encode(q.role.as_deref().unwrap_or_default()),
        if all { "&all=true" } else { "" }
    );
    Ok(render(&ListPage {
        chrome: Chrome::new(&p, ACTIVE),
        sub: "roster",
        rows,
        gaps: stats
            .villages
            .into_iter()
            .filter(|v| v.short_by > 0)
            .collect(),
        target: LEGAL_LITERATE_TARGET,
        division: q.division.unwrap_or_default(),
        role: q.role.unwrap_or_default(),
        all,
        roles: RosterRole::ALL,
        places: places_in(&state, &scope, false).await.page(&p, ACTIVE)?,
        can_record: p.can(Permission::ManageEducation),
        query,
        can_reveal,
    }))
}

#[derive(Default)]
struct PersonForm {
    role: String,
    name: String,
    division_code: String,
    grid_id: String,
    phone: String,
    id_number: String,
    training_hours: String,
    certificates: String,
    note: String,
    active: bool,
    version: String,
}

impl PersonForm {
    fn parse(pairs: Vec<(String, String)>) -> PersonForm {
        let mut f = PersonForm::default();
        for (k, v) in pairs {
            let slot = match k.as_str() {
                "role" => &mut f.role,
                "name" => &mut f.name,
                "division_code" => &mut f.division_code,
                "grid_id" => &mut f.grid_id,
                "phone" => &mut f.phone,
                "id_number" => &mut f.id_number,
                "training_hours" => &mut f.training_hours,
                "certificates" => &mut f.certificates,
                "note" => &mut f.note,
                "version" => &mut f.version,
                "active" => {
                    f.active = !v.is_empty();
                    continue;
                }
                _ => continue,
            };
            *slot = v;
        }
        f
    }

    fn of(r: &RosterOut) -> PersonForm {
        PersonForm {
            role: r.role.as_str().into(),
            name: r.name.clone(),
            division_code: r.division_code.clone(),
            grid_id: r.grid_id.map(|g| g.to_string()).unwrap_or_default(),
            phone: String::new(),
            id_number: String::new(),
            training_hours: r.training_hours.map(|h| h.to_string()).unwrap_or_default(),
            certificates: r.certificates.clone().unwrap_or_default(),
            note: r.note.clone().unwrap_or_default(),
            active: r.active,
            version: r.version.to_string(),
        }
    }

    /// On update an empty phone keeps the stored one (the form never shows it in full).
    fn body(&self, updating: bool) -> Result<RosterIn, ApiError> {
        let grid_id = match self.grid_id.trim() {
            "" => None,
            g => Some(
                g.parse()
                    .map_err(|_| ApiError::field("grid_id", "网格选择无效"))?,
            ),
        };
        let training_hours = match self.training_hours.trim() {
            "" => None,
            h => Some(h.parse::<f64>().map_err(|_| {
                ApiError::field("training_hours", "培训学时须为数字，最多一位小数")
            })?),
        };
        Ok(RosterIn {
            training_hours,
            certificates: Some(self.certificates.clone()),
            role: self.role.clone(),
            name: self.name.clone(),
            division_code: Some(self.division_code.clone()),
            grid_id,
            phone: if updating && self.phone.trim().is_empty() {
                None
            } else {
                Some(self.phone.clone())
            },
            id_number: if updating && self.id_number.trim().is_empty() {
                None
            } else {
                Some(self.id_number.clone())
            },
            note: Some(self.note.clone()),
            active: Some(!updating || self.active),
            version: self.version.trim().parse().ok(),
        })
    }
}

#[derive(Template)]
#[template(path = "education/person_form.html")]
struct FormPage {
    chrome: Chrome,
    sub: &'static str,
    heading: String,
    action: String,
    person: Option<RosterOut>,
    f: PersonForm,
    errors: BTreeMap<String, String>,
    message: Option<String>,
    flash: Option<String>,
    revealed: Option<String>,
    revealed_id: Option<String>,
    roles: &'static [RosterRole],
    places: Vec<Choice>,
    grids: Vec<Choice>,
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
    person: Option<RosterOut>,
    f: PersonForm,
    errors: BTreeMap<String, String>,
    message: Option<String>,
    flash: Option<String>,
    revealed: Option<PersonRevealOut>,
) -> PageResult {
    let scope = p.scope(Permission::ManageEducation);
    let editable = person.as_ref().is_none_or(|r| r.can_edit);
    Ok(render(&FormPage {
        chrome: Chrome::new(p, ACTIVE),
        sub: "roster",
        heading,
        action,
        person,
        errors,
        message,
        flash,
        revealed_id: revealed.as_ref().map(|r| {
            r.id_number
                .clone()
                .unwrap_or_else(|| "未登记身份证号".into())
        }),
        revealed: revealed.map(|r| r.phone.unwrap_or_else(|| "未登记电话".into())),
        roles: RosterRole::ALL,
        places: places_in(state, &scope, true).await.page(p, ACTIVE)?,
        grids: grids_in(state, &scope).await.page(p, ACTIVE)?,
        editable,
        f,
    }))
}

async fn new_page(State(state): State<AppState>, PageUser(p): PageUser) -> PageResult {
    if !p.can(Permission::ManageEducation) {
        return Err(PageError::forbidden(&p));
    }
    let f = PersonForm {
        role: "legal_literate".into(),
        active: true,
        ..PersonForm::default()
    };
    form_page(
        &state,
        &p,
        "登记队伍人员".into(),
        "/education/roster/new".into(),
        None,
        f,
        BTreeMap::new(),
        None,
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
    let f = PersonForm::parse(pairs);
    let result = match f.body(false) {
        Ok(body) => app::create_person(&state, &p, &body).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(r) => Ok(see_other(&format!(
            "/education/roster/{}?ok={}",
            r.id,
            url_encode("已登记")
        ))),
        Err(e) if e.status.is_client_error() => {
            let page = form_page(
                &state,
                &p,
                "登记队伍人员".into(),
                "/education/roster/new".into(),
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
    let r = app::person_detail(&state, &p, id).await.page(&p, ACTIVE)?;
    let f = PersonForm::of(&r);
    form_page(
        &state,
        &p,
        r.name.clone(),
        format!("/education/roster/{id}"),
        Some(r),
        f,
        BTreeMap::new(),
        None,
        flash.ok,
        None,
    )
    .await
}

async fn reveal(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Path(id): Path<String>,
) -> PageResult {
    let id = id_of(&id, &p)?;
    let shown = app::reveal_person(&state, &p, id).await.page(&p, ACTIVE)?;
    let r = app::person_detail(&state, &p, id).await.page(&p, ACTIVE)?;
    let f = PersonForm::of(&r);
    let page = form_page(
        &state,
        &p,
        r.name.clone(),
        format!("/education/roster/{id}"),
        Some(r),
        f,
        BTreeMap::new(),
        None,
        None,
        Some(shown),
    )
    .await?;
    // The full numbers are shown once and never cached.
    Ok(([(header::CACHE_CONTROL, "no-store")], page).into_response())
}

async fn edit_submit(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let id = id_of(&id, &p)?;
    let f = PersonForm::parse(pairs);
    let result = match f.body(true) {
        Ok(body) => app::update_person(&state, &p, id, &body).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(see_other(&format!(
            "/education/roster/{id}?ok={}",
            url_encode("已保存修改")
        ))),
        Err(e)
            if e.status.is_client_error()
                && e.status.as_u16() != 404
                && e.status.as_u16() != 403 =>
        {
            let current = app::person_detail(&state, &p, id).await.page(&p, ACTIVE)?;
            let page = form_page(
                &state,
                &p,
                current.name.clone(),
                format!("/education/roster/{id}"),
                Some(current),
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
