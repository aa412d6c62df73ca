//! Inspections: the list of a year (by outcome, for the 纠违 figure's drill-down) and
//! the short form an officer fills on the spot.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};
use fazhi_core::enforcement::{InspectionKind, InspectionOutcome};
use fazhi_core::role::Permission;
use serde::Deserialize;
use serde_json::json;

use super::form::{self, Fields};
use super::require;
use crate::AppState;
use crate::auth::PageUser;
use crate::enforcement::app;
use crate::enforcement::wire::{InspectionCreate, InspectionOut, OfficerOut};
use crate::matters::pages::see_other;
use crate::page_error::{OrPage, PageError, PageResult};
use crate::pages::{Chrome, render, url_encode};

pub(super) fn routes() -> Router<AppState> {
    Router::new().route(
        "/enforcement/inspections",
        get(list_page).post(create_submit),
    )
}

#[derive(Deserialize, Default)]
struct ListQuery {
    year: Option<String>,
    outcome: Option<String>,
    ok: Option<String>,
    err: Option<String>,
}

type Options = Vec<(&'static str, &'static str)>;

#[derive(Template)]
#[template(path = "enforcement/inspections.html")]
struct ListPage {
    chrome: Chrome,
    rows: Vec<InspectionOut>,
    year: i32,
    outcome: String,
    can_record: bool,
    officers: Vec<OfficerOut>,
    kinds: Options,
    outcomes: Options,
    ok: Option<String>,
    err: Option<String>,
}

async fn list_page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Query(q): Query<ListQuery>,
) -> PageResult<Response> {
    require(&p, Permission::ViewCases)?;
    let active = "/enforcement";
    let year = match q.year.as_deref().map(str::trim).filter(|y| !y.is_empty()) {
        None => state.clock.today().year(),
        Some(y) => y.parse().map_err(|_| {
            PageError::of(
                crate::error::ApiError::field("year", "年份须为四位数字"),
                &p,
                active,
            )
        })?,
    };
    let rows = app::list_inspections(&state, &p, Some(year), &q.outcome)
        .await
        .page(&p, active)?;
    let officers = app::list_officers(&state, &p).await.page(&p, active)?;
    Ok(render(&ListPage {
        chrome: Chrome::new(&p, active),
        rows,
        year,
        outcome: q.outcome.unwrap_or_default(),
        can_record: p.can(Permission::HandleCase),
        officers: officers.into_iter().filter(|o| o.valid).collect(),
        kinds: InspectionKind::ALL
            .iter()
            .map(|k| (k.as_str(), k.label_zh()))
            .collect(),
        outcomes: InspectionOutcome::ALL
            .iter()
            .map(|k| (k.as_str(), k.label_zh()))
            .collect(),
        ok: q.ok,
        err: q.err,
    }))
}

async fn create_submit(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    require(&p, Permission::HandleCase)?;
    let f = Fields(fields);
    let back =
        |k: &str, m: &str| see_other(&format!("/enforcement/inspections?{k}={}", url_encode(m)));
    let body = f.ids("officers").and_then(|officers| {
        form::parse::<InspectionCreate>(json!({
            "division_code": f.one("division_code"),
            "kind": f.text("kind"),
            "outcome": f.text("outcome"),
            "target": f.text("target"),
            "findings": f.text("findings"),
            "officers": officers,
        }))
    });
    let body = match body {
        Ok(b) => b,
        Err(m) => return Ok(back("err", &m)),
    };
    match app::create_inspection(&state, &p, &body).await {
        Ok(i) => Ok(back(
            "ok",
            &format!("已记录：{}，{}", i.target, i.outcome_label),
        )),
        Err(e) if e.status.is_client_error() => {
            Ok(back("err", &crate::matters::pages::error_text(&e)))
        }
        Err(e) => Err(PageError::of(e, &p, "/enforcement")),
    }
}
