//! The use cases of education — record and change events, study sessions and roster
//! entries, list and read them, count the figures, edit the theme days — called by the
//! JSON API (`api.rs`) and the pages alike, so checks and scoping are written once.
//! Reads need `ViewEducation` over the record's place (outside it: 404), events need
//! `RecordEducation`, study sessions and rosters `ManageEducation`.

use fazhi_core::division::{Level, path_in_subtree};
use fazhi_core::education::{
    EduFigure, EventDraft, FieldErrors, RosterDraft, StudyDraft, ThemeDay, check_event,
    check_roster, check_study, check_theme_days, default_theme_days,
};
use fazhi_core::role::{Permission, Scope};
use fazhi_db::admin::divisions::{self, DivisionRow};
use fazhi_db::admin::{grids, units};
use fazhi_db::education::events::{self, EventFilter, NewEvent};
use fazhi_db::education::roster::{self, NewPerson, RosterFilter};
use fazhi_db::education::study::{self, NewStudy, StudyFilter};
use fazhi_db::education::{Place, stats, themes};

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

// ---- events --------------------------------------------------------------------------

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

fn edit_scope(p: &Principal, perm: Permission, path: &str) -> bool {
    p.scope(perm).covers(path)
}

/// Records an event.
pub(crate) async fn create_event(
    state: &AppState,
    p: &Principal,
    b: &EventIn,
) -> ApiResult<EventOut> {
    let e = prepare_event(state, p, b).await?;
    let row = events::create(&state.db, &p.actor(), &e).await?;
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

// ---- study sessions -----------------------------------------------------------------

/// The path whose accounts may attend a session held at `d`: its township (a village's
/// parent), or `d` itself above that.
async fn attendance_root(state: &AppState, d: &DivisionRow) -> ApiResult<String> {
    match (d.level, d.parent_id) {
        (Level::Village, Some(parent)) => Ok(divisions::by_id(&state.db, parent).await?.path),
        _ => Ok(d.path.clone()),
    }
}

/// Accounts that may be put on the list of a session held at `code`.
pub(crate) async fn candidates(
    state: &AppState,
    p: &Principal,
    code: Option<&str>,
) -> ApiResult<Vec<Candidate>> {
    let scope = p.require(Permission::ManageEducation)?;
    let d = place_in(
        state,
        p,
        &scope,
        Permission::ManageEducation,
        code,
        "division",
    )
    .await?;
    let root = attendance_root(state, &d).await?;
    let rows = study::candidates(&state.db, &root).await?;
    Ok(rows
        .into_iter()
        .map(|r| Candidate {
            user_id: r.id,
            name: r.display_name,
            default_expected: r.division_path == d.path,
            division_code: r.division_code,
        })
        .collect())
}

/// Checks a study body completely without writing.
pub(crate) async fn prepare_study(
    state: &AppState,
    p: &Principal,
    b: &StudyIn,
) -> ApiResult<NewStudy> {
    let scope = p.require(Permission::ManageEducation)?;
    let today = state.clock.today();
    let draft = StudyDraft {
        kind: b.kind.clone(),
        held_on: b.held_on.clone().unwrap_or_default(),
        topic: b.topic.clone(),
        speaker: b.speaker.clone().unwrap_or_default(),
        hours: b.hours,
        laws: b.laws.clone(),
        summary: b.summary.clone().unwrap_or_default(),
    };
    let (fields, mut errors) = match check_study(&draft, today) {
        Ok(f) => (Some(f), FieldErrors::default()),
        Err(e) => (None, e),
    };
    let place = place_in(
        state,
        p,
        &scope,
        Permission::ManageEducation,
        b.division_code.as_deref(),
        "division_code",
    )
    .await;
    let mut at = None;
    match place {
        Err(e) => gather(&mut errors, e)?,
        Ok(d) => {
            let root = attendance_root(state, &d).await?;
            let allowed: Vec<i64> = study::candidates(&state.db, &root)
                .await?
                .into_iter()
                .map(|c| c.id)
                .collect();
            let mut attendance: Vec<(i64, bool)> = Vec::new();
            for a in &b.attendees {
                if !allowed.contains(&a.user_id) {
                    errors.add("attendees", "签到名单中有不属于本镇（街道）的账户");
                } else if attendance.iter().any(|(u, _)| *u == a.user_id) {
                    errors.add("attendees", "签到名单中有重复的人员");
                } else {
                    attendance.push((a.user_id, a.present));
                }
            }
            if attendance.is_empty() && b.attendees.is_empty() {
                errors.add("attendees", "请在签到名单中选择应到人员");
            }
            at = Some((d, attendance));
        }
    }
    match (fields, at) {
        (Some(fields), Some((d, attendance))) if errors.is_empty() => Ok(NewStudy {
            fields,
            division_id: d.id,
            division_path: d.path,
            attendance,
        }),
        _ => Err(invalid(errors)),
    }
}

/// Records a study session with its attendance.
pub(crate) async fn create_study(
    state: &AppState,
    p: &Principal,
    b: &StudyIn,
) -> ApiResult<StudyOut> {
    let s = prepare_study(state, p, b).await?;
    let row = study::create(&state.db, &p.actor(), &s).await?;
    let att = study::attendance(&state.db, row.id).await?;
    Ok(StudyOut::from_row(row, true, Some(att)))
}

async fn visible_study(state: &AppState, p: &Principal, id: i64) -> ApiResult<study::StudyRow> {
    let scope = p.require(Permission::ViewEducation)?;
    let row = study::by_id(&state.db, id).await?;
    if !scope.covers(&row.division_path) {
        return Err(ApiError::not_found());
    }
    Ok(row)
}

/// One session with its list.
pub(crate) async fn study_detail(state: &AppState, p: &Principal, id: i64) -> ApiResult<StudyOut> {
    let row = visible_study(state, p, id).await?;
    let can = edit_scope(p, Permission::ManageEducation, &row.division_path);
    let att = study::attendance(&state.db, id).await?;
    Ok(StudyOut::from_row(row, can, Some(att)))
}

/// Changes a session at the version read.
pub(crate) async fn update_study(
    state: &AppState,
    p: &Principal,
    id: i64,
    b: &StudyIn,
) -> ApiResult<StudyOut> {
    let row = visible_study(state, p, id).await?;
    if !edit_scope(p, Permission::ManageEducation, &row.division_path) {
        return Err(ApiError::forbidden());
    }
    let version = b
        .version
        .ok_or_else(|| ApiError::field("version", "缺少版本号，请刷新后重试"))?;
    let s = prepare_study(state, p, b).await?;
    let row = study::update(&state.db, &p.actor(), id, version, &s).await?;
    let att = study::attendance(&state.db, id).await?;
    Ok(StudyOut::from_row(row, true, Some(att)))
}

/// Sessions in scope.
pub(crate) async fn list_study(
    state: &AppState,
    p: &Principal,
    q: &StudyQuery,
) -> ApiResult<Vec<StudyOut>> {
    let scope = p.require(Permission::ViewEducation)?;
    let (limit, offset) = page_of(q.limit, q.offset)?;
    let kind = match q.kind.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(k) => Some(k.parse().map_err(|e: fazhi_core::matter::UnknownCode| {
            ApiError::field("kind", e.to_string())
        })?),
    };
    let f = StudyFilter {
        division_path: filter_path(state, &scope, q.division.as_deref()).await?,
        year: Some(year_param(q.year, state.clock.today())?),
        kind,
        limit,
        offset,
    };
    let manage = p.scope(Permission::ManageEducation);
    Ok(study::list(&state.db, &scope.roots, &f)
        .await?
        .into_iter()
        .map(|r| {
            let can = manage.covers(&r.division_path);
            StudyOut::from_row(r, can, None)
        })
        .collect())
}

// ---- rosters ------------------------------------------------------------------------

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
        note: b.note.clone().unwrap_or_default(),
    };
    let (fields, mut errors) = match check_roster(&draft) {
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

/// The full phone of a person (needs `RevealPersonalData` or `ManageEducation` over the
/// place; audited).
pub(crate) async fn reveal_phone(state: &AppState, p: &Principal, id: i64) -> ApiResult<PhoneOut> {
    let row = visible_person(state, p, id).await?;
    let mut roots = p.scope(Permission::RevealPersonalData).roots;
    roots.extend(p.scope(Permission::ManageEducation).roots);
    let may = Scope {
        roots: roots.clone(),
    };
    if !may.covers(&row.division_path) {
        return Err(ApiError::forbidden());
    }
    let phone = roster::reveal_phone(&state.db, &state.vault, &p.actor(), &roots, id).await?;
    Ok(PhoneOut { phone })
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

// ---- figures ------------------------------------------------------------------------

/// The page listing the records behind a figure, for a place and year.
pub(crate) fn figure_href(f: EduFigure, code: &str, year: i32) -> String {
    use fazhi_core::education::Records;
    match (f.records(), f) {
        (Records::Events, _) => format!("/education?division={code}&year={year}"),
        (Records::StudySessions, _) => format!("/education/study?division={code}&year={year}"),
        (Records::Roster, EduFigure::VillagesShort) => {
            format!("/education/roster?division={code}#gaps")
        }
        (Records::Roster, _) => format!("/education/roster?division={code}&role=legal_literate"),
    }
}

/// The figures of a place in scope (the caller's area by default) and a year.
pub(crate) async fn figures(
    state: &AppState,
    p: &Principal,
    q: &EduStatsQuery,
) -> ApiResult<EduStats> {
    let scope = p.require(Permission::ViewEducation)?;
    let year = year_param(q.year, state.clock.today())?;
    let d = match q
        .division
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        Some(c) => division_in_scope(state, &scope, c, Some("division")).await?,
        None => {
            let g = p
                .grants
                .iter()
                .find(|g| {
                    g.role.has(Permission::ViewEducation) && scope.roots.contains(&g.division_path)
                })
                .ok_or_else(ApiError::forbidden)?;
            divisions::by_id(&state.db, g.division_id).await?
        }
    };
    let t = stats::tally(&state.db, &d.path, year).await?;
    // Themes in the order of the year's table, events on no theme day last.
    let table = theme_days(state, year).await?;
    let mut by_theme = t.by_theme.clone();
    by_theme.sort_by_key(|g| {
        table
            .iter()
            .position(|d| d.key == g.key)
            .unwrap_or(if g.key.is_empty() {
                usize::MAX
            } else {
                table.len()
            })
    });
    let exams = list_exams(
        state,
        p,
        &ExamQuery {
            division: Some(d.code.clone()),
            year: Some(year),
        },
    )
    .await?;
    Ok(EduStats {
        exams,
        figures: EduFigure::ALL
            .into_iter()
            .map(|f| FigureOut {
                key: f.key(),
                label: f.label(),
                unit: f.unit(),
                value: f.value(&t),
                definition: f.definition(),
                href: figure_href(f, &d.code, year),
            })
            .collect(),
        by_kind: t.by_kind.clone(),
        by_theme,
        by_division: t.by_division.clone(),
        by_study_kind: t
            .by_study_kind
            .iter()
            .map(|(k, n, minutes)| StudyKindOut {
                kind: *k,
                label: k.label_zh(),
                sessions: *n,
                hours: (*minutes as f64 / 60.0 * 100.0).round() / 100.0,
            })
            .collect(),
        villages: t.villages.clone(),
        division_code: d.code,
        division_name: d.name,
        year,
    })
}

// ---- theme days ---------------------------------------------------------------------

/// The table of a year and whether it was edited.
pub(crate) async fn theme_year(state: &AppState, p: &Principal, year: i32) -> ApiResult<ThemeYear> {
    p.require(Permission::ViewEducation)?;
    let year = year_param(Some(year), state.clock.today())?;
    let stored = themes::stored(&state.db, year).await?;
    let edited = !stored.is_empty();
    let days = if edited {
        stored
    } else {
        default_theme_days(year)
    };
    Ok(ThemeYear {
        year,
        edited,
        days: days.iter().map(ThemeDayOut::from).collect(),
    })
}

/// Replaces the table of a year (installation-wide: `ManageSettings`).
pub(crate) async fn put_theme_year(
    state: &AppState,
    p: &Principal,
    year: i32,
    days: &[ThemeDayOut],
) -> ApiResult<ThemeYear> {
    p.require(Permission::ManageSettings)?;
    let year = year_param(Some(year), state.clock.today())?;
    let rows: Vec<(usize, [&str; 4])> = days
        .iter()
        .enumerate()
        .map(|(i, d)| {
            (
                i + 1,
                [
                    d.key.as_str(),
                    d.name.as_str(),
                    d.starts_on.as_str(),
                    d.ends_on.as_str(),
                ],
            )
        })
        .collect();
    let checked =
        check_theme_days(year, &rows).map_err(|e| ApiError::field("days", e.join("；")))?;
    themes::replace(&state.db, &p.actor(), year, &checked).await?;
    theme_year(state, p, year).await
}

/// Codes and labels for forms.
pub(crate) fn options() -> EduOptions {
    use fazhi_core::education::{EventKind, RosterRole, StudyKind};
    EduOptions {
        event_kinds: EventKind::ALL
            .iter()
            .map(|k| CodeLabel {
                code: k.as_str(),
                label: k.label_zh(),
            })
            .collect(),
        study_kinds: StudyKind::ALL
            .iter()
            .map(|k| CodeLabel {
                code: k.as_str(),
                label: k.label_zh(),
            })
            .collect(),
        roster_roles: RosterRole::ALL
            .iter()
            .map(|k| CodeLabel {
                code: k.as_str(),
                label: k.label_zh(),
            })
            .collect(),
    }
}

// ---- exams --------------------------------------------------------------------------

/// An uploaded export of the exam platform and what it is.
pub(crate) struct ExamUpload {
    pub file_name: String,
    pub bytes: Vec<u8>,
    pub title: String,
    pub held_on: String,
    pub division_code: Option<String>,
    /// Write when every row is good (else only check).
    pub commit: bool,
}

fn exam_out(
    r: fazhi_db::education::exams::ExamRow,
    total: fazhi_core::education::ExamRates,
) -> ExamOut {
    ExamOut {
        id: r.id,
        title: r.title,
        held_on: r.held_on.to_string(),
        division_code: r.division_code,
        division_name: r.division_name,
        source_name: r.source_name,
        total,
    }
}

/// Reads an export, checks every row, and (with `commit`, when no row is bad) stores
/// the exam and all its results in one transaction; a file with bad rows writes nothing.
pub(crate) async fn import_exam(
    state: &AppState,
    p: &Principal,
    u: ExamUpload,
) -> ApiResult<ExamImportOut> {
    use fazhi_core::education::{exam_columns, exam_rates, exam_row};
    use fazhi_db::education::exams;
    let scope = p.require(Permission::ManageEducation)?;
    let today = state.clock.today();
    let mut errors = FieldErrors::default();
    let title = fazhi_core::validate::required_text("考试名称", &u.title, 100)
        .map_err(|m| errors.add("title", m))
        .ok();
    let held_on = match u.held_on.trim() {
        "" => Some(today),
        s => match parse_date(s) {
            Some(d) => fazhi_core::validate::record_date("考试日期", d, today)
                .map_err(|m| errors.add("held_on", m))
                .ok(),
            None => {
                errors.add("held_on", "考试日期格式须为YYYY-MM-DD");
                None
            }
        },
    };
    let place = match place_in(
        state,
        p,
        &scope,
        Permission::ManageEducation,
        u.division_code.as_deref(),
        "division_code",
    )
    .await
    {
        Ok(d) => Some(d),
        Err(e) => {
            gather(&mut errors, e)?;
            None
        }
    };
    let bytes = u.bytes;
    let sheet = tokio::task::spawn_blocking(move || fazhi_office::import::read(&bytes))
        .await
        .map_err(ApiError::internal)?
        .map_err(|m| ApiError::field("file", m))?;
    let columns = exam_columns(&sheet.headers).map_err(|m| ApiError::field("file", m))?;
    let mut results = Vec::new();
    let mut bad = Vec::new();
    for r in &sheet.rows {
        let cells: Vec<String> = r.cells.iter().map(|c| c.text()).collect();
        match exam_row(&columns, &cells) {
            Ok(x) => results.push(x),
            Err(message) => bad.push(RowError {
                row: r.row,
                message,
            }),
        }
    }
    if results.is_empty() && bad.is_empty() {
        errors.add("file", "表格中没有考试成绩");
    }
    let bands = exams::bands(&state.db).await?;
    let (units, total) = exam_rates(&results, &bands);
    let mut out = ExamImportOut {
        rows: sheet.rows.len(),
        errors: bad,
        units,
        total,
        exam_id: None,
    };
    if !u.commit {
        return if errors.is_empty() {
            Ok(out)
        } else {
            Err(invalid(errors))
        };
    }
    if !out.errors.is_empty() {
        let shown: Vec<String> = out
            .errors
            .iter()
            .take(20)
            .map(|e| format!("第{}行：{}", e.row, e.message))
            .collect();
        errors.add(
            "file",
            format!(
                "有{}行无法导入，全部未写入：{}",
                out.errors.len(),
                shown.join("；")
            ),
        );
    }
    match (title, held_on, place) {
        (Some(title), Some(held_on), Some(d)) if errors.is_empty() => {
            let id = exams::create(
                &state.db,
                &p.actor(),
                &exams::NewExam {
                    title,
                    held_on,
                    division_id: d.id,
                    division_path: d.path,
                    source_name: u.file_name.chars().take(100).collect(),
                    results,
                },
            )
            .await?;
            out.exam_id = Some(id);
            Ok(out)
        }
        _ => Err(invalid(errors)),
    }
}

/// Exams in scope held in a year.
pub(crate) async fn list_exams(
    state: &AppState,
    p: &Principal,
    q: &ExamQuery,
) -> ApiResult<Vec<ExamOut>> {
    use fazhi_db::education::exams;
    let scope = p.require(Permission::ViewEducation)?;
    let year = year_param(q.year, state.clock.today())?;
    let path = filter_path(state, &scope, q.division.as_deref()).await?;
    let bands = exams::bands(&state.db).await?;
    let mut out = Vec::new();
    for r in exams::list(&state.db, &scope.roots, path.as_deref(), year).await? {
        let results = exams::results(&state.db, r.id).await?;
        let (_, total) = fazhi_core::education::exam_rates(&results, &bands);
        out.push(exam_out(r, total));
    }
    Ok(out)
}

/// One exam with the rates per unit.
pub(crate) async fn exam_detail(state: &AppState, p: &Principal, id: i64) -> ApiResult<ExamDetail> {
    use fazhi_db::education::exams;
    let scope = p.require(Permission::ViewEducation)?;
    let r = exams::by_id(&state.db, id).await?;
    if !scope.covers(&r.division_path) {
        return Err(ApiError::not_found());
    }
    let bands = exams::bands(&state.db).await?;
    let results = exams::results(&state.db, id).await?;
    let (units, total) = fazhi_core::education::exam_rates(&results, &bands);
    Ok(ExamDetail {
        exam: exam_out(r, total),
        units,
        bands,
    })
}

/// The grading bands.
pub(crate) async fn bands(
    state: &AppState,
    p: &Principal,
) -> ApiResult<fazhi_core::education::Bands> {
    p.require(Permission::ViewEducation)?;
    Ok(fazhi_db::education::exams::bands(&state.db).await?)
}

/// Sets the grading bands (installation-wide: `ManageSettings`).
pub(crate) async fn set_bands(
    state: &AppState,
    p: &Principal,
    b: &BandsIn,
) -> ApiResult<fazhi_core::education::Bands> {
    p.require(Permission::ManageSettings)?;
    let bands = fazhi_core::education::Bands {
        excellent: b.excellent,
        good: b.good,
        pass: b.pass,
    }
    .check()
    .map_err(|m| ApiError::field("bands", m))?;
    fazhi_db::education::exams::set_bands(&state.db, &p.actor(), bands).await?;
    Ok(bands)
}
