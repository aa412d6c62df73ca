//! Education pages: events (`/education`, entered on a phone), study sessions
//! (`/education/study`), rosters with the gap list (`/education/roster`), the figures
//! (`/education/stats`), exams (`/education/exams`) and the theme days. Every form
//! goes through `app/`, so checks and scoping are the API's; a refused form is shown
//! again with the messages next to the fields.

mod emergency;
mod events;
mod exams;
mod files;
mod form;
mod ledger;
mod plan;
mod points;
mod rescue;
mod roster;
mod statements;
mod stats;
mod study;
mod themes;
mod villages;
mod visits;

use std::collections::BTreeMap;

use axum::Router;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use fazhi_core::division::Level;
use fazhi_core::role::{Permission, Scope};
use fazhi_db::admin::divisions::{self, DivisionRow};
use fazhi_db::admin::{grids, units};

use crate::AppState;
use crate::error::{ApiError, ApiResult};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .merge(events::routes())
        .merge(exams::routes())
        .merge(study::routes())
        .merge(roster::routes())
        .merge(stats::routes())
        .merge(themes::routes())
        .merge(statements::routes())
        .merge(villages::routes())
        .merge(plan::routes())
        .merge(visits::routes())
        .merge(emergency::routes())
        .merge(files::routes())
        .merge(ledger::routes())
        .merge(points::routes())
        .merge(rescue::routes())
}

/// A choice in a select.
pub(crate) struct Choice {
    pub value: String,
    pub label: String,
}

/// Townships and villages of a scope (for place selects), the township first.
pub(crate) async fn places_in(
    state: &AppState,
    scope: &Scope,
    villages_only: bool,
) -> ApiResult<Vec<Choice>> {
    Ok(divisions::tree(&state.db, &scope.roots)
        .await?
        .into_iter()
        .filter(|d| d.level == Level::Village || (!villages_only && d.level == Level::Township))
        .map(|d: DivisionRow| Choice {
            label: if d.level == Level::Township {
                format!("{}（本级）", d.name)
            } else {
                d.name
            },
            value: d.code,
        })
        .collect())
}

/// Grids of a scope, labelled with their village.
pub(crate) async fn grids_in(state: &AppState, scope: &Scope) -> ApiResult<Vec<Choice>> {
    Ok(grids::list(&state.db, &scope.roots, None, 0, 10_000)
        .await?
        .into_iter()
        .map(|g| Choice {
            value: g.id.to_string(),
            label: format!("{} {}", g.division_name, g.name),
        })
        .collect())
}

/// The township part of a path (`/district/township/`), which holds the units a
/// village's events are organised by.
fn township_path(path: &str) -> String {
    let parts: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let keep = parts.len().min(2);
    format!("/{}/", parts[..keep].join("/"))
}

/// Units that may organise an event in the scope: those of its townships.
pub(crate) async fn units_for(state: &AppState, scope: &Scope) -> ApiResult<Vec<Choice>> {
    let mut roots: Vec<String> = scope.roots.iter().map(|r| township_path(r)).collect();
    roots.sort();
    roots.dedup();
    Ok(units::list(&state.db, &roots, None, 0, 1000)
        .await?
        .into_iter()
        .map(|u| Choice {
            value: u.id.to_string(),
            label: u.name,
        })
        .collect())
}

/// The years offered in filters: from 2020 to next year, the latest first.
pub(crate) fn years(today: time::Date) -> Vec<i32> {
    (2020..=today.year() + 1).rev().collect()
}

/// Field messages of a refused input.
pub(crate) fn field_errors(e: &ApiError) -> BTreeMap<String, String> {
    e.body.fields.clone()
}

/// A number typed in a form: empty is None, anything else must be a whole number.
pub(crate) fn form_count(
    errors: &mut BTreeMap<String, String>,
    field: &str,
    raw: &str,
) -> Option<i64> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    match raw.parse::<i64>() {
        Ok(n) => Some(n),
        Err(_) => {
            errors.insert(field.into(), "请填写整数".into());
            None
        }
    }
}

/// A page redisplayed after a refused input answers the input error's status.
pub(crate) fn with_status(mut page: Response, status: StatusCode) -> Response {
    *page.status_mut() = status;
    page
}

/// A refused form without field messages of ours: the error as an input error.
pub(crate) fn form_error(errors: BTreeMap<String, String>) -> ApiError {
    let message = errors.values().cloned().collect::<Vec<_>>().join("；");
    let mut e = ApiError::bad_request(message);
    e.body.fields = errors;
    e
}

/// Whether a user may see the education pages at all.
pub(crate) fn can_view(p: &crate::auth::Principal) -> bool {
    p.can(Permission::ViewEducation)
}

pub(crate) fn see_other(to: &str) -> Response {
    crate::matters::pages::see_other(to).into_response()
}

#[cfg(test)]
mod tests {
    #[test]
    fn township_paths() {
        assert_eq!(super::township_path("/1/4/27/"), "/1/4/");
        assert_eq!(super::township_path("/1/4/"), "/1/4/");
        assert_eq!(super::township_path("/1/"), "/1/");
    }
}
