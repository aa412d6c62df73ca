//! `/api/v1` matters: intake, lists, detail, workflow actions, personal-data reveal,
//! my tasks, overdue lists, public submission and tracking. Every read and write is
//! limited to the caller's scope; out of scope answers 404, like a missing record.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use fazhi_core::matter::{
    Action, Kind, Status, TrackingCode, TransitionError, allowed_actions, apply,
};
use fazhi_core::party::PartyRole;
use fazhi_core::role::{Permission, Scope};
use fazhi_db::DbError;
use fazhi_db::matters::{
    self, Applied, Cursor, MatterFilter, MatterSort, NamedAssignee, NewPhoto, TaskQuery, parties,
};
use fazhi_db::pii::PiiKind;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::intake;
use super::wire::ActionRequest;
use super::wire::*;
use crate::AppState;
use crate::admin::api::division_in_scope;
use crate::auth::{ApiUser, Principal};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};

pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_matters, create_matter))
        .routes(routes!(get_matter))
        .routes(routes!(act))
        .routes(routes!(reveal))
        .routes(routes!(get_photo))
        .routes(routes!(lookup))
        .routes(routes!(tasks))
        .routes(routes!(overdue))
        .routes(routes!(options))
        .routes(routes!(track))
        .routes(routes!(submit))
}

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
    if body.grid_id.is_none() {
        let user = fazhi_db::auth::users::get(&state.db, p.user_id).await?;
        body.grid_id = user.grid_id;
    }
    Ok(scope)
}

/// Register a matter (centre staff, village mediators) or report one (grid workers).
#[utoipa::path(post, path = "/api/v1/matters", tag = "matters", request_body = MatterCreate,
    responses((status = 201, body = MatterOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub(crate) async fn create_matter(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiJson(mut body): ApiJson<MatterCreate>,
) -> ApiResult<(StatusCode, Json<MatterOut>)> {
    let scope = registration_scope(&state, &p, &mut body).await?;
    let m = register(&state, &p.actor(), &scope, &body, false, Vec::new()).await?;
    Ok((StatusCode::CREATED, Json(m)))
}

fn page_limit(limit: Option<i64>) -> ApiResult<i64> {
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
    f.text =
        q.q.clone()
            .filter(|s| !s.trim().is_empty())
            .map(|s| s.trim().to_string());
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

/// List matters in scope, with filters, an order (`sort`) and keyset pages (`after`).
#[utoipa::path(get, path = "/api/v1/matters", tag = "matters", params(MatterQuery),
    responses((status = 200, body = MatterPage), (status = 400, body = ErrorBody)))]
pub(crate) async fn list_matters(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(q): ApiQuery<MatterQuery>,
) -> ApiResult<Json<MatterPage>> {
    let scope = p.require(Permission::ViewMatters)?;
    let limit = page_limit(q.limit)?;
    let (sort, after) = order_of(&q)?;
    let f = filter_of(&state, &p, &scope, &q).await?;
    let rows =
        matters::read::list(&state.db, &scope.roots, &f, sort, after.as_ref(), limit).await?;
    let last = rows.last().filter(|_| rows.len() as i64 == limit);
    let next = last.map(|r| sort.cursor_of(r).encode());
    let next_before = last.filter(|_| sort == MatterSort::IdDesc).map(|r| r.id);
    let today = state.clock.today();
    Ok(Json(MatterPage {
        items: MatterOut::many(rows, &state.matters, today),
        next,
        next_before,
    }))
}

/// The detail of a matter in scope (parties masked).
pub(crate) async fn detail(state: &AppState, p: &Principal, id: i64) -> ApiResult<MatterDetail> {
    let scope = p.require(Permission::ViewMatters)?;
    let row = matters::read::get(&state.db, &scope.roots, id).await?;
    let allowed_actions = allowed_actions(
        &row.state()?,
        &state.matters.rules(),
        p.hands(&row.division_path),
    );
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
    })
}

/// One matter with its parties (masked), timeline, photos and related matters.
#[utoipa::path(get, path = "/api/v1/matters/{id}", tag = "matters",
    params(("id" = i64, Path, description = "matter id")),
    responses((status = 200, body = MatterDetail), (status = 404, body = ErrorBody)))]
pub(crate) async fn get_matter(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<MatterDetail>> {
    Ok(Json(detail(&state, &p, id).await?))
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
        | Action::Reopen { reason } => reason.trim(),
        Action::RecordMediation { summary, .. } => summary.trim(),
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
    let extra = raw.get("note").and_then(|v| v.as_str()).map(str::to_string);
    let payload = serde_json::Value::Object(raw.clone()).to_string();
    let action: Action = serde_json::from_value(serde_json::Value::Object(raw))
        .map_err(|e| ApiError::field("action", format!("操作内容不正确：{e}")))?;
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
            // The state machine says why an action is impossible; past that, only what
            // the user is offered (the rule the detail page draws its buttons from).
            let offered = allowed_actions(&current, &rules, p.hands(&row.division_path));
            let status = current.status;
            apply(&current, &action, today, &cal, &rules)
                .and_then(|t| match offered.contains(&code) {
                    true => Ok(t),
                    false => Err(TransitionError::not_offered(code, status)),
                })
                .map(|t| Applied {
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

/// Apply a workflow action: `{"action": "accept" | "reject" | "assign" | "acknowledge" |
/// "transfer" | "return" | "escalate" | "record_mediation" | "extend" | "pause" | "resume" |
/// "supervise" | "close" | "follow_up" | "reopen" | "archive" | "register", ...payload,
/// "version"?: n, "note"?: text}`. An action the workflow does not allow now answers 409
/// with the reason; a stale `version` answers 409 `stale_version`.
#[utoipa::path(post, path = "/api/v1/matters/{id}/actions", tag = "matters",
    params(("id" = i64, Path, description = "matter id")),
    request_body = ActionRequest,
    responses((status = 200, body = ActionResult), (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn act(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ActionBody>,
) -> ApiResult<Json<ActionResult>> {
    p.require(Permission::ViewMatters)?;
    Ok(Json(
        run_action(&state, &p, id, body.version, body.action).await?,
    ))
}

/// Show one party's ID number or phone in full; needs the permission and is audited.
#[utoipa::path(post, path = "/api/v1/matters/{id}/parties/{party_id}/reveal", tag = "matters",
    params(("id" = i64, Path), ("party_id" = i64, Path)), request_body = RevealBody,
    responses((status = 200, body = RevealOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn reveal(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath((id, party_id)): ApiPath<(i64, i64)>,
    ApiJson(body): ApiJson<RevealBody>,
) -> ApiResult<Json<RevealOut>> {
    let scope = p.require(Permission::RevealPersonalData)?;
    let kind = match body.field.as_str() {
        "id_number" => PiiKind::IdNumber,
        "phone" => PiiKind::Phone,
        _ => return Err(ApiError::field("field", "只能查看id_number或phone")),
    };
    let value = parties::reveal(
        &state.db,
        &state.vault,
        &p.actor(),
        &scope.roots,
        id,
        party_id,
        kind,
    )
    .await?;
    Ok(Json(RevealOut { value }))
}

/// A photo of a matter in scope.
#[utoipa::path(get, path = "/api/v1/matters/{id}/photos/{photo_id}", tag = "matters",
    params(("id" = i64, Path), ("photo_id" = i64, Path)),
    responses((status = 200, description = "the image"), (status = 404, body = ErrorBody)))]
pub(crate) async fn get_photo(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath((id, photo_id)): ApiPath<(i64, i64)>,
) -> ApiResult<Response> {
    let scope = p.require(Permission::ViewMatters)?;
    let photo = matters::read::photo(&state.db, &scope.roots, id, photo_id).await?;
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        photo
            .content_type
            .parse()
            .unwrap_or(header::HeaderValue::from_static("application/octet-stream")),
    );
    headers.insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("private, max-age=3600"),
    );
    Ok((headers, photo.bytes).into_response())
}

/// Other matters of the same person (same ID number or phone), shown at intake.
/// A POST, so personal data never appears in URLs or logs.
#[utoipa::path(post, path = "/api/v1/matters/lookup", tag = "matters", request_body = LookupBody,
    responses((status = 200, body = Vec<MatterOut>), (status = 400, body = ErrorBody)))]
pub(crate) async fn lookup(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiJson(body): ApiJson<LookupBody>,
) -> ApiResult<Json<Vec<MatterOut>>> {
    let scope = p.require(Permission::ViewMatters)?;
    let today = state.clock.today();
    let mut ids = Vec::new();
    let mut phones = Vec::new();
    if let Some(raw) = body.id_number.as_deref().filter(|s| !s.trim().is_empty()) {
        ids.push(
            fazhi_core::party::check_id_number(raw.trim(), today)
                .map_err(|e| ApiError::field("id_number", e.to_string()))?,
        );
    }
    if let Some(raw) = body.phone.as_deref().filter(|s| !s.trim().is_empty()) {
        phones.push(
            fazhi_core::party::check_phone(raw.trim())
                .map_err(|e| ApiError::field("phone", e.to_string()))?,
        );
    }
    let keys = parties::lookup_keys(&state.vault, &ids, &phones);
    let rows = matters::read::with_person(&state.db, &scope.roots, &keys, None, 50).await?;
    Ok(Json(MatterOut::many(rows, &state.matters, today)))
}

/// The task query of a user: triage where they manage matters, and what was assigned
/// to their unit or to the villages where they handle matters.
pub(crate) async fn task_query(state: &AppState, p: &Principal) -> ApiResult<TaskQuery> {
    let mut t = TaskQuery {
        triage_roots: p.scope(Permission::ManageMatters).roots,
        handle_roots: p.scope(Permission::HandleMatter).roots,
        ..TaskQuery::default()
    };
    let user = fazhi_db::auth::users::get(&state.db, p.user_id).await?;
    if let Some(u) = user.unit_id {
        t.handlers.push(("unit".into(), u));
    }
    for g in p
        .grants
        .iter()
        .filter(|g| g.role.has(Permission::HandleMatter))
    {
        t.handlers.push(("division".into(), g.division_id));
    }
    Ok(t)
}

/// What I must do next, nearest deadline first.
#[utoipa::path(get, path = "/api/v1/tasks", tag = "matters",
    responses((status = 200, body = Vec<MatterOut>)))]
pub(crate) async fn tasks(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
) -> ApiResult<Json<Vec<MatterOut>>> {
    let t = task_query(&state, &p).await?;
    let rows = matters::read::tasks(&state.db, &t, 200).await?;
    let today = state.clock.today();
    Ok(Json(MatterOut::many(rows, &state.matters, today)))
}

/// Overdue open matters per handling unit or village (supervision list).
#[utoipa::path(get, path = "/api/v1/matters/overdue-by-handler", tag = "matters",
    responses((status = 200, body = Vec<OverdueOut>)))]
pub(crate) async fn overdue(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
) -> ApiResult<Json<Vec<OverdueOut>>> {
    let scope = p.require(Permission::ViewMatters)?;
    let today = state.clock.today().to_string();
    let rows = matters::read::overdue_by_handler(&state.db, &scope.roots, &today).await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| OverdueOut {
                assignee_kind: r.assignee_kind,
                assignee_id: r.assignee_id,
                name: r.assignee_name,
                overdue: r.overdue,
                supervised: r.supervised,
            })
            .collect(),
    ))
}

/// Choices for intake: kinds, channels, the category list and party roles.
#[utoipa::path(get, path = "/api/v1/matter-options", tag = "matters",
    responses((status = 200, body = Options)))]
pub(crate) async fn options(State(state): State<AppState>) -> Json<Options> {
    Json(options_of(&state))
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

/// Public tracking: status and dates only, never personal data. No login needed.
#[utoipa::path(get, path = "/api/v1/public/track/{code}", tag = "public",
    params(("code" = String, Path, description = "查询码")),
    responses((status = 200, body = TrackOut), (status = 404, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub(crate) async fn track(
    State(state): State<AppState>,
    client: super::ClientAddr,
    ApiPath(code): ApiPath<String>,
) -> ApiResult<Json<TrackOut>> {
    Ok(Json(track_view(&state, &client.0, &code).await?))
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

/// The public form (no login, rate-limited): creates a pending matter that staff
/// register or refuse. Returns the tracking code.
#[utoipa::path(post, path = "/api/v1/public/matters", tag = "public", request_body = PublicSubmit,
    responses((status = 201, body = SubmitOut), (status = 400, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub(crate) async fn submit(
    State(state): State<AppState>,
    client: super::ClientAddr,
    ApiJson(body): ApiJson<PublicSubmit>,
) -> ApiResult<(StatusCode, Json<SubmitOut>)> {
    let out = public_submit(&state, &client.0, &body).await?;
    Ok((StatusCode::CREATED, Json(out)))
}
