//! Rosters (法律明白人, mediators, grid workers): entries per village, sealed phones and
//! their audited reveal.

use super::*;
use fazhi_core::division::Level;
use fazhi_core::education::{RosterDraft, check_roster};
use fazhi_db::education::Place;
use fazhi_db::education::roster::{self, NewPerson, RosterFilter};

/// Checks a roster body completely without writing. `keep_phone` on update when the
/// body has no `phone`.
pub(crate) async fn prepare_person(
    state: &AppState,
    p: &Principal,
    b: &RosterIn,
    updating: bool,
) -> ApiResult<NewPerson> {
    let scope = p.require(Permission::ManageEducation)?;
    let draft = RosterDraft {
        role: b.role.clone(),
        name: b.name.clone(),
        phone: b.phone.clone().unwrap_or_default(),
        id_number: b.id_number.clone().unwrap_or_default(),
        training_hours: b.training_hours.map(|h| h.to_string()).unwrap_or_default(),
        certificates: b.certificates.clone().unwrap_or_default(),
        note: b.note.clone().unwrap_or_default(),
    };
    let (fields, mut errors) = match check_roster(&draft, state.clock.today()) {
        Ok(f) => (Some(f), FieldErrors::default()),
        Err(e) => (None, e),
    };
    let mut place = None;
    match place_in(
        state,
        p,
        &scope,
        Permission::ManageEducation,
        b.division_code.as_deref(),
        "division_code",
    )
    .await
    {
        Err(e) => gather(&mut errors, e)?,
        Ok(d) if d.level != Level::Village => {
            errors.add(
                "division_code",
                "请选择村（社区）：队伍名册按村（社区）登记",
            );
        }
        Ok(d) => match grid_of(state, &d, b.grid_id).await {
            Err(e) => gather(&mut errors, e)?,
            Ok(grid_id) => {
                place = Some(Place {
                    division_id: d.id,
                    division_path: d.path,
                    grid_id,
                })
            }
        },
    }
    match (fields, place) {
        (Some(fields), Some(place)) if errors.is_empty() => Ok(NewPerson {
            fields,
            place,
            active: b.active.unwrap_or(true),
            keep_phone: updating && b.phone.is_none(),
            keep_id: updating && b.id_number.is_none(),
        }),
        _ => Err(invalid(errors)),
    }
}

/// Puts a person on the roster.
pub(crate) async fn create_person(
    state: &AppState,
    p: &Principal,
    b: &RosterIn,
) -> ApiResult<RosterOut> {
    let n = prepare_person(state, p, b, false).await?;
    let row = roster::create(&state.db, &state.vault, &p.actor(), &n).await?;
    Ok(RosterOut::from_row(row, true))
}

async fn visible_person(state: &AppState, p: &Principal, id: i64) -> ApiResult<roster::RosterRow> {
    let scope = p.require(Permission::ViewEducation)?;
    let row = roster::by_id(&state.db, id).await?;
    if !scope.covers(&row.division_path) {
        return Err(ApiError::not_found());
    }
    Ok(row)
}

/// One person (phone masked).
pub(crate) async fn person_detail(
    state: &AppState,
    p: &Principal,
    id: i64,
) -> ApiResult<RosterOut> {
    let row = visible_person(state, p, id).await?;
    let can = edit_scope(p, Permission::ManageEducation, &row.division_path);
    Ok(RosterOut::from_row(row, can))
}

/// Changes a roster entry at the version read (`active: false` when someone leaves).
pub(crate) async fn update_person(
    state: &AppState,
    p: &Principal,
    id: i64,
    b: &RosterIn,
) -> ApiResult<RosterOut> {
    let row = visible_person(state, p, id).await?;
    if !edit_scope(p, Permission::ManageEducation, &row.division_path) {
        return Err(ApiError::forbidden());
    }
    let version = b
        .version
        .ok_or_else(|| ApiError::field("version", "缺少版本号，请刷新后重试"))?;
    let n = prepare_person(state, p, b, true).await?;
    let row = roster::update(&state.db, &state.vault, &p.actor(), id, version, &n).await?;
    Ok(RosterOut::from_row(row, true))
}

/// The full phone and ID number of a person (audited).
pub(crate) async fn reveal_person(
    state: &AppState,
    p: &Principal,
    id: i64,
) -> ApiResult<PersonRevealOut> {
    let row = visible_person(state, p, id).await?;
    let may = reveal_scope(p);
    if !may.covers(&row.division_path) {
        return Err(ApiError::forbidden());
    }
    let r = roster::reveal(&state.db, &state.vault, &p.actor(), &may.roots, id).await?;
    Ok(PersonRevealOut {
        phone: r.phone,
        id_number: r.id_number,
    })
}

/// People in scope.
pub(crate) async fn list_roster(
    state: &AppState,
    p: &Principal,
    q: &RosterQuery,
) -> ApiResult<Vec<RosterOut>> {
    let scope = p.require(Permission::ViewEducation)?;
    let (limit, offset) = page_of(q.limit, q.offset)?;
    let role = match q.role.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(k) => Some(k.parse().map_err(|e: fazhi_core::matter::UnknownCode| {
            ApiError::field("role", e.to_string())
        })?),
    };
    let f = RosterFilter {
        division_path: filter_path(state, &scope, q.division.as_deref()).await?,
        role,
        with_inactive: q.all == Some(true),
        limit,
        offset,
    };
    let manage = p.scope(Permission::ManageEducation);
    Ok(roster::list(&state.db, &scope.roots, &f)
        .await?
        .into_iter()
        .map(|r| {
            let can = manage.covers(&r.division_path);
            RosterOut::from_row(r, can)
        })
        .collect())
}
