//! The use cases of the contracts register — registering, submitting for review,
//! signing through the review desk, milestones, the list and the expiry reminders —
//! called by the JSON API and the pages alike. The rules are
//! `fazhi_core::decisions::contract`.
//!
//! Permissions reuse the review desk's: reading needs `ViewLegalReviews`, writing
//! `SubmitLegalReview` (the drafting side) at the contract's place.

use axum::http::StatusCode;
use fazhi_core::decisions::{
    ContractAction, ContractFigure, ContractState, ReviewChange, ReviewError, ReviewKind,
    allowed_contract_actions, apply_contract, contract_review_spec, open_contract, open_review,
};
use fazhi_core::division::path_in_subtree;
use fazhi_core::role::Permission;
use fazhi_db::DbError;
use fazhi_db::decisions::contracts::{self, ContractFilter, ContractRow, DeskWrite};
use fazhi_db::decisions::reviews;

use super::app::{rules as review_rules, township};
use super::contract_wire::*;
use crate::AppState;
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};

fn refusal(e: ReviewError) -> ApiError {
    match e {
        ReviewError::Invalid(m) => ApiError::bad_request(m),
        ReviewError::Refused(m) => ApiError::new(StatusCode::CONFLICT, "refused", m),
    }
}

fn out(state: &AppState, r: &ContractRow, s: &ContractState) -> ContractOut {
    ContractOut::of(r, s, state.clock.today())
}

/// Registers a contract to be signed, optionally linked to an item on the desk.
pub(crate) async fn create(
    state: &AppState,
    p: &Principal,
    body: &ContractCreate,
) -> ApiResult<ContractDetail> {
    let perm = Permission::SubmitLegalReview;
    let scope = p.require(perm)?;
    let t = township(state, p, &scope, perm, body.township_code.as_deref()).await?;
    let s = open_contract(&body.spec).map_err(refusal)?;
    if let Some(rid) = body.spec.legal_review_id {
        let roots = p.scope(Permission::ViewLegalReviews).roots;
        let r = reviews::get(&state.db, &roots, rid)
            .await
            .map_err(|e| match e {
                DbError::NotFound => {
                    ApiError::field("legal_review_id", "审查事项不存在或不在管辖范围内")
                }
                e => e.into(),
            })?;
        if r.kind != ReviewKind::Contract {
            return Err(ApiError::field(
                "legal_review_id",
                "关联的审查事项须为“合同”类",
            ));
        }
        if !path_in_subtree(&r.division_path, &t.path) {
            return Err(ApiError::field(
                "legal_review_id",
                "该审查事项不属于本乡镇（街道）",
            ));
        }
    }
    let today = state.clock.today();
    let row = contracts::create(&state.db, &p.actor(), t.id, &t.path, &s, today).await?;
    detail_of(state, p, row).await
}

async fn detail_of(state: &AppState, p: &Principal, row: ContractRow) -> ApiResult<ContractDetail> {
    let s = row.state()?;
    let today = state.clock.today();
    let review = match contracts::review_of(&state.db, &s).await? {
        Some(r) => {
            let rs = r.state()?;
            Some(ContractReviewOut {
                id: r.id,
                status: rs.status,
                status_label: rs.status.label_zh(),
                opinion: rs.opinion.as_ref().map(|o| o.opinion),
                opinion_label: rs.opinion.as_ref().map(|o| o.opinion.label_zh()),
                due_on: rs.due_on,
                passed: rs.passed(),
            })
            .zip(Some(rs))
        }
        None => None,
    };
    let writer = p
        .scope(Permission::SubmitLegalReview)
        .covers(&row.division_path);
    let allowed = if writer {
        allowed_contract_actions(&s, review.as_ref().map(|(_, rs)| rs))
    } else {
        Vec::new()
    };
    let events = contracts::events(&state.db, row.id).await?;
    Ok(ContractDetail {
        contract: out(state, &row, &s),
        review: review.map(|(o, _)| o),
        milestones: s
            .milestones
            .iter()
            .enumerate()
            .map(|(i, m)| MilestoneOut::of(i, m, today))
            .collect(),
        closed_on: s.closed_on,
        close_reason: s.close_reason.clone(),
        allowed_actions: allowed,
        events: events.into_iter().map(Into::into).collect(),
    })
}

/// One contract in scope (out of scope: 404).
pub(crate) async fn detail(state: &AppState, p: &Principal, id: i64) -> ApiResult<ContractDetail> {
    let scope = p.require(Permission::ViewLegalReviews)?;
    let row = contracts::get(&state.db, &scope.roots, id).await?;
    detail_of(state, p, row).await
}

/// Applies one action; submitting and signing write the desk in the same transaction.
pub(crate) async fn act(
    state: &AppState,
    p: &Principal,
    id: i64,
    body: &ContractActionBody,
) -> ApiResult<ContractDetail> {
    let scope = p.require(Permission::ViewLegalReviews)?;
    let row = contracts::get(&state.db, &scope.roots, id).await?;
    let code = body.action.code();
    if !p
        .scope(Permission::SubmitLegalReview)
        .covers(&row.division_path)
    {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            format!("您没有权限对该合同{}", code.label_zh()),
        ));
    }
    let today = state.clock.today();
    let cal = state.matters.calendar();
    let rules = review_rules(state).await?;
    let actor = p.user_id;
    let note = body.action.note();
    let done = contracts::act(
        &state.db,
        &p.actor(),
        &scope.roots,
        id,
        body.version,
        code,
        today,
        |s, linked| {
            let rs = linked.as_ref().map(|(_, rs)| rs);
            let (next, change) = apply_contract(&s, rs, &body.action, today, actor)?;
            let desk = match (&body.action, change) {
                (ContractAction::SubmitReview { materials }, _) => {
                    let spec = contract_review_spec(&s, materials);
                    DeskWrite::Create(open_review(&spec, today, &cal, &rules)?)
                }
                (_, ReviewChange::Keep) => DeskWrite::None,
                (_, ReviewChange::Update { state, action }) => {
                    DeskWrite::Update(state, action.code(), action.note())
                }
                (_, ReviewChange::Register(spec)) => {
                    DeskWrite::Create(open_review(&spec, today, &cal, &rules)?)
                }
            };
            Ok::<_, ReviewError>((next, desk, note))
        },
    )
    .await?;
    let row = done.map_err(refusal)?;
    detail_of(state, p, row).await
}

fn year_range(year: i32) -> ApiResult<(time::Date, time::Date)> {
    let bad = || ApiError::field("year", "年份须在2000到2100之间");
    if !(2000..=2100).contains(&year) {
        return Err(bad());
    }
    let from = time::Date::from_calendar_date(year, time::Month::January, 1).map_err(|_| bad())?;
    let to = time::Date::from_calendar_date(year, time::Month::December, 31).map_err(|_| bad())?;
    Ok((from, to))
}

/// Contracts in scope, newest first.
pub(crate) async fn list(
    state: &AppState,
    p: &Principal,
    q: &ContractQuery,
) -> ApiResult<Vec<ContractOut>> {
    let scope = p.require(Permission::ViewLegalReviews)?;
    let status = match q.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(s.parse().map_err(|e: fazhi_core::matter::UnknownCode| {
            ApiError::field("status", e.to_string())
        })?),
    };
    let mut f = ContractFilter {
        status,
        ..ContractFilter::default()
    };
    if let Some(y) = q.year {
        let (from, to) = year_range(y)?;
        f.signed_from = Some(from);
        f.signed_to = Some(to);
    }
    let figure = match q.figure.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(c) => Some(
            c.parse::<ContractFigure>()
                .map_err(|e| ApiError::field("figure", e.to_string()))?,
        ),
    };
    let today = state.clock.today();
    let fig_year = q.year.unwrap_or(today.year());
    if figure.is_some() {
        // The figure carries its own year test.
        f.signed_from = None;
        f.signed_to = None;
    }
    let mut items = Vec::new();
    for r in contracts::list(&state.db, &scope.roots, &f).await? {
        let s = r.state()?;
        if q.skipped.is_none_or(|k| k == s.skipped_review())
            && figure.is_none_or(|fig| fig.counts(&s, fig_year, today))
        {
            items.push(out(state, &r, &s));
        }
    }
    Ok(items)
}

/// The figures of a year: contracts signed, reviewed before signing, skipped, the
/// amount, with their drill-down lists.
pub(crate) async fn stats(
    state: &AppState,
    p: &Principal,
    year: i32,
) -> ApiResult<ContractStatsOut> {
    let scope = p.require(Permission::ViewLegalReviews)?;
    year_range(year)?;
    let today = state.clock.today();
    let mut states = Vec::new();
    for r in contracts::list(&state.db, &scope.roots, &ContractFilter::default()).await? {
        states.push(r.state()?);
    }
    let count =
        |fig: ContractFigure| states.iter().filter(|s| fig.counts(s, year, today)).count() as i64;
    let signed = count(ContractFigure::Signed);
    let before = count(ContractFigure::ReviewedBeforeSigning);
    let amount_fen: i64 = states
        .iter()
        .filter(|s| ContractFigure::Signed.counts(s, year, today))
        .map(|s| s.amount_fen)
        .sum();
    Ok(ContractStatsOut {
        year,
        basis: "统计口径：本年度签订的合同（履约节点逾期按今日计）；合同审查率 = 签订前经合法性审查 ÷ 签订合同；未经审查签订的合同同时计入合法性审查台账的“未经审查签发”",
        review_rate: (signed > 0)
            .then(|| (before as f64 * 10000.0 / signed as f64).round() / 100.0),
        amount_fen,
        amount_label: format!("{}元", fazhi_core::enforcement::money::yuan(amount_fen)),
        figures: ContractFigure::ALL
            .iter()
            .map(|fig| ContractFigureOut {
                figure: *fig,
                label: fig.label_zh(),
                count: count(*fig),
                list: format!("/decisions/contracts?year={year}&figure={}", fig.as_str()),
                api: format!("/api/v1/contracts?year={year}&figure={}", fig.as_str()),
            })
            .collect(),
    })
}

/// The expiry reminders: contracts in force expiring within `days` days (and those
/// already expired but not closed), nearest first.
pub(crate) async fn expiring(
    state: &AppState,
    p: &Principal,
    q: &ExpiringQuery,
) -> ApiResult<Vec<ContractOut>> {
    let scope = p.require(Permission::ViewLegalReviews)?;
    let days = q.days.unwrap_or(EXPIRY_DAYS);
    if !(0..=3650).contains(&days) {
        return Err(ApiError::field("days", "提醒天数须在0到3650之间"));
    }
    let today = state.clock.today();
    let f = ContractFilter {
        expires_by: Some(today + time::Duration::days(days)),
        ..ContractFilter::default()
    };
    let mut items = Vec::new();
    for r in contracts::list(&state.db, &scope.roots, &f).await? {
        let s = r.state()?;
        if s.expiring_within(today, days) {
            items.push(out(state, &r, &s));
        }
    }
    Ok(items)
}
