//! `/settings/calendar`: the holiday calendar as TOML text, saved through
//! `settings_api::save_calendar` (which checks it and recomputes open deadlines).

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};
use fazhi_core::role::Permission;
use serde::Deserialize;

use super::{Flash, error_page, error_text, forbidden, see_other};
use crate::AppState;
use crate::auth::{PageUser, Principal};
use crate::matters::settings_api::{calendar_doc, save_calendar};
use crate::pages::{Chrome, render, url_encode};

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/settings/calendar", get(calendar_page).post(calendar_save))
}

#[derive(Template)]
#[template(path = "matters/calendar.html")]
struct CalendarPage {
    chrome: Chrome,
    text: String,
    years: String,
    next_year_missing: Option<i32>,
    flash_ok: Option<String>,
    flash_err: Option<String>,
}

fn page(state: &AppState, p: &Principal, text: Option<String>, flash: Flash) -> Response {
    let doc = calendar_doc(state);
    render(&CalendarPage {
        chrome: Chrome::new(p, "/settings/calendar"),
        text: text.unwrap_or(doc.text),
        years: doc
            .years
            .iter()
            .map(|y| format!("{y}年"))
            .collect::<Vec<_>>()
            .join("、"),
        next_year_missing: doc.next_year_missing,
        flash_ok: flash.ok,
        flash_err: flash.err,
    })
}

async fn calendar_page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Query(flash): Query<Flash>,
) -> Response {
    if !p.can(Permission::ManageSettings) {
        return forbidden(&p);
    }
    page(&state, &p, None, flash)
}

#[derive(Deserialize)]
struct CalendarForm {
    text: String,
}

async fn calendar_save(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Form(f): Form<CalendarForm>,
) -> Response {
    if !p.can(Permission::ManageSettings) {
        return forbidden(&p);
    }
    match save_calendar(&state, &p, &f.text).await {
        Ok(n) => see_other(&format!(
            "/settings/calendar?ok={}",
            url_encode(&format!("已保存。{n}件在办事项的期限已按新日历重新计算。"))
        )),
        Err(e) if e.status.is_client_error() => {
            let flash = Flash {
                ok: None,
                err: Some(format!("未保存：{}", error_text(&e))),
            };
            let mut r = page(&state, &p, Some(f.text), flash);
            *r.status_mut() = e.status;
            r
        }
        Err(e) => error_page(e, &p),
    }
}
