//! Page shell: layout data, navigation by role, the home page, shared helpers.

use askama::Template;
use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use fazhi_core::role::Permission;

use crate::AppState;
use crate::auth::{PageUser, Principal};
use crate::error::ApiError;
use crate::page_error::OrPage;

pub(crate) fn routes() -> Router<AppState> {
    Router::new().route("/", get(home))
}

/// What the layout needs on every page.
#[derive(Debug, Clone)]
pub struct Chrome {
    pub user: String,
    pub roles: String,
    pub csrf: String,
    pub nav: Vec<(&'static str, &'static str)>,
    pub active: &'static str,
}

impl Chrome {
    /// Navigation shows only what the user's roles allow.
    pub fn new(p: &Principal, active: &'static str) -> Chrome {
        let mut nav = vec![("/", "首页"), ("/notifications", "通知")];
        if p.can(Permission::ManageMatters) || p.can(Permission::HandleMatter) {
            nav.push(("/tasks", "我的待办"));
        }
        if p.can(Permission::ViewMatters) {
            nav.push(("/matters", "事项台账"));
            nav.push(("/dashboard", "统计分析"));
        }
        if p.can(Permission::RegisterMatter) {
            nav.push(("/matters/new", "登记"));
        }
        if p.can(Permission::ReportMatter) {
            nav.push(("/matters/report", "网格上报"));
        }
        if p.can(Permission::ManageMatters) || p.can(Permission::ReadReports) {
            nav.push(("/matters/overdue", "超期督办"));
        }
        if p.can(Permission::ReportMatter) || p.can(Permission::ManageMatters) {
            nav.push(("/sweeps", "月度排查"));
        }
        if p.can(Permission::ViewEducation) {
            nav.push(("/education", "普法学法"));
        }
        if p.can(Permission::ViewCases) {
            nav.push(("/enforcement", "行政执法"));
        }
        if p.can(Permission::ViewLegalReviews) {
            nav.push(("/decisions", "合法性审查"));
        }
        if p.can(Permission::ViewMatters)
            && (p.can(Permission::ManageMatters) || p.can(Permission::ReadReports))
        {
            nav.push(("/annual", "年度报告"));
        }
        if p.can(Permission::ManageOrg) || p.can(Permission::ViewOrg) {
            nav.push(("/admin/divisions", "区划与网格"));
        }
        if p.can(Permission::ManageOrg) {
            nav.push(("/admin/units", "部门单位"));
        }
        if p.can(Permission::ManageUsers) {
            nav.push(("/admin/users", "用户与授权"));
        }
        if p.can(Permission::ManageTokens) {
            nav.push(("/admin/tokens", "接口令牌"));
        }
        if p.can(Permission::ViewAudit) {
            nav.push(("/admin/audit", "审计日志"));
        }
        if p.can(Permission::ManageSettings) {
            nav.push(("/settings/calendar", "节假日设置"));
            nav.push(("/settings/enforcement", "执法设置"));
            nav.push(("/settings/webhook", "消息推送"));
        }
        if p.can(Permission::ReadReports) {
            nav.push(("/reports", "报告分析"));
        }
        if p.can(Permission::ActAsLegalAdviser) {
            nav.push(("/decisions/advisers/me", "我的履职"));
        }
        let mut roles: Vec<&str> = p.grants.iter().map(|g| g.role.label_zh()).collect();
        roles.dedup();
        Chrome {
            user: p.display_name.clone(),
            roles: roles.join("、"),
            csrf: p.csrf().to_string(),
            nav,
            active,
        }
    }
}

/// Renders a template, or a generic error page (the cause is logged).
pub fn render<T: Template>(t: &T) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => ApiError::internal(e).into_response(),
    }
}

#[derive(Template)]
#[template(path = "message.html")]
struct MessagePage<'a> {
    title: &'a str,
    text: &'a str,
}

/// A minimal standalone page with a title and one paragraph.
pub fn message_page(title: &str, text: &str) -> String {
    MessagePage { title, text }
        .render()
        .unwrap_or_else(|_| text.to_string())
}

/// Percent-encodes a value for a query string.
pub fn url_encode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// One key figure on the home page.
pub struct Figure {
    pub label: &'static str,
    pub value: String,
    pub href: &'static str,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    chrome: Chrome,
    scope_names: Vec<String>,
    figures: Vec<Figure>,
    matters: crate::matters::pages::HomePanel,
    /// Cases waiting for an officer, reviewer or head.
    enforcement: Option<Vec<crate::enforcement::wire::CaseOut>>,
}

async fn home(State(state): State<AppState>, PageUser(p): PageUser) -> Response {
    let scope = p.scope(Permission::ViewOrg);
    let loaded = async {
        let divisions = fazhi_db::admin::divisions::tree(&state.db, &scope.roots).await?;
        let grids = fazhi_db::admin::grids::list(&state.db, &scope.roots, None, 0, 100_000)
            .await?
            .len();
        let matters = crate::matters::pages::home_panel(&state, &p).await?;
        let enforcement = crate::enforcement::home_queue(&state, &p).await?;
        Ok::<_, ApiError>((divisions, grids, matters, enforcement))
    };
    let (divisions, grids, mut matters, enforcement) = match loaded.await.page(&p, "/") {
        Ok(v) => v,
        Err(e) => return e.into_response(),
    };
    let villages = divisions
        .iter()
        .filter(|d| d.level == fazhi_core::division::Level::Village)
        .count();
    let townships = divisions
        .iter()
        .filter(|d| d.level == fazhi_core::division::Level::Township)
        .count();
    let scope_names = p
        .grants
        .iter()
        .filter_map(|g| divisions.iter().find(|d| d.id == g.division_id))
        .map(|d| d.name.clone())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();

    let mut figures = std::mem::take(&mut matters.figures);
    figures.extend([
        Figure {
            label: "镇（街道）",
            value: townships.to_string(),
            href: "/admin/divisions",
        },
        Figure {
            label: "村（社区）",
            value: villages.to_string(),
            href: "/admin/divisions",
        },
        Figure {
            label: "网格",
            value: grids.to_string(),
            href: "/admin/divisions",
        },
    ]);
    render(&HomePage {
        chrome: Chrome::new(&p, "/"),
        scope_names,
        figures,
        matters,
        enforcement,
    })
}

/// Headers every response carries: no framing, no sniffing, only our own assets.
pub async fn security_headers(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'"),
    );
    res
}
