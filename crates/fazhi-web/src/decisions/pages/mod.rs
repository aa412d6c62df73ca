//! Review desk pages: the reviewer's queue with due-day countdown, the item list (and
//! the figures' drill-down), the figures, submitting an item and the item page with
//! the forms its state allows. Every form goes through `super::app`, as the API does.

mod adviser;
mod contract;
mod litigation;
mod major;
mod normative;
mod review;

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use fazhi_core::decisions::{ReviewFigure, ReviewKind, ReviewStatus};
use fazhi_core::role::Permission;
use serde::Deserialize;

use super::adviser_wire::AdviserStatsOut;
use super::app;
use super::contract_wire::ContractStatsOut;
use super::litigation_wire::LitigationStatsOut;
use super::major_stats::DecisionStatsOut;
use super::normative_wire::NormativeStatsOut;
use super::wire::{ReviewOut, ReviewQuery, ReviewStatsOut};
use crate::AppState;
use crate::auth::{PageUser, Principal};
use crate::page_error::{OrPage, PageError, PageResult};
use crate::pages::{Chrome, render};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/decisions", get(queue_page))
        .route("/decisions/reviews", get(list_page))
        .route("/decisions/stats", get(stats_page))
        .merge(review::routes())
        .merge(major::routes())
        .merge(litigation::routes())
        .merge(contract::routes())
        .merge(normative::routes())
        .merge(adviser::routes())
}

/// Flash messages after a redirect.
#[derive(Deserialize, Default)]
struct Flash {
    ok: Option<String>,
    err: Option<String>,
}

fn require(p: &Principal, perm: Permission) -> PageResult<()> {
    if p.can(perm) {
        Ok(())
    } else {
        Err(PageError::forbidden(p))
    }
}

#[derive(Template)]
#[template(path = "decisions/queue.html")]
struct QueuePage {
    chrome: Chrome,
    rows: Vec<ReviewOut>,
    can_submit: bool,
    flash: Flash,
    /// 复议/诉讼 cases with a missed deadline.
    litigation_overdue: usize,
    /// Contracts in force expiring within the reminder window (or expired).
    contracts_expiring: usize,
    /// Normative documents near expiry or not filed in time.
    normative_reminders: usize,
}

async fn queue_page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Query(flash): Query<Flash>,
) -> PageResult<Response> {
    require(&p, Permission::ViewLegalReviews)?;
    let rows = app::queue(&state, &p).await.page(&p, "/decisions")?;
    let overdue = super::litigation_wire::LitigationQuery {
        overdue: Some(true),
        ..Default::default()
    };
    let litigation_overdue = super::litigation_app::list(&state, &p, &overdue)
        .await
        .page(&p, "/decisions")?
        .len();
    let contracts_expiring = super::contract_app::expiring(&state, &p, &Default::default())
        .await
        .page(&p, "/decisions")?
        .len();
    let normative_reminders = super::normative_app::list(&state, &p, &Default::default())
        .await
        .page(&p, "/decisions")?
        .iter()
        .filter(|d| d.expiring || d.filing_overdue)
        .count();
    Ok(render(&QueuePage {
        chrome: Chrome::new(&p, "/decisions"),
        rows,
        litigation_overdue,
        contracts_expiring,
        normative_reminders,
        can_submit: p.can(Permission::SubmitLegalReview),
        flash,
    }))
}

#[derive(Template)]
#[template(path = "decisions/list.html")]
struct ListPage {
    chrome: Chrome,
    rows: Vec<ReviewOut>,
    title: String,
    statuses: Vec<(&'static str, &'static str, bool)>,
    kinds: Vec<(&'static str, &'static str, bool)>,
    year: String,
}

async fn list_page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Query(q): Query<ReviewQuery>,
) -> PageResult<Response> {
    require(&p, Permission::ViewLegalReviews)?;
    let rows = app::list(&state, &p, &q)
        .await
        .page(&p, "/decisions/reviews")?;
    let figure = q
        .figure
        .as_deref()
        .and_then(|f| f.parse::<ReviewFigure>().ok());
    let title = match (figure, q.year) {
        (Some(f), Some(y)) => format!("{y}年 · {}", f.label_zh()),
        (Some(f), None) => f.label_zh().to_string(),
        _ => "合法性审查台账".into(),
    };
    let sel = |v: &Option<String>, c: &str| v.as_deref() == Some(c);
    Ok(render(&ListPage {
        chrome: Chrome::new(&p, "/decisions"),
        rows,
        title,
        statuses: ReviewStatus::ALL
            .iter()
            .map(|s| (s.as_str(), s.label_zh(), sel(&q.status, s.as_str())))
            .collect(),
        kinds: ReviewKind::ALL
            .iter()
            .map(|s| (s.as_str(), s.label_zh(), sel(&q.kind, s.as_str())))
            .collect(),
        year: q.year.map(|y| y.to_string()).unwrap_or_default(),
    }))
}

#[derive(Deserialize)]
struct YearQuery {
    year: Option<String>,
}

#[derive(Template)]
#[template(path = "decisions/stats.html")]
struct StatsPage {
    chrome: Chrome,
    s: ReviewStatsOut,
    maj: Option<DecisionStatsOut>,
    lit: LitigationStatsOut,
    con: ContractStatsOut,
    nor: NormativeStatsOut,
    adv: AdviserStatsOut,
}

async fn stats_page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Query(q): Query<YearQuery>,
) -> PageResult<Response> {
    require(&p, Permission::ViewLegalReviews)?;
    let active = "/decisions";
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
    // The same answer as `/api/v1/decisions/stats`.
    let all = super::major_stats::all(&state, &p, year)
        .await
        .page(&p, active)?;
    Ok(render(&StatsPage {
        chrome: Chrome::new(&p, active),
        s: all.reviews,
        maj: all.major,
        lit: all.litigation,
        con: all.contracts,
        nor: all.normative,
        adv: all.advisers,
    }))
}
