//! The use cases of matters — register, list, read, act, track, submit — called by the
//! JSON API (`api.rs`) and the pages alike, so that validation, scoping and the workflow
//! rules are written once. Permissions and the actions a user may take come from
//! `fazhi_core`; this layer loads, checks scope, calls the core and stores.

use axum::http::StatusCode;
use fazhi_core::matter::{
    Action, Hands, Kind, Status, TrackingCode, TransitionError, allowed_actions, apply_as,
};
use fazhi_core::party::PartyRole;
use fazhi_core::role::{Permission, Scope};
use fazhi_db::DbError;
use fazhi_db::matters::{
    self, Applied, Cursor, MatterFilter, MatterSort, NamedAssignee, NewPhoto, TaskQuery, parties,
};

use super::intake;
use super::wire::*;
use crate::AppState;
use crate::admin::api::division_in_scope;
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};

/// Converts a registration to the stored form, retrying once on the (astronomically
/// unlikely) collision of a fresh tracking code.
pub(crate) async fn register(
    state: &AppState,
    actor: &fazhi_db::audit::Actor,
    scope: &Scope,
    body: &MatterCreate,
    pending: bool,
    photos: Vec<NewPhoto>,
) -> ApiResult<MatterOut> {
    let (mut m, place) = intake::build(state, scope, body, pending, photos).await?;
    for attempt in 0..2 {
        match matters::write::create_at(&state.db, &state.vault, actor, &m, &place).await {
            Ok(row) => {
                return Ok(MatterOut::from_row(
                    row,
                    &state.matters,
                    state.clock.today(),
                ));
            }
            Err(DbError::Conflict {
                field: "tracking_code",
                ..
            }) if attempt == 0 => {
                m.tracking_code = intake::new_tracking_code();
            }
            Err(e) => return Err(e.into()),
        }
    }
    unreachable!("the loop returns")
}

/// The scope a user registers in, and the body adjusted for grid workers (their own
/// grid and the grid channel), who report rather than register.
pub(crate) async fn registration_scope(
    state: &AppState,
    p: &Principal,
    body: &mut MatterCreate,
) -> ApiResult<Scope> {
    let scope = p.scope(Permission::RegisterMatter);
    if !scope.is_empty() {
        return Ok(scope);
    }
    let scope = p.require(Permission::ReportMatter)?;
    body.channel = "grid_report".into();
    match (body.grid_id, super::sweeps_api::own_grid(state, p).await?) {
        (Some(g), Some(own)) if g != own => {
            return Err(super::sweeps_api::not_own_grid(
                "网格员只能上报本人负责网格的事项",
            ));
        }
        (None, own) => body.grid_id = own,
        _ => {}
    }
    Ok(scope)
}

pub(crate) fn page_limit(limit: Option<i64>) -> ApiResult<i64> {
    match limit {
        None => Ok(50),
        Some(l) if (1..=200).contains(&l) => Ok(l),
        Some(_) => Err(ApiError::field("limit", "每页条数须在1到200之间")),
    }
}

fn code_or_err<T: std::str::FromStr<Err = fazhi_core::matter::UnknownCode>>(
    field: &str,
    v: &Option<String>,
) -> ApiResult<Option<String>> {
    match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => s
            .parse::<T>()
            .map(|_| Some(s.to_string()))
            .map_err(|e| ApiError::field(field, e.to_string())),
    }
}

/// Builds the database filter from the query, refusing divisions outside the scope.
pub(crate) async fn filter_of(
    state: &AppState,
    p: &Principal,
    scope: &Scope,
    q: &MatterQuery,
) -> ApiResult<MatterFilter> {
    let mut f = MatterFilter::default();
    if let Some(s) = q.status.as_deref().filter(|s| !s.trim().is_empty()) {
        for part in s.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            part.parse::<Status>()
                .map_err(|e| ApiError::field("status", e.to_string()))?;
            f.statuses.push(part.to_string());
        }
    }
    f.kind = code_or_err::<Kind>("kind", &q.kind)?;
    f.channel = code_or_err::<fazhi_core::matter::Channel>("channel", &q.channel)?;
    f.category = q.category.clone().filter(|s| !s.trim().is_empty());
    if let Some(code) = q.division_code.as_deref().filter(|s| !s.trim().is_empty()) {
        let d = division_in_scope(state, scope, code.trim(), Some("division_code")).await?;
        f.division_path = Some(d.path);
    }
    f.grid_id = q.grid_id;
    f.assignee = match (q.assignee_kind.as_deref(), q.assignee_id) {
        (None, None) => None,
        (Some(k @ ("unit" | "division")), Some(id)) => Some((k.to_string(), id)),
        _ => {
            return Err(ApiError::field(
                "assignee_kind",
                "承办对象须同时给出assignee_kind（unit或division）和assignee_id",
            ));
        }
    };
    for (field, v, slot) in [
        ("from", &q.from, &mut f.received_from),
        ("to", &q.to, &mut f.received_to),
    ] {
        if let Some(s) = v.as_deref().filter(|s| !s.trim().is_empty()) {
            parse_date(s.trim()).ok_or_else(|| ApiError::field(field, "日期格式须为YYYY-MM-DD"))?;
            *slot = Some(s.trim().to_string());
        }
    }
    if q.overdue == Some(true) {
        f.overdue_on = Some(state.clock.today().to_string());
    }
    f.repeat = q.repeat;
    f.risk = code_or_err::<fazhi_core::matter::RiskLevel>("risk", &q.risk)?;
    f.closure_type =
        code_or_err::<fazhi_core::matter::ClosureType>("closure_type", &q.closure_type)?;
    f.urgent = q.urgent;
    if let Some(t) = q.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        search_of(state, p, t, &mut f).await?;
    }
    if q.mine == Some(true) {
        f.created_by = Some(p.user_id);
    }
    if let Some(name) = q.figure.as_deref().filter(|s| !s.is_empty()) {
        f.figure = Some(
            fazhi_core::stats::Figure::from_key(name)
                .ok_or_else(|| ApiError::field("figure", "未知的统计项"))?,
        );
    }
    Ok(f)
}

/// The setting holding the township's synonym list (`fazhi_core::search::Synonyms`).
pub(crate) const SYNONYMS_KEY: &str = "matters.synonyms";

/// The synonym list in force (the default until one is saved).
pub(crate) async fn synonyms(state: &AppState) -> ApiResult<fazhi_core::search::Synonyms> {
    use fazhi_core::search::{DEFAULT_SYNONYMS, Synonyms};
    let text = fazhi_db::admin::settings::get(&state.db, SYNONYMS_KEY).await?;
    // A stored list was checked when saved; categories removed since only lose their group.
    Ok(Synonyms::parse(text.as_deref().unwrap_or(DEFAULT_SYNONYMS), &|_| true).unwrap_or_default())
}

/// What a search box query asks for: a 查询码, a party's phone or ID number (found by
/// the blind index, audited), a word with synonyms (any of them, or the group's
/// category), else the words themselves.
async fn search_of(
    state: &AppState,
    p: &Principal,
    t: &str,
    f: &mut fazhi_db::matters::MatterFilter,
) -> ApiResult<()> {
    use fazhi_core::party::{check_id_number, check_phone};
    // A code may be all letters or all digits: whatever parses as one is one.
    if let Ok(code) = fazhi_core::matter::TrackingCode::parse(t) {
        f.tracking_code = Some(code.as_str().to_string());
        return Ok(());
    }
    let looks_personal = t.chars().filter(char::is_ascii_digit).count() >= 11;
    if looks_personal {
        use fazhi_db::pii::PiiKind;
        let (kind, value) = if let Ok(phone) = check_phone(t) {
            (PiiKind::Phone, phone)
        } else if let Ok(id) = check_id_number(t, state.clock.today()) {
            (PiiKind::IdNumber, id)
        } else {
            return Err(ApiError::field(
                "q",
                "按当事人查找请输入完整的11位手机号或18位身份证号",
            ));
        };
        f.party_keys = vec![state.vault.blind_index(kind, &value)];
        // Finding people by their numbers is a use of personal data: on file.
        fazhi_db::audit::record(
            &state.db,
            &p.actor(),
            "party.search",
            "matters",
            match kind {
                PiiKind::Phone => "按手机号查找当事人",
                PiiKind::IdNumber => "按身份证号查找当事人",
            },
        )
        .await?;
        return Ok(());
    }
    if let Some(g) = synonyms(state).await?.group_of(t) {
        f.any_words = Some(fazhi_db::matters::AnyWords {
            words: g
                .words
                .iter()
                .filter_map(|w| {
                    fazhi_core::search::terms(w)
                        .into_iter()
                        .next()
                        .map(|term| (w.clone(), term))
                })
                .collect(),
            category: g.category.clone(),
        });
        return Ok(());
    }
    f.text = Some(t.to_string());
    Ok(())
}

/// The order and starting cursor of a list query: `sort` (default `received_desc`, or
/// `id_desc` for a keyword search), `after` (an opaque cursor of that order) or the
/// older `before` id (order `id_desc`).
pub(crate) fn order_of(q: &MatterQuery) -> ApiResult<(MatterSort, Option<Cursor>)> {
    let keyword = q.q.as_deref().is_some_and(|k| !k.trim().is_empty());
    let sort = match q.sort.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        // Newest registered first stops at the first page of the rarest term's postings;
        // other orders must sort every match (slow for common words at a million matters).
        None if q.before.is_some() || keyword => MatterSort::IdDesc,
        None => MatterSort::default(),
        Some(s) => MatterSort::parse(s).ok_or_else(|| {
            ApiError::field(
                "sort",
                "排序须为received_desc、received_asc、due_asc、updated_desc或id_desc",
            )
        })?,
    };
    let after = q.after.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let cursor = match (after, q.before) {
        (Some(_), Some(_)) => {
            return Err(ApiError::field("after", "after和before不能同时给出"));
        }
        (Some(a), None) => Some(
            Cursor::decode(a)
                .filter(|c| c.sort == sort)
                .ok_or_else(|| ApiError::field("after", "翻页位置无效，请从第一页重新查询"))?,
        ),
        (None, Some(b)) if sort == MatterSort::IdDesc => Some(Cursor::before_id(b)),
        (None, Some(_)) => {
            return Err(ApiError::field(
                "before",
                "before只能用于id_desc排序，请改用after",
            ));
        }
        (None, None) => None,
    };
    Ok((sort, cursor))
}

/// The detail of a matter in scope (parties masked).
pub(crate) async fn detail(state: &AppState, p: &Principal, id: i64) -> ApiResult<MatterDetail> {
    let scope = p.require(Permission::ViewMatters)?;
    let row = matters::read::get(&state.db, &scope.roots, id).await?;
    let hands = hands_on(p, &row)?;
    let s = row.state()?;
    let allowed_actions = allowed_actions(&s, &state.matters.rules(), hands);
    let mut co_handlers = Vec::new();
    for c in s.assignment.iter().flat_map(|a| &a.co_handlers) {
        co_handlers.push(AssigneeOut {
            kind: c.kind,
            id: c.id,
            name: handler_name(state, c).await,
        });
    }
    let closing_under_review = s
        .closure
        .as_ref()
        .filter(|_| s.status == Status::Reviewing)
        .map(|c| ClosingOut {
            closure_type: c.closure_type,
            resolved: c.resolved,
            outcome: c.outcome,
            closed_on: c.closed_on.to_string(),
            on_time: c.on_time,
        });
    let acknowledged_on = s
        .assignment
        .as_ref()
        .and_then(|a| a.acknowledged_on)
        .map(|d| d.to_string());
    let parties = parties::of_matter(&state.db, id).await?;
    let events = matters::read::events(&state.db, id).await?;
    let photos = matters::read::photo_ids(&state.db, id).await?;
    let keys = matters::read::person_keys(&state.db, id).await?;
    let related = matters::read::with_person(&state.db, &scope.roots, &keys, Some(id), 20).await?;
    let today = state.clock.today();
    Ok(MatterDetail {
        matter: MatterOut::from_row(row, &state.matters, today),
        parties: parties.into_iter().map(Into::into).collect(),
        events: events.into_iter().map(Into::into).collect(),
        photos,
        related: MatterOut::many(related, &state.matters, today),
        allowed_actions,
        closing_reviewed: !hands.manage,
        co_handlers,
        acknowledged_on,
        closing_under_review,
        group_people: s.assessment.as_ref().and_then(|a| a.group_people),
    })
}

/// What the caller holds over this matter: the assignment decides (fazhi_core::matter::Hands).
pub(crate) fn hands_on(p: &Principal, row: &matters::MatterRow) -> ApiResult<Hands> {
    Ok(Hands::of(
        p.member(),
        &row.division_path,
        &row.state()?,
        row.assignee_path.as_deref(),
    ))
}

/// The name of a unit or village handling a matter, for the timeline.
async fn handler_name(state: &AppState, a: &fazhi_core::matter::Assignee) -> Option<String> {
    use fazhi_core::matter::AssigneeKind;
    match a.kind {
        AssigneeKind::Unit => fazhi_db::admin::units::by_id(&state.db, a.id)
            .await
            .ok()
            .map(|u| u.name),
        AssigneeKind::Division => fazhi_db::admin::divisions::by_id(&state.db, a.id)
            .await
            .ok()
            .map(|d| d.name),
    }
}

/// The free-text note an action carries, for the timeline.
fn note_of(a: &Action, extra: Option<&str>) -> String {
    let own = match a {
        Action::Reject { reason }
        | Action::Transfer { reason, .. }
        | Action::Return { reason }
        | Action::Escalate { reason }
        | Action::Extend { reason, .. }
        | Action::Pause { reason }
        | Action::Supervise { reason, .. }
        | Action::Reopen { reason }
        | Action::RejectClosure { reason } => reason.trim(),
        Action::RecordMediation { summary, .. }
        | Action::Feedback { summary, .. }
        | Action::Assess { summary, .. } => summary.trim(),
        _ => "",
    };
    match extra.map(str::trim).filter(|s| !s.is_empty()) {
        Some(e) if own.is_empty() => e.to_string(),
        Some(e) => format!("{own}（{e}）"),
        None => own.to_string(),
    }
}

/// A named assignee with its path and name; the path must lie in the caller's scope.
async fn assignee_path(
    state: &AppState,
    scope: &Scope,
    a: &fazhi_core::matter::Assignee,
) -> ApiResult<NamedAssignee> {
    use fazhi_core::matter::AssigneeKind;
    let named = match a.kind {
        AssigneeKind::Unit => fazhi_db::admin::units::by_id(&state.db, a.id)
            .await
            .map(|u| (u.division_path, u.name)),
        AssigneeKind::Division => fazhi_db::admin::divisions::by_id(&state.db, a.id)
            .await
            .map(|d| (d.path, d.name)),
    };
    match named {
        Ok((path, name)) if scope.covers(&path) => Ok(NamedAssignee {
            kind: a.kind,
            id: a.id,
            path,
            name,
        }),
        _ => Err(ApiError::field(
            "assignee",
            "承办单位不存在或不在管辖范围内（需上级办理的请使用“上报”）",
        )),
    }
}

/// Runs one workflow action for the caller; shared by the API and the pages.
pub(crate) async fn run_action(
    state: &AppState,
    p: &Principal,
    id: i64,
    version: Option<i64>,
    raw: serde_json::Map<String, serde_json::Value>,
) -> ApiResult<ActionResult> {
    let mut extra = raw.get("note").and_then(|v| v.as_str()).map(str::to_string);
    let mut raw = raw;
    let mut action: Action = serde_json::from_value(serde_json::Value::Object(raw.clone()))
        .map_err(|e| ApiError::field("action", format!("操作内容不正确：{e}")))?;
    if let Action::Feedback { by, result, .. } = &mut action {
        // Who speaks comes from the caller's membership, never from the request.
        let row =
            matters::read::get(&state.db, &p.scope(Permission::ViewMatters).roots, id).await?;
        *by = p
            .member()
            .handler_of(&row.state()?, row.assignee_path.as_deref());
        let kind = if *result {
            "办理结果"
        } else {
            "办理进展"
        };
        let who = match by {
            Some(a) => handler_name(state, a).await.unwrap_or_default(),
            None => "综治中心".into(),
        };
        extra = Some(format!("{who}{kind}"));
        raw.insert("by".into(), serde_json::to_value(*by).unwrap_or_default());
    }
    let payload = serde_json::Value::Object(raw).to_string();
    let code = action.code();
    let scope = p.require(code.permission())?;
    let new_path = match &action {
        Action::Assign {
            assignee,
            co_handlers,
            ..
        } => {
            for c in co_handlers {
                assignee_path(state, &scope, c).await?;
            }
            Some(assignee_path(state, &scope, assignee).await?)
        }
        Action::Transfer { assignee, .. } => Some(assignee_path(state, &scope, assignee).await?),
        _ => None,
    };
    let today = state.clock.today();
    let cal = state.matters.calendar();
    let rules = state.matters.rules();
    let note = note_of(&action, extra.as_deref());
    let outcome = matters::write::act(
        &state.db,
        &p.actor(),
        &scope.roots,
        id,
        version,
        new_path,
        today,
        |row, current| {
            // The core decides: 403 for a matter that is not the caller's to act on,
            // then the state machine (a handler's closing goes to the centre's review).
            let hands = Hands::of(
                p.member(),
                &row.division_path,
                &current,
                row.assignee_path.as_deref(),
            );
            apply_as(&current, &action, hands, today, &cal, &rules).map(|t| Applied {
                action: t.action,
                state: t.state,
                note,
                payload,
            })
        },
    )
    .await?;
    match outcome {
        Ok((row, ev)) => Ok(ActionResult {
            matter: MatterOut::from_row(row, &state.matters, today),
            event: ev.into(),
        }),
        Err(TransitionError::Forbidden { message }) => Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "not_assignee",
            message,
        )),
        Err(e) if e.is_conflict() => Err(ApiError::new(
            StatusCode::CONFLICT,
            "invalid_transition",
            e.message().to_string(),
        )),
        Err(fazhi_core::matter::TransitionError::Field { field, message }) => {
            Err(ApiError::field(field, message))
        }
        Err(e) => Err(ApiError::bad_request(e.message().to_string())),
    }
}

/// The task query of a user: triage where they manage matters, and what was assigned
/// to their unit or to the villages where they handle matters.
pub(crate) fn task_query(p: &Principal) -> TaskQuery {
    let mut t = TaskQuery {
        triage_roots: p.scope(Permission::ManageMatters).roots,
        handle_roots: p.scope(Permission::HandleMatter).roots,
        ..TaskQuery::default()
    };
    if let Some(u) = p.unit_id {
        t.handlers.push(("unit".into(), u));
    }
    for g in p
        .grants
        .iter()
        .filter(|g| g.role.has(Permission::HandleMatter))
    {
        t.handlers.push(("division".into(), g.division_id));
    }
    t
}

pub(crate) fn options_of(state: &AppState) -> Options {
    fn cl(code: &str, label: &str) -> CodeLabel {
        CodeLabel {
            code: code.into(),
            label: label.into(),
        }
    }
    Options {
        kinds: Kind::ALL
            .iter()
            .map(|k| cl(k.as_str(), k.label_zh()))
            .collect(),
        channels: fazhi_core::matter::Channel::ALL
            .iter()
            .map(|c| cl(c.as_str(), c.label_zh()))
            .collect(),
        categories: state
            .matters
            .categories()
            .into_iter()
            .map(|c| cl(&c.code, &c.label))
            .collect(),
        party_roles: PartyRole::ALL
            .iter()
            .map(|r| cl(r.as_str(), r.label_zh()))
            .collect(),
    }
}

/// The public view of a matter by its tracking code.
pub(crate) async fn track_view(state: &AppState, client: &str, code: &str) -> ApiResult<TrackOut> {
    // Every lookup counts, found or not: the limit is what keeps codes from being guessed.
    if !state.track_limiter.allow(client, state.clock.now_ms()) {
        return Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            "查询过于频繁，请10分钟后再试",
        ));
    }
    let code = TrackingCode::parse(code).map_err(|_| ApiError::not_found())?;
    let (row, events) = matters::read::public(&state.db, code.as_str()).await?;
    let day = |d: Option<time::Date>| d.map(|d| d.to_string());
    Ok(TrackOut {
        tracking_code: row.tracking_code,
        kind_label: row.kind.label_zh().into(),
        status_label: row.status.label_zh().into(),
        status: row.status,
        received_on: row.received_on.to_string(),
        accepted_on: day(row.accepted_on),
        closed_on: day(row.closed_on),
        handling_due: day(row.handling_due),
        steps: events
            .into_iter()
            .map(|e| TrackStep {
                on_date: e.on_date.to_string(),
                action_label: e.action.label_zh().into(),
                status_label: e.to_status.label_zh().into(),
            })
            .collect(),
    })
}

/// Submits through the public form: checked like any intake, rate-limited per address.
pub(crate) async fn public_submit(
    state: &AppState,
    client: &str,
    body: &PublicSubmit,
) -> ApiResult<SubmitOut> {
    if !state.public_limiter.allow(client, state.clock.now_ms()) {
        return Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            "提交过于频繁，请稍后再试，或拨打服务热线、到镇（街道）综治中心当面反映",
        ));
    }
    let create = MatterCreate {
        kind: body.kind.clone(),
        channel: "online".into(),
        category: body.category.clone(),
        division_code: body.division_code.clone(),
        summary: body.summary.clone(),
        parties: vec![PartyIn {
            name: body.name.clone(),
            phone: body.phone.clone(),
            id_number: body.id_number.clone(),
            ..PartyIn::default()
        }],
        ..MatterCreate::default()
    };
    // The public may name any place in the system; staff check it when registering.
    let everywhere = Scope {
        roots: vec!["/".into()],
    };
    let public = fazhi_db::audit::Actor::system("public");
    let m = register(state, &public, &everywhere, &create, true, Vec::new()).await?;
    Ok(SubmitOut {
        track_url: format!("/track/{}", m.tracking_code),
        tracking_code: m.tracking_code,
    })
}
