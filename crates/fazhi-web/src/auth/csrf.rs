//! CSRF protection for form posts, in one place: every POST outside `/api` must carry
//! `_csrf` (form field, or query string for file uploads) equal to the session's token.
//! The login form, which has no session yet, uses a double-submit cookie instead.

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::principal;
use crate::AppState;

/// Cookie holding the login form's CSRF token.
pub const LOGIN_CSRF_COOKIE: &str = "fazhi_login_csrf";

fn form_field(body: &[u8], name: &str) -> Option<String> {
    url::form_urlencoded::parse(body)
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

fn cookie(req: &Request, name: &str) -> Option<String> {
    req.headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

fn rejected() -> Response {
    (
        StatusCode::FORBIDDEN,
        axum::response::Html(crate::pages::message_page(
            "表单已过期",
            "表单校验失败（可能已过期或来自其他网站）。请返回上一页，刷新后重新提交。",
        )),
    )
        .into_response()
}

/// Middleware: refuses page form posts without a valid CSRF token.
pub async fn guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    // The public form carries no authority (anyone may submit, rate-limited), so it
    // needs no token even when a logged-in user happens to use it.
    let path = req.uri().path();
    if req.method() != Method::POST || path.starts_with("/api/") || path == "/submit" {
        return next.run(req).await;
    }
    let query_token = req
        .uri()
        .query()
        .and_then(|q| form_field(q.as_bytes(), "_csrf"));
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let (expected, req) = if req.uri().path() == "/login" {
        (cookie(&req, LOGIN_CSRF_COOKIE), req)
    } else {
        let (parts, body) = req.into_parts();
        let p = match principal::resolve(&state, &parts).await {
            Ok(p) => p,
            Err(e) => return e.into_response(),
        };
        let req = Request::from_parts(parts, body);
        match p {
            Some(p) => (Some(p.csrf().to_string()), req),
            // Not logged in: let the handler send the visitor to the login page.
            None => return next.run(req).await,
        }
    };
    let Some(expected) = expected.filter(|e| !e.is_empty()) else {
        return rejected();
    };
    if is_form {
        let (parts, body) = req.into_parts();
        let Ok(bytes) = to_bytes(body, crate::MAX_BODY_BYTES).await else {
            return (StatusCode::PAYLOAD_TOO_LARGE, "请求内容过大").into_response();
        };
        if form_field(&bytes, "_csrf").as_deref() != Some(expected.as_str()) {
            return rejected();
        }
        next.run(Request::from_parts(parts, Body::from(bytes)))
            .await
    } else if query_token.as_deref() == Some(expected.as_str()) {
        next.run(req).await
    } else {
        rejected()
    }
}
