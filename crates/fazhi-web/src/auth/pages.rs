//! The login page and logout.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use fazhi_db::auth::sessions;
use serde::Deserialize;

use super::csrf::LOGIN_CSRF_COOKIE;
use super::{PageUser, Via, secrets};
use crate::AppState;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/login", get(login_form).post(login_submit))
        .route("/logout", post(logout))
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    csrf: String,
    next: String,
    error: Option<String>,
    username: String,
}

#[derive(Deserialize)]
struct NextQuery {
    next: Option<String>,
}

/// Only local paths may follow a login, never another site.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_string(),
        _ => "/".to_string(),
    }
}

fn render_login(
    state: &AppState,
    next: String,
    error: Option<String>,
    username: String,
) -> Response {
    let csrf = secrets::random_token();
    let page = LoginPage {
        csrf: csrf.clone(),
        next,
        error,
        username,
    };
    let secure = if state.settings.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let cookie =
        format!("{LOGIN_CSRF_COOKIE}={csrf}; Path=/login; HttpOnly; SameSite=Strict{secure}");
    match page.render() {
        Ok(html) => ([(header::SET_COOKIE, cookie)], Html(html)).into_response(),
        Err(e) => crate::error::ApiError::internal(e).into_response(),
    }
}

async fn login_form(State(state): State<AppState>, Query(q): Query<NextQuery>) -> Response {
    render_login(&state, safe_next(q.next.as_deref()), None, String::new())
}

#[derive(Deserialize)]
struct LoginForm {
    username: String,
    password: String,
    next: Option<String>,
}

async fn login_submit(State(state): State<AppState>, Form(f): Form<LoginForm>) -> Response {
    let next = safe_next(f.next.as_deref());
    match super::login(&state, &f.username, &f.password, "web").await {
        Ok(done) => (
            [(
                header::SET_COOKIE,
                super::session_cookie(&state, &done.token),
            )],
            Redirect::to(&next),
        )
            .into_response(),
        Err(e) => {
            let mut r = render_login(&state, next, Some(e.body.message), f.username);
            *r.status_mut() = e.status;
            r
        }
    }
}

async fn logout(State(state): State<AppState>, PageUser(p): PageUser) -> Response {
    if let Via::Session { id, .. } = p.via
        && let Err(e) = sessions::delete(&state.db, id).await
    {
        return crate::error::ApiError::from(e).into_response();
    }
    (
        [(header::SET_COOKIE, super::clear_session_cookie(&state))],
        Redirect::to("/login"),
    )
        .into_response()
}
