//! Admin pages. Each form calls the same handler as the API, so validation and
//! scoping are written once; errors come back as a message on the page.

use askama::Template;
use axum::extract::{Multipart, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use fazhi_core::role::{ALL_ROLES, Permission};
use fazhi_db::admin::divisions::DivisionRow;
use fazhi_db::admin::{divisions, grids, units};
use fazhi_db::audit;
use fazhi_db::auth::{tokens, users};
use serde::Deserialize;

use super::api;
use super::wire::*;
use crate::AppState;
use crate::auth::{ApiUser, PageUser, Principal};
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::page_error::{OrPage, PageError, forbidden};
use crate::pages::{Chrome, render, url_encode};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/divisions", get(divisions_page))
        .route("/admin/divisions/new", post(division_new))
        .route("/admin/grids/new", post(grid_new))
        .route("/admin/units", get(units_page))
        .route("/admin/units/new", post(unit_new))
        .route("/admin/users", get(users_page))
        .route("/admin/users/new", post(user_new))
        .route("/admin/users/{id}", get(user_page))
        .route("/admin/users/{id}/grants", post(grant_new))
        .route("/admin/users/{id}/grants/{gid}/revoke", post(grant_revoke))
        .route("/admin/users/{id}/password", post(user_password))
        .route("/admin/users/{id}/status", post(user_status))
        .route("/admin/tokens", get(tokens_page).post(token_new))
        .route("/admin/tokens/{id}/revoke", post(token_revoke))
        .route("/admin/audit", get(audit_page))
        .route("/admin/audit/verify", post(super::audit_check::start))
        .route(
            "/admin/import",
            get(import_page)
                .post(import_submit)
                .layer(axum::extract::DefaultBodyLimit::max(
                    super::import::MAX_IMPORT_BYTES,
                )),
        )
        .route("/admin/import/template.xlsx", get(import_template))
}

/// Flash messages travel in the query string after a redirect.
#[derive(Deserialize, Default)]
struct Flash {
    ok: Option<String>,
    err: Option<String>,
}

fn back(to: &str, r: Result<String, ApiError>) -> Response {
    let q = match r {
        Ok(m) => format!("ok={}", url_encode(&m)),
        Err(e) => {
            let detail: Vec<String> = e.body.fields.values().cloned().collect();
            let m = if detail.is_empty() || detail.len() == 1 && detail[0] == e.body.message {
                e.body.message
            } else {
                format!("{}：{}", e.body.message, detail.join("；"))
            };
            format!("err={}", url_encode(&m))
        }
    };
    let sep = if to.contains('?') { '&' } else { '?' };
    Redirect::to(&format!("{to}{sep}{q}")).into_response()
}

fn none_if_empty(s: Option<String>) -> Option<String> {
    s.map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

// ---- divisions and grids -------------------------------------------------------

struct DivisionView {
    row: DivisionRow,
    indent: usize,
    level_label: &'static str,
    grids: Vec<String>,
}

#[derive(Template)]
#[template(path = "admin/divisions.html")]
struct DivisionsPage {
    chrome: Chrome,
    flash_ok: Option<String>,
    flash_err: Option<String>,
    rows: Vec<DivisionView>,
    can_manage: bool,
    parents: Vec<DivisionRow>,
    villages: Vec<DivisionRow>,
    /// Townships from the national list (统计用区划代码) not yet on the platform, to
    /// pick instead of typing codes: those of the county, or those found by name.
    picks: Vec<fazhi_analyze::gazetteer::Place>,
    find: String,
    /// A pick taken: the form is filled with it.
    fill_code: String,
    fill_name: String,
}

#[derive(Deserialize, Default)]
struct DivisionsQuery {
    ok: Option<String>,
    err: Option<String>,
    /// A township's name to find in the national list.
    #[serde(default)]
    find: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
}

async fn divisions_page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Query(f): Query<DivisionsQuery>,
) -> Response {
    let scope = p.scope(Permission::ViewOrg);
    if scope.is_empty() {
        return forbidden(&p);
    }
    let page = "/admin/divisions";
    let tree = match divisions::tree(&state.db, &scope.roots)
        .await
        .page(&p, page)
    {
        Ok(t) => t,
        Err(e) => return e.into_response(),
    };
    let all_grids = match grids::list(&state.db, &scope.roots, None, 0, 1_000_000)
        .await
        .page(&p, page)
    {
        Ok(g) => g,
        Err(e) => return e.into_response(),
    };
    let base = tree
        .iter()
        .map(|d| d.path.matches('/').count())
        .min()
        .unwrap_or(2);
    let rows = tree
        .iter()
        .map(|d| DivisionView {
            indent: d.path.matches('/').count().saturating_sub(base),
            level_label: d.level.label_zh(),
            grids: all_grids
                .iter()
                .filter(|g| g.division_id == d.id)
                .map(|g| g.name.clone())
                .collect(),
            row: d.clone(),
        })
        .collect();
    let can_manage = !p.scope(Permission::ManageOrg).is_empty();
    let find = f.find.trim().chars().take(30).collect::<String>();
    let on_platform = |code: &str| tree.iter().any(|d| d.code == format!("{code}000"));
    let picks: Vec<fazhi_analyze::gazetteer::Place> = if !can_manage {
        vec![]
    } else if !find.is_empty() {
        fazhi_analyze::gazetteer::townships_named(&find)
    } else {
        // The townships of the counties on the platform.
        let mut v = Vec::new();
        for d in tree
            .iter()
            .filter(|d| d.level == fazhi_core::division::Level::County)
        {
            v.extend(fazhi_analyze::gazetteer::townships_of_county(&d.code));
        }
        v
    }
    .into_iter()
    .filter(|p| !on_platform(&p.code))
    .take(200)
    .collect();
    render(&DivisionsPage {
        chrome: Chrome::new(&p, "/admin/divisions"),
        picks,
        find,
        fill_code: f
            .code
            .chars()
            .filter(char::is_ascii_digit)
            .take(12)
            .collect(),
        fill_name: f.name.trim().chars().take(100).collect(),
        flash_ok: f.ok,
        flash_err: f.err,
        parents: tree
            .iter()
            .filter(|d| d.level != fazhi_core::division::Level::Village)
            .cloned()
            .collect(),
        villages: tree
            .iter()
            .filter(|d| d.level == fazhi_core::division::Level::Village)
            .cloned()
            .collect(),
        rows,
        can_manage,
    })
}

#[derive(Deserialize)]
struct DivisionForm {
    code: String,
    name: String,
    level: String,
    parent_code: String,
}

async fn division_new(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Form(f): Form<DivisionForm>,
) -> Response {
    let body = DivisionCreate {
        code: f.code,
        name: f.name,
        level: f.level,
        parent_code: Some(f.parent_code),
        valid_from: None,
        valid_to: None,
    };
    let r = api::create_division(State(state), ApiUser(p), ApiJson(body))
        .await
        .map(|(_, d)| format!("已添加区划：{}", d.0.name));
    back("/admin/divisions", r)
}

#[derive(Deserialize)]
struct GridForm {
    division_code: String,
    name: String,
    households: Option<String>,
}

async fn grid_new(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Form(f): Form<GridForm>,
) -> Response {
    let households = match none_if_empty(f.households).map(|h| h.parse::<i64>()) {
        Some(Err(_)) => {
            return back(
                "/admin/divisions",
                Err(ApiError::field("households", "户数须为整数")),
            );
        }
        Some(Ok(h)) => Some(h),
        None => None,
    };
    let body = GridCreate {
        division_code: f.division_code,
        name: f.name,
        households,
    };
    let r = api::create_grid(State(state), ApiUser(p), ApiJson(body))
        .await
        .map(|(_, g)| format!("已添加网格：{}", g.0.name));
    back("/admin/divisions", r)
}

// ---- units ------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "admin/units.html")]
struct UnitsPage {
    chrome: Chrome,
    flash_ok: Option<String>,
    flash_err: Option<String>,
    units: Vec<units::UnitRow>,
    divisions: Vec<DivisionRow>,
}

async fn units_page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Query(f): Query<Flash>,
) -> Response {
    let scope = p.scope(Permission::ManageOrg);
    if scope.is_empty() {
        return forbidden(&p);
    }
    let page = "/admin/units";
    let loaded = async {
        let list = units::list(&state.db, &scope.roots, None, 0, 10_000).await?;
        let divs = divisions::tree(&state.db, &scope.roots).await?;
        Ok::<_, fazhi_db::DbError>((list, divs))
    };
    let (list, divs) = match loaded.await.page(&p, page) {
        Ok(v) => v,
        Err(e) => return e.into_response(),
    };
    render(&UnitsPage {
        chrome: Chrome::new(&p, "/admin/units"),
        flash_ok: f.ok,
        flash_err: f.err,
        units: list,
        divisions: divs
            .into_iter()
            .filter(|d| d.level != fazhi_core::division::Level::Village)
            .collect(),
    })
}

#[derive(Deserialize)]
struct UnitForm {
    division_code: String,
    name: String,
    kind: String,
}

async fn unit_new(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Form(f): Form<UnitForm>,
) -> Response {
    let body = UnitCreate {
        division_code: f.division_code,
        name: f.name,
        kind: f.kind,
    };
    let r = api::create_unit(State(state), ApiUser(p), ApiJson(body))
        .await
        .map(|(_, u)| format!("已添加单位：{}", u.0.name));
    back("/admin/units", r)
}

// ---- users and grants -------------------------------------------------------------

#[derive(Template)]
#[template(path = "admin/users.html")]
struct UsersPage {
    chrome: Chrome,
    flash_ok: Option<String>,
    flash_err: Option<String>,
    /// Each user with their roles and scopes, written out.
    users: Vec<(UserOut, String)>,
    /// Units in the admin's scope: a new account may be a member of one (its team).
    units: Vec<units::UnitRow>,
}

async fn users_page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Query(f): Query<Flash>,
) -> Response {
    if !p.can(Permission::ManageUsers) {
        return forbidden(&p);
    }
    let q = ListQuery {
        parent_code: None,
        level: None,
        division_code: None,
        after: None,
        limit: Some(500),
    };
    let scope = p.scope(Permission::ManageUsers);
    let unit_list = match units::list(&state.db, &scope.roots, None, 0, 10_000).await {
        Ok(u) => u,
        Err(e) => return PageError::of(ApiError::from(e), &p, "/admin/users").into_response(),
    };
    let users = match api::list_users(State(state.clone()), ApiUser(p.clone()), ApiQuery(q)).await {
        Ok(list) => list.0,
        Err(e) => return PageError::of(e, &p, "/admin/users").into_response(),
    };
    let ids: Vec<i64> = users.iter().map(|u| u.id).collect();
    let grants = match fazhi_db::auth::grants::for_users(&state.db, &ids).await {
        Ok(g) => g,
        Err(e) => return PageError::of(ApiError::from(e), &p, "/admin/users").into_response(),
    };
    // Each user with their roles and where they hold them.
    let users = users
        .into_iter()
        .map(|u| {
            let roles = grants
                .iter()
                .filter(|g| g.user_id == u.id)
                .map(|g| format!("{}（{}）", g.role.label_zh(), g.division_name))
                .collect::<Vec<_>>()
                .join("、");
            (u, roles)
        })
        .collect();
    render(&UsersPage {
        chrome: Chrome::new(&p, "/admin/users"),
        flash_ok: f.ok,
        flash_err: f.err,
        users,
        units: unit_list,
    })
}

#[derive(Deserialize)]
struct UserForm {
    username: String,
    display_name: String,
    password: String,
    phone: Option<String>,
    /// The unit the account belongs to (empty: none).
    unit_id: Option<String>,
}

async fn user_new(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Form(f): Form<UserForm>,
) -> Response {
    let body = UserCreate {
        username: f.username,
        display_name: f.display_name,
        password: f.password,
        phone: none_if_empty(f.phone),
        grid_id: None,
        unit_id: match none_if_empty(f.unit_id).map(|u| u.parse::<i64>()) {
            None => None,
            Some(Ok(u)) => Some(u),
            Some(Err(_)) => {
                return back(
                    "/admin/users",
                    Err(ApiError::field("unit_id", "单位不存在")),
                );
            }
        },
    };
    match api::create_user(State(state), ApiUser(p), ApiJson(body)).await {
        Ok((_, u)) => back(
            &format!("/admin/users/{}", u.0.id),
            Ok("已创建用户，请为其授予角色".into()),
        ),
        Err(e) => back("/admin/users", Err(e)),
    }
}

struct RoleOption {
    code: &'static str,
    label: &'static str,
}

#[derive(Template)]
#[template(path = "admin/user.html")]
struct UserPage {
    chrome: Chrome,
    flash_ok: Option<String>,
    flash_err: Option<String>,
    user: UserOut,
    grants: Vec<crate::auth::api::GrantOut>,
    roles: Vec<RoleOption>,
    divisions: Vec<DivisionRow>,
}

async fn user_page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    crate::extract::ApiPath(id): crate::extract::ApiPath<String>,
    Query(f): Query<Flash>,
) -> Response {
    let scope = p.scope(Permission::ManageUsers);
    if scope.is_empty() {
        return forbidden(&p);
    }
    // A mistyped address is a missing user (a page, not the API's JSON error).
    let Ok(id) = id.parse::<i64>() else {
        return PageError::of(ApiError::not_found(), &p, "/admin/users").into_response();
    };
    let loaded = async {
        if !users::in_scope(&state.db, id, p.manager(&scope)).await? {
            return Err(ApiError::not_found());
        }
        let user = users::get(&state.db, id).await?;
        let grants = crate::auth::api::grants_out(&state, id).await?;
        let divs = divisions::tree(&state.db, &scope.roots).await?;
        Ok((user, grants, divs))
    };
    let (user, grants, divs) = match loaded.await.page(&p, "/admin/users") {
        Ok(v) => v,
        Err(e) => return e.into_response(),
    };
    render(&UserPage {
        chrome: Chrome::new(&p, "/admin/users"),
        flash_ok: f.ok,
        flash_err: f.err,
        user: UserOut::from_row(user, state.clock.now_ms()),
        grants,
        roles: ALL_ROLES
            .iter()
            .map(|r| RoleOption {
                code: r.as_str(),
                label: r.label_zh(),
            })
            .collect(),
        divisions: divs,
    })
}

#[derive(Deserialize)]
struct GrantForm {
    role: String,
    division_code: String,
}

async fn grant_new(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(id): ApiPath<i64>,
    Form(f): Form<GrantForm>,
) -> Response {
    let r = api::add_grant(
        State(state),
        ApiUser(p),
        ApiPath(id),
        ApiJson(GrantCreate {
            role: f.role,
            division_code: f.division_code,
        }),
    )
    .await
    .map(|_| "已授予角色".to_string());
    back(&format!("/admin/users/{id}"), r)
}

async fn grant_revoke(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath((id, gid)): ApiPath<(i64, i64)>,
) -> Response {
    let r = api::revoke_grant(State(state), ApiUser(p), ApiPath((id, gid)))
        .await
        .map(|_| "已撤销授权".to_string());
    back(&format!("/admin/users/{id}"), r)
}

#[derive(Deserialize)]
struct PasswordForm {
    password: String,
}

async fn user_password(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(id): ApiPath<i64>,
    Form(f): Form<PasswordForm>,
) -> Response {
    let r = api::set_password(
        State(state),
        ApiUser(p),
        ApiPath(id),
        ApiJson(PasswordSet {
            password: f.password,
        }),
    )
    .await
    .map(|_| "已重设密码，该用户需重新登录".to_string());
    back(&format!("/admin/users/{id}"), r)
}

#[derive(Deserialize)]
struct StatusForm {
    disabled: String,
}

async fn user_status(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(id): ApiPath<i64>,
    Form(f): Form<StatusForm>,
) -> Response {
    let disabled = f.disabled == "1";
    let body = UserPatch {
        display_name: None,
        phone: None,
        disabled: Some(disabled),
    };
    let r = api::patch_user(State(state), ApiUser(p), ApiPath(id), ApiJson(body))
        .await
        .map(|_| {
            if disabled {
                "已停用".to_string()
            } else {
                "已启用".to_string()
            }
        });
    back(&format!("/admin/users/{id}"), r)
}

// ---- API tokens -------------------------------------------------------------------

#[derive(Template)]
#[template(path = "admin/tokens.html")]
struct TokensPage {
    chrome: Chrome,
    flash_ok: Option<String>,
    flash_err: Option<String>,
    new_token: Option<String>,
    tokens: Vec<tokens::TokenRow>,
    users: Vec<UserOut>,
}

async fn tokens_page_with(
    state: &AppState,
    p: &Principal,
    f: Flash,
    new_token: Option<String>,
) -> Response {
    if !p.can(Permission::ManageTokens) {
        return forbidden(p);
    }
    let scope = p.scope(Permission::ManageUsers);
    let now = state.clock.now_ms();
    let loaded = async {
        let list = tokens::list(&state.db).await?;
        let us = users::list_in_scope(&state.db, p.manager(&scope), 0, 1000).await?;
        Ok::<_, fazhi_db::DbError>((list, us))
    };
    let (list, us) = match loaded.await.page(p, "/admin/tokens") {
        Ok(v) => v,
        Err(e) => return e.into_response(),
    };
    let us = us.into_iter().map(|u| UserOut::from_row(u, now)).collect();
    render(&TokensPage {
        chrome: Chrome::new(p, "/admin/tokens"),
        flash_ok: f.ok,
        flash_err: f.err,
        new_token,
        tokens: list,
        users: us,
    })
}

async fn tokens_page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Query(f): Query<Flash>,
) -> Response {
    tokens_page_with(&state, &p, f, None).await
}

#[derive(Deserialize)]
struct TokenForm {
    name: String,
    user_id: i64,
}

async fn token_new(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Form(f): Form<TokenForm>,
) -> Response {
    let body = crate::auth::api::TokenCreate {
        name: f.name,
        user_id: f.user_id,
    };
    match crate::auth::api::create_token(State(state.clone()), ApiUser(p.clone()), ApiJson(body))
        .await
    {
        // Shown once, on this response only; it is stored hashed.
        Ok((_, t)) => tokens_page_with(&state, &p, Flash::default(), Some(t.0.token)).await,
        Err(e) => back("/admin/tokens", Err(e)),
    }
}

async fn token_revoke(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(id): ApiPath<i64>,
) -> Response {
    let r = crate::auth::api::revoke_token(State(state), ApiUser(p), ApiPath(id))
        .await
        .map(|_| "已撤销令牌".to_string());
    back("/admin/tokens", r)
}

// ---- audit ------------------------------------------------------------------------

struct AuditView {
    row: audit::AuditRow,
    at: String,
    /// The action in Chinese.
    label: String,
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditPage {
    chrome: Chrome,
    rows: Vec<AuditView>,
    verdict: String,
    intact: bool,
    older: Option<i64>,
    /// The filters as a query string, kept by the link to older rows.
    keep: String,
    categories: &'static [(&'static str, &'static str)],
    filter_error: Option<String>,
    q: AuditQuery,
}

#[derive(Deserialize, Default)]
struct AuditQuery {
    before: Option<i64>,
    /// A user name, exactly.
    actor: Option<String>,
    /// A category's prefix (`audit_labels::CATEGORIES`).
    category: Option<String>,
    /// Days (YYYY-MM-DD), inclusive.
    from: Option<String>,
    to: Option<String>,
}

impl AuditQuery {
    /// The filter, or the message for a field that does not read.
    fn filter(&self) -> Result<audit::AuditFilter, String> {
        let day = |v: &Option<String>, label: &str, next: bool| -> Result<Option<i64>, String> {
            let Some(v) = v.as_deref().map(str::trim).filter(|v| !v.is_empty()) else {
                return Ok(None);
            };
            let d = time::Date::parse(v, time::macros::format_description!("[year]-[month]-[day]"))
                .map_err(|_| format!("{label}应为日期，如 2026-03-01"))?;
            let d = if next { d.next_day().unwrap_or(d) } else { d };
            // Midnight in Beijing.
            Ok(Some(
                (d.midnight().assume_utc().unix_timestamp() - 8 * 3600) * 1000,
            ))
        };
        let category = self.category.as_deref().filter(|c| !c.is_empty());
        if category.is_some_and(|c| !super::audit_labels::CATEGORIES.iter().any(|(p, _)| *p == c)) {
            return Err("没有这一类操作".into());
        }
        Ok(audit::AuditFilter {
            actor: self
                .actor
                .as_deref()
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(String::from),
            action_prefix: category.map(String::from),
            from_ms: day(&self.from, "起始日期", false)?,
            to_ms: day(&self.to, "截止日期", true)?,
        })
    }

    /// The query string of the filters (for the link to older rows).
    fn keep(&self) -> String {
        let mut out = String::new();
        for (k, v) in [
            ("actor", &self.actor),
            ("category", &self.category),
            ("from", &self.from),
            ("to", &self.to),
        ] {
            if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
                out.push_str(&format!("&{k}={}", crate::pages::url_encode(v)));
            }
        }
        out
    }
}

/// Formats Unix milliseconds as Beijing time (UTC+8), the time the users live in.
pub(crate) fn beijing_time(ms: i64) -> String {
    let t = time::OffsetDateTime::from_unix_timestamp(ms / 1000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
        + time::Duration::hours(8);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        t.year(),
        t.month() as u8,
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

async fn audit_page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Query(q): Query<AuditQuery>,
) -> Response {
    if !p.can(Permission::ViewAudit) {
        return forbidden(&p);
    }
    let (rows, filter_error) = match q.filter() {
        Ok(f) => match audit::search(&state.db, &f, q.before, 100)
            .await
            .page(&p, "/admin/audit")
        {
            Ok(r) => (r, None),
            Err(e) => return e.into_response(),
        },
        Err(m) => (vec![], Some(m)),
    };
    // The chain is walked on request only (a job with progress): at millions of rows
    // a walk per view would make the page wait.
    let (verdict, intact) = match state.audit_check.get() {
        Some(c) => (
            format!("{}（{} 由{}校验）", c.verdict, beijing_time(c.at_ms), c.by),
            c.intact,
        ),
        None => (
            "本次服务启动以来尚未校验哈希链。点击“校验哈希链”逐条核对全部记录。".into(),
            true,
        ),
    };
    let older = if rows.len() == 100 {
        rows.last().map(|r| r.seq)
    } else {
        None
    };
    render(&AuditPage {
        chrome: Chrome::new(&p, "/admin/audit"),
        rows: rows
            .into_iter()
            .map(|r| AuditView {
                at: beijing_time(r.at),
                label: super::audit_labels::label(&r.action),
                row: r,
            })
            .collect(),
        verdict,
        intact,
        older,
        keep: q.keep(),
        categories: super::audit_labels::CATEGORIES,
        filter_error,
        q,
    })
}

// ---- import -----------------------------------------------------------------------

#[derive(Template)]
#[template(path = "admin/import.html")]
struct ImportPage {
    chrome: Chrome,
    done: Option<String>,
    errors: Vec<String>,
}

async fn import_page(PageUser(p): PageUser) -> Response {
    if !p.can(Permission::ManageOrg) {
        return forbidden(&p);
    }
    render(&ImportPage {
        chrome: Chrome::new(&p, "/admin/divisions"),
        done: None,
        errors: vec![],
    })
}

async fn import_template(PageUser(p): PageUser) -> Response {
    if !p.can(Permission::ManageOrg) {
        return forbidden(&p);
    }
    match fazhi_office::org::template() {
        Ok(bytes) => (
            [
                (
                    axum::http::header::CONTENT_TYPE,
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                ),
                (
                    axum::http::header::CONTENT_DISPOSITION,
                    "attachment; filename=\"division-template.xlsx\"",
                ),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => PageError::of(ApiError::internal(e), &p, "/admin/divisions").into_response(),
    }
}

async fn import_submit(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    mut mp: Multipart,
) -> Response {
    if !p.can(Permission::ManageOrg) {
        return forbidden(&p);
    }
    let mut bytes = None;
    while let Ok(Some(field)) = mp.next_field().await {
        if field.name() == Some("file") {
            bytes = field.bytes().await.ok().map(|b| b.to_vec());
        }
    }
    let (done, errors) = match bytes.filter(|b| !b.is_empty()) {
        None => (None, vec!["请选择要导入的XLSX文件".to_string()]),
        Some(b) => match super::import::run(&state, &p, b).await {
            Ok(c) => (
                Some(format!(
                    "导入完成：新增区划{}个、网格{}个，已存在而跳过{}行。",
                    c.divisions, c.grids, c.skipped
                )),
                vec![],
            ),
            Err(errs) => (None, errs),
        },
    };
    render(&ImportPage {
        chrome: Chrome::new(&p, "/admin/divisions"),
        done,
        errors,
    })
}
