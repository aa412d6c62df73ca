//! Publicity events (普法活动): checks of a whole body (fields, place, grid, organiser)
//! before anything is written, recording, reading and changing within the scope.

use super::*;
use fazhi_core::division::path_in_subtree;
use fazhi_core::education::{EventDraft, ThemeDay, check_event, default_theme_days};
use fazhi_db::admin::units;
use fazhi_db::education::events::{self, EventFilter, NewEvent};
use fazhi_db::education::files::NewEduFile;
use fazhi_db::education::{Place, themes};

/// The theme days of a year as stored, or the built-in table.
pub(crate) async fn theme_days(state: &AppState, year: i32) -> ApiResult<Vec<ThemeDay>> {
    Ok(themes::of_year(&state.db, year).await?)
}

/// Checks an event body completely (fields, place, grid, organiser) without writing.
pub(crate) async fn prepare_event(
    state: &AppState,
    p: &Principal,
    b: &EventIn,
) -> ApiResult<NewEvent> {
    let scope = p.require(Permission::RecordEducation)?;
    let today = state.clock.today();
    let year = year_of(b.held_on.as_deref(), today);
    let table = theme_days(state, year).await?;
    let draft = EventDraft {
        kind: b.kind.clone(),
        theme: b.theme.clone(),
        held_on: b.held_on.clone().unwrap_or_default(),
        title: b.title.clone(),
        place: b.place.clone().unwrap_or_default(),
        participants: b.participants,
        reached: b.reached,
        materials: b.materials,
        laws: b.laws.clone(),
        summary: b.summary.clone().unwrap_or_default(),
    };
    let calendar = |y: i32| {
        if y == year {
            table.clone()
        } else {
            default_theme_days(y)
        }
    };
    let (fields, mut errors) = match check_event(&draft, today, calendar) {
        Ok(f) => (Some(f), FieldErrors::default()),
        Err(e) => (None, e),
    };
    let place = place_in(
        state,
        p,
        &scope,
        Permission::RecordEducation,
        b.division_code.as_deref(),
        "division_code",
    )
    .await;
    let mut out = None;
    match place {
        Err(e) => gather(&mut errors, e)?,
        Ok(d) => {
            let grid = grid_of(state, &d, b.grid_id).await;
            let unit = match b.unit_id {
                None => Ok(None),
                Some(id) => match units::by_id(&state.db, id).await {
                    // The organiser works at the place or above it (司法所 for a village),
                    // or somewhere the caller may record for.
                    Ok(u)
                        if path_in_subtree(&d.path, &u.division_path)
                            || scope.covers(&u.division_path) =>
                    {
                        Ok(Some(id))
                    }
                    _ => Err(ApiError::field("unit_id", "组织单位不存在或不在管辖范围内")),
                },
            };
            match (grid, unit) {
                (Ok(grid_id), Ok(unit_id)) => out = Some((d, grid_id, unit_id)),
                (g, u) => {
                    for r in [g.err(), u.err()].into_iter().flatten() {
                        gather(&mut errors, r)?;
                    }
                }
            }
        }
    }
    match (fields, out) {
        (Some(fields), Some((d, grid_id, unit_id))) if errors.is_empty() => Ok(NewEvent {
            fields,
            place: Place {
                division_id: d.id,
                division_path: d.path,
                grid_id,
            },
            unit_id,
        }),
        _ => Err(invalid(errors)),
    }
}

/// Records an event.
pub(crate) async fn create_event(
    state: &AppState,
    p: &Principal,
    b: &EventIn,
) -> ApiResult<EventOut> {
    create_event_with_files(state, p, b, &[]).await
}

/// Records an event with the photos and sign-in sheets sent in the same submit (already
/// in the file store): the event and its files are one transaction.
pub(crate) async fn create_event_with_files(
    state: &AppState,
    p: &Principal,
    b: &EventIn,
    files: &[NewEduFile],
) -> ApiResult<EventOut> {
    let e = prepare_event(state, p, b).await?;
    let row = events::create_with_files(&state.db, &p.actor(), &e, files).await?;
    Ok(EventOut::from_row(row, true))
}

/// An event in the caller's view scope (else 404).
async fn visible_event(state: &AppState, p: &Principal, id: i64) -> ApiResult<events::EventRow> {
    let scope = p.require(Permission::ViewEducation)?;
    let row = events::by_id(&state.db, id).await?;
    if !scope.covers(&row.division_path) {
        return Err(ApiError::not_found());
    }
    Ok(row)
}

/// One event.
pub(crate) async fn event_detail(state: &AppState, p: &Principal, id: i64) -> ApiResult<EventOut> {
    let row = visible_event(state, p, id).await?;
    let can = edit_scope(p, Permission::RecordEducation, &row.division_path);
    Ok(EventOut::from_row(row, can))
}

/// Changes an event the caller may record for, at the version they read.
pub(crate) async fn update_event(
    state: &AppState,
    p: &Principal,
    id: i64,
    b: &EventIn,
) -> ApiResult<EventOut> {
    let row = visible_event(state, p, id).await?;
    if !edit_scope(p, Permission::RecordEducation, &row.division_path) {
        return Err(ApiError::forbidden());
    }
    let version = b
        .version
        .ok_or_else(|| ApiError::field("version", "缺少版本号，请刷新后重试"))?;
    let e = prepare_event(state, p, b).await?;
    let row = events::update(&state.db, &p.actor(), id, version, &e).await?;
    Ok(EventOut::from_row(row, true))
}

/// Events in scope with filters.
pub(crate) async fn list_events(
    state: &AppState,
    p: &Principal,
    q: &EventQuery,
) -> ApiResult<Vec<EventOut>> {
    let scope = p.require(Permission::ViewEducation)?;
    let (limit, offset) = page_of(q.limit, q.offset)?;
    let kind = match q.kind.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(k) => Some(k.parse().map_err(|e: fazhi_core::matter::UnknownCode| {
            ApiError::field("kind", e.to_string())
        })?),
    };
    let f = EventFilter {
        division_path: filter_path(state, &scope, q.division.as_deref()).await?,
        year: Some(year_param(q.year, state.clock.today())?),
        kind,
        theme: q
            .theme
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|t| {
                if t == "none" {
                    String::new()
                } else {
                    t.to_string()
                }
            }),
        limit,
        offset,
    };
    let record = p.scope(Permission::RecordEducation);
    Ok(events::list(&state.db, &scope.roots, &f)
        .await?
        .into_iter()
        .map(|r| {
            let can = record.covers(&r.division_path);
            EventOut::from_row(r, can)
        })
        .collect())
}
