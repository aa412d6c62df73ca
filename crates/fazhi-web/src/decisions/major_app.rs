//! The use cases of major decisions — the catalogue, each decision's steps, and the
//! public view — called by the JSON API and the pages alike. The order of the steps is
//! `fazhi_core::decisions::apply_decision`; the legal review comes from the desk.

use axum::http::StatusCode;
use fazhi_core::decisions::{
    DecisionAction, DecisionActionCode, DecisionContext, DecisionRules, DecisionState, ReviewError,
    ReviewKind, ReviewSpec, allowed_decision_actions, apply_decision,
};
use fazhi_core::role::Permission;
use fazhi_db::decisions::major::{self, CatalogueRow, DecisionRow};
use fazhi_db::decisions::reviews;

use super::app::township;
use super::major_wire::*;
use crate::AppState;
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};

/// Settings key of the decision rules (JSON; national defaults when absent).
pub const RULES_KEY: &str = "decisions.major_rules";

/// The comment period and hearing lead time: the national defaults unless set.
pub(crate) async fn rules(state: &AppState) -> ApiResult<DecisionRules> {
    let stored = fazhi_db::admin::settings::get(&state.db, RULES_KEY).await?;
    Ok(stored
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default())
}

/// Replaces the decision rules (settings managers); a shorter comment period than the
/// national 30 days is a provincial choice, so only its bounds are checked.
pub(crate) async fn put_rules(
    state: &AppState,
    p: &Principal,
    r: &DecisionRules,
) -> ApiResult<DecisionRules> {
    p.require(Permission::ManageSettings)?;
    if !(1..=365).contains(&r.comment_days) || r.hearing_materials_days > 60 {
        return Err(ApiError::field("rules", "期限超出范围，请检查"));
    }
    let text = serde_json::to_string(r).map_err(ApiError::internal)?;
    fazhi_db::admin::settings::put(&state.db, &p.actor(), RULES_KEY, &text).await?;
    Ok(r.clone())
}

fn refusal(e: ReviewError) -> ApiError {
    match e {
        ReviewError::Invalid(m) => ApiError::bad_request(m),
        ReviewError::Refused(m) => ApiError::new(StatusCode::CONFLICT, "refused", m),
    }
}

/// The head's actions; the rest are the lead unit's.
fn needs_head(code: DecisionActionCode) -> bool {
    use DecisionActionCode as C;
    matches!(
        code,
        C::Discuss | C::ReportToParty | C::Publish | C::Archive | C::Remove
    )
}

async fn catalogue_out(state: &AppState, c: &CatalogueRow) -> ApiResult<CatalogueOut> {
    let cs = c.state()?;
    let mut decisions = Vec::new();
    for r in major::of_catalogue(&state.db, c.id).await? {
        decisions.push(DecisionOut::of(&r, &r.state()?));
    }
    Ok(CatalogueOut {
        id: c.id,
        year: c.year,
        township_name: c.township_name.clone(),
        agreed_on: cs.agreed_on,
        published_on: cs.published_on,
        adjustments: serde_json::to_value(&cs.adjustments).unwrap_or_default(),
        decisions,
        version: c.version,
    })
}

/// Catalogues in scope with their decisions, newest year first.
pub(crate) async fn catalogues(state: &AppState, p: &Principal) -> ApiResult<Vec<CatalogueOut>> {
    let scope = p.require(Permission::ViewDecisions)?;
    let mut out = Vec::new();
    for c in major::catalogues(&state.db, &scope.roots).await? {
        out.push(catalogue_out(state, &c).await?);
    }
    Ok(out)
}

/// Adds a decision to the township's catalogue of `year` (an adjustment, with its
/// reason, once the catalogue is published).
pub(crate) async fn plan(
    state: &AppState,
    p: &Principal,
    year: i32,
    body: &DecisionPlanIn,
) -> ApiResult<DecisionDetail> {
    let scope = p.require(Permission::DecideMajor)?;
    if !(2000..=2100).contains(&year) {
        return Err(ApiError::field("year", "年份须在2000到2100之间"));
    }
    let t = township(
        state,
        p,
        &scope,
        Permission::DecideMajor,
        body.township_code.as_deref(),
    )
    .await?;
    let today = state.clock.today();
    let s = DecisionState::plan(year, &body.plan).map_err(refusal)?;
    let cat = major::catalogue_for(&state.db, &p.actor(), t.id, &t.path, year).await?;
    let mut cs = cat.state()?;
    cs.change(&format!("增加：{}", s.plan.title), &body.reason, today)
        .map_err(refusal)?;
    let row = major::add_decision(&state.db, &p.actor(), &cat, &cs, &s, today).await?;
    detail_of(state, p, row).await
}

/// Records the Party committee's agreement to a catalogue.
pub(crate) async fn agree(
    state: &AppState,
    p: &Principal,
    id: i64,
    body: &AgreementIn,
) -> ApiResult<CatalogueOut> {
    let scope = p.require(Permission::DecideMajor)?;
    let c = major::catalogue(&state.db, &scope.roots, id).await?;
    let mut cs = c.state()?;
    cs.agree(body.on, state.clock.today()).map_err(refusal)?;
    let c = major::save_catalogue(&state.db, &p.actor(), &c, &cs, "agree").await?;
    catalogue_out(state, &c).await
}

/// Publishes a catalogue (only after the Party committee's agreement).
pub(crate) async fn publish_catalogue(
    state: &AppState,
    p: &Principal,
    id: i64,
) -> ApiResult<CatalogueOut> {
    let scope = p.require(Permission::DecideMajor)?;
    let c = major::catalogue(&state.db, &scope.roots, id).await?;
    let mut cs = c.state()?;
    cs.publish(state.clock.today()).map_err(refusal)?;
    let c = major::save_catalogue(&state.db, &p.actor(), &c, &cs, "publish").await?;
    catalogue_out(state, &c).await
}

/// (settled, passed) of the decision's review on the desk.
async fn review_of(state: &AppState, s: &DecisionState) -> ApiResult<(bool, bool)> {
    Ok(match s.legal_review_id {
        Some(id) => {
            let r = reviews::by_id(&state.db, id).await?.state()?;
            let settled =
                r.opinion.is_some() || r.status == fazhi_core::decisions::ReviewStatus::Withdrawn;
            (settled, r.passed())
        }
        None => (false, false),
    })
}

async fn detail_of(state: &AppState, p: &Principal, row: DecisionRow) -> ApiResult<DecisionDetail> {
    let s = row.state()?;
    let (settled, passed) = review_of(state, &s).await?;
    let manage = p
        .scope(Permission::ManageDecisions)
        .covers(&row.division_path);
    let head = p.scope(Permission::DecideMajor).covers(&row.division_path);
    let allowed = allowed_decision_actions(&s, settled, passed)
        .into_iter()
        .filter(|c| if needs_head(*c) { head } else { manage })
        .collect();
    let mut documents = Vec::new();
    if s.consultation.is_some() {
        documents.push(DocLink {
            href: format!(
                "/api/v1/decisions/{}/documents/consultation-notice.docx",
                row.id
            ),
            label: "征求意见公告",
        });
    }
    if s.published_on.is_some() && s.discussion.is_some() {
        documents.push(DocLink {
            href: format!(
                "/api/v1/decisions/{}/documents/decision-notice.docx",
                row.id
            ),
            label: "决策公告",
        });
    }
    let mut discussion_advisers = Vec::new();
    for id in s
        .discussion
        .as_ref()
        .and_then(|d| d.adviser_ids.as_ref())
        .into_iter()
        .flatten()
    {
        let a = fazhi_db::decisions::advisers::by_id(&state.db, *id).await?;
        discussion_advisers.push(format!("{}（{}）", a.lawyer, a.firm));
    }
    let adviser_choices = if s.discussion.is_none() && head {
        super::adviser_app::choices(state, &row.division_path, state.clock.today()).await?
    } else {
        Vec::new()
    };
    Ok(DecisionDetail {
        documents,
        adviser_choices,
        discussion_advisers,
        decision: DecisionOut::of(&row, &s),
        state: serde_json::to_value(&s).unwrap_or_default(),
        review_passed: passed,
        allowed_actions: allowed,
        events: major::events(&state.db, row.id)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    })
}

pub(crate) async fn detail(state: &AppState, p: &Principal, id: i64) -> ApiResult<DecisionDetail> {
    let scope = p.require(Permission::ViewDecisions)?;
    let row = major::get(&state.db, &scope.roots, id).await?;
    detail_of(state, p, row).await
}

/// Takes one step. `submit_review` puts the draft on the review desk; `discuss` needs
/// that item passed (409 naming Arts 25–28).
pub(crate) async fn act(
    state: &AppState,
    p: &Principal,
    id: i64,
    body: &DecisionActionBody,
) -> ApiResult<DecisionDetail> {
    let scope = p.require(Permission::ViewDecisions)?;
    let code = body.action.code();
    let row = major::get(&state.db, &scope.roots, id).await?;
    let perm = if needs_head(code) {
        Permission::DecideMajor
    } else {
        Permission::ManageDecisions
    };
    if !p.scope(perm).covers(&row.division_path) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            format!("您没有权限对该决策事项{}", code.label_zh()),
        ));
    }
    let today = state.clock.today();
    if let DecisionAction::Discuss {
        on, adviser_ids, ..
    } = &body.action
    {
        let ids = adviser_ids.as_deref().unwrap_or_default();
        super::adviser_app::check_picked(state, &row.division_path, ids, *on, "adviser_ids")
            .await?;
    }
    let rules = rules(state).await?;
    let current = row.state()?;
    let (settled, passed) = review_of(state, &current).await?;
    let mut ctx = DecisionContext {
        today,
        rules: &rules,
        review_passed: passed,
        review_settled: settled,
        new_review_id: None,
    };
    if let DecisionAction::SubmitReview { materials } = &body.action {
        // Check the order first, so no desk item is made for a refused step.
        apply_decision(&current, &body.action, &ctx).map_err(refusal)?;
        let spec = ReviewSpec {
            kind: ReviewKind::MajorDecision,
            title: current.plan.title.clone(),
            drafting_unit: current.plan.lead_unit.clone(),
            materials: review_materials(&current, materials),
            enforcement_case_id: None,
            major_decision_id: Some(id),
            due_on: None,
            urgent_reason: String::new(),
            signed_on: None,
        };
        let rr = super::app::rules(state).await?;
        let cal = state.matters.calendar();
        let rs = fazhi_core::decisions::open_review(&spec, today, &cal, &rr).map_err(refusal)?;
        let cat = major::catalogue(&state.db, &scope.roots, row.catalogue_id).await?;
        let item = reviews::create(
            &state.db,
            &p.actor(),
            cat.township_id,
            &row.division_path,
            &rs,
            today,
        )
        .await?;
        ctx.new_review_id = Some(item.id);
    }
    let note = note(&body.action);
    // Dropping a decision is an adjustment of its catalogue, recorded with the reason.
    let mut adjusted = None;
    if let DecisionAction::Remove { reason } = &body.action {
        let cat = major::catalogue(&state.db, &scope.roots, row.catalogue_id).await?;
        let mut cs = cat.state()?;
        let change = format!("调出：{}", current.plan.title);
        if cs.published_on.is_some() {
            cs.change(&change, reason, today).map_err(refusal)?;
        }
        adjusted = Some((cat, cs));
    }
    let done = major::act(
        &state.db,
        &p.actor(),
        &scope.roots,
        id,
        body.version,
        code,
        today,
        |s| apply_decision(&s, &body.action, &ctx).map(|n| (n, note)),
        adjusted.as_ref().map(|(c, s)| (c, s)),
    )
    .await?;
    let row = done.map_err(refusal)?;
    if code == DecisionActionCode::Discuss {
        sign_review(state, p, &row).await?;
    }
    detail_of(state, p, row).await
}

/// The decision taken closes its desk item as signed, so 审查率 counts it (reviewed
/// before the decision, as the gate guaranteed).
async fn sign_review(state: &AppState, p: &Principal, row: &DecisionRow) -> ApiResult<()> {
    let Some(rid) = row.state()?.legal_review_id else {
        return Ok(());
    };
    let today = state.clock.today();
    reviews::act(
        &state.db,
        &p.actor(),
        std::slice::from_ref(&row.division_path),
        rid,
        None,
        fazhi_core::decisions::ReviewActionCode::Sign,
        today,
        |_, s| {
            fazhi_core::decisions::sign_for_decision(&s, today)
                .map(|n| (n, "经集体讨论决定".to_string()))
        },
    )
    .await?
    .map_err(refusal)?;
    Ok(())
}

/// What the reviewer receives: the draft, its explanation, how comments, experts and
/// the risk assessment were used (713号 Art 26).
fn review_materials(s: &DecisionState, extra: &str) -> String {
    let mut m = String::new();
    if let Some(c) = &s.consultation {
        m.push_str(&format!(
            "【决策草案】\n{}\n【起草说明】\n{}\n",
            c.draft, c.explanation
        ));
        m.push_str(&format!("【公众意见】共{}条\n", c.comments.len()));
        for (i, cm) in c.comments.iter().enumerate() {
            m.push_str(&format!(
                "{}. {}；采纳情况：{}\n",
                i + 1,
                cm.content,
                cm.answer
            ));
        }
    }
    if let Some(e) = &s.experts {
        m.push_str(&format!("【专家论证】{}\n", e.summary));
    }
    if let Some(r) = &s.risk {
        m.push_str(&format!("【风险评估】{}\n", r.summary));
    }
    if !extra.trim().is_empty() {
        m.push_str(&format!("【其他材料】\n{}\n", extra.trim()));
    }
    if m.is_empty() {
        m = s.plan.title.clone();
    }
    m
}

fn note(a: &DecisionAction) -> String {
    match a {
        DecisionAction::PublishDraft { shorter_reason, .. } if !shorter_reason.is_empty() => {
            format!("征求意见期限较短：{shorter_reason}")
        }
        DecisionAction::RecordComment { content, .. } => content.clone(),
        DecisionAction::Remove { reason } => reason.clone(),
        DecisionAction::AnswerComment { answer, .. } => answer.clone(),
        DecisionAction::ScheduleHearing { on, .. } => format!("听证日期 {on}"),
        DecisionAction::RecordExperts { summary, .. }
        | DecisionAction::RecordRisk { summary }
        | DecisionAction::Evaluate { summary } => summary.clone(),
        DecisionAction::Discuss {
            on,
            head_decision,
            dissent,
            ..
        } => {
            if dissent.is_empty() {
                format!("{on} 会议：{head_decision}")
            } else {
                format!("{on} 会议：{head_decision}（不同意见：{dissent}）")
            }
        }
        _ => String::new(),
    }
}

/// A township's published catalogues and each decision's public steps (no login).
pub(crate) async fn public_view(state: &AppState, code: &str) -> ApiResult<PublicDecisions> {
    let t = fazhi_db::admin::divisions::by_code(&state.db, code.trim())
        .await
        .map_err(|_| ApiError::not_found())?;
    if t.level != fazhi_core::division::Level::Township {
        return Err(ApiError::not_found());
    }
    let mut catalogues = Vec::new();
    for c in major::published_catalogues(&state.db, &t.path).await? {
        let mut decisions = Vec::new();
        for r in major::of_catalogue(&state.db, c.id).await? {
            let s = r.state()?;
            if s.status == fazhi_core::decisions::DecisionStatus::Removed {
                continue;
            }
            let open = s.consultation.as_ref();
            decisions.push(PublicDecision {
                title: s.plan.title.clone(),
                lead_unit: s.plan.lead_unit.clone(),
                steps: s
                    .public_steps()
                    .into_iter()
                    .map(|(a, d, n)| (a.to_string(), d.to_string(), n))
                    .collect(),
                draft: open.map(|c| c.draft.clone()),
                explanation: open.map(|c| c.explanation.clone()),
                comments_close_on: open.map(|c| c.closes_on.to_string()),
                comments: open
                    .map(|c| {
                        c.comments
                            .iter()
                            .map(|m| PublicComment {
                                author: m.author.clone(),
                                content: m.content.clone(),
                                answer: m.answer.clone(),
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                published_text: s.published_on.map(|_| s.published_text.clone()),
            });
        }
        catalogues.push(PublicCatalogue {
            adjustments: c
                .state()?
                .adjustments
                .into_iter()
                .map(|a| (a.on.to_string(), a.change, a.reason))
                .collect(),
            year: c.year,
            published_on: c.published_on.map(|d| d.to_string()).unwrap_or_default(),
            decisions,
        });
    }
    Ok(PublicDecisions {
        township_name: t.name,
        catalogues,
    })
}
