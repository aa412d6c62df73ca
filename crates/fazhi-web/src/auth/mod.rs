//! Authentication: passwords (argon2id, off the async threads), sessions, API tokens,
//! lock-out, and the `Principal` through which every handler's scoping goes.

pub mod api;
pub mod csrf;
pub mod pages;
mod principal;
pub mod secrets;

pub(crate) use principal::resolve;
pub use principal::{ApiUser, PageUser, Principal, Via};
pub(crate) use principal::{is_global, require_global};

use fazhi_db::auth::{sessions, users};

use crate::AppState;
use crate::error::ApiError;

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "fazhi_session";

/// Why a login failed. Deliberately one message for every cause, so a response never
/// tells whether a username exists or an account is locked.
pub const LOGIN_FAILED_ZH: &str = "用户名或密码错误；连续失败5次的账户将被锁定15分钟";

/// A successful login: the new session's cookie token and CSRF token.
pub struct LoggedIn {
    pub user_id: i64,
    pub token: String,
    pub csrf: String,
}

/// How much of an unknown username the audit log keeps: enough to see what was tried,
/// not so much that failed logins can fill the append-only log.
const LOGGED_NAME_CHARS: usize = 64;

/// Checks a username and password, with throttling per client address and per account
/// (lock-out), and opens a session.
pub async fn login(
    state: &AppState,
    username: &str,
    password: &str,
    how: &str,
    client: &str,
) -> Result<LoggedIn, ApiError> {
    let now = state.clock.now_ms();
    if state.login_limiter.exceeded(client, now) {
        return Err(ApiError::new(
            axum::http::StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            "登录失败次数过多，请10分钟后再试",
        ));
    }
    let username = username.trim();
    // No account has a longer name; such a name is not looked up.
    let creds = if username.chars().count() <= LOGGED_NAME_CHARS {
        users::credentials(&state.db, username).await?
    } else {
        None
    };
    let Some(c) = creds else {
        // Same work as for a real user, so timing does not reveal the difference.
        let _ =
            secrets::verify_password(password.to_string(), secrets::dummy_hash().to_string()).await;
        state.login_limiter.allow(client, now);
        let shown: String = username.chars().take(LOGGED_NAME_CHARS).collect();
        let shown = if shown.len() < username.len() {
            format!("{shown}…")
        } else {
            shown
        };
        users::record_unknown_login(&state.db, &shown).await?;
        return Err(login_failed());
    };
    let ok = secrets::verify_password(password.to_string(), c.password_hash.clone()).await;
    let locked = c.locked_until.is_some_and(|t| t > now);
    if !ok {
        state.login_limiter.allow(client, now);
        if !locked {
            let s = &state.settings;
            users::record_failed_login(
                &state.db,
                c.id,
                &c.username,
                now,
                s.lockout_failures,
                now + s.lockout_minutes * 60_000,
            )
            .await?;
        }
        return Err(login_failed());
    }
    if locked || c.disabled {
        fazhi_db::audit::record(
            &state.db,
            &fazhi_db::audit::Actor {
                id: Some(c.id),
                name: c.username.clone(),
                shown: None,
            },
            "login.refused",
            &format!("user:{}", c.username),
            if locked { "locked" } else { "disabled" },
        )
        .await?;
        return Err(login_failed());
    }
    users::record_login(&state.db, c.id, &c.username, how).await?;
    let token = secrets::random_token();
    let csrf = secrets::random_token();
    let expires = now + state.settings.session_absolute_hours * 3_600_000;
    sessions::create(
        &state.db,
        &secrets::hash_token(&token),
        c.id,
        &csrf,
        now,
        expires,
    )
    .await?;
    Ok(LoggedIn {
        user_id: c.id,
        token,
        csrf,
    })
}

fn login_failed() -> ApiError {
    ApiError::new(
        axum::http::StatusCode::UNAUTHORIZED,
        "login_failed",
        LOGIN_FAILED_ZH,
    )
}

/// The `Set-Cookie` value that carries a session token.
pub fn session_cookie(state: &AppState, token: &str) -> String {
    let secure = if state.settings.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax{secure}")
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn clear_session_cookie(state: &AppState) -> String {
    let secure = if state.settings.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}")
}
