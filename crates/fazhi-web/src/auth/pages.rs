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

/// Only a path of this site may follow a login, never another site. The value is parsed
/// as a browser would resolve it against this site (tabs and newlines dropped, `\\` read
/// as `/`), and only its path and query are kept, re-encoded.
fn safe_next(next: Option<&str>) -> String {
    const BASE: &str = "http://fazhi.invalid/";
    let Some(n) = next else {
        return "/".to_string();
    };
    let base = url::Url::parse(BASE).expect("base URL");
    match base.join(n) {
        Ok(u) if u.origin() == base.origin() && n.starts_with('/') => match u.query() {
            Some(q) => format!("{}?{q}", u.path()),
            None => u.path().to_string(),
        },
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

async fn login_submit(
    State(state): State<AppState>,
    client: crate::limit::ClientAddr,
    Form(f): Form<LoginForm>,
) -> Response {
    let next = safe_next(f.next.as_deref());
    match super::login(&state, &f.username, &f.password, "web", &client.0).await {
        Ok(done) => (
            [(
                header::SET_COOKIE,
                super::session_cookie(&state, &done.token),
            )],
            Redirect::to(&next),
        )
            .into_response(),
        Err(e) => {
            let shown = f.username.chars().take(64).collect();
            let mut r = render_login(&state, next, Some(e.body.message), shown);
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

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_paths_of_this_site_follow_a_login() {
        for (given, kept) in [
            ("/matters?sort=due_asc", "/matters?sort=due_asc"),
            ("/\t/evil.example/", "/"),
            ("/%09/evil.example/", "/%09/evil.example/"),
            ("//evil.example/", "/"),
            ("/\\evil.example/", "/"),
            ("https://evil.example/", "/"),
            ("evil.example", "/"),
            ("/\n/evil.example", "/"),
            ("/a\nb", "/ab"),
            ("/法治", "/%E6%B3%95%E6%B2%BB"),
        ] {
            let out = safe_next(Some(given));
            assert_eq!(out, kept, "{given:?}");
            assert!(axum::http::HeaderValue::from_str(&out).is_ok(), "{given:?}");
        }
        assert_eq!(safe_next(None), "/");
    }
}
