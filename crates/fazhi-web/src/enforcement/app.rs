//! The use cases of enforcement — the item list, certificates, opening a case, acting
//! on it, lists and figures — called by the JSON API and the pages alike. The law is
//! in `fazhi_core::enforcement`; this layer loads, checks scope and hands, and stores.

use axum::http::StatusCode;
use fazhi_core::division::Level;
use fazhi_core::enforcement::{
    CaseContext, CaseError, CaseFigure, CaseHands, CaseOutcome, CaseStatus, CaseTally,
    EnforcementRules, FileGrade, FileScore, InspectionOutcome, PowerSource, Procedure, Rubric,
    allowed_case_actions, apply_case, decide_on_spot, hands_allow, money::yuan, open_case,
};
use fazhi_core::role::{Permission, Scope};
use fazhi_db::DbError;
use fazhi_db::admin::divisions::{self, DivisionRow};
use fazhi_db::enforcement::cases::{self, CaseFilter, CaseRow, NewCase};
use fazhi_db::enforcement::file_reviews;
use fazhi_db::enforcement::inspections::{self, NewInspection};
use fazhi_db::enforcement::{items, officers};

use super::wire::*;
use crate::AppState;
use crate::admin::api::division_in_scope;
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};

/// Settings key of the enforcement rules (JSON; national defaults when absent).
pub const RULES_KEY: &str = "enforcement.rules";

/// The township's enforcement rules: the national defaults, changed where a setting says so.
pub(crate) async fn rules(state: &AppState) -> ApiResult<EnforcementRules> {
    let stored = fazhi_db::admin::settings::get(&state.db, RULES_KEY).await?;
    Ok(stored
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default())
}

/// Who the user is for a case at `path`.
pub(crate) fn hands(p: &Principal, path: &str) -> CaseHands {
    CaseHands {
        officer: p.scope(Permission::HandleCase).covers(path),
        reviewer: p.scope(Permission::ReviewCase).covers(path),
        leader: p.scope(Permission::DecideCase).covers(path),
    }
}

fn case_error(e: CaseError) -> ApiError {
    match e {
        CaseError::Invalid(m) => ApiError::bad_request(m),
        CaseError::Refused(m) => ApiError::new(StatusCode::CONFLICT, "refused", m),
    }
}

/// The township a user works in for `perm`: the one given by code, or their only one.
pub(crate) async fn township(
    state: &AppState,
    p: &Principal,
    scope: &Scope,
    perm: Permission,
    code: Option<&str>,
) -> ApiResult<DivisionRow> {
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
            "执法事项清单按乡镇（街道）维护，请选择乡镇（街道）",
        )),
    }
}

// ---- the item list -------------------------------------------------------------------

pub(crate) async fn list_items(state: &AppState, p: &Principal) -> ApiResult<Vec<ItemOut>> {
    let mut roots = p.scope(Permission::ViewCases).roots;
    roots.extend(p.scope(Permission::ManageItems).roots);
    if roots.is_empty() {
        return Err(ApiError::forbidden());
    }
    let rows = items::list_latest(&state.db, &roots).await?;
    let mut out: Vec<ItemOut> = Vec::with_capacity(rows.len());
    for r in &rows {
        if !out.iter().any(|o| o.id == r.id) {
            out.push(ItemOut::of(r)?);
        }
    }
    Ok(out)
}

pub(crate) async fn save_item(
    state: &AppState,
    p: &Principal,
    body: &ItemSave,
) -> ApiResult<ItemOut> {
    let scope = p.require(Permission::ManageItems)?;
    body.spec.validate().map_err(ApiError::bad_request)?;
    let mut spec = body.spec.clone();
    spec.code = spec.code.trim().to_string();
    spec.name = spec.name.trim().to_string();
    let t = township(
        state,
        p,
        &scope,
        Permission::ManageItems,
        body.township_code.as_deref(),
    )
    .await?;
    let row = items::save(&state.db, &p.actor(), t.id, &t.path, &spec).await?;
    Ok(ItemOut::of(&row)?)
}

pub(crate) async fn item_versions(
    state: &AppState,
    p: &Principal,
    id: i64,
) -> ApiResult<Vec<ItemOut>> {
    let mut roots = p.scope(Permission::ViewCases).roots;
    roots.extend(p.scope(Permission::ManageItems).roots);
    let row = items::get(&state.db, &roots, id).await?;
    let all = items::versions(&state.db, row.township_id, &row.code).await?;
    all.iter().map(|r| Ok(ItemOut::of(r)?)).collect()
}

// ---- officers --------------------------------------------------------------------------

pub(crate) async fn list_officers(state: &AppState, p: &Principal) -> ApiResult<Vec<OfficerOut>> {
    let scope = p.require(Permission::ViewCases)?;
    let today = state.clock.today();
    Ok(officers::in_scope(&state.db, &scope.roots)
        .await?
        .into_iter()
        .map(|o| OfficerOut {
            valid: o.valid_until >= today,
            user_id: o.user_id,
            name: o.name,
            number: o.number,
            valid_until: o.valid_until,
        })
        .collect())
}

pub(crate) async fn put_certificate(
    state: &AppState,
    p: &Principal,
    user_id: i64,
    body: &CertificateIn,
) -> ApiResult<()> {
    let scope = p.require(Permission::ManageUsers)?;
    if !fazhi_db::auth::users::in_scope(&state.db, user_id, p.manager(&scope)).await? {
        return Err(ApiError::not_found());
    }
    let number = body.number.trim();
    if number.is_empty()
        || number.chars().count() > 40
        || number.chars().any(|c| c.is_control() || c.is_whitespace())
    {
        return Err(ApiError::field(
            "number",
            "请填写执法证号（不超过40个字符，不含空格）",
        ));
    }
    match officers::put(&state.db, &p.actor(), user_id, number, body.valid_until).await {
        Err(DbError::Conflict { .. }) => {
            Err(ApiError::field("number", "该执法证号已登记给其他人员"))
        }
        other => Ok(other?),
    }
}

// ---- cases -------------------------------------------------------------------------------

async fn certs(
    state: &AppState,
    ids: &[i64],
) -> ApiResult<Vec<fazhi_core::enforcement::OfficerCert>> {
    Ok(officers::of_users(&state.db, ids)
        .await?
        .iter()
        .map(|o| o.cert())
        .collect())
}

/// "青石镇" → "青石", for case numbers.
fn number_prefix(township: &str) -> String {
    let t = township.trim();
    for suffix in ["街道办事处", "街道", "镇", "乡"] {
        if let Some(s) = t.strip_suffix(suffix).filter(|s| !s.is_empty()) {
            return s.to_string();
        }
    }
    t.to_string()
}

pub(crate) async fn create_case(
    state: &AppState,
    p: &Principal,
    body: &CaseCreate,
) -> ApiResult<CaseDetail> {
    let scope = p.require(Permission::HandleCase)?;
    let item_row = items::get(&state.db, &scope.roots, body.item_id)
        .await
        .map_err(|e| match e {
            DbError::NotFound => ApiError::field("item_id", "执法事项不存在或不在管辖范围内"),
            e => e.into(),
        })?;
    if !item_row.latest {
        return Err(ApiError::field(
            "item_id",
            "该执法事项已有新版本，请按最新版本立案",
        ));
    }
    let place = match body
        .division_code
        .as_deref()
        .filter(|c| !c.trim().is_empty())
    {
        Some(c) => division_in_scope(state, &scope, c, Some("division_code")).await?,
        None => divisions::by_id(&state.db, item_row.township_id).await?,
    };
    let town = match place.level {
        Level::Township => place.clone(),
        Level::Village => divisions::by_id(&state.db, place.parent_id.unwrap_or_default()).await?,
        Level::County => {
            return Err(ApiError::field(
                "division_code",
                "请选择违法行为发生的乡镇或村（社区）",
            ));
        }
    };
    if town.id != item_row.township_id {
        return Err(ApiError::field(
            "item_id",
            "该执法事项不属于案件发生地的乡镇（街道）",
        ));
    }
    if let Some(m) = body.matter_id {
        fazhi_db::matters::read::get(&state.db, &scope.roots, m)
            .await
            .map_err(|e| match e {
                DbError::NotFound => ApiError::field("matter_id", "关联事项不存在或不在管辖范围内"),
                e => e.into(),
            })?;
    }
    let item = item_row.item()?;
    let rules = rules(state).await?;
    let cal = state.matters.calendar();
    let today = state.clock.today();
    let certs = certs(state, &body.spec.officers).await?;
    let s = match (body.procedure, &body.on_spot) {
        (Procedure::Simple, Some(o)) => decide_on_spot(
            &item,
            &body.spec,
            o,
            body.matter_id,
            today,
            &cal,
            &rules,
            &certs,
        ),
        (Procedure::Simple, None) => {
            return Err(ApiError::field("on_spot", "简易程序须填写当场处罚的内容"));
        }
        (Procedure::Ordinary, _) => open_case(
            &item,
            &body.spec,
            body.matter_id,
            today,
            &cal,
            &rules,
            &certs,
        ),
    }
    .map_err(case_error)?;
    let new = NewCase {
        division_id: place.id,
        division_path: place.path.clone(),
        township_path: town.path.clone(),
        number_prefix: number_prefix(&town.name),
        publish_due: s.publication_due(&rules, &cal),
        state: s,
        today,
    };
    // Two officers numbering at once on PostgreSQL: the unique number refuses one; retry.
    let row = match cases::create(&state.db, &p.actor(), &new).await {
        Err(DbError::Conflict { .. }) => cases::create(&state.db, &p.actor(), &new).await?,
        other => other?,
    };
    detail_of(state, p, row, &rules).await
}

async fn detail_of(
    state: &AppState,
    p: &Principal,
    row: CaseRow,
    rules: &EnforcementRules,
) -> ApiResult<CaseDetail> {
    let s = row.state()?;
    let today = state.clock.today();
    let events = cases::events(&state.db, row.id).await?;
    let h = hands(p, &row.division_path);
    Ok(CaseDetail {
        case: CaseOut::of(&row, &s, today, state.matters.yellow_days()),
        allowed_actions: allowed_case_actions(&s, h),
        can_review_file: h.reviewer && s.status.is_finished(),
        review_required: s.review_required(),
        limitation_expired: s.limitation_expired(rules),
        limitation_end: s.limitation_end(rules),
        surcharge: yuan(s.surcharge(today, rules)),
        documents: DocumentOut::list(row.id, &s),
        state: serde_json::to_value(&s).unwrap_or_default(),
        events: events.into_iter().map(Into::into).collect(),
    })
}

pub(crate) async fn detail(state: &AppState, p: &Principal, id: i64) -> ApiResult<CaseDetail> {
    let scope = p.require(Permission::ViewCases)?;
    let row = cases::get(&state.db, &scope.roots, id).await?;
    let rules = rules(state).await?;
    detail_of(state, p, row, &rules).await
}

pub(crate) async fn act(
    state: &AppState,
    p: &Principal,
    id: i64,
    body: &CaseActionBody,
) -> ApiResult<CaseDetail> {
    let scope = p.require(Permission::ViewCases)?;
    let code = body.action.code();
    let row = cases::get(&state.db, &scope.roots, id).await?;
    let h = hands(p, &row.division_path);
    if !hands_allow(code, h) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            format!("您没有权限对本案{}", code.label_zh()),
        ));
    }
    let rules = rules(state).await?;
    let cal = state.matters.calendar();
    let today = state.clock.today();
    let certs = certs(state, body.action.officers()).await?;
    let ctx = CaseContext {
        today,
        calendar: &cal,
        rules: &rules,
        certs: &certs,
        actor: p.user_id,
    };
    let note = body.action.note();
    let done = cases::act(
        &state.db,
        &p.actor(),
        row,
        body.version,
        code,
        today,
        |_, s| apply_case(&s, &body.action, &ctx).map(|n| (n, note)),
        |s| s.publication_due(&rules, &cal),
    )
    .await?;
    let row = match done {
        Ok(row) => row,
        Err(e) => {
            if let CaseError::Refused(m) = &e {
                cases::log_refusal(&state.db, &p.actor(), id, code, m).await?;
            }
            return Err(case_error(e));
        }
    };
    detail_of(state, p, row, &rules).await
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

fn year_range(year: i32) -> ApiResult<(time::Date, time::Date)> {
    let bad = || ApiError::field("year", "年份须在2000到2100之间");
    if !(2000..=2100).contains(&year) {
        return Err(bad());
    }
    let from = time::Date::from_calendar_date(year, time::Month::January, 1).map_err(|_| bad())?;
    let to = time::Date::from_calendar_date(year, time::Month::December, 31).map_err(|_| bad())?;
    Ok((from, to))
}

pub(crate) async fn list(state: &AppState, p: &Principal, q: &CaseQuery) -> ApiResult<CasePage> {
    let scope = p.require(Permission::ViewCases)?;
    let today = state.clock.today();
    let mut f = CaseFilter {
        status: code::<CaseStatus>("status", &q.status)?,
        procedure: code::<Procedure>("procedure", &q.procedure)?,
        outcome: code::<CaseOutcome>("outcome", &q.outcome)?,
        item_id: q.item_id,
        ..CaseFilter::default()
    };
    if let Some(y) = q.year {
        let (from, to) = year_range(y)?;
        f.from = Some(from);
        f.to = Some(to);
    }
    if q.overdue == Some(true) {
        f.overdue_on = Some(today);
    }
    if let Some(c) = q.division_code.as_deref().filter(|c| !c.trim().is_empty()) {
        f.under = Some(
            division_in_scope(state, &scope, c, Some("division_code"))
                .await?
                .path,
        );
    }
    let limit = match q.limit {
        None => 50,
        Some(l) if (1..=200).contains(&l) => l,
        Some(_) => return Err(ApiError::field("limit", "每页条数须在1到200之间")),
    };
    let page = q.page.unwrap_or(1);
    if !(1..=100_000).contains(&page) {
        return Err(ApiError::field("page", "页码有误"));
    }
    let yellow = state.matters.yellow_days();
    let figure = code::<CaseFigure>("figure", &q.figure)?;
    let (items, total) = match figure {
        // The drill-down: the same definition as the figure, over the same cases.
        Some(fig) => {
            let rows = cases::states(&state.db, &scope.roots, &f).await?;
            let mut hit = Vec::new();
            for r in rows {
                let s = r.state()?;
                if fig.counts(&s) {
                    hit.push(CaseOut::of(&r, &s, today, yellow));
                }
            }
            hit.reverse();
            let total = hit.len() as i64;
            let skip = ((page - 1) * limit) as usize;
            (
                hit.into_iter().skip(skip).take(limit as usize).collect(),
                total,
            )
        }
        None => {
            let rows = cases::list(&state.db, &scope.roots, &f, (page - 1) * limit, limit).await?;
            let total = cases::count(&state.db, &scope.roots, &f).await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in rows {
                let s = r.state()?;
                out.push(CaseOut::of(&r, &s, today, yellow));
            }
            (out, total)
        }
    };
    Ok(CasePage {
        items,
        total,
        page,
        pages: (total + limit - 1) / limit,
    })
}

/// Cases waiting for this user: the reviewer's queue, the head's decisions, the
/// officers' open cases — nearest deadline first.
pub(crate) async fn queue(state: &AppState, p: &Principal) -> ApiResult<Vec<CaseOut>> {
    let scope = p.require(Permission::ViewCases)?;
    let today = state.clock.today();
    let yellow = state.matters.yellow_days();
    let mut out = Vec::new();
    let mut wanted: Vec<CaseStatus> = Vec::new();
    if p.can(Permission::ReviewCase) {
        wanted.push(CaseStatus::InReview);
    }
    if p.can(Permission::DecideCase) {
        wanted.extend([CaseStatus::Ready, CaseStatus::Notified, CaseStatus::Closed]);
    }
    if p.can(Permission::HandleCase) {
        wanted.extend([
            CaseStatus::Opened,
            CaseStatus::Notified,
            CaseStatus::Hearing,
            CaseStatus::Decided,
            CaseStatus::Served,
            CaseStatus::Executed,
        ]);
    }
    wanted.sort();
    wanted.dedup();
    for st in wanted {
        let f = CaseFilter {
            status: Some(st),
            ..CaseFilter::default()
        };
        for r in cases::list(&state.db, &scope.roots, &f, 0, 200).await? {
            let s = r.state()?;
            if !allowed_case_actions(&s, hands(p, &r.division_path)).is_empty() {
                out.push(CaseOut::of(&r, &s, today, yellow));
            }
        }
    }
    out.sort_by_key(|c| (c.next_due_on.is_none(), c.next_due_on, c.id));
    Ok(out)
}

pub(crate) async fn stats(state: &AppState, p: &Principal, year: i32) -> ApiResult<CaseStatsOut> {
    let scope = p.require(Permission::ViewCases)?;
    let (from, to) = year_range(year)?;
    let f = CaseFilter {
        from: Some(from),
        to: Some(to),
        ..CaseFilter::default()
    };
    let rows = cases::states(&state.db, &scope.roots, &f).await?;
    let mut states = Vec::with_capacity(rows.len());
    for r in &rows {
        states.push(r.state()?);
    }
    let tally = CaseTally::of(&states);
    let by_source = PowerSource::ALL
        .iter()
        .map(|src| {
            let n = states.iter().filter(|s| s.item.spec.source == *src).count() as i64;
            SourceCount {
                source: *src,
                label: src.label_zh(),
                count: n,
            }
        })
        .collect();
    let mut by_item: Vec<ItemCount> = Vec::new();
    for s in &states {
        let spec = &s.item.spec;
        let i = match by_item.iter().position(|c| c.code == spec.code) {
            Some(i) => i,
            None => {
                by_item.push(ItemCount {
                    code: spec.code.clone(),
                    name: spec.name.clone(),
                    cases: 0,
                    penalised: 0,
                    fines: String::new(),
                    fines_fen: 0,
                });
                by_item.len() - 1
            }
        };
        let c = &mut by_item[i];
        c.cases += 1;
        c.penalised += i64::from(CaseFigure::Penalised.counts(s));
        c.fines_fen += s.fine_fen();
    }
    for c in &mut by_item {
        c.fines = yuan(c.fines_fen);
    }
    by_item.sort_by(|a, b| b.cases.cmp(&a.cases).then(a.code.cmp(&b.code)));
    let (officers, reviewers) =
        officers::staff_counts(&state.db, &scope.roots, state.clock.today()).await?;
    let done = inspections::counts(&state.db, &scope.roots, from, to).await?;
    let inspections = InspectionOutcome::ALL
        .iter()
        .map(|o| InspectionFigure {
            outcome: *o,
            label: o.label_zh(),
            count: done.iter().find(|(k, _)| k == o).map_or(0, |(_, n)| *n),
            list: format!(
                "/enforcement/inspections?year={year}&outcome={}",
                o.as_str()
            ),
        })
        .collect();
    Ok(CaseStatsOut {
        year,
        basis: "统计口径：本年度立案（含当场处罚）的案件；各项计数与下钻列表使用同一定义",
        figures: tally
            .counts
            .iter()
            .map(|(fig, n)| FigureOut {
                figure: *fig,
                label: fig.label_zh(),
                count: *n,
                cases: format!("/enforcement/cases?year={year}&figure={}", fig.as_str()),
                api: format!(
                    "/api/v1/enforcement/cases?year={year}&figure={}",
                    fig.as_str()
                ),
            })
            .collect(),
        fines_imposed: yuan(tally.fines_imposed_fen),
        fines_collected: yuan(tally.fines_collected_fen),
        by_source,
        reviewer_share: (officers > 0)
            .then(|| (reviewers as f64 * 10000.0 / officers as f64).round() / 100.0),
        officers,
        reviewers,
        inspections,
        by_item,
    })
}

/// The 统计年报 of a year (due 31 January, 118号) as a workbook: the figures, money,
/// sources, items, inspections and staff.
pub(crate) async fn annual_statistics(
    state: &AppState,
    p: &Principal,
    year: i32,
) -> ApiResult<Vec<u8>> {
    use fazhi_office::tables::{Cell, Table};
    let s = stats(state, p, year).await?;
    let h = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let title = |what: &str| format!("{year}年行政执法统计年报 · {what}");
    let mut figures: Vec<Vec<Cell>> = s
        .figures
        .iter()
        .map(|f| vec![Cell::from(f.label), Cell::from(f.count)])
        .collect();
    for f in &s.inspections {
        figures.push(vec![
            Cell::from(format!("检查：{}", f.label)),
            Cell::from(f.count),
        ]);
    }
    let money = |v: &str| {
        v.parse::<f64>()
            .map(Cell::Number)
            .unwrap_or(Cell::Text(v.into()))
    };
    let tables = vec![
        Table {
            name: "统计".into(),
            title: title("案件与检查"),
            headers: h(&["项目", "数量"]),
            rows: figures,
        },
        Table {
            name: "罚没与人员".into(),
            title: title("罚没金额与执法人员"),
            headers: h(&["项目", "数值"]),
            rows: vec![
                vec![Cell::from("决定罚款（元）"), money(&s.fines_imposed)],
                vec![
                    Cell::from("已收缴罚款及加处罚款（元）"),
                    money(&s.fines_collected),
                ],
                vec![Cell::from("持证执法人员（人）"), Cell::from(s.officers)],
                vec![Cell::from("法制审核人员（人）"), Cell::from(s.reviewers)],
                vec![
                    Cell::from("法制审核人员占执法人员比例（%）"),
                    s.reviewer_share.map_or(Cell::from("—"), Cell::from),
                ],
            ],
        },
        Table {
            name: "职权来源".into(),
            title: title("按职权来源"),
            headers: h(&["职权来源", "案件数"]),
            rows: s
                .by_source
                .iter()
                .map(|c| vec![Cell::from(c.label), Cell::from(c.count)])
                .collect(),
        },
        Table {
            name: "执法事项".into(),
            title: title("按执法事项"),
            headers: h(&["事项编码", "事项名称", "案件数", "处罚决定数", "罚款（元）"]),
            rows: s
                .by_item
                .iter()
                .map(|c| {
                    vec![
                        Cell::from(c.code.as_str()),
                        Cell::from(c.name.as_str()),
                        Cell::from(c.cases),
                        Cell::from(c.penalised),
                        money(&c.fines),
                    ]
                })
                .collect(),
        },
    ];
    tokio::task::spawn_blocking(move || fazhi_office::tables::write(&tables))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)
}

// ---- inspections ---------------------------------------------------------------------

pub(crate) async fn create_inspection(
    state: &AppState,
    p: &Principal,
    body: &InspectionCreate,
) -> ApiResult<InspectionOut> {
    let scope = p.require(Permission::HandleCase)?;
    let today = state.clock.today();
    let certs = certs(state, &body.spec.officers).await?;
    body.spec.check(today, &certs).map_err(case_error)?;
    let place = match body
        .division_code
        .as_deref()
        .filter(|c| !c.trim().is_empty())
    {
        Some(c) => division_in_scope(state, &scope, c, Some("division_code")).await?,
        None => township(state, p, &scope, Permission::HandleCase, None).await?,
    };
    if let Some(c) = body.case_id {
        cases::get(&state.db, &scope.roots, c)
            .await
            .map_err(|_| ApiError::field("case_id", "关联案件不存在或不在管辖范围内"))?;
    }
    if let Some(m) = body.matter_id {
        fazhi_db::matters::read::get(&state.db, &scope.roots, m)
            .await
            .map_err(|_| ApiError::field("matter_id", "关联事项不存在或不在管辖范围内"))?;
    }
    let n = NewInspection {
        division_id: place.id,
        division_path: place.path.clone(),
        on_date: today,
        kind: body.spec.kind,
        outcome: body.spec.outcome,
        target: body.spec.target.trim().to_string(),
        findings: body.spec.findings.trim().to_string(),
        officers: body.spec.officers.clone(),
        case_id: body.case_id,
        matter_id: body.matter_id,
    };
    let id = inspections::create(&state.db, &p.actor(), &n).await?;
    let row = inspections::list(&state.db, &scope.roots, today, today, None, 500)
        .await?
        .into_iter()
        .find(|r| r.id == id)
        .ok_or_else(ApiError::not_found)?;
    Ok(row.into())
}

pub(crate) async fn list_inspections(
    state: &AppState,
    p: &Principal,
    year: Option<i32>,
    outcome: &Option<String>,
) -> ApiResult<Vec<InspectionOut>> {
    let scope = p.require(Permission::ViewCases)?;
    let (from, to) = year_range(year.unwrap_or_else(|| state.clock.today().year()))?;
    let outcome = code::<InspectionOutcome>("outcome", outcome)?;
    Ok(
        inspections::list(&state.db, &scope.roots, from, to, outcome, 2000)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    )
}

// ---- 公示 ----------------------------------------------------------------------------

/// Decisions waiting to be published in scope, nearest deadline first.
pub(crate) async fn to_publish(state: &AppState, p: &Principal) -> ApiResult<Vec<CaseOut>> {
    let scope = p.require(Permission::ViewCases)?;
    let today = state.clock.today();
    let yellow = state.matters.yellow_days();
    let mut out = Vec::new();
    for r in cases::unpublished(&state.db, &scope.roots).await? {
        let s = r.state()?;
        let (what, due) = match (s.withdraw_due, s.revoked_on) {
            (Some(due), _) => ("撤回公示", Some(due)),
            // Revoked before it was published: nothing to publish any more.
            (None, Some(_)) => continue,
            (None, None) => ("公示", r.publish_due),
        };
        let mut c = CaseOut::of(&r, &s, today, yellow);
        c.next_due = Some(what.into());
        c.next_due_on = due;
        c.days_left = due.map(|d| (d - today).whole_days());
        out.push(c);
    }
    Ok(out)
}

/// What a township publishes about its enforcement (118号: before, during and after).
pub(crate) async fn public_view(state: &AppState, code: &str) -> ApiResult<PublicEnforcement> {
    let code = fazhi_core::division::DivisionCode::parse(code.trim())
        .map_err(|_| ApiError::not_found())?;
    let town = divisions::by_code(&state.db, code.as_str()).await?;
    if town.level != Level::Township {
        return Err(ApiError::not_found());
    }
    let rules = rules(state).await?;
    let today = state.clock.today();
    let roots = vec![town.path.clone()];
    let items = items::list_latest(&state.db, &roots)
        .await?
        .iter()
        .map(ItemOut::of)
        .collect::<fazhi_db::Result<Vec<_>>>()?;
    let officers = officers::in_scope(&state.db, &roots)
        .await?
        .into_iter()
        .filter(|o| o.valid_until >= today)
        .map(|o| PublicOfficer {
            name: o.name,
            number: o.number,
        })
        .collect();
    let mut decisions = Vec::new();
    for r in cases::published(&state.db, &town.path).await? {
        let s = r.state()?;
        if s.takedown_on(&rules).is_some_and(|d| d < today) {
            continue;
        }
        let Some(d) = &s.decision else { continue };
        decisions.push(PublicDecision {
            number: r.number.clone(),
            decided_on: d.on,
            published_on: s.published_on.unwrap_or(d.on),
            party: s.public_party(),
            item: s.item.spec.name.clone(),
            conclusion: d
                .penalty
                .as_ref()
                .map_or_else(|| d.outcome.label_zh().to_string(), |p| p.label_zh()),
            basis: s.item.spec.penalty_basis.clone(),
        });
    }
    Ok(PublicEnforcement {
        township: town.name.clone(),
        body: format!("{}人民政府", town.name),
        officers,
        items,
        decisions,
    })
}

// ---- 案卷评查 ---------------------------------------------------------------------------

/// Settings key of the scoring sheet (JSON; the default sheet when absent).
pub const RUBRIC_KEY: &str = "enforcement.rubric";

pub(crate) async fn rubric(state: &AppState) -> ApiResult<Rubric> {
    let stored = fazhi_db::admin::settings::get(&state.db, RUBRIC_KEY).await?;
    Ok(stored
        .and_then(|s| serde_json::from_str::<Rubric>(&s).ok())
        .filter(|r| r.validate().is_ok())
        .unwrap_or_default())
}

fn file_review_out(r: file_reviews::FileReviewRow) -> ApiResult<FileReviewOut> {
    let result: FileScore = serde_json::from_str(&r.detail).map_err(ApiError::internal)?;
    Ok(FileReviewOut {
        case_id: r.case_id,
        number: r.number,
        division_name: r.division_name,
        on_date: r.on_date,
        score: r.score,
        grade: r.grade,
        grade_label: r.grade.label_zh(),
        reviewer: r.reviewer,
        result,
    })
}

/// Scores a closed case file (legal reviewers in scope).
pub(crate) async fn review_file(
    state: &AppState,
    p: &Principal,
    id: i64,
    body: &FileReviewIn,
) -> ApiResult<FileReviewOut> {
    let scope = p.require(Permission::ReviewCase)?;
    let row = cases::get(&state.db, &scope.roots, id).await?;
    if !row.status.is_finished() {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "refused",
            "只有已结案的案卷才能评查",
        ));
    }
    let score = rubric(state)
        .await?
        .score(&body.vetoes, &body.deductions)
        .map_err(ApiError::bad_request)?;
    let detail = serde_json::to_string(&score).map_err(ApiError::internal)?;
    file_reviews::create(
        &state.db,
        &p.actor(),
        id,
        &row.division_path,
        state.clock.today(),
        i64::from(score.score),
        score.grade,
        &detail,
    )
    .await?;
    let latest = file_reviews::of_case(&state.db, id)
        .await?
        .into_iter()
        .next()
        .ok_or_else(ApiError::not_found)?;
    file_review_out(latest)
}

pub(crate) async fn case_file_reviews(
    state: &AppState,
    p: &Principal,
    id: i64,
) -> ApiResult<Vec<FileReviewOut>> {
    let scope = p.require(Permission::ViewCases)?;
    cases::get(&state.db, &scope.roots, id).await?;
    file_reviews::of_case(&state.db, id)
        .await?
        .into_iter()
        .map(file_review_out)
        .collect()
}

pub(crate) async fn file_reviews_of_year(
    state: &AppState,
    p: &Principal,
    year: i32,
) -> ApiResult<FileReviewsOut> {
    let scope = p.require(Permission::ViewCases)?;
    let (from, to) = year_range(year)?;
    let rows = file_reviews::list(&state.db, &scope.roots, from, to).await?;
    let names: std::collections::HashMap<i64, String> = officers::in_scope(&state.db, &scope.roots)
        .await?
        .into_iter()
        .map(|o| (o.user_id, o.name))
        .collect();
    let mut per_officer: std::collections::BTreeMap<String, Vec<(i64, FileGrade)>> =
        Default::default();
    let mut per_month: std::collections::BTreeMap<u8, Vec<i64>> = Default::default();
    let mut per_township: std::collections::BTreeMap<String, Vec<(i64, FileGrade)>> =
        Default::default();
    let mut files = Vec::with_capacity(rows.len());
    for r in rows {
        let officers: Vec<i64> =
            serde_json::from_str::<fazhi_core::enforcement::CaseState>(&r.case_state)
                .map(|s| s.officers)
                .unwrap_or_default();
        for o in officers {
            let name = names.get(&o).cloned().unwrap_or_else(|| format!("#{o}"));
            per_officer
                .entry(name)
                .or_default()
                .push((r.score, r.grade));
        }
        per_township
            .entry(r.township.clone())
            .or_default()
            .push((r.score, r.grade));
        per_month
            .entry(u8::from(r.on_date.month()))
            .or_default()
            .push(r.score);
        files.push(file_review_out(r)?);
    }
    let avg = |v: &[i64]| {
        if v.is_empty() {
            0.0
        } else {
            (v.iter().sum::<i64>() as f64 * 10.0 / v.len() as f64).round() / 10.0
        }
    };
    let summary = |(officer, v): (String, Vec<(i64, FileGrade)>)| {
        let scores: Vec<i64> = v.iter().map(|(s, _)| *s).collect();
        let count = |g| v.iter().filter(|(_, x)| *x == g).count() as i64;
        OfficerScores {
            officer,
            files: v.len() as i64,
            average: avg(&scores),
            excellent: count(FileGrade::Excellent),
            pass: count(FileGrade::Pass),
            fail: count(FileGrade::Fail),
        }
    };
    Ok(FileReviewsOut {
        year,
        rubric: rubric(state).await?,
        by_officer: per_officer.into_iter().map(summary).collect(),
        by_township: per_township.into_iter().map(summary).collect(),
        by_month: per_month
            .into_iter()
            .map(|(month, v)| MonthScores {
                month,
                files: v.len() as i64,
                average: avg(&v),
            })
            .collect(),
        files,
    })
}

// ---- the item list as a workbook ------------------------------------------------------

/// The latest items in scope as XLSX (the template when empty).
pub(crate) async fn export_items(state: &AppState, p: &Principal) -> ApiResult<Vec<u8>> {
    let specs: Vec<fazhi_core::enforcement::ItemSpec> = list_items(state, p)
        .await?
        .into_iter()
        .map(|i| i.spec)
        .collect();
    tokio::task::spawn_blocking(move || fazhi_office::items::write(&specs))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)
}

/// Imports a workbook: every row checked first, then all items saved in one
/// transaction (a changed item gets a new version) or none.
pub(crate) async fn import_items(
    state: &AppState,
    p: &Principal,
    township_code: Option<&str>,
    bytes: Vec<u8>,
) -> ApiResult<ItemImportOut> {
    let scope = p.require(Permission::ManageItems)?;
    let t = township(state, p, &scope, Permission::ManageItems, township_code).await?;
    let read = tokio::task::spawn_blocking(move || fazhi_office::items::read(&bytes))
        .await
        .map_err(ApiError::internal)?;
    let specs = read.map_err(|errs| {
        let lines: Vec<String> = errs
            .iter()
            .take(50)
            .map(|x| {
                if x.row == 0 {
                    x.message.clone()
                } else {
                    format!("「{}」第{}行：{}", x.sheet, x.row, x.message)
                }
            })
            .collect();
        ApiError::bad_request(format!("清单有误，未导入任何事项。{}", lines.join("；")))
    })?;
    let changed = items::save_all(&state.db, &p.actor(), t.id, &t.path, &specs).await?;
    Ok(ItemImportOut {
        items: specs.len(),
        changed,
    })
}

/// A case opened from a matter, as the matter's page shows it (number, state, outcome).
pub(crate) struct LinkedCase {
    pub id: i64,
    pub number: String,
    pub status: &'static str,
    pub outcome: Option<String>,
}

/// The cases opened from matter `matter_id`, which the caller may read.
pub(crate) async fn linked_cases(state: &AppState, matter_id: i64) -> ApiResult<Vec<LinkedCase>> {
    let mut out = Vec::new();
    for r in cases::of_matter(&state.db, matter_id).await? {
        let s = r.state()?;
        out.push(LinkedCase {
            id: r.id,
            number: r.number.clone(),
            status: r.status.label_zh(),
            outcome: s.decision.as_ref().map(|d| match &d.penalty {
                Some(p) => format!("{}：{}", d.outcome.label_zh(), p.label_zh()),
                None => d.outcome.label_zh().to_string(),
            }),
        });
    }
    Ok(out)
}
