//! Study sessions (学法): who may be on the list (the accounts of the township of the
//! place), the checks of a body, recording, reading and changing.

use super::*;
use fazhi_core::division::Level;
use fazhi_core::education::{StudyDraft, check_study};
use fazhi_db::education::study::{self, NewStudy, StudyFilter};

/// The path whose accounts may attend a session held at `d`: its township (a village's
/// parent), or `d` itself above that.
pub(super) async fn attendance_root(state: &AppState, d: &DivisionRow) -> ApiResult<String> {
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
