//! The use cases of normative documents — drafting, the review from the desk,
//! deliberation, numbering, publication, filing, clean-up, the reminders and the public
//! lists — called by the JSON API and the pages alike. The order of the steps is
//! `fazhi_core::decisions::apply_normative`.
//!
//! Permissions reuse the desk's and the major decisions': `ViewLegalReviews` reads,
//! `SubmitLegalReview` drafts and submits, `DecideMajor` (the township leader) takes
//! the collective deliberation, the numbering, the publication and the clean-up.

use axum::http::StatusCode;
use fazhi_core::decisions::{
    NormativeAction, NormativeActionCode, NormativeContext, NormativeFigure, NormativeRules,
    NormativeState, NormativeStatus, ReviewError, ReviewKind, ReviewSpec, ReviewState,
    ReviewStatus, RoundLists, Validity, allowed_normative_actions, apply_normative,
    apply_round_decision, check_round, open_normative, open_review,
};
use fazhi_core::role::Permission;
use fazhi_db::decisions::normative::{self, NormativeRow};
use fazhi_db::decisions::normative_rounds::{self as rounds, RoundRow, RoundWrite};

use super::app::{rules as review_rules, township};
use super::normative_wire::*;
use crate::AppState;
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};

/// Settings key of the periods (JSON; defaults when absent).
pub const RULES_KEY: &str = "decisions.normative_rules";

pub(crate) async fn rules(state: &AppState) -> ApiResult<NormativeRules> {
    let stored = fazhi_db::admin::settings::get(&state.db, RULES_KEY).await?;
    Ok(stored
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default())
}

/// Replaces the periods (settings managers).
pub(crate) async fn put_rules(
    state: &AppState,
    p: &Principal,
    r: &NormativeRules,
) -> ApiResult<NormativeRules> {
    crate::auth::require_global(state, p).await?;
    let bad = r.filing.days == 0
        || r.filing.days > 365
        || !(1..=10).contains(&r.validity_years)
        || !(1..=10).contains(&r.provisional_years)
        || r.reminder_months > 24
        || r.effective_after_days > 365;
    if bad {
        return Err(ApiError::field("rules", "期限超出范围，请检查"));
    }
    let text = serde_json::to_string(r).map_err(ApiError::internal)?;
    fazhi_db::admin::settings::put(&state.db, &p.actor(), RULES_KEY, &text).await?;
    Ok(*r)
}

fn refusal(e: ReviewError) -> ApiError {
    match e {
        ReviewError::Invalid(m) => ApiError::bad_request(m),
        ReviewError::Refused(m) => ApiError::new(StatusCode::CONFLICT, "refused", m),
    }
}

/// The head's steps; the rest are the drafting side's.
fn needs_head(code: NormativeActionCode) -> bool {
    use NormativeActionCode as C;
    matches!(
        code,
        C::Deliberate | C::Issue | C::Publish | C::CleanUp | C::Renew | C::Lapse
    )
}

fn may(p: &Principal, code: NormativeActionCode, path: &str) -> bool {
    let perm = if needs_head(code) {
        Permission::DecideMajor
    } else {
        Permission::SubmitLegalReview
    };
    p.scope(perm).covers(path)
}

/// (settled, passed) of the linked review: an opinion given (or withdrawn), and passed.
fn review_flags(r: Option<&ReviewState>) -> (bool, bool) {
    match r {
        Some(r) => (
            r.opinion.is_some() || r.status == ReviewStatus::Withdrawn,
            r.passed(),
        ),
        None => (false, false),
    }
}

/// Starts a document (the drafting side).
pub(crate) async fn create(
    state: &AppState,
    p: &Principal,
    body: &NormativeCreate,
) -> ApiResult<NormativeDetail> {
    let perm = Permission::SubmitLegalReview;
    let scope = p.require(perm)?;
    let t = township(state, p, &scope, perm, body.township_code.as_deref()).await?;
    let s = open_normative(&body.spec).map_err(refusal)?;
    let today = state.clock.today();
    let row = normative::create(&state.db, &p.actor(), t.id, &t.path, &s, today).await?;
    detail_of(state, p, row).await
}

async fn detail_of(
    state: &AppState,
    p: &Principal,
    row: NormativeRow,
) -> ApiResult<NormativeDetail> {
    let s = row.state()?;
    let rules = rules(state).await?;
    let today = state.clock.today();
    let linked = match normative::review_of(&state.db, &s).await? {
        Some(r) => Some((r.id, r.state()?)),
        None => None,
    };
    let (settled, passed) = review_flags(linked.as_ref().map(|(_, rs)| rs));
    let allowed: Vec<NormativeActionCode> =
        allowed_normative_actions(&s, settled, passed, today, &rules)
            .into_iter()
            .filter(|c| may(p, *c, &row.division_path))
            .collect();
    let events = normative::events(&state.db, row.id).await?;
    let d = s.deliberation.as_ref();
    let mut deliberation_advisers = Vec::new();
    for id in d.and_then(|d| d.adviser_ids.as_ref()).into_iter().flatten() {
        let a = fazhi_db::decisions::advisers::by_id(&state.db, *id).await?;
        deliberation_advisers.push(format!("{}（{}）", a.lawyer, a.firm));
    }
    let adviser_choices = if allowed.contains(&NormativeActionCode::Deliberate) {
        super::adviser_app::choices(state, &row.division_path, today).await?
    } else {
        Vec::new()
    };
    Ok(NormativeDetail {
        deliberation_advisers,
        adviser_choices,
        document: NormativeOut::of(&row, &s, today, &rules),
        text: s.text.clone(),
        explanation: s.explanation.clone(),
        comments: s.comments.clone(),
        comment_records: s
            .comment_records
            .iter()
            .enumerate()
            .map(|(i, c)| NormativeCommentOut {
                n: i + 1,
                on: c.on,
                author: c.author.clone(),
                content: c.content.clone(),
                answer: c.answer.clone(),
            })
            .collect(),
        renewal_pending: s.renewal_pending,
        earlier_review_ids: s.earlier_review_ids.clone(),
        renewals: s
            .renewals
            .iter()
            .map(|r| RenewalOut {
                on: r.on,
                old_number: r.old_number.clone(),
                old_published_on: r.old_published_on,
                old_expires_on: r.old_expires_on,
                review_id: r.review_id,
            })
            .collect(),
        lapse_decided_on: s.lapse_decided_on,
        lapse_note: s.lapse_note.clone(),
        review: linked.map(|(id, rs)| NormativeReviewOut {
            id,
            status: rs.status,
            status_label: rs.status.label_zh(),
            opinion: rs.opinion.as_ref().map(|o| o.opinion),
            opinion_label: rs.opinion.as_ref().map(|o| o.opinion.label_zh()),
            passed: rs.passed(),
        }),
        deliberated_on: d.map(|d| d.on),
        meeting: d.map(|d| d.meeting.clone()).unwrap_or_default(),
        conclusion: d.map(|d| d.conclusion.clone()).unwrap_or_default(),
        published_via: s.published_via.clone(),
        filed_with: s.filed_with.clone(),
        cleanups: s
            .cleanups
            .iter()
            .map(|c| CleanupOut {
                on: c.on,
                decision: c.decision,
                decision_label: c.decision.label_zh(),
                note: c.note.clone(),
                round_id: c.round_id,
            })
            .collect(),
        allowed_actions: allowed,
        events: events.into_iter().map(Into::into).collect(),
    })
}

/// One document in scope (out of scope: 404).
pub(crate) async fn detail(state: &AppState, p: &Principal, id: i64) -> ApiResult<NormativeDetail> {
    let scope = p.require(Permission::ViewLegalReviews)?;
    let row = normative::get(&state.db, &scope.roots, id).await?;
    detail_of(state, p, row).await
}

/// The desk item of a document: the draft, its explanation and the comments one by
/// one with their answers; for a published document near expiry, the renewal review
/// of the text in force.
fn review_spec(s: &NormativeState, materials: &str) -> ReviewSpec {
    let renewal = s.status == NormativeStatus::Published;
    let materials = if materials.trim().is_empty() {
        let mut m = if renewal {
            format!(
                "【现行文件】{}，有效期至{}\n{}",
                s.number,
                s.expires_on.map(|d| d.to_string()).unwrap_or_default(),
                s.text
            )
        } else {
            format!("【草案】\n{}", s.text)
        };
        if !s.explanation.is_empty() {
            m.push_str(&format!("\n\n【起草说明】\n{}", s.explanation));
        }
        if !s.comments.is_empty() {
            m.push_str(&format!("\n\n【征求意见及采纳情况】\n{}", s.comments));
        }
        if !s.comment_records.is_empty() {
            m.push_str("\n\n【意见及答复】");
            for (i, c) in s.comment_records.iter().enumerate() {
                m.push_str(&format!(
                    "\n{}. {}（{}）：{}\n   答复：{}",
                    i + 1,
                    c.author,
                    c.on,
                    c.content,
                    c.answer
                ));
            }
        }
        m.chars().take(100_000).collect()
    } else {
        materials.trim().to_string()
    };
    ReviewSpec {
        kind: ReviewKind::NormativeDocument,
        title: if renewal {
            format!("{}（到期评估、延续施行）", s.title)
        } else {
            s.title.clone()
        },
        drafting_unit: s.drafting_unit.clone(),
        materials,
        enforcement_case_id: None,
        major_decision_id: None,
        due_on: None,
        urgent_reason: String::new(),
        signed_on: None,
    }
}

/// Applies one action; submitting creates the desk item in the same transaction.
pub(crate) async fn act(
    state: &AppState,
    p: &Principal,
    id: i64,
    body: &NormativeActionBody,
) -> ApiResult<NormativeDetail> {
    let scope = p.require(Permission::ViewLegalReviews)?;
    let row = normative::get(&state.db, &scope.roots, id).await?;
    let code = body.action.code();
    if !may(p, code, &row.division_path) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            format!("您没有权限对该文件{}", code.label_zh()),
        ));
    }
    let today = state.clock.today();
    if let NormativeAction::Deliberate {
        on, adviser_ids, ..
    } = &body.action
    {
        let ids = adviser_ids.as_deref().unwrap_or_default();
        super::adviser_app::check_picked(state, &row.division_path, ids, *on, "adviser_ids")
            .await?;
    }
    let cal = state.matters.calendar();
    let rules = rules(state).await?;
    let desk_rules = review_rules(state).await?;
    let note = body.action.note();
    let done = normative::act(
        &state.db,
        &p.actor(),
        &scope.roots,
        id,
        body.version,
        code,
        today,
        |s, review| {
            let (settled, passed) = review_flags(review.as_ref());
            let ctx = NormativeContext {
                today,
                rules: &rules,
                cal: &cal,
                review_passed: passed,
                review_settled: settled,
            };
            let next = apply_normative(&s, &body.action, &ctx)?;
            let desk = match &body.action {
                NormativeAction::SubmitReview { materials } => Some(open_review(
                    &review_spec(&s, materials),
                    today,
                    &cal,
                    &desk_rules,
                )?),
                _ => None,
            };
            Ok::<_, ReviewError>((next, desk, note))
        },
    )
    .await?;
    let row = done.map_err(refusal)?;
    detail_of(state, p, row).await
}

/// Documents in scope, newest first.
pub(crate) async fn list(
    state: &AppState,
    p: &Principal,
    q: &NormativeQuery,
) -> ApiResult<Vec<NormativeOut>> {
    let scope = p.require(Permission::ViewLegalReviews)?;
    let status = match q.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(
            s.parse::<NormativeStatus>()
                .map_err(|e| ApiError::field("status", e.to_string()))?,
        ),
    };
    let figure = match q.figure.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(c) => Some(
            c.parse::<NormativeFigure>()
                .map_err(|e| ApiError::field("figure", e.to_string()))?,
        ),
    };
    let rules = rules(state).await?;
    let today = state.clock.today();
    let year = q.year.unwrap_or(today.year());
    let mut items = Vec::new();
    for r in normative::list(&state.db, &scope.roots, status).await? {
        let s = r.state()?;
        let o = NormativeOut::of(&r, &s, today, &rules);
        if q.expiring.is_none_or(|e| e == o.expiring)
            && q.filing_overdue.is_none_or(|f| f == o.filing_overdue)
            && figure.is_none_or(|fig| fig.counts(&s, year, today, &rules))
        {
            items.push(o);
        }
    }
    Ok(items)
}

/// The figures of a year: published (all reviewed), filed, filed on time, late,
/// cleaned up, repealed, in force and expiring, with 报备率 and 报备及时率.
pub(crate) async fn stats(
    state: &AppState,
    p: &Principal,
    year: i32,
) -> ApiResult<NormativeStatsOut> {
    let scope = p.require(Permission::ViewLegalReviews)?;
    if !(2000..=2100).contains(&year) {
        return Err(ApiError::field("year", "年份须在2000到2100之间"));
    }
    let rules = rules(state).await?;
    let today = state.clock.today();
    let mut states = Vec::new();
    for r in normative::list(&state.db, &scope.roots, None).await? {
        states.push(r.state()?);
    }
    let count = |fig: NormativeFigure| {
        states
            .iter()
            .filter(|s| fig.counts(s, year, today, &rules))
            .count() as i64
    };
    let pct = |n: i64, d: i64| (d > 0).then(|| (n as f64 * 10000.0 / d as f64).round() / 100.0);
    let published = count(NormativeFigure::Published);
    let rounds = rounds::list(&state.db, &scope.roots)
        .await?
        .iter()
        .filter(|r| r.round_on.year() == year)
        .count() as i64;
    Ok(NormativeStatsOut {
        year,
        basis: "统计口径：公布、备案按本年度公布的文件计，清理、废止按本年度清理的文件计，现行有效、即将到期按今日计；报备率 = 报送备案 ÷ 公布，报备及时率 = 按期备案 ÷ 公布",
        filing_rate: pct(count(NormativeFigure::Filed), published),
        filing_on_time_rate: pct(count(NormativeFigure::FiledOnTime), published),
        figures: NormativeFigure::ALL
            .iter()
            .map(|fig| NormativeFigureOut {
                figure: *fig,
                label: fig.label_zh(),
                count: count(*fig),
                list: format!("/decisions/normative?year={year}&figure={}", fig.as_str()),
                api: format!(
                    "/api/v1/normative-documents?year={year}&figure={}",
                    fig.as_str()
                ),
            })
            .collect(),
        rounds,
        rounds_list: format!("/decisions/normative/rounds?year={year}"),
    })
}

/// A township's published documents as the clean-up's three public lists (no login).
pub(crate) async fn public_view(state: &AppState, code: &str) -> ApiResult<PublicNormatives> {
    let t = fazhi_db::admin::divisions::by_code(&state.db, code.trim())
        .await
        .map_err(|_| ApiError::not_found())?;
    if t.level != fazhi_core::division::Level::Township {
        return Err(ApiError::not_found());
    }
    let today = state.clock.today();
    let mut v = PublicNormatives {
        township_name: t.name.clone(),
        valid: Vec::new(),
        repealed: Vec::new(),
        expired: Vec::new(),
        rounds: Vec::new(),
    };
    for r in rounds::of_township(&state.db, &t.path).await? {
        v.rounds.push(round_out(&r)?);
    }
    for r in normative::published(&state.db, &t.path).await? {
        let s = r.state()?;
        let validity = s.validity(today);
        let item = PublicNormative {
            id: r.id,
            number: s.number.clone(),
            title: s.title.clone(),
            validity,
            validity_label: validity.label_zh(),
            published_on: s.published_on,
            effective_on: s.effective_on,
            expires_on: s.expires_on,
            repealed_on: s.repealed_on,
            text: s.text.clone(),
        };
        match validity {
            Validity::Valid | Validity::Pending => v.valid.push(item),
            Validity::Repealed => v.repealed.push(item),
            Validity::Expired => v.expired.push(item),
            Validity::NotPublished => {}
        }
    }
    Ok(v)
}

fn round_out(r: &RoundRow) -> ApiResult<RoundOut> {
    let lists: RoundLists = serde_json::from_str(&r.lists).map_err(ApiError::internal)?;
    Ok(RoundOut {
        id: r.id,
        division_name: r.division_name.clone(),
        on: r.round_on,
        scope: r.scope.clone(),
        note: r.note.clone(),
        lists,
    })
}

/// Records a clean-up round (the township leader): every decision is taken on a
/// published document of the township in one transaction, and the round keeps the
/// three lists it publishes (valid, repealed, expired on the round's day).
pub(crate) async fn record_round(
    state: &AppState,
    p: &Principal,
    body: &RoundCreate,
) -> ApiResult<RoundOut> {
    let perm = Permission::DecideMajor;
    let scope = p.require(perm)?;
    let t = township(state, p, &scope, perm, body.township_code.as_deref()).await?;
    let today = state.clock.today();
    let spec = &body.spec;
    check_round(spec, today).map_err(refusal)?;
    let done = rounds::record(
        &state.db,
        &p.actor(),
        t.id,
        &t.path,
        spec.on,
        spec.scope.trim(),
        spec.note.trim(),
        |round_id, docs| {
            let mut states = Vec::new();
            for r in &docs {
                let s = r.state().map_err(|e| ApiError::internal(e.to_string()))?;
                states.push((r.id, r.version, s));
            }
            let mut changed = Vec::new();
            for d in &spec.decisions {
                let Some((_, version, s)) =
                    states.iter_mut().find(|(id, _, _)| *id == d.document_id)
                else {
                    return Err(ApiError::field(
                        "decisions",
                        format!(
                            "文件（编号{}）不是本乡镇（街道）已公布的规范性文件",
                            d.document_id
                        ),
                    ));
                };
                let next = apply_round_decision(s, d, spec.on, round_id).map_err(refusal)?;
                *s = next.clone();
                changed.push((d.document_id, *version, next));
            }
            let lists = RoundLists::of(
                states.iter().map(|(id, _, s)| (*id, s)),
                spec.on,
                Some(round_id),
            );
            Ok(RoundWrite {
                changed,
                lists: serde_json::to_string(&lists).map_err(ApiError::internal)?,
            })
        },
    )
    .await?;
    round_out(&done?)
}

/// The rounds in scope, newest first (`year` keeps those of a year).
pub(crate) async fn list_rounds(
    state: &AppState,
    p: &Principal,
    year: Option<i32>,
) -> ApiResult<Vec<RoundOut>> {
    let scope = p.require(Permission::ViewLegalReviews)?;
    let mut out = Vec::new();
    for r in rounds::list(&state.db, &scope.roots).await? {
        if year.is_none_or(|y| r.round_on.year() == y) {
            out.push(round_out(&r)?);
        }
    }
    Ok(out)
}

/// One round in scope (out of scope: 404).
pub(crate) async fn round(state: &AppState, p: &Principal, id: i64) -> ApiResult<RoundOut> {
    let scope = p.require(Permission::ViewLegalReviews)?;
    round_out(&rounds::get(&state.db, &scope.roots, id).await?)
}
