//! The use cases of the review desk — submitting, acting, the reviewer's queue, lists
//! and figures — called by the JSON API and the pages alike. The rules are in
//! `fazhi_core::decisions`; this layer loads, checks scope and hands, and stores.

use axum::http::StatusCode;
use fazhi_core::decisions::{
    ReviewAction, ReviewError, ReviewFigure, ReviewHands, ReviewKind, ReviewRules, ReviewState,
    ReviewStatus, ReviewTally, allowed_review_actions, apply_review, open_review,
};
use fazhi_core::role::Permission;
use fazhi_db::DbError;
use fazhi_db::decisions::reviews::{self, ReviewFilter, ReviewRow};

use super::wire::*;
use crate::AppState;
use crate::admin::api::division_in_scope;
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};

/// Settings key of the review periods (JSON; national defaults when absent).
pub const RULES_KEY: &str = "decisions.review_rules";

/// The township's review periods: the national defaults, changed where a setting says so.
pub(crate) async fn rules(state: &AppState) -> ApiResult<ReviewRules> {
    let stored = fazhi_db::admin::settings::get(&state.db, RULES_KEY).await?;
    Ok(stored
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default())
}

/// Replaces the review periods (settings managers).
pub(crate) async fn put_rules(
    state: &AppState,
    p: &Principal,
    r: &ReviewRules,
) -> ApiResult<ReviewRules> {
    p.require(Permission::ManageSettings)?;
    for k in ReviewKind::ALL {
        let per = r.of(*k);
        if per.min.days > 60 || per.max.is_some_and(|m| m.days > 90) {
            return Err(ApiError::field("rules", "审查期限过长，请检查"));
        }
        if per
            .max
            .is_some_and(|m| m.unit == per.min.unit && m.days < per.min.days)
        {
            return Err(ApiError::field(
                "rules",
                format!("{}的最长审查期限短于最短期限", k.label_zh()),
            ));
        }
    }
    let text = serde_json::to_string(r).map_err(ApiError::internal)?;
    fazhi_db::admin::settings::put(&state.db, &p.actor(), RULES_KEY, &text).await?;
    Ok(r.clone())
}

/// The township a user acts for with `perm`: the one given by code (a village stands
/// for its township), or their only one.
pub(crate) async fn township(
    state: &AppState,
    p: &Principal,
    scope: &fazhi_core::role::Scope,
    perm: Permission,
    code: Option<&str>,
) -> ApiResult<fazhi_db::admin::divisions::DivisionRow> {
    use fazhi_core::division::Level;
    use fazhi_db::admin::divisions;
    let d = match code.map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) => division_in_scope(state, scope, c, Some("township_code")).await?,
        None => {
            let mut ids: Vec<i64> = p
                .grants
                .iter()
                .filter(|g| g.role.has(perm))
                .map(|g| g.division_id)
                .collect();
            ids.dedup();
            match ids.as_slice() {
                [one] => divisions::by_id(&state.db, *one).await?,
                _ => return Err(ApiError::field("township_code", "请选择乡镇（街道）")),
            }
        }
    };
    match d.level {
        Level::Township => Ok(d),
        Level::Village => Ok(divisions::by_id(&state.db, d.parent_id.unwrap_or_default()).await?),
        Level::County => Err(ApiError::field(
            "township_code",
            "审查事项和决策事项目录按乡镇（街道）登记，请选择乡镇（街道）",
        )),
    }
}

/// Who the user is for an item at `path`.
pub(crate) fn hands(p: &Principal, path: &str) -> ReviewHands {
    ReviewHands {
        reviewer: p.scope(Permission::GiveLegalReview).covers(path),
        drafter: p.scope(Permission::SubmitLegalReview).covers(path),
    }
}

fn review_error(e: ReviewError) -> ApiError {
    match e {
        ReviewError::Invalid(m) => ApiError::bad_request(m),
        ReviewError::Refused(m) => ApiError::new(StatusCode::CONFLICT, "refused", m),
    }
}

fn out(state: &AppState, r: &ReviewRow, s: &ReviewState) -> ReviewOut {
    ReviewOut::of(r, s, state.clock.today(), state.matters.yellow_days())
}

/// Puts an item on the desk (or registers one signed without review).
pub(crate) async fn create(
    state: &AppState,
    p: &Principal,
    body: &ReviewCreate,
) -> ApiResult<ReviewDetail> {
    let scope = p.require(Permission::SubmitLegalReview)?;
    let t = township(
        state,
        p,
        &scope,
        Permission::SubmitLegalReview,
        body.township_code.as_deref(),
    )
    .await?;
    if let Some(c) = body.spec.enforcement_case_id {
        let cases_scope = p.scope(Permission::ViewCases);
        let row = fazhi_db::enforcement::cases::get(&state.db, &cases_scope.roots, c)
            .await
            .map_err(|e| match e {
                DbError::NotFound => {
                    ApiError::field("enforcement_case_id", "执法案件不存在或不在管辖范围内")
                }
                e => e.into(),
            })?;
        if !fazhi_core::division::path_in_subtree(&row.division_path, &t.path) {
            return Err(ApiError::field(
                "enforcement_case_id",
                "该执法案件不属于本乡镇（街道）",
            ));
        }
    }
    let rules = rules(state).await?;
    let cal = state.matters.calendar();
    let today = state.clock.today();
    let s = open_review(&body.spec, today, &cal, &rules).map_err(review_error)?;
    let row = reviews::create(&state.db, &p.actor(), t.id, &t.path, &s, today).await?;
    detail_of(state, p, row).await
}

async fn detail_of(state: &AppState, p: &Principal, row: ReviewRow) -> ApiResult<ReviewDetail> {
    let s = row.state()?;
    let events = reviews::events(&state.db, row.id).await?;
    let h = hands(p, &row.division_path);
    let adviser = match fazhi_db::decisions::advisers::assigned_adviser(&state.db, row.id).await? {
        Some(a) => {
            let a = fazhi_db::decisions::advisers::by_id(&state.db, a).await?;
            Some(format!("{}（{}）", a.lawyer, a.firm))
        }
        None => None,
    };
    let opinion_adviser = match s.opinion.as_ref().and_then(|o| o.adviser_id) {
        Some(a) => {
            let a = fazhi_db::decisions::advisers::by_id(&state.db, a).await?;
            Some(format!("{}（{}）", a.lawyer, a.firm))
        }
        None => None,
    };
    // An adviser's own account gives its opinion in its own name: nothing to pick.
    let adviser_choices =
        if s.opinion.is_none() && h.reviewer && !p.can(Permission::ActAsLegalAdviser) {
            super::adviser_app::choices(state, &row.division_path, state.clock.today()).await?
        } else {
            Vec::new()
        };
    Ok(ReviewDetail {
        review: out(state, &row, &s),
        adviser,
        opinion_adviser,
        adviser_choices,
        materials: s.materials.clone(),
        urgent_reason: s.urgent_reason.clone(),
        reasons: s
            .opinion
            .as_ref()
            .map(|o| o.reasons.clone())
            .unwrap_or_default(),
        adoption: s.adoption.as_ref().map(|a| a.adoption),
        adoption_label: s.adoption.as_ref().map(|a| a.adoption.label_zh()),
        adoption_reason: s
            .adoption
            .as_ref()
            .map(|a| a.reason.clone())
            .unwrap_or_default(),
        adopted_on: s.adoption.as_ref().map(|a| a.on),
        passed: s.passed(),
        allowed_actions: allowed_review_actions(&s, h),
        events: events.into_iter().map(Into::into).collect(),
    })
}

pub(crate) async fn detail(state: &AppState, p: &Principal, id: i64) -> ApiResult<ReviewDetail> {
    let (_, row) = readable(state, p, id).await?;
    detail_of(state, p, row).await
}

/// An item the user may read, with the roots to act under: in the `ViewLegalReviews`
/// scope, or, for an external adviser's account, put to its adviser (404 otherwise).
pub(crate) async fn readable(
    state: &AppState,
    p: &Principal,
    id: i64,
) -> ApiResult<(Vec<String>, ReviewRow)> {
    if !p.can(Permission::ViewLegalReviews) && p.can(Permission::ActAsLegalAdviser) {
        let row = super::adviser_app::assigned_review(state, p, id).await?;
        return Ok((vec![row.division_path.clone()], row));
    }
    let scope = p.require(Permission::ViewLegalReviews)?;
    let row = reviews::get(&state.db, &scope.roots, id).await?;
    Ok((scope.roots, row))
}

pub(crate) async fn act(
    state: &AppState,
    p: &Principal,
    id: i64,
    body: &ReviewActionBody,
) -> ApiResult<ReviewDetail> {
    let code = body.action.code();
    let (roots, row) = readable(state, p, id).await?;
    if !hands(p, &row.division_path).allow(code) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            format!("您没有权限对该审查事项{}", code.label_zh()),
        ));
    }
    let today = state.clock.today();
    let action = with_adviser(state, p, &row, &body.action).await?;
    let note = action.note();
    let done = reviews::act(
        &state.db,
        &p.actor(),
        &roots,
        id,
        body.version,
        code,
        today,
        |_, s| apply_review(&s, &action, today, p.user_id).map(|n| (n, note)),
    )
    .await?;
    let row = done.map_err(review_error)?;
    detail_of(state, p, row).await
}

/// An opinion names the roster adviser who gave it: the one picked (of the item's
/// township, in force today), or the caller's own entry for an adviser's account, which
/// may name no other.
async fn with_adviser(
    state: &AppState,
    p: &Principal,
    row: &ReviewRow,
    action: &ReviewAction,
) -> ApiResult<ReviewAction> {
    let mut action = action.clone();
    if let ReviewAction::Review { adviser_id, .. } = &mut action {
        let own = super::adviser_app::own_id(state, p).await?;
        match (*adviser_id, own) {
            (Some(a), Some(o)) if a != o => {
                return Err(ApiError::field(
                    "adviser_id",
                    "法律顾问账号只能以本人名义出具审查意见",
                ));
            }
            (Some(a), _) => {
                super::adviser_app::check_picked(
                    state,
                    &row.division_path,
                    &[a],
                    state.clock.today(),
                    "adviser_id",
                )
                .await?;
            }
            (None, Some(o)) => *adviser_id = Some(o),
            (None, None) => {}
        }
    }
    Ok(action)
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

fn code<T: std::str::FromStr<Err = fazhi_core::matter::UnknownCode>>(
    field: &str,
    v: &Option<String>,
) -> ApiResult<Option<T>> {
    match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => s
            .parse::<T>()
            .map(Some)
            .map_err(|e| ApiError::field(field, e.to_string())),
    }
}

/// Items in scope, newest first; `figure` lists exactly the items a figure counts.
pub(crate) async fn list(
    state: &AppState,
    p: &Principal,
    q: &ReviewQuery,
) -> ApiResult<Vec<ReviewOut>> {
    let scope = p.require(Permission::ViewLegalReviews)?;
    let mut f = ReviewFilter {
        status: code::<ReviewStatus>("status", &q.status)?,
        kind: code::<ReviewKind>("kind", &q.kind)?,
        ..ReviewFilter::default()
    };
    if let Some(y) = q.year {
        let (from, to) = year_range(y)?;
        f.from = Some(from);
        f.to = Some(to);
    }
    let figure = code::<ReviewFigure>("figure", &q.figure)?;
    let today = state.clock.today();
    let mut items = Vec::new();
    for r in reviews::list(&state.db, &scope.roots, &f).await? {
        let s = r.state()?;
        if figure.is_none_or(|fig| fig.counts(&s, today)) {
            items.push(out(state, &r, &s));
        }
    }
    items.reverse();
    Ok(items)
}

/// The reviewer's queue: items waiting for an opinion, nearest due day first; for the
/// drafting side, also its items waiting for an answer or the signing.
pub(crate) async fn queue(state: &AppState, p: &Principal) -> ApiResult<Vec<ReviewOut>> {
    let scope = p.require(Permission::ViewLegalReviews)?;
    let mut out_rows = Vec::new();
    if p.can(Permission::GiveLegalReview) {
        for r in reviews::pending(&state.db, &p.scope(Permission::GiveLegalReview).roots).await? {
            let s = r.state()?;
            out_rows.push(out(state, &r, &s));
        }
    }
    if p.can(Permission::SubmitLegalReview) {
        for st in [ReviewStatus::Reviewed, ReviewStatus::Answered] {
            let f = ReviewFilter {
                status: Some(st),
                ..ReviewFilter::default()
            };
            for r in reviews::list(&state.db, &scope.roots, &f).await? {
                let s = r.state()?;
                if !allowed_review_actions(&s, hands(p, &r.division_path)).is_empty() {
                    out_rows.push(out(state, &r, &s));
                }
            }
        }
    }
    Ok(out_rows)
}

/// The figures of a year: 审查率, counts with their lists, per kind, and the skipped items.
pub(crate) async fn stats(state: &AppState, p: &Principal, year: i32) -> ApiResult<ReviewStatsOut> {
    let scope = p.require(Permission::ViewLegalReviews)?;
    let (from, to) = year_range(year)?;
    let f = ReviewFilter {
        from: Some(from),
        to: Some(to),
        ..ReviewFilter::default()
    };
    let today = state.clock.today();
    let rows = reviews::list(&state.db, &scope.roots, &f).await?;
    let mut states = Vec::with_capacity(rows.len());
    for r in &rows {
        states.push(r.state()?);
    }
    let tally = ReviewTally::of(&states, today);
    let by_kind = ReviewKind::ALL
        .iter()
        .map(|k| {
            let t = ReviewTally::of(states.iter().filter(|s| s.kind == *k), today);
            KindCount {
                kind: *k,
                label: k.label_zh(),
                received: t.get(ReviewFigure::Received),
                needed_review: t.get(ReviewFigure::NeededReview),
                skipped: t.get(ReviewFigure::Skipped),
                review_rate: t.review_rate(),
            }
        })
        .collect();
    let skipped = rows
        .iter()
        .zip(&states)
        .filter(|(_, s)| s.skipped())
        .map(|(r, s)| out(state, r, s))
        .collect();
    Ok(ReviewStatsOut {
        year,
        basis: "统计口径：本年度纳入审查台账的事项（含事后登记的未经审查签发事项）；审查率 = 签发前经审查 ÷ 应审查（已签发）；各项计数与下钻列表使用同一定义",
        review_rate: tally.review_rate(),
        figures: tally
            .counts
            .iter()
            .map(|(fig, n)| ReviewFigureOut {
                figure: *fig,
                label: fig.label_zh(),
                count: *n,
                list: format!("/decisions/reviews?year={year}&figure={}", fig.as_str()),
                api: format!("/api/v1/legal-reviews?year={year}&figure={}", fig.as_str()),
            })
            .collect(),
        by_kind,
        skipped,
    })
}
