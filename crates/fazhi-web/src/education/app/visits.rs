//! Enterprise visits (法治体检): recorded by those who hold publicity events
//! (`RecordEducation`, 谁执法谁普法), at a township or village; the contact phone sealed
//! and revealed with an audit row; the follow-up list of open issues past their day.

use super::*;
use fazhi_core::education::{VisitDraft, check_visit, visit_overdue};
use fazhi_db::education::visits::{self, NewVisit, VisitFilter, VisitRow};

fn out(state: &AppState, p: &Principal, r: VisitRow) -> VisitOut {
    VisitOut {
        can_edit: edit_scope(p, Permission::RecordEducation, &r.division_path),
        overdue: visit_overdue(
            r.issue_count,
            r.rectify_by,
            r.rectified_on,
            state.clock.today(),
        ),
        id: r.id,
        division_code: r.division_code,
        division_name: r.division_name,
        enterprise: r.enterprise,
        visited_on: r.visited_on.to_string(),
        visitors: r.visitors,
        contact_name: r.contact_name,
        contact_phone: r.phone_mask,
        issues: r.issues,
        issue_count: r.issue_count,
        advice: r.advice,
        rectify_by: r.rectify_by.map(|d| d.to_string()),
        rectified_on: r.rectified_on.map(|d| d.to_string()),
        version: r.version,
    }
}

async fn prepare(
    state: &AppState,
    p: &Principal,
    b: &VisitIn,
    updating: bool,
) -> ApiResult<NewVisit> {
    let scope = p.require(Permission::RecordEducation)?;
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    let draft = VisitDraft {
        enterprise: b.enterprise.clone(),
        visited_on: s(&b.visited_on),
        visitors: b.visitors.clone(),
        contact_name: s(&b.contact_name),
        contact_phone: s(&b.contact_phone),
        issues: s(&b.issues),
        issue_count: b.issue_count,
        advice: s(&b.advice),
        rectify_by: s(&b.rectify_by),
        rectified_on: s(&b.rectified_on),
    };
    let (fields, mut errors) = match check_visit(&draft, state.clock.today()) {
        Ok(f) => (Some(f), FieldErrors::default()),
        Err(e) => (None, e),
    };
    let place = match place_in(
        state,
        p,
        &scope,
        Permission::RecordEducation,
        b.division_code.as_deref(),
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
    match (fields, place) {
        (Some(fields), Some(d)) if errors.is_empty() => Ok(NewVisit {
            fields,
            division_id: d.id,
            division_path: d.path,
            keep_phone: updating && b.contact_phone.is_none(),
        }),
        _ => Err(invalid(errors)),
    }
}

/// Records a visit.
pub(crate) async fn create_visit(
    state: &AppState,
    p: &Principal,
    b: &VisitIn,
) -> ApiResult<VisitOut> {
    create_visit_with_files(state, p, b, &[]).await
}

/// Records a visit with the photos and sign-in sheets sent in the same submit (already
/// in the file store): the visit and its files are one transaction.
pub(crate) async fn create_visit_with_files(
    state: &AppState,
    p: &Principal,
    b: &VisitIn,
    files: &[fazhi_db::education::files::NewEduFile],
) -> ApiResult<VisitOut> {
    let n = prepare(state, p, b, false).await?;
    let row = visits::create_with_files(&state.db, &state.vault, &p.actor(), &n, files).await?;
    Ok(out(state, p, row))
}

async fn visible(state: &AppState, p: &Principal, id: i64) -> ApiResult<VisitRow> {
    let scope = p.require(Permission::ViewEducation)?;
    let row = visits::by_id(&state.db, id).await?;
    if !scope.covers(&row.division_path) {
        return Err(ApiError::not_found());
    }
    Ok(row)
}

/// One visit (phone masked).
pub(crate) async fn visit_detail(state: &AppState, p: &Principal, id: i64) -> ApiResult<VisitOut> {
    let row = visible(state, p, id).await?;
    Ok(out(state, p, row))
}

/// Changes a visit at the version read (e.g. records that the issues were rectified).
pub(crate) async fn update_visit(
    state: &AppState,
    p: &Principal,
    id: i64,
    b: &VisitIn,
) -> ApiResult<VisitOut> {
    let row = visible(state, p, id).await?;
    if !edit_scope(p, Permission::RecordEducation, &row.division_path) {
        return Err(ApiError::forbidden());
    }
    let version = b
        .version
        .ok_or_else(|| ApiError::field("version", "缺少版本号，请刷新后重试"))?;
    let n = prepare(state, p, b, true).await?;
    let row = visits::update(&state.db, &state.vault, &p.actor(), id, version, &n).await?;
    Ok(out(state, p, row))
}

/// The full contact phone of a visit (`RevealPersonalData` or `ManageEducation` over its
/// place; audited).
pub(crate) async fn reveal_visit_phone(
    state: &AppState,
    p: &Principal,
    id: i64,
) -> ApiResult<PhoneOut> {
    let row = visible(state, p, id).await?;
    let may = reveal_scope(p);
    let roots = &may.roots;
    if !may.covers(&row.division_path) {
        return Err(ApiError::forbidden());
    }
    let phone = visits::reveal_phone(&state.db, &state.vault, &p.actor(), roots, id).await?;
    Ok(PhoneOut { phone })
}

/// Visits in scope: of a year, or the follow-up list (`overdue`).
pub(crate) async fn list_visits(
    state: &AppState,
    p: &Principal,
    q: &VisitQuery,
) -> ApiResult<Vec<VisitOut>> {
    let scope = p.require(Permission::ViewEducation)?;
    let overdue = q.overdue == Some(true);
    let year = match q.year {
        None => None,
        y => Some(year_param(y, state.clock.today())?),
    };
    let f = VisitFilter {
        division_path: filter_path(state, &scope, q.division.as_deref()).await?,
        year,
        overdue_on: overdue.then(|| state.clock.today()),
        limit: 1000,
    };
    Ok(visits::list(&state.db, &scope.roots, &f)
        .await?
        .into_iter()
        .map(|r| out(state, p, r))
        .collect())
}
