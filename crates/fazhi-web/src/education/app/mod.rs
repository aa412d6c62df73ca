//! The use cases of education — record and change events, study sessions and roster
//! entries, list and read them, count the figures, edit the theme days — called by the
//! JSON API (`api.rs`) and the pages alike, so checks and scoping are written once.
//! Reads need `ViewEducation` over the record's place (outside it: 404), events need
//! `RecordEducation`, study sessions and rosters `ManageEducation`.

use fazhi_core::education::FieldErrors;
use fazhi_core::role::{Permission, Scope};
use fazhi_db::admin::divisions::{self, DivisionRow};
use fazhi_db::admin::grids;

use super::wire::*;
use crate::AppState;
use crate::admin::api::division_in_scope;
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};
use crate::matters::wire::parse_date;

/// All field errors at once: the first message heads the error, every one is in `fields`.
pub(crate) fn invalid(e: FieldErrors) -> ApiError {
    let message =
        e.0.iter()
            .map(|(_, m)| m.as_str())
            .collect::<Vec<_>>()
            .join("；");
    let mut err = ApiError::bad_request(message);
    for (f, m) in e.0 {
        err.body.fields.insert(f, m);
    }
    err
}

/// Merges the fields of an input error into `e` (other errors pass through).
fn gather(e: &mut FieldErrors, r: ApiError) -> ApiResult<()> {
    if r.status != axum::http::StatusCode::BAD_REQUEST || r.body.fields.is_empty() {
        return Err(r);
    }
    for (f, m) in r.body.fields {
        e.add(&f, m);
    }
    Ok(())
}

/// The division of a code in `scope`, or the caller's single place there when no code
/// is given.
async fn place_in(
    state: &AppState,
    p: &Principal,
    scope: &Scope,
    perm: Permission,
    code: Option<&str>,
    field: &str,
) -> ApiResult<DivisionRow> {
    match code.map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) => division_in_scope(state, scope, c, Some(field)).await,
        None => {
            let own: Vec<i64> = p
                .grants
                .iter()
                .filter(|g| g.role.has(perm) && scope.roots.contains(&g.division_path))
                .map(|g| g.division_id)
                .collect();
            match scope.roots.len() {
                1 if !own.is_empty() => Ok(divisions::by_id(&state.db, own[0]).await?),
                _ => Err(ApiError::field(field, "请选择村（社区）或镇（街道）")),
            }
        }
    }
}

/// A grid, which must lie in the division.
async fn grid_of(state: &AppState, d: &DivisionRow, grid: Option<i64>) -> ApiResult<Option<i64>> {
    let Some(id) = grid else { return Ok(None) };
    match grids::by_id(&state.db, id).await {
        Ok(g) if g.division_id == d.id => Ok(Some(id)),
        _ => Err(ApiError::field("grid_id", "网格不属于所选村（社区）")),
    }
}

fn year_of(raw: Option<&str>, today: time::Date) -> i32 {
    raw.and_then(|s| parse_date(s.trim()))
        .map(|d| d.year())
        .unwrap_or(today.year())
}

/// A year asked for: this year by default, 2000 to next year.
pub(crate) fn year_param(year: Option<i32>, today: time::Date) -> ApiResult<i32> {
    match year {
        None => Ok(today.year()),
        Some(y) if (2000..=today.year() + 1).contains(&y) => Ok(y),
        Some(_) => Err(ApiError::field("year", "年份须在2000年至明年之间")),
    }
}

fn page_of(limit: Option<i64>, offset: Option<i64>) -> ApiResult<(i64, i64)> {
    let limit = match limit {
        None => 100,
        Some(l) if (1..=500).contains(&l) => l,
        Some(_) => return Err(ApiError::field("limit", "每页条数须在1到500之间")),
    };
    Ok((limit, offset.unwrap_or(0).max(0)))
}

/// Optional place filter of a list: a division in the scope, refused when outside.
async fn filter_path(
    state: &AppState,
    scope: &Scope,
    code: Option<&str>,
) -> ApiResult<Option<String>> {
    match code.map(str::trim).filter(|c| !c.is_empty()) {
        None => Ok(None),
        Some(c) => Ok(Some(
            division_in_scope(state, scope, c, Some("division"))
                .await?
                .path,
        )),
    }
}

/// Where the caller may see the stream's personal data (roster, visit and rescue-team
/// phones, ID numbers) in full: `RevealPersonalData` or `ManageEducation` over the place.
pub(crate) fn reveal_scope(p: &Principal) -> Scope {
    let mut roots = p.scope(Permission::RevealPersonalData).roots;
    roots.extend(p.scope(Permission::ManageEducation).roots);
    Scope { roots }
}

/// Whether the user holds `perm` over a record's place (may change it).
fn edit_scope(p: &Principal, perm: Permission, path: &str) -> bool {
    p.scope(perm).covers(path)
}

mod emergency;
mod events;
mod exams;
mod figures;
mod ledger;
mod plan;
mod points;
mod rescue;
mod roster;
mod roster_sheet;
mod sign_in;
mod statements;
mod study;
mod themes;
mod villages;
mod visits;

pub(crate) use emergency::*;
pub(crate) use events::*;
pub(crate) use exams::*;
pub(crate) use figures::*;
pub(crate) use ledger::*;
pub(crate) use plan::*;
pub(crate) use points::*;
pub(crate) use rescue::*;
pub(crate) use roster::*;
pub(crate) use roster_sheet::*;
pub(crate) use sign_in::*;
pub(crate) use statements::*;
pub(crate) use study::*;
pub(crate) use themes::*;
pub(crate) use villages::*;
pub(crate) use visits::*;
