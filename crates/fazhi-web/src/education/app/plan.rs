//! The 普法 plan and 谁执法谁普法 responsibility list: per township and year, each unit
//! with the laws it publicises and the activities it plans; progress is counted from the
//! recorded events (`fazhi_core::education::plan_progress`).

use super::*;
use fazhi_core::division::Level;
use fazhi_core::education::{PlanEvent, PlanItemDraft, check_plan_item, plan_progress};
use fazhi_core::stats::percent;
use fazhi_db::admin::units;
use fazhi_db::education::laws_of;
use fazhi_db::education::plan::{self, NewPlanItem, PlanItemRow};
use std::collections::HashMap;
use std::collections::hash_map::Entry;

fn out(p: &Principal, r: PlanItemRow, done: i64) -> PlanItemOut {
    PlanItemOut {
        can_edit: edit_scope(p, Permission::ManageEducation, &r.division_path),
        percent: percent(done, r.planned),
        id: r.id,
        township_code: r.township_code,
        township_name: r.township_name,
        year: r.year,
        unit_id: r.unit_id,
        unit_name: r.unit_name,
        laws: laws_of(&r.laws),
        kind: r.kind,
        kind_label: r.kind.map(|k| k.label_zh()),
        planned: r.planned,
        done,
        note: r.note,
        version: r.version,
    }
}

/// Items with their progress, counted against the events of each item's township.
async fn with_progress(
    state: &AppState,
    p: &Principal,
    rows: Vec<PlanItemRow>,
) -> ApiResult<Vec<PlanItemOut>> {
    let mut events: HashMap<(String, i64), Vec<PlanEvent>> = HashMap::new();
    let mut outs = Vec::with_capacity(rows.len());
    for r in rows {
        let key = (r.division_path.clone(), r.year);
        let of_township = match events.entry(key) {
            Entry::Occupied(e) => e.into_mut(),
            Entry::Vacant(v) => {
                v.insert(plan::events_for(&state.db, &r.division_path, r.year as i32).await?)
            }
        };
        let done = plan_progress(&[r.facts()], of_township)[0];
        outs.push(out(p, r, done));
    }
    Ok(outs)
}

async fn prepare(state: &AppState, p: &Principal, b: &PlanItemIn) -> ApiResult<NewPlanItem> {
    let scope = p.require(Permission::ManageEducation)?;
    let draft = PlanItemDraft {
        year: b.year,
        laws: b.laws.clone(),
        kind: b.kind.clone().unwrap_or_default(),
        planned: b.planned,
        note: b.note.clone().unwrap_or_default(),
    };
    let (fields, mut errors) = match check_plan_item(&draft, state.clock.today()) {
        Ok(f) => (Some(f), FieldErrors::default()),
        Err(e) => (None, e),
    };
    let township = match place_in(
        state,
        p,
        &scope,
        Permission::ManageEducation,
        b.division_code.as_deref(),
        "division_code",
    )
    .await
    {
        Ok(d) if d.level == Level::Township => Some(d),
        Ok(_) => {
            errors.add(
                "division_code",
                "普法计划按镇（街道）制定，请选择镇（街道）",
            );
            None
        }
        Err(e) => {
            gather(&mut errors, e)?;
            None
        }
    };
    let mut unit = None;
    match (b.unit_id, &township) {
        (None, _) => errors.add("unit_id", "请选择责任单位"),
        (Some(_), None) => {}
        (Some(u), Some(t)) => match units::by_id(&state.db, u).await {
            Ok(row) if row.division_path.starts_with(&t.path) => unit = Some(row.id),
            _ => errors.add("unit_id", "责任单位不存在或不属于所选镇（街道）"),
        },
    }
    match (fields, township, unit) {
        (Some(fields), Some(t), Some(unit_id)) if errors.is_empty() => Ok(NewPlanItem {
            township_id: t.id,
            division_path: t.path,
            unit_id,
            fields,
        }),
        _ => Err(invalid(errors)),
    }
}

/// Adds an item to a township's plan.
pub(crate) async fn create_plan_item(
    state: &AppState,
    p: &Principal,
    b: &PlanItemIn,
) -> ApiResult<PlanItemOut> {
    let n = prepare(state, p, b).await?;
    let row = plan::create(&state.db, &p.actor(), &n).await?;
    Ok(with_progress(state, p, vec![row]).await?.remove(0))
}

async fn visible(state: &AppState, p: &Principal, id: i64) -> ApiResult<PlanItemRow> {
    let scope = p.require(Permission::ViewEducation)?;
    let row = plan::by_id(&state.db, id).await?;
    if !scope.covers(&row.division_path) {
        return Err(ApiError::not_found());
    }
    Ok(row)
}

/// One item with its progress.
pub(crate) async fn plan_item_detail(
    state: &AppState,
    p: &Principal,
    id: i64,
) -> ApiResult<PlanItemOut> {
    let row = visible(state, p, id).await?;
    Ok(with_progress(state, p, vec![row]).await?.remove(0))
}

/// Changes an item at the version read.
pub(crate) async fn update_plan_item(
    state: &AppState,
    p: &Principal,
    id: i64,
    b: &PlanItemIn,
) -> ApiResult<PlanItemOut> {
    let row = visible(state, p, id).await?;
    if !edit_scope(p, Permission::ManageEducation, &row.division_path) {
        return Err(ApiError::forbidden());
    }
    let version = b
        .version
        .ok_or_else(|| ApiError::field("version", "缺少版本号，请刷新后重试"))?;
    let n = prepare(state, p, b).await?;
    let row = plan::update(&state.db, &p.actor(), id, version, &n).await?;
    Ok(with_progress(state, p, vec![row]).await?.remove(0))
}

/// The plan items of a year in scope with their progress.
pub(crate) async fn list_plan(
    state: &AppState,
    p: &Principal,
    q: &PlaceYearQuery,
) -> ApiResult<Vec<PlanItemOut>> {
    let scope = p.require(Permission::ViewEducation)?;
    let year = year_param(q.year, state.clock.today())?;
    let path = filter_path(state, &scope, q.division.as_deref()).await?;
    let rows = plan::list(&state.db, &scope.roots, path.as_deref(), year).await?;
    with_progress(state, p, rows).await
}
