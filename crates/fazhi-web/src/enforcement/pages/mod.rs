//! Enforcement pages: the officers', reviewers' and head's queue, the case list (and
//! the figures' drill-down), opening a case, the case page with the forms its state
//! allows, the item list and the figures. Every form goes through `super::app`, as the
//! API does, so the law is checked once.

mod case;
mod file_reviews;
mod form;
mod inspections;
mod items;
mod public;

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use fazhi_core::enforcement::{CaseFigure, CaseStatus, Procedure};
use fazhi_core::role::Permission;
use serde::Deserialize;

use super::app;
use super::wire::{CaseOut, CaseQuery, CaseStatsOut};
use crate::AppState;
use crate::auth::{PageUser, Principal};
use crate::page_error::{OrPage, PageError, PageResult};
use crate::pages::{Chrome, render, url_encode};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/enforcement", get(queue_page))
        .route("/enforcement/cases", get(list_page))
        .route("/enforcement/stats", get(stats_page))
        .merge(case::routes())
        .merge(items::routes())
        .merge(file_reviews::routes())
        .merge(inspections::routes())
        .merge(public::routes())
}

/// Flash messages after a redirect.
#[derive(Deserialize, Default)]
pub(super) struct Flash {
    pub ok: Option<String>,
    pub err: Option<String>,
}

/// After a form post: back to `here` with the outcome as a flash message. Refusals
/// the user can act on (400, 403, 409 …) show there too; a missing record (404) and
/// server failures are error pages.
pub(super) fn after_post<T>(
    p: &Principal,
    here: &str,
    active: &'static str,
    result: crate::error::ApiResult<T>,
    ok: impl FnOnce(T) -> String,
) -> PageResult<Response> {
    let sep = if here.contains('?') { '&' } else { '?' };
    match result {
        Ok(v) => Ok(crate::matters::pages::see_other(&format!(
            "{here}{sep}ok={}",
            url_encode(&ok(v))
        ))),
        Err(e) if e.status.is_client_error() && e.status != axum::http::StatusCode::NOT_FOUND => {
            Ok(crate::matters::pages::see_other(&format!(
                "{here}{sep}err={}",
                url_encode(&crate::matters::pages::error_text(&e))
            )))
        }
        Err(e) => Err(PageError::of(e, p, active)),
    }
}

/// A flash message back on `here` for input the page itself refused.
pub(super) fn refused(here: &str, message: &str) -> Response {
    let sep = if here.contains('?') { '&' } else { '?' };
    crate::matters::pages::see_other(&format!("{here}{sep}err={}", url_encode(message)))
}

/// The `year` of a query, this year when absent.
pub(super) fn year_of(
    state: &AppState,
    p: &Principal,
    year: Option<&str>,
    active: &'static str,
) -> PageResult<i32> {
    match year.map(str::trim).filter(|y| !y.is_empty()) {
        None => Ok(state.clock.today().year()),
        Some(y) => y.parse().map_err(|_| {
            PageError::of(
                crate::error::ApiError::field("year", "年份须为四位数字"),
                p,
                active,
            )
        }),
    }
}

fn require(p: &Principal, perm: Permission) -> PageResult<()> {
    if p.can(perm) {
        Ok(())
    } else {
        Err(PageError::forbidden(p))
    }
}

#[derive(Template)]
#[template(path = "enforcement/queue.html")]
struct QueuePage {
    chrome: Chrome,
    rows: Vec<CaseOut>,
    /// Decisions still to publish (公示).
    unpublished: Vec<CaseOut>,
    can_open: bool,
    flash: Flash,
}

async fn queue_page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Query(flash): Query<Flash>,
) -> PageResult<Response> {
    require(&p, Permission::ViewCases)?;
    let rows = app::queue(&state, &p).await.page(&p, "/enforcement")?;
    let unpublished = app::to_publish(&state, &p).await.page(&p, "/enforcement")?;
    Ok(render(&QueuePage {
        chrome: Chrome::new(&p, "/enforcement"),
        rows,
        unpublished,
        can_open: p.can(Permission::HandleCase),
        flash,
    }))
}

#[derive(Template)]
#[template(path = "enforcement/list.html")]
struct ListPage {
    chrome: Chrome,
    rows: Vec<CaseOut>,
    total: i64,
    page: i64,
    pages: i64,
    /// The query without `page`, for the page links.
    base: String,
    title: String,
    statuses: Vec<(&'static str, &'static str, bool)>,
    procedures: Vec<(&'static str, &'static str, bool)>,
    year: String,
}

async fn list_page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Query(q): Query<CaseQuery>,
) -> PageResult<Response> {
    require(&p, Permission::ViewCases)?;
    let page = app::list(&state, &p, &q)
        .await
        .page(&p, "/enforcement/cases")?;
    let mut base = String::from("/enforcement/cases?");
    let mut add = |k: &str, v: Option<String>| {
        if let Some(v) = v.filter(|v| !v.is_empty()) {
            base.push_str(&format!("{k}={}&", url_encode(&v)));
        }
    };
    add("status", q.status.clone());
    add("procedure", q.procedure.clone());
    add("outcome", q.outcome.clone());
    add("item_id", q.item_id.map(|i| i.to_string()));
    add("year", q.year.map(|y| y.to_string()));
    add("figure", q.figure.clone());
    add("overdue", q.overdue.map(|o| o.to_string()));
    add("division_code", q.division_code.clone());
    let figure = q
        .figure
        .as_deref()
        .and_then(|f| f.parse::<CaseFigure>().ok());
    let title = match (figure, q.year) {
        (Some(f), Some(y)) => format!("{y}年 · {}", f.label_zh()),
        (Some(f), None) => f.label_zh().to_string(),
        _ if q.overdue == Some(true) => "超过办案期限未作出决定的案件".into(),
        _ => "执法案件".into(),
    };
    let sel = |v: &Option<String>, c: &str| v.as_deref() == Some(c);
    Ok(render(&ListPage {
        chrome: Chrome::new(&p, "/enforcement/cases"),
        total: page.total,
        page: page.page,
        pages: page.pages,
        rows: page.items,
        base,
        title,
        statuses: CaseStatus::ALL
            .iter()
            .map(|s| (s.as_str(), s.label_zh(), sel(&q.status, s.as_str())))
            .collect(),
        procedures: Procedure::ALL
            .iter()
            .map(|s| (s.as_str(), s.label_zh(), sel(&q.procedure, s.as_str())))
            .collect(),
        year: q.year.map(|y| y.to_string()).unwrap_or_default(),
    }))
}

#[derive(Deserialize)]
struct YearQuery {
    year: Option<String>,
}

#[derive(Template)]
#[template(path = "enforcement/stats.html")]
struct StatsPage {
    chrome: Chrome,
    s: CaseStatsOut,
}

async fn stats_page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Query(q): Query<YearQuery>,
) -> PageResult<Response> {
    require(&p, Permission::ViewCases)?;
    let year = year_of(&state, &p, q.year.as_deref(), "/enforcement/stats")?;
    let s = app::stats(&state, &p, year)
        .await
        .page(&p, "/enforcement/stats")?;
    Ok(render(&StatsPage {
        chrome: Chrome::new(&p, "/enforcement/stats"),
        s,
    }))
}

/// The head's, reviewers' and officers' waiting cases for the home page.
pub(crate) async fn home_queue(
    state: &AppState,
    p: &Principal,
) -> crate::error::ApiResult<Option<Vec<CaseOut>>> {
    if !(p.can(Permission::HandleCase)
        || p.can(Permission::ReviewCase)
        || p.can(Permission::DecideCase))
    {
        return Ok(None);
    }
    let mut rows = app::queue(state, p).await?;
    rows.truncate(10);
    Ok(Some(rows))
}
