//! `/education/stats`: the figures of a place and year, each linking to the records it
//! counts, with the breakdowns by type, theme day and place and the roster per village.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::routing::get;
use fazhi_core::role::Permission;

use super::{Choice, can_view, places_in, years};
use crate::AppState;
use crate::auth::PageUser;
use crate::education::app;
use crate::education::wire::{EduStats, EduStatsQuery};
use crate::page_error::{OrPage, PageError, PageResult};
use crate::pages::{Chrome, render};

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/education/stats", get(page))
}

const ACTIVE: &str = "/education";

#[derive(Template)]
#[template(path = "education/stats.html")]
struct StatsPage {
    chrome: Chrome,
    sub: &'static str,
    s: EduStats,
    years: Vec<i32>,
    places: Vec<Choice>,
}

impl StatsPage {
    /// A figure's value as printed: whole numbers without decimals, "—" for none.
    fn shown(&self, v: &Option<f64>) -> String {
        match v {
            None => "—".into(),
            Some(x) if x.fract() == 0.0 => format!("{}", *x as i64),
            Some(x) => format!("{x}"),
        }
    }
}

async fn page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Query(q): Query<EduStatsQuery>,
) -> PageResult {
    if !can_view(&p) {
        return Err(PageError::forbidden(&p));
    }
    let s = app::figures(&state, &p, &q).await.page(&p, ACTIVE)?;
    let scope = p.scope(Permission::ViewEducation);
    Ok(render(&StatsPage {
        chrome: Chrome::new(&p, ACTIVE),
        sub: "stats",
        s,
        years: years(state.clock.today()),
        places: places_in(&state, &scope, false).await.page(&p, ACTIVE)?,
    }))
}
