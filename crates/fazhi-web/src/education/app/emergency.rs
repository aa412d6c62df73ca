//! Emergency plans and drills (突发事件应对法): plans of a township or village with their
//! approval, 备案 and review days, drills on them, and the reminders of each plan
//! (`fazhi_core::education::plan_reminders`). Kept by `ManageEducation`.

use super::*;
use fazhi_core::education::{
    DrillDraft, EmergencyPlanDraft, check_drill, check_emergency_plan, plan_reminders,
};
use fazhi_db::education::emergency::{self, DrillRow, EmergencyPlanRow, NewDrill, NewPlan};

fn out(state: &AppState, p: &Principal, r: EmergencyPlanRow) -> EmergencyPlanOut {
    let reminders = plan_reminders(
        r.next_review_on,
        r.approved_on,
        r.filed_on,
        r.drill_years,
        r.last_drill,
        state.clock.today(),
    )
    .into_iter()
    .map(|m| ReminderOut {
        code: m.code(),
        label: m.label_zh(),
    })
    .collect();
    EmergencyPlanOut {
        can_edit: edit_scope(p, Permission::ManageEducation, &r.division_path),
        reminders,
        id: r.id,
        division_code: r.division_code,
        division_name: r.division_name,
        kind: r.kind,
        kind_label: r.kind.label_zh(),
        title: r.title,
        version_label: r.version_label,
        approved_on: r.approved_on.to_string(),
        approved_by: r.approved_by,
        filed_on: r.filed_on.map(|d| d.to_string()),
        next_review_on: r.next_review_on.to_string(),
        drill_years: r.drill_years,
        last_drill: r.last_drill.map(|d| d.to_string()),
        drills: r.drills,
        version: r.version,
    }
}

fn drill_out(r: DrillRow) -> DrillOut {
    DrillOut {
        id: r.id,
        plan_id: r.plan_id,
        plan_title: r.plan_title,
        held_on: r.held_on.to_string(),
        scenario: r.scenario,
        form: r.form,
        form_label: r.form.label_zh(),
        participants: r.participants,
        evaluation: r.evaluation,
        revisions: r.revisions,
    }
}

async fn prepare(state: &AppState, p: &Principal, b: &EmergencyPlanIn) -> ApiResult<NewPlan> {
    let scope = p.require(Permission::ManageEducation)?;
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    let draft = EmergencyPlanDraft {
        kind: b.kind.clone(),
        title: b.title.clone(),
        version_label: b.version_label.clone(),
        approved_on: s(&b.approved_on),
        approved_by: b.approved_by.clone(),
        filed_on: s(&b.filed_on),
        next_review_on: s(&b.next_review_on),
        drill_years: b.drill_years,
    };
    let (fields, mut errors) = match check_emergency_plan(&draft, state.clock.today()) {
        Ok(f) => (Some(f), FieldErrors::default()),
        Err(e) => (None, e),
    };
    let place = match place_in(
        state,
        p,
        &scope,
        Permission::ManageEducation,
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
        (Some(fields), Some(d)) if errors.is_empty() => Ok(NewPlan {
            division_id: d.id,
            division_path: d.path,
            fields,
        }),
        _ => Err(invalid(errors)),
    }
}

/// Records a plan.
pub(crate) async fn create_emergency_plan(
    state: &AppState,
    p: &Principal,
    b: &EmergencyPlanIn,
) -> ApiResult<EmergencyPlanOut> {
    let n = prepare(state, p, b).await?;
    let row = emergency::create_plan(&state.db, &p.actor(), &n).await?;
    Ok(out(state, p, row))
}

async fn visible(state: &AppState, p: &Principal, id: i64) -> ApiResult<EmergencyPlanRow> {
    let scope = p.require(Permission::ViewEducation)?;
    let row = emergency::plan_by_id(&state.db, id).await?;
    if !scope.covers(&row.division_path) {
        return Err(ApiError::not_found());
    }
    Ok(row)
}

/// One plan with its drills.
pub(crate) async fn emergency_plan_detail(
    state: &AppState,
    p: &Principal,
    id: i64,
) -> ApiResult<EmergencyPlanDetail> {
    let row = visible(state, p, id).await?;
    let drills = emergency::drills_of(&state.db, id)
        .await?
        .into_iter()
        .map(drill_out)
        .collect();
    Ok(EmergencyPlanDetail {
        plan: out(state, p, row),
        drills,
    })
}

/// Revises a plan at the version read.
pub(crate) async fn update_emergency_plan(
    state: &AppState,
    p: &Principal,
    id: i64,
    b: &EmergencyPlanIn,
) -> ApiResult<EmergencyPlanOut> {
    let row = visible(state, p, id).await?;
    if !edit_scope(p, Permission::ManageEducation, &row.division_path) {
        return Err(ApiError::forbidden());
    }
    let version = b
        .version
        .ok_or_else(|| ApiError::field("version", "缺少版本号，请刷新后重试"))?;
    let n = prepare(state, p, b).await?;
    let row = emergency::update_plan(&state.db, &p.actor(), id, version, &n).await?;
    Ok(out(state, p, row))
}

/// Records a drill on a plan.
pub(crate) async fn create_drill(
    state: &AppState,
    p: &Principal,
    plan_id: i64,
    b: &DrillIn,
) -> ApiResult<DrillOut> {
    let plan = visible(state, p, plan_id).await?;
    if !edit_scope(p, Permission::ManageEducation, &plan.division_path) {
        return Err(ApiError::forbidden());
    }
    let fields = check_drill(
        &DrillDraft {
            held_on: b.held_on.clone().unwrap_or_default(),
            scenario: b.scenario.clone(),
            form: b.form.clone(),
            participants: b.participants,
            evaluation: b.evaluation.clone().unwrap_or_default(),
            revisions: b.revisions.clone().unwrap_or_default(),
        },
        state.clock.today(),
    )
    .map_err(invalid)?;
    let row = emergency::create_drill(
        &state.db,
        &p.actor(),
        &NewDrill {
            plan_id,
            division_path: plan.division_path,
            fields,
        },
    )
    .await?;
    Ok(drill_out(row))
}

/// Plans in scope (only those with a reminder when `due`).
pub(crate) async fn list_emergency_plans(
    state: &AppState,
    p: &Principal,
    q: &EmergencyQuery,
) -> ApiResult<Vec<EmergencyPlanOut>> {
    let scope = p.require(Permission::ViewEducation)?;
    let path = filter_path(state, &scope, q.division.as_deref()).await?;
    Ok(emergency::plans(&state.db, &scope.roots, path.as_deref())
        .await?
        .into_iter()
        .map(|r| out(state, p, r))
        .filter(|o| q.due != Some(true) || !o.reminders.is_empty())
        .collect())
}
