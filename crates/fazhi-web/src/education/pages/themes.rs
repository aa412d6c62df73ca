//! `/education/theme-days`: the theme-day table of a year, and for system
//! administrators the form to edit it (one line per day).

use askama::Template;
use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Form, Router};
use fazhi_core::education::{parse_theme_lines, theme_lines};
use serde::Deserialize;

use super::{can_view, see_other, with_status, years};
use crate::AppState;
use crate::auth::PageUser;
use crate::education::app;
use crate::education::wire::{ThemeDayOut, ThemeYear};
use crate::page_error::{OrPage, PageError, PageResult};
use crate::pages::{Chrome, render, url_encode};

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/education/theme-days", get(page).post(save))
}

const ACTIVE: &str = "/education";

#[derive(Deserialize, Default)]
struct YearQuery {
    year: Option<i32>,
    ok: Option<String>,
}

#[derive(Template)]
#[template(path = "education/themes.html")]
struct ThemesPage {
    chrome: Chrome,
    sub: &'static str,
    t: ThemeYear,
    years: Vec<i32>,
    can_edit: bool,
    text: String,
    errors: Vec<String>,
    flash: Option<String>,
}

async fn page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Query(q): Query<YearQuery>,
) -> PageResult {
    if !can_view(&p) {
        return Err(PageError::forbidden(&p));
    }
    let year = app::year_param(q.year, state.clock.today()).page(&p, ACTIVE)?;
    let t = app::theme_year(&state, &p, year).await.page(&p, ACTIVE)?;
    let days = app::theme_days(&state, year).await.page(&p, ACTIVE)?;
    Ok(render(&ThemesPage {
        chrome: Chrome::new(&p, ACTIVE),
        sub: "themes",
        t,
        years: years(state.clock.today()),
        can_edit: crate::auth::is_global(&state, &p).await.page(&p, ACTIVE)?,
        text: theme_lines(&days),
        errors: Vec::new(),
        flash: q.ok,
    }))
}

#[derive(Deserialize)]
struct SaveForm {
    year: i32,
    text: String,
}

async fn save(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Form(f): Form<SaveForm>,
) -> PageResult {
    if !crate::auth::is_global(&state, &p).await.page(&p, ACTIVE)? {
        return Err(PageError::forbidden(&p));
    }
    let year = app::year_param(Some(f.year), state.clock.today()).page(&p, ACTIVE)?;
    match parse_theme_lines(year, &f.text) {
        Ok(days) => {
            let days: Vec<ThemeDayOut> = days.iter().map(ThemeDayOut::from).collect();
            app::put_theme_year(&state, &p, year, &days)
                .await
                .page(&p, ACTIVE)?;
            Ok(see_other(&format!(
                "/education/theme-days?year={year}&ok={}",
                url_encode("已保存")
            )))
        }
        Err(errors) => {
            let t = app::theme_year(&state, &p, year).await.page(&p, ACTIVE)?;
            let page = render(&ThemesPage {
                chrome: Chrome::new(&p, ACTIVE),
                sub: "themes",
                t,
                years: years(state.clock.today()),
                can_edit: true,
                text: f.text,
                errors,
                flash: None,
            });
            Ok(with_status(page, axum::http::StatusCode::BAD_REQUEST))
        }
    }
}
