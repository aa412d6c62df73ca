//! The use cases of the legal advisers (法律顾问): the roster and its village coverage
//! (一村一法律顾问), putting a review item to an adviser, the work log read from the
//! records where the adviser acted (the desk's opinions by the adviser's account, the
//! collective discussions and hearings that name the lawyer) with the hand-logged
//! consultations and mediation, and the yearly assessment. Reading needs
//! `ViewLegalReviews`, keeping the roster and the log `SubmitLegalReview`, the
//! assessment `DecideMajor` (the township leader). An adviser's own account
//! (`ActAsLegalAdviser`) reads its own entry and the items put to it, nothing else.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use fazhi_core::decisions::{
    AdviserWorkKind, DecisionState, LitigationState, NormativeState, ReviewKind, check_adviser,
    check_assessment, check_log, names_lawyer, term_valid_on,
};
use fazhi_core::division::{Level, path_in_subtree};
use fazhi_core::role::{Permission, Role};
use fazhi_db::DbError;
use fazhi_db::admin::divisions::{self, DivisionRow};
use fazhi_db::decisions::advisers::{self, AdviserRow};
use fazhi_db::decisions::reviews::{self, ReviewRow};

use super::adviser_wire::*;
use super::app::township;
use super::wire::ReviewOut;
use crate::AppState;
use crate::admin::api::division_in_scope;
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};

fn refused(m: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::CONFLICT, "refused", m)
}

/// The villages given by code, each under the township.
async fn villages_of(
    state: &AppState,
    p: &Principal,
    t: &DivisionRow,
    codes: &[String],
) -> ApiResult<Vec<i64>> {
    let scope = p.scope(Permission::SubmitLegalReview);
    let mut ids = Vec::new();
    for c in codes.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
        let d = division_in_scope(state, &scope, c, Some("village_codes")).await?;
        if d.level != Level::Village || d.parent_id != Some(t.id) {
            return Err(ApiError::field(
                "village_codes",
                format!("“{}”不是本乡镇（街道）的村（社区）", d.name),
            ));
        }
        if !ids.contains(&d.id) {
            ids.push(d.id);
        }
    }
    Ok(ids)
}

/// The account named as the adviser's own: it must hold the adviser role in the township.
async fn account_of(
    state: &AppState,
    t: &DivisionRow,
    username: Option<&str>,
) -> ApiResult<Option<i64>> {
    let Some(name) = username.map(str::trim).filter(|n| !n.is_empty()) else {
        return Ok(None);
    };
    let miss = || ApiError::field("username", format!("账号“{name}”不存在"));
    let u = fazhi_db::auth::users::by_username(&state.db, name)
        .await
        .map_err(|e| match e {
            DbError::NotFound => miss(),
            e => e.into(),
        })?;
    let grants = fazhi_db::auth::grants::for_user(&state.db, u.id).await?;
    let ok = grants
        .iter()
        .any(|g| g.role == Role::LegalAdviser && path_in_subtree(&g.division_path, &t.path));
    if !ok || grants.iter().any(|g| g.role != Role::LegalAdviser) {
        return Err(ApiError::field(
            "username",
            "关联的账号须仅授予本乡镇（街道）的“法律顾问（外聘）”角色",
        ));
    }
    Ok(Some(u.id))
}

async fn out_of(state: &AppState, r: &AdviserRow) -> ApiResult<AdviserOut> {
    let villages = advisers::villages(&state.db, r.id).await?;
    Ok(AdviserOut::of(
        r,
        villages.into_iter().map(Into::into).collect(),
        state.clock.today(),
    ))
}

/// Adds an adviser to a township's roster.
pub(crate) async fn create(
    state: &AppState,
    p: &Principal,
    body: &AdviserInput,
) -> ApiResult<AdviserDetail> {
    let scope = p.require(Permission::SubmitLegalReview)?;
    let t = township(
        state,
        p,
        &scope,
        Permission::SubmitLegalReview,
        body.township_code.as_deref(),
    )
    .await?;
    let spec = check_adviser(&body.spec).map_err(|e| ApiError::bad_request(e.to_string()))?;
    let villages = villages_of(state, p, &t, &body.village_codes).await?;
    if villages.is_empty() && !spec.serves_township {
        return Err(ApiError::field(
            "village_codes",
            "请选择服务的村（社区），或勾选担任本乡镇（街道）法律顾问",
        ));
    }
    let user = account_of(state, &t, body.username.as_deref()).await?;
    let row =
        advisers::create(&state.db, &p.actor(), t.id, &t.path, &spec, user, &villages).await?;
    detail_of(state, p, row).await
}

/// Changes an adviser's entry (version-checked).
pub(crate) async fn update(
    state: &AppState,
    p: &Principal,
    id: i64,
    body: &AdviserInput,
) -> ApiResult<AdviserDetail> {
    let view = p.require(Permission::ViewLegalReviews)?;
    let row = advisers::get(&state.db, &view.roots, id).await?;
    if !p
        .scope(Permission::SubmitLegalReview)
        .covers(&row.division_path)
    {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "您没有权限修改法律顾问信息",
        ));
    }
    let t = divisions::by_id(&state.db, row.division_id).await?;
    let spec = check_adviser(&body.spec).map_err(|e| ApiError::bad_request(e.to_string()))?;
    let villages = villages_of(state, p, &t, &body.village_codes).await?;
    if villages.is_empty() && !spec.serves_township {
        return Err(ApiError::field(
            "village_codes",
            "请选择服务的村（社区），或勾选担任本乡镇（街道）法律顾问",
        ));
    }
    let user = account_of(state, &t, body.username.as_deref()).await?;
    let row = advisers::update(
        &state.db,
        &p.actor(),
        &row,
        body.version,
        &spec,
        user,
        &villages,
    )
    .await?;
    detail_of(state, p, row).await
}

/// The roster in scope.
pub(crate) async fn list(state: &AppState, p: &Principal) -> ApiResult<Vec<AdviserOut>> {
    let scope = p.require(Permission::ViewLegalReviews)?;
    let mut out = Vec::new();
    for r in advisers::list(&state.db, &scope.roots).await? {
        out.push(out_of(state, &r).await?);
    }
    Ok(out)
}

/// An adviser in scope (or the caller's own), with the work log.
pub(crate) async fn detail(state: &AppState, p: &Principal, id: i64) -> ApiResult<AdviserDetail> {
    let row = readable(state, p, id).await?;
    detail_of(state, p, row).await
}

/// The caller's own adviser entry (an adviser's account).
pub(crate) async fn me(state: &AppState, p: &Principal) -> ApiResult<AdviserDetail> {
    p.require(Permission::ActAsLegalAdviser)?;
    let row = own(state, p).await?.ok_or_else(ApiError::not_found)?;
    detail_of(state, p, row).await
}

/// The adviser entry linked to the caller's account, inside the grant's township.
async fn own(state: &AppState, p: &Principal) -> ApiResult<Option<AdviserRow>> {
    let scope = p.scope(Permission::ActAsLegalAdviser);
    Ok(advisers::by_user(&state.db, p.user_id)
        .await?
        .filter(|a| scope.covers(&a.division_path)))
}

async fn readable(state: &AppState, p: &Principal, id: i64) -> ApiResult<AdviserRow> {
    if !p.can(Permission::ViewLegalReviews) {
        p.require(Permission::ActAsLegalAdviser)?;
        return match own(state, p).await? {
            Some(a) if a.id == id => Ok(a),
            _ => Err(ApiError::not_found()),
        };
    }
    let scope = p.require(Permission::ViewLegalReviews)?;
    Ok(advisers::get(&state.db, &scope.roots, id).await?)
}

/// A review item put to the caller's adviser (for the adviser's account); 404 otherwise.
pub(crate) async fn assigned_review(
    state: &AppState,
    p: &Principal,
    id: i64,
) -> ApiResult<ReviewRow> {
    let a = own(state, p).await?.ok_or_else(ApiError::not_found)?;
    if advisers::assigned_adviser(&state.db, id).await? != Some(a.id) {
        return Err(ApiError::not_found());
    }
    let row = reviews::by_id(&state.db, id).await?;
    if !path_in_subtree(&row.division_path, &a.division_path) {
        return Err(ApiError::not_found());
    }
    Ok(row)
}

async fn detail_of(state: &AppState, p: &Principal, row: AdviserRow) -> ApiResult<AdviserDetail> {
    let today = state.clock.today();
    let work = work_log(state, &row).await?;
    let mut assigned = Vec::new();
    for rid in advisers::assigned_reviews(&state.db, row.id).await? {
        let r = reviews::by_id(&state.db, rid).await?;
        let s = r.state()?;
        assigned.push(ReviewOut::of(&r, &s, today, state.matters.yellow_days()));
    }
    let assessments = advisers::assessments(&state.db, row.id)
        .await?
        .into_iter()
        .map(Into::into)
        .collect();
    Ok(AdviserDetail {
        adviser: out_of(state, &row).await?,
        work,
        assessments,
        assigned,
        can_manage: p
            .scope(Permission::SubmitLegalReview)
            .covers(&row.division_path),
        can_assess: p.scope(Permission::DecideMajor).covers(&row.division_path),
    })
}

/// The work log: the records where the adviser acted, and what was logged by hand.
async fn work_log(state: &AppState, a: &AdviserRow) -> ApiResult<Vec<WorkEntry>> {
    let mut work = Vec::new();
    // Opinions linked by roster id; older ones by the adviser's account.
    for o in advisers::opinions_of(&state.db, a.id, a.user_id).await? {
        let kind = if o.kind == ReviewKind::Contract {
            AdviserWorkKind::ContractReview
        } else {
            AdviserWorkKind::ReviewOpinion
        };
        work.push(WorkEntry {
            on: o.on_date,
            kind,
            log_kind: None,
            kind_label: kind.label_zh(),
            subject: format!("{}：{}", o.kind.label_zh(), o.title),
            detail: o
                .opinion
                .map(|x| x.label_zh())
                .unwrap_or_default()
                .to_string(),
            href: Some(format!("/decisions/reviews/{}", o.review_id)),
        });
    }
    for d in advisers::discussed_decisions(&state.db, &a.division_path).await? {
        let Ok(s) = serde_json::from_str::<DecisionState>(&d.state) else {
            continue;
        };
        // Linked by roster id; a discussion recorded before the link by the name.
        if let Some(x) = s.discussion.as_ref().filter(|x| match &x.adviser_ids {
            Some(ids) => ids.contains(&a.id),
            None => names_lawyer(&x.attendees, &a.lawyer),
        }) {
            let kind = AdviserWorkKind::DecisionMeeting;
            work.push(WorkEntry {
                on: x.on,
                kind,
                log_kind: None,
                kind_label: kind.label_zh(),
                subject: d.title.clone(),
                detail: format!("出席、列席人员：{}", x.attendees),
                href: Some(format!("/decisions/major/{}", d.id)),
            });
        }
    }
    // Deliberations of normative documents: only linked ones (no attendees were kept).
    for d in advisers::normative_documents(&state.db, &a.division_path).await? {
        let Ok(s) = serde_json::from_str::<NormativeState>(&d.state) else {
            continue;
        };
        if let Some(x) = s.deliberation.as_ref().filter(|x| {
            x.adviser_ids
                .as_ref()
                .is_some_and(|ids| ids.contains(&a.id))
        }) {
            let kind = AdviserWorkKind::DecisionMeeting;
            work.push(WorkEntry {
                on: x.on,
                kind,
                log_kind: None,
                kind_label: kind.label_zh(),
                subject: format!("规范性文件：{}", d.title),
                detail: format!("{}：{}", x.meeting, x.conclusion),
                href: Some(format!("/decisions/normative/{}", d.id)),
            });
        }
    }
    for c in advisers::litigation_cases(&state.db, &a.division_path).await? {
        let Ok(s) = serde_json::from_str::<LitigationState>(&c.state) else {
            continue;
        };
        for h in s.hearings.iter().filter(|h| {
            h.attendee.is_some()
                && match &h.adviser_ids {
                    Some(ids) => ids.contains(&a.id),
                    None => names_lawyer(&h.attendee_name, &a.lawyer),
                }
        }) {
            let kind = AdviserWorkKind::Hearing;
            work.push(WorkEntry {
                on: h.on,
                kind,
                log_kind: None,
                kind_label: kind.label_zh(),
                subject: format!("{}：{}", s.kind.label_zh(), c.title),
                detail: if h.adviser_ids.is_some() {
                    format!(
                        "{}：{}；法律顾问{}代理出庭",
                        h.attendee.map(|r| r.label_zh()).unwrap_or_default(),
                        h.attendee_name,
                        a.lawyer
                    )
                } else {
                    format!("出庭：{}", h.attendee_name)
                },
                href: Some(format!("/decisions/litigation/{}", c.id)),
            });
        }
    }
    for l in advisers::logs(&state.db, a.id).await? {
        let kind = AdviserWorkKind::Logged;
        work.push(WorkEntry {
            on: l.on_date,
            kind,
            log_kind: Some(l.kind),
            kind_label: l.kind.label_zh(),
            subject: l.subject,
            detail: l.note,
            href: None,
        });
    }
    work.sort_by_key(|w| w.on);
    Ok(work)
}

async fn managed(
    state: &AppState,
    p: &Principal,
    id: i64,
    perm: Permission,
) -> ApiResult<AdviserRow> {
    let view = p.require(Permission::ViewLegalReviews)?;
    let row = advisers::get(&state.db, &view.roots, id).await?;
    if !p.scope(perm).covers(&row.division_path) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "您没有权限进行此操作",
        ));
    }
    Ok(row)
}

/// Logs a consultation, mediation or other work by hand.
pub(crate) async fn add_log(
    state: &AppState,
    p: &Principal,
    id: i64,
    body: &LogCreate,
) -> ApiResult<AdviserDetail> {
    let row = managed(state, p, id, Permission::SubmitLegalReview).await?;
    let today = state.clock.today();
    let (subject, note) = check_log(body.on, &body.subject, &body.note, today)
        .map_err(|e| ApiError::bad_request(e.to_string()))?;
    advisers::add_log(
        &state.db,
        &p.actor(),
        row.id,
        body.on,
        body.kind,
        &subject,
        &note,
    )
    .await?;
    detail_of(state, p, row).await
}

/// The township leader's yearly assessment (one per year).
pub(crate) async fn assess(
    state: &AppState,
    p: &Principal,
    id: i64,
    body: &AssessmentCreate,
) -> ApiResult<AdviserDetail> {
    let row = managed(state, p, id, Permission::DecideMajor).await?;
    let today = state.clock.today();
    let note = check_assessment(body.year, body.rating, &body.note, today)
        .map_err(|e| ApiError::bad_request(e.to_string()))?;
    if body.year < row.term_from.year() {
        return Err(refused(format!(
            "{}年度不在该法律顾问的聘用期内",
            body.year
        )));
    }
    advisers::assess(
        &state.db,
        &p.actor(),
        row.id,
        body.year,
        body.rating,
        &note,
        today,
    )
    .await?;
    detail_of(state, p, row).await
}

/// Puts a review item to an adviser of its township whose contract is in force.
pub(crate) async fn assign(
    state: &AppState,
    p: &Principal,
    review_id: i64,
    body: &AssignAdviser,
) -> ApiResult<AdviserOut> {
    let scope = p.require(Permission::ViewLegalReviews)?;
    let r = reviews::get(&state.db, &scope.roots, review_id).await?;
    if !p
        .scope(Permission::SubmitLegalReview)
        .covers(&r.division_path)
    {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "您没有权限指定审查的法律顾问",
        ));
    }
    let a = advisers::get(
        &state.db,
        std::slice::from_ref(&r.division_path),
        body.adviser_id,
    )
    .await
    .map_err(|e| match e {
        DbError::NotFound => ApiError::field("adviser_id", "该法律顾问不属于本乡镇（街道）"),
        e => e.into(),
    })?;
    if !term_valid_on(a.term_from, a.term_to, state.clock.today()) {
        return Err(refused("该法律顾问的聘用合同不在有效期内"));
    }
    if r.opinion.is_some() {
        return Err(refused("该事项已出具审查意见，不能再指定法律顾问"));
    }
    advisers::assign(&state.db, &p.actor(), r.id, a.id).await?;
    out_of(state, &a).await
}

/// Per village: the advisers in force today (一村一法律顾问).
pub(crate) async fn coverage(
    state: &AppState,
    p: &Principal,
    q: &CoverageQuery,
) -> ApiResult<Vec<VillageCoverage>> {
    let scope = p.require(Permission::ViewLegalReviews)?;
    let townships: Vec<DivisionRow> = match q
        .township_code
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        Some(c) => {
            let d = division_in_scope(state, &scope, c, Some("township_code")).await?;
            if d.level != Level::Township {
                return Err(ApiError::field("township_code", "请选择乡镇（街道）"));
            }
            vec![d]
        }
        None => divisions::tree(&state.db, &scope.roots)
            .await?
            .into_iter()
            .filter(|d| d.level == Level::Township)
            .collect(),
    };
    let today = state.clock.today();
    let mut out = Vec::new();
    for t in townships {
        let mut by_village: BTreeMap<String, VillageCoverage> = BTreeMap::new();
        for r in advisers::coverage(&state.db, &t.path).await? {
            let v = by_village
                .entry(r.village_code.clone())
                .or_insert_with(|| VillageCoverage {
                    township_name: t.name.clone(),
                    code: r.village_code.clone(),
                    name: r.village_name.clone(),
                    advisers: Vec::new(),
                    covered: false,
                    lapsed: Vec::new(),
                });
            if let (Some(l), Some(f), Some(from), Some(to)) =
                (r.lawyer, r.firm, r.term_from, r.term_to)
            {
                let who = format!("{l}（{f}）");
                if term_valid_on(from, to, today) {
                    v.covered = true;
                    v.advisers.push(who);
                } else {
                    v.lapsed.push(who);
                }
            }
        }
        out.extend(by_village.into_values());
    }
    Ok(out)
}

/// The advisers' figures of `year` in scope, counted from the same work logs the
/// adviser pages show: per kind in total and per adviser, each with the link to the
/// entries it counts.
pub(crate) async fn stats(
    state: &AppState,
    p: &Principal,
    year: i32,
) -> ApiResult<AdviserStatsOut> {
    use fazhi_core::decisions::AdviserRating;
    let scope = p.require(Permission::ViewLegalReviews)?;
    if !(2000..=2100).contains(&year) {
        return Err(ApiError::field("year", "年份须在2000到2100之间"));
    }
    let today = state.clock.today();
    let rows = advisers::list(&state.db, &scope.roots).await?;
    let link = |code: Option<&str>, adviser: Option<i64>, api: bool| {
        let mut q = format!("year={year}");
        if let Some(c) = code {
            q.push_str(&format!("&kind={c}"));
        }
        if let Some(a) = adviser {
            q.push_str(&format!("&adviser_id={a}"));
        }
        if api {
            format!("/api/v1/legal-advisers/work?{q}")
        } else {
            format!("/decisions/advisers/work?{q}")
        }
    };
    let figures = |adviser: Option<i64>| -> Vec<WorkFigure> {
        work_kinds()
            .into_iter()
            .map(|(code, label)| WorkFigure {
                code,
                label,
                count: 0,
                list: link(Some(code), adviser, false),
                api: link(Some(code), adviser, true),
            })
            .collect()
    };
    let mut work = figures(None);
    let mut per_adviser = Vec::new();
    let mut ratings: Vec<LabelledCount> = AdviserRating::ALL
        .iter()
        .map(|r| LabelledCount {
            code: r.as_str(),
            label: r.label_zh(),
            count: 0,
        })
        .collect();
    for a in &rows {
        let mut mine = figures(Some(a.id));
        let mut total = 0;
        for e in work_log(state, a)
            .await?
            .into_iter()
            .filter(|e| e.on.year() == year)
        {
            let code = e.figure_code();
            for list in [&mut work, &mut mine] {
                if let Some(c) = list.iter_mut().find(|c| c.code == code) {
                    c.count += 1;
                }
            }
            total += 1;
        }
        per_adviser.push(AdviserWorkRow {
            adviser_id: a.id,
            lawyer: a.lawyer.clone(),
            firm: a.firm.clone(),
            division_name: a.division_name.clone(),
            total,
            total_list: link(None, Some(a.id), false),
            figures: mine,
        });
        for s in advisers::assessments(&state.db, a.id).await? {
            if s.year == i64::from(year)
                && let Some(r) = ratings.iter_mut().find(|r| r.code == s.rating.as_str())
            {
                r.count += 1;
            }
        }
    }
    let coverage = coverage(state, p, &CoverageQuery::default()).await?;
    Ok(AdviserStatsOut {
        year,
        advisers: rows.len(),
        in_force: rows
            .iter()
            .filter(|a| term_valid_on(a.term_from, a.term_to, today))
            .count(),
        villages: coverage.len(),
        villages_covered: coverage.iter().filter(|v| v.covered).count(),
        total_work: per_adviser.iter().map(|r| r.total).sum(),
        total_list: link(None, None, false),
        work,
        per_adviser,
        ratings,
    })
}

/// The figure codes of the work log in display order: the kinds read from records,
/// then what is logged by hand.
fn work_kinds() -> Vec<(&'static str, &'static str)> {
    use fazhi_core::decisions::AdviserLogKind;
    AdviserWorkKind::ALL
        .iter()
        .filter(|k| **k != AdviserWorkKind::Logged)
        .map(|k| (k.as_str(), k.label_zh()))
        .chain(
            AdviserLogKind::ALL
                .iter()
                .map(|k| (k.as_str(), k.label_zh())),
        )
        .collect()
}

/// The drill-down of the work figures: exactly the entries a figure counts (a year, a
/// kind, one adviser or all in scope), oldest first.
pub(crate) async fn work(
    state: &AppState,
    p: &Principal,
    q: &WorkQuery,
) -> ApiResult<Vec<AdviserWorkOut>> {
    let scope = p.require(Permission::ViewLegalReviews)?;
    let year = q.year.unwrap_or_else(|| state.clock.today().year());
    let kind = q.kind.as_deref().map(str::trim).filter(|k| !k.is_empty());
    if let Some(k) = kind
        && !work_kinds().iter().any(|(c, _)| *c == k)
    {
        return Err(ApiError::field("kind", format!("未知的履职记录类型“{k}”")));
    }
    let rows = match q.adviser_id {
        Some(id) => vec![advisers::get(&state.db, &scope.roots, id).await?],
        None => advisers::list(&state.db, &scope.roots).await?,
    };
    let mut out = Vec::new();
    for a in &rows {
        for e in work_log(state, a).await? {
            if e.on.year() == year && kind.is_none_or(|k| e.figure_code() == k) {
                out.push(AdviserWorkOut {
                    adviser_id: a.id,
                    lawyer: a.lawyer.clone(),
                    firm: a.firm.clone(),
                    division_name: a.division_name.clone(),
                    entry: e,
                });
            }
        }
    }
    out.sort_by_key(|w| w.entry.on);
    Ok(out)
}

/// The advisers of the township at `path` a form may pick: those in force on `on`.
pub(crate) async fn choices(
    state: &AppState,
    path: &str,
    on: time::Date,
) -> ApiResult<Vec<AdviserChoice>> {
    Ok(advisers::list(&state.db, &[path.to_string()])
        .await?
        .into_iter()
        .filter(|a| term_valid_on(a.term_from, a.term_to, on))
        .map(|a| AdviserChoice {
            id: a.id,
            label: format!("{}（{}）", a.lawyer, a.firm),
        })
        .collect())
}

/// Checks advisers picked for a record at `path` on `on`: each on the township's
/// roster with its contract in force that day (else 400 on `field`).
pub(crate) async fn check_picked(
    state: &AppState,
    path: &str,
    ids: &[i64],
    on: time::Date,
    field: &str,
) -> ApiResult<()> {
    for id in ids {
        let a = advisers::get(&state.db, &[path.to_string()], *id)
            .await
            .map_err(|e| match e {
                DbError::NotFound => ApiError::field(field, "所选法律顾问不属于本乡镇（街道）"),
                e => e.into(),
            })?;
        if !term_valid_on(a.term_from, a.term_to, on) {
            return Err(ApiError::field(
                field,
                format!("{}律师的聘用合同在{on}不在有效期内", a.lawyer),
            ));
        }
    }
    Ok(())
}

/// The roster id of the caller's own adviser entry (an adviser's account), if any.
pub(crate) async fn own_id(state: &AppState, p: &Principal) -> ApiResult<Option<i64>> {
    if !p.can(Permission::ActAsLegalAdviser) {
        return Ok(None);
    }
    Ok(own(state, p).await?.map(|a| a.id))
}
