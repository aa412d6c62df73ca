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
    /// The area to look at, picked from the townships and villages in scope.
    places: Vec<super::PlaceChoice>,
    /// A grid worker's own grid (id, name), the one they file for; staff pick a grid.
    own_grid: Option<(i64, String)>,
    /// Matters the own grid reported this month: no zero report then.
    own_reported: i64,
    /// Grids not reported yet, for staff filing for one: (id, village and grid).
    open_grids: Vec<(i64, String)>,
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
    let places = match super::place_choices(&state, &p.scope(Permission::ViewMatters)).await {
        Ok(places) => places,
        Err(e) => return error_page(e, &p),
    };
    let can_submit = sweeps_api::sweep_scope(&p).is_ok();
    let own_id = match sweeps_api::own_grid(&state, &p).await {
        Ok(o) => o.filter(|_| can_submit),
        Err(e) => return error_page(e, &p),
    };
    let mut own_grid = None;
    let mut own_reported = 0;
    if let Some(g) = own_id {
        let grid = fazhi_db::admin::grids::by_id(&state.db, g).await;
        own_grid = grid
            .ok()
            .map(|r| (g, format!("{} {}", r.division_name, r.name)));
        own_reported = fazhi_db::matters::sweeps::reported(&state.db, g, &status.month)
            .await
            .unwrap_or(0);
    }
    let open_grids = status
        .grids
        .iter()
        .filter(|g| !g.reported && own_id.is_none())
        .map(|g| (g.grid_id, format!("{} {}", g.village_name, g.grid_name)))
        .collect();
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
        places,
        own_grid,
        own_reported,
        open_grids,
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
        // Another grid's sweep refused to a grid worker is said on the page, like a
        // refused input; other 403s are the error page.
        Err(e)
            if e.status.is_client_error()
                && (e.status.as_u16() != 403 || e.body.code == "not_own_grid") =>
        {
            see_other(&format!(
                "/sweeps?month={}&err={}",
                url_encode(&month),
                url_encode(&error_text(&e))
            ))
        }
        Err(e) => error_page(e, &p),
    }
}
