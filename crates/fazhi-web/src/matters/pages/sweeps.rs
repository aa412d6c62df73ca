//! `/sweeps`: the monthly sweep (排查) — grid workers submit the matters found or a zero
//! report; the township sees which grids have not reported for the month.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};
use fazhi_core::role::Permission;
use fazhi_db::matters::{self as store, MatterFilter};
use serde::Deserialize;

use super::super::sweeps_api::{self, GridSweep, SweepIn, SweepQuery};
use super::{error_page, error_text, forbidden, see_other};
use crate::AppState;
use crate::auth::PageUser;
use crate::pages::{Chrome, render, url_encode};

pub(crate) fn routes() -> Router<AppState> {
    Router::new().route("/sweeps", get(page).post(submit))
}

#[derive(Deserialize, Default)]
struct PageQuery {
    month: Option<String>,
    division: Option<String>,
    ok: Option<String>,
    err: Option<String>,
}

/// A matter the grid worker may list as found this month.
struct Candidate {
    id: i64,
    summary: String,
    received_on: String,
}

#[derive(Template)]
#[template(path = "matters/sweeps.html")]
struct SweepsPage {
    chrome: Chrome,
    month: String,
    division: String,
    grids: Vec<GridSweep>,
    reported: usize,
    missing: usize,
    can_submit: bool,
    candidates: Vec<Candidate>,
    flash_ok: Option<String>,
    flash_err: Option<String>,
}

async fn page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Query(q): Query<PageQuery>,
) -> Response {
    if !p.can(Permission::ViewMatters) {
        return forbidden(&p);
    }
    let sq = SweepQuery {
        division: q.division.clone(),
        month: q.month.clone(),
    };
    let status = match sweeps_api::status_of(&state, &p, &sq).await {
        Ok(s) => s,
        Err(e) => return error_page(e, &p),
    };
    let can_submit = sweeps_api::sweep_scope(&p).is_ok();
    // Matters of the grid worker's village received in the month, to tick as found.
    let mut candidates = Vec::new();
    if can_submit {
        let scope = p.scope(Permission::ViewMatters);
        let f = MatterFilter {
            received_from: Some(format!("{}-01", status.month)),
            received_to: Some(format!("{}-31", status.month)),
            ..MatterFilter::default()
        };
        if let Ok(rows) = store::read::list(
            &state.db,
            &scope.roots,
            &f,
            store::MatterSort::IdDesc,
            None,
            100,
        )
        .await
        {
            candidates = rows
                .into_iter()
                .map(|r| Candidate {
                    id: r.id,
                    summary: r.summary,
                    received_on: r.received_on.to_string(),
                })
                .collect();
        }
    }
    render(&SweepsPage {
        chrome: Chrome::new(&p, "/sweeps"),
        month: status.month,
        division: q.division.unwrap_or_default(),
        reported: status.reported,
        missing: status.missing,
        grids: status.grids,
        can_submit,
        candidates,
        flash_ok: q.ok,
        flash_err: q.err,
    })
}

async fn submit(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    let get = |k: &str| form.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let body = SweepIn {
        grid_id: get("grid_id").and_then(|g| g.parse().ok()),
        month: get("month"),
        zero_report: get("zero_report").as_deref() == Some("1"),
        matter_ids: form
            .iter()
            .filter(|(k, _)| k == "matter_id")
            .filter_map(|(_, v)| v.parse().ok())
            .collect(),
        note: get("note"),
    };
    let month = body.month.clone().unwrap_or_default();
    match sweeps_api::submit(&state, &p, body).await {
        Ok(s) => see_other(&format!(
            "/sweeps?month={}&ok={}",
            url_encode(&s.month),
            url_encode(if s.zero_report {
                "已提交零报告"
            } else {
                "已提交本月排查"
            })
        )),
        Err(e) if e.status.is_client_error() && e.status.as_u16() != 403 => see_other(&format!(
            "/sweeps?month={}&err={}",
            url_encode(&month),
            url_encode(&error_text(&e))
        )),
        Err(e) => error_page(e, &p),
    }
}
