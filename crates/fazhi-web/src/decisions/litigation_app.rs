//! The use cases of the 复议 and 诉讼 register — registering a case, acting on it, the
//! list with its overdue deadlines, the figures and the heads' attendance — called by
//! the JSON API and the pages alike. The rules are `fazhi_core::decisions::litigation`.
//!
//! Permissions reuse the review desk's: reading needs `ViewLegalReviews`; writing needs
//! `SubmitLegalReview` (the township's offices) or `GiveLegalReview` (法制审核人员 and
//! legal advisers, who handle 复议 and 诉讼) at the case's place.

use axum::http::StatusCode;
use fazhi_core::decisions::{
    LitigationAction, LitigationFigure, LitigationKind, LitigationOutcome, LitigationRules,
    LitigationState, LitigationStatus, LitigationTally, ReviewError, allowed_litigation_actions,
    apply_litigation, open_litigation,
};
use fazhi_core::division::path_in_subtree;
use fazhi_core::role::Permission;
use fazhi_db::DbError;
use fazhi_db::decisions::litigation::{self, LitigationFilter, LitigationRow};

use super::app::township;
use super::litigation_wire::*;
use crate::AppState;
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};

fn refusal(e: ReviewError) -> ApiError {
    match e {
        ReviewError::Invalid(m) => ApiError::bad_request(m),
        ReviewError::Refused(m) => ApiError::new(StatusCode::CONFLICT, "refused", m),
    }
}

/// The permission a user writes the register with: the drafting side's, else the
/// reviewer's.
fn write_perm(p: &Principal) -> Permission {
    if p.can(Permission::SubmitLegalReview) {
        Permission::SubmitLegalReview
    } else {
        Permission::GiveLegalReview
    }
}

/// Whether the user may write a case at `path`.
pub(crate) fn may_write(p: &Principal, path: &str) -> bool {
    p.scope(Permission::SubmitLegalReview).covers(path)
        || p.scope(Permission::GiveLegalReview).covers(path)
}

fn out(state: &AppState, r: &LitigationRow, s: &LitigationState) -> LitigationOut {
    LitigationOut::of(r, s, state.clock.today(), state.matters.yellow_days())
}

/// Checks that a linked enforcement case or major decision exists in the user's scope
/// and belongs to the township at `town_path`.
async fn check_links(
    state: &AppState,
    p: &Principal,
    town_path: &str,
    case_id: Option<i64>,
    decision_id: Option<i64>,
) -> ApiResult<()> {
    if let Some(c) = case_id {
        let roots = p.scope(Permission::ViewCases).roots;
        let row = fazhi_db::enforcement::cases::get(&state.db, &roots, c)
            .await
            .map_err(|e| match e {
                DbError::NotFound => {
                    ApiError::field("enforcement_case_id", "执法案件不存在或不在管辖范围内")
                }
                e => e.into(),
            })?;
        if !path_in_subtree(&row.division_path, town_path) {
            return Err(ApiError::field(
                "enforcement_case_id",
                "该执法案件不属于本乡镇（街道）",
            ));
        }
    }
    if let Some(d) = decision_id {
        let roots = p.scope(Permission::ViewDecisions).roots;
        let row = fazhi_db::decisions::major::get(&state.db, &roots, d)
            .await
            .map_err(|e| match e {
                DbError::NotFound => {
                    ApiError::field("major_decision_id", "重大行政决策不存在或不在管辖范围内")
                }
                e => e.into(),
            })?;
        if !path_in_subtree(&row.division_path, town_path) {
            return Err(ApiError::field(
                "major_decision_id",
                "该重大行政决策不属于本乡镇（街道）",
            ));
        }
    }
    Ok(())
}

/// Registers a case (the township is respondent or defendant).
pub(crate) async fn create(
    state: &AppState,
    p: &Principal,
    body: &LitigationCreate,
) -> ApiResult<LitigationDetail> {
    let perm = write_perm(p);
    let scope = p.require(perm)?;
    let t = township(state, p, &scope, perm, body.township_code.as_deref()).await?;
    let spec = &body.spec;
    let today = state.clock.today();
    let cal = state.matters.calendar();
    let s = open_litigation(spec, today, &cal, &LitigationRules::default()).map_err(refusal)?;
    check_links(
        state,
        p,
        &t.path,
        spec.enforcement_case_id,
        spec.major_decision_id,
    )
    .await?;
    let row = litigation::create(&state.db, &p.actor(), t.id, &t.path, &s, today).await?;
    detail_of(state, p, row).await
}

async fn detail_of(
    state: &AppState,
    p: &Principal,
    row: LitigationRow,
) -> ApiResult<LitigationDetail> {
    let s = row.state()?;
    let events = litigation::events(&state.db, row.id).await?;
    let writer = may_write(p, &row.division_path);
    let allowed = if writer {
        allowed_litigation_actions(&s)
    } else {
        Vec::new()
    };
    let heads = if writer {
        litigation::heads(&state.db, &row.division_path)
            .await?
            .into_iter()
            .map(|h| HeadOut {
                id: h.id,
                display_name: h.display_name,
            })
            .collect()
    } else {
        Vec::new()
    };
    let adviser_choices = if writer {
        super::adviser_app::choices(state, &row.division_path, state.clock.today()).await?
    } else {
        Vec::new()
    };
    let mut hearings: Vec<HearingOut> = s
        .hearings
        .iter()
        .enumerate()
        .map(|(i, h)| HearingOut::of(i, h))
        .collect();
    for h in &mut hearings {
        for id in &h.adviser_ids {
            let a = fazhi_db::decisions::advisers::by_id(&state.db, *id).await?;
            h.advisers.push(format!("{}（{}）", a.lawyer, a.firm));
        }
    }
    Ok(LitigationDetail {
        adviser_choices,
        case: out(state, &row, &s),
        filed_on: s.filed_on,
        simple: s.simple,
        evidence_submitted: s.answer.as_ref().map(|a| a.evidence_submitted),
        answer_note: s
            .answer
            .as_ref()
            .map(|a| a.note.clone())
            .unwrap_or_default(),
        hearings,
        outcome_note: s.outcome_note.clone(),
        opinion_letter: s.opinion_letter.as_ref().map(|o| OpinionLetterOut {
            received_on: o.received_on,
            content: o.content.clone(),
            correction_due: o.correction_due,
            corrected_on: o.corrected_on,
            correction: o.correction.clone(),
        }),
        allowed_actions: allowed,
        heads,
        events: events.into_iter().map(Into::into).collect(),
    })
}

/// One case in scope (out of scope: 404).
pub(crate) async fn detail(
    state: &AppState,
    p: &Principal,
    id: i64,
) -> ApiResult<LitigationDetail> {
    let scope = p.require(Permission::ViewLegalReviews)?;
    let row = litigation::get(&state.db, &scope.roots, id).await?;
    detail_of(state, p, row).await
}

/// Applies one action. A head's attendance names a township leader of the case's
/// township; the name defaults to the account's display name.
pub(crate) async fn act(
    state: &AppState,
    p: &Principal,
    id: i64,
    body: &LitigationActionBody,
) -> ApiResult<LitigationDetail> {
    let scope = p.require(Permission::ViewLegalReviews)?;
    let row = litigation::get(&state.db, &scope.roots, id).await?;
    let code = body.action.code();
    if !may_write(p, &row.division_path) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            format!("您没有权限对该案件{}", code.label_zh()),
        ));
    }
    let mut action = body.action.clone();
    if let LitigationAction::RecordAttendance {
        head_user_id: Some(uid),
        attendee_name,
        attendee,
        ..
    } = &mut action
        && attendee.is_head()
    {
        let heads = litigation::heads(&state.db, &row.division_path).await?;
        let Some(h) = heads.iter().find(|h| h.id == *uid) else {
            return Err(ApiError::field(
                "head_user_id",
                "所选负责人不是本乡镇（街道）的领导账号",
            ));
        };
        if attendee_name.trim().is_empty() {
            *attendee_name = h.display_name.clone();
        }
    }
    let today = state.clock.today();
    if let LitigationAction::RecordAttendance {
        index, adviser_ids, ..
    } = &action
    {
        let on = row.state()?.hearings.get(*index).map_or(today, |h| h.on);
        let ids = adviser_ids.as_deref().unwrap_or_default();
        super::adviser_app::check_picked(state, &row.division_path, ids, on, "adviser_ids").await?;
    }
    let cal = state.matters.calendar();
    let rules = LitigationRules::default();
    let note = action.note();
    let done = litigation::act(
        &state.db,
        &p.actor(),
        &scope.roots,
        id,
        body.version,
        code,
        today,
        |s| apply_litigation(&s, &action, today, &cal, &rules).map(|n| (n, note)),
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

/// Cases in scope, overdue first, then nearest deadline; `figure` lists exactly the
/// cases a figure counts.
pub(crate) async fn list(
    state: &AppState,
    p: &Principal,
    q: &LitigationQuery,
) -> ApiResult<Vec<LitigationOut>> {
    let scope = p.require(Permission::ViewLegalReviews)?;
    let mut f = LitigationFilter {
        kind: code::<LitigationKind>("kind", &q.kind)?,
        status: code::<LitigationStatus>("status", &q.status)?,
        ..LitigationFilter::default()
    };
    if let Some(y) = q.year {
        let (from, to) = year_range(y)?;
        f.from = Some(from);
        f.to = Some(to);
    }
    let figure = code::<LitigationFigure>("figure", &q.figure)?;
    let today = state.clock.today();
    let mut items = Vec::new();
    for r in litigation::list(&state.db, &scope.roots, &f).await? {
        let s = r.state()?;
        if figure.is_none_or(|fig| fig.counts(&s, today))
            && q.overdue.is_none_or(|o| o == s.overdue(today))
        {
            items.push(out(state, &r, &s));
        }
    }
    // Open deadlines first (nearest first), then the rest, newest received first.
    items.sort_by(|a, b| {
        (
            a.next_due.is_none(),
            a.next_due,
            std::cmp::Reverse(a.received_on),
        )
            .cmp(&(
                b.next_due.is_none(),
                b.next_due,
                std::cmp::Reverse(b.received_on),
            ))
    });
    Ok(items)
}

/// The figures of a year: the three rates, the counts with their lists, by outcome.
pub(crate) async fn stats(
    state: &AppState,
    p: &Principal,
    year: i32,
) -> ApiResult<LitigationStatsOut> {
    let scope = p.require(Permission::ViewLegalReviews)?;
    let (from, to) = year_range(year)?;
    let f = LitigationFilter {
        from: Some(from),
        to: Some(to),
        ..LitigationFilter::default()
    };
    let today = state.clock.today();
    let mut states = Vec::new();
    for r in litigation::list(&state.db, &scope.roots, &f).await? {
        states.push(r.state()?);
    }
    let t = LitigationTally::of(&states, today);
    let by_outcome = LitigationOutcome::ALL
        .iter()
        .map(|o| {
            let n = |k: LitigationKind| {
                states
                    .iter()
                    .filter(|s| s.kind == k && s.outcome == Some(*o))
                    .count() as i64
            };
            OutcomeCount {
                outcome: *o,
                label: o.label_zh(),
                reconsideration: n(LitigationKind::Reconsideration),
                lawsuit: n(LitigationKind::Lawsuit),
            }
        })
        .collect();
    Ok(LitigationStatsOut {
        year,
        basis: "统计口径：本年度收到副本的复议、诉讼案件；复议纠错率 = 被撤销、变更、确认违法、确认无效、责令履行的复议案件 ÷ 已结复议案件；诉讼败诉率 = 同类判决的诉讼案件 ÷ 已结诉讼案件（调解、撤回另计）；负责人出庭应诉率 = 主要或分管负责人出庭的诉讼庭次 ÷ 已登记出庭情况的诉讼庭次",
        correction_rate: t.correction_rate(),
        loss_rate: t.loss_rate(),
        head_attendance_rate: t.head_attendance_rate(),
        hearings: t.hearings,
        head_hearings: t.head_hearings,
        figures: t
            .counts
            .iter()
            .map(|(fig, n)| LitigationFigureOut {
                figure: *fig,
                label: fig.label_zh(),
                count: *n,
                list: format!("/decisions/litigation?year={year}&figure={}", fig.as_str()),
                api: format!("/api/v1/litigation?year={year}&figure={}", fig.as_str()),
            })
            .collect(),
        by_outcome,
    })
}

/// The hearings of a year a head of the township attended (for the annual report).
pub(crate) async fn head_attendance(
    state: &AppState,
    p: &Principal,
    q: &HeadAttendanceQuery,
) -> ApiResult<Vec<HeadAttendanceOut>> {
    let scope = p.require(Permission::ViewLegalReviews)?;
    let year = q.year.unwrap_or_else(|| state.clock.today().year());
    year_range(year)?;
    let t = township(
        state,
        p,
        &scope,
        Permission::ViewLegalReviews,
        q.township_code.as_deref(),
    )
    .await?;
    Ok(litigation::head_attendance(&state.db, t.id, year)
        .await?
        .into_iter()
        .map(Into::into)
        .collect())
}

/// The skeleton of the township's answer as DOCX (行政复议答复书 or 行政诉讼答辩状),
/// filled from the register; each download is audited.
pub(crate) async fn answer_docx(
    state: &AppState,
    p: &Principal,
    id: i64,
) -> ApiResult<axum::response::Response> {
    use fazhi_office::litigation::{Answer, AnswerKind, write};
    let scope = p.require(Permission::ViewLegalReviews)?;
    let row = litigation::get(&state.db, &scope.roots, id).await?;
    let s = row.state()?;
    let respondent = crate::matters::documents::default_issuer(state, row.division_id).await?;
    let (kind, title, slug) = match s.kind {
        LitigationKind::Reconsideration => (
            AnswerKind::Reconsideration,
            "行政复议答复书",
            "reconsideration-answer",
        ),
        LitigationKind::Lawsuit => (AnswerKind::Lawsuit, "行政诉讼答辩状", "lawsuit-defence"),
    };
    let a = Answer {
        kind,
        respondent,
        claimant: s.claimant.clone(),
        body: s.body.clone(),
        challenged_act: s.challenged_act.clone(),
        case_number: s.case_number.clone(),
        received_on: s.received_on,
        date: state.clock.today(),
    };
    let bytes = tokio::task::spawn_blocking(move || write(&a))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)?;
    fazhi_db::audit::record(
        &state.db,
        &p.actor(),
        "litigation.document",
        &format!("litigation:{id}"),
        title,
    )
    .await?;
    crate::matters::documents::docx_response(
        bytes,
        &format!("{slug}-{id}.docx"),
        &format!("{title}-{}.docx", s.claimant),
    )
}
