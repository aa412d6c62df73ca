//! 述法: the heads' yearly statements on their rule-of-law duties, kept per township and
//! year (one per head), and the district's rating. Township staff with
//! `ManageEducation` record them; `RateStatements` (the district) rates them.

use super::*;
use fazhi_core::division::Level;
use fazhi_core::education::{RatingDraft, StatementDraft, check_rating, check_statement};
use fazhi_db::education::statements::{self, NewStatement, StatementRow};
use fazhi_db::education::study;

fn out(p: &Principal, r: StatementRow) -> StatementOut {
    let can_edit = edit_scope(p, Permission::ManageEducation, &r.division_path);
    let can_rate = edit_scope(p, Permission::RateStatements, &r.division_path);
    StatementOut {
        id: r.id,
        township_code: r.township_code,
        township_name: r.township_name,
        year: r.year,
        user_id: r.user_id,
        head_name: r.head_name,
        post: r.post,
        post_label: r.post.label_zh(),
        delivered_on: r.delivered_on.to_string(),
        occasion: r.occasion,
        occasion_label: r.occasion.label_zh(),
        title: r.title,
        text: r.body,
        rating: r.rating,
        rating_label: r.rating.map(|x| x.label_zh()),
        rating_note: r.rating_note,
        version: r.version,
        can_edit,
        can_rate,
    }
}

/// The township of a write: a township in the scope (the caller's own by default).
async fn township_of(
    state: &AppState,
    p: &Principal,
    scope: &Scope,
    perm: Permission,
    code: Option<&str>,
) -> ApiResult<DivisionRow> {
    let d = place_in(state, p, scope, perm, code, "division_code").await?;
    if d.level != Level::Township {
        return Err(ApiError::field("division_code", "请选择镇（街道）"));
    }
    Ok(d)
}

/// The accounts of a township that may be named as heads (active, with a grant there).
pub(crate) async fn heads(
    state: &AppState,
    p: &Principal,
    code: Option<&str>,
) -> ApiResult<Vec<HeadOut>> {
    let scope = p.require(Permission::ViewEducation)?;
    let t = township_of(state, p, &scope, Permission::ViewEducation, code).await?;
    Ok(study::candidates(&state.db, &t.path)
        .await?
        .into_iter()
        .map(|c| HeadOut {
            user_id: c.id,
            name: c.display_name,
        })
        .collect())
}

/// Checks a statement body completely without writing. `head_kept`: on update the head
/// stays as recorded (an account that has since left still owns its statement).
async fn prepare(
    state: &AppState,
    p: &Principal,
    b: &StatementIn,
    head_kept: bool,
) -> ApiResult<NewStatement> {
    let scope = p.require(Permission::ManageEducation)?;
    let draft = StatementDraft {
        year: b.year,
        post: b.post.clone(),
        delivered_on: b.delivered_on.clone().unwrap_or_default(),
        occasion: b.occasion.clone(),
        title: b.title.clone().unwrap_or_default(),
        text: b.text.clone(),
    };
    let (fields, mut errors) = match check_statement(&draft, state.clock.today()) {
        Ok(f) => (Some(f), FieldErrors::default()),
        Err(e) => (None, e),
    };
    let township = match township_of(
        state,
        p,
        &scope,
        Permission::ManageEducation,
        b.division_code.as_deref(),
    )
    .await
    {
        Ok(t) => Some(t),
        Err(e) => {
            gather(&mut errors, e)?;
            None
        }
    };
    let mut head = None;
    match (b.user_id, &township) {
        (None, _) => errors.add("user_id", "请选择述法的负责人"),
        (Some(_), None) => {}
        (Some(u), Some(_)) if head_kept => head = Some(u),
        (Some(u), Some(t)) => {
            let ok = study::candidates(&state.db, &t.path)
                .await?
                .iter()
                .any(|c| c.id == u);
            if ok {
                head = Some(u);
            } else {
                errors.add("user_id", "所选负责人不是本镇（街道）的在用账号");
            }
        }
    }
    match (fields, township, head) {
        (Some(fields), Some(t), Some(user_id)) if errors.is_empty() => Ok(NewStatement {
            township_id: t.id,
            division_path: t.path,
            user_id,
            fields,
        }),
        _ => Err(invalid(errors)),
    }
}

/// Records a head's statement of a year (a second one for the same head and year: 409).
pub(crate) async fn create_statement(
    state: &AppState,
    p: &Principal,
    b: &StatementIn,
) -> ApiResult<StatementOut> {
    let n = prepare(state, p, b, false).await?;
    let row = statements::create(&state.db, &p.actor(), &n).await?;
    Ok(out(p, row))
}

async fn visible(state: &AppState, p: &Principal, id: i64) -> ApiResult<StatementRow> {
    let scope = p.require(Permission::ViewEducation)?;
    let row = statements::by_id(&state.db, id).await?;
    if !scope.covers(&row.division_path) {
        return Err(ApiError::not_found());
    }
    Ok(row)
}

/// One statement.
pub(crate) async fn statement_detail(
    state: &AppState,
    p: &Principal,
    id: i64,
) -> ApiResult<StatementOut> {
    let row = visible(state, p, id).await?;
    Ok(out(p, row))
}

/// Changes a statement at the version read; its head, township and year stay.
pub(crate) async fn update_statement(
    state: &AppState,
    p: &Principal,
    id: i64,
    b: &StatementIn,
) -> ApiResult<StatementOut> {
    let row = visible(state, p, id).await?;
    if !edit_scope(p, Permission::ManageEducation, &row.division_path) {
        return Err(ApiError::forbidden());
    }
    let version = b
        .version
        .ok_or_else(|| ApiError::field("version", "缺少版本号，请刷新后重试"))?;
    let body = StatementIn {
        year: Some(row.year as i32),
        division_code: Some(row.township_code.clone()),
        user_id: Some(row.user_id),
        ..b.clone()
    };
    let n = prepare(state, p, &body, true).await?;
    let row = statements::update(&state.db, &p.actor(), id, version, &n).await?;
    Ok(out(p, row))
}

/// The district's rating of a statement, at the version read.
pub(crate) async fn rate_statement(
    state: &AppState,
    p: &Principal,
    id: i64,
    b: &RatingIn,
) -> ApiResult<StatementOut> {
    let row = visible(state, p, id).await?;
    if !edit_scope(p, Permission::RateStatements, &row.division_path) {
        return Err(ApiError::forbidden());
    }
    let (rating, note) = check_rating(&RatingDraft {
        rating: b.rating.clone(),
        note: b.note.clone().unwrap_or_default(),
    })
    .map_err(invalid)?;
    let version = b
        .version
        .ok_or_else(|| ApiError::field("version", "缺少版本号，请刷新后重试"))?;
    let row = statements::rate(&state.db, &p.actor(), id, version, rating, note).await?;
    Ok(out(p, row))
}

/// Statements in scope of a year (this year by default), optionally of one place.
pub(crate) async fn list_statements(
    state: &AppState,
    p: &Principal,
    q: &PlaceYearQuery,
) -> ApiResult<Vec<StatementOut>> {
    let scope = p.require(Permission::ViewEducation)?;
    let year = year_param(q.year, state.clock.today())?;
    let path = filter_path(state, &scope, q.division.as_deref()).await?;
    Ok(
        statements::list(&state.db, &scope.roots, path.as_deref(), Some(year))
            .await?
            .into_iter()
            .map(|r| out(p, r))
            .collect(),
    )
}
