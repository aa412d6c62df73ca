//! Who is calling, with which grants. Scoping of every read and write starts here.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{Method, header};
use axum::response::{IntoResponse, Redirect, Response};
use fazhi_core::role::{Grant, Permission, Scope};
use fazhi_db::auth::{grants, sessions, tokens};

use super::{SESSION_COOKIE, secrets};
use crate::AppState;
use crate::error::ApiError;

/// How the caller authenticated.
#[derive(Debug, Clone)]
pub enum Via {
    /// Browser or API session cookie; state-changing calls must carry its CSRF token.
    Session { id: i64, csrf: String },
    /// `Authorization: Bearer` API token.
    Token { id: i64 },
}

/// An authenticated user and their grants.
#[derive(Debug, Clone)]
pub struct Principal {
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub grants: Vec<Grant>,
    /// The unit (部门/站所) the user is a member of: its matters are theirs to handle.
    pub unit_id: Option<i64>,
    pub via: Via,
}

impl Principal {
    /// The subtrees in which the user holds `perm`.
    pub fn scope(&self, perm: Permission) -> Scope {
        Scope::for_permission(&self.grants, perm)
    }

    /// Whether the user holds `perm` anywhere.
    pub fn can(&self, perm: Permission) -> bool {
        self.grants.iter().any(|g| g.role.has(perm))
    }

    /// This user as a manager of users over `scope` (their `ManageUsers` scope).
    pub fn manager<'a>(&self, scope: &'a Scope) -> fazhi_db::auth::users::Manager<'a> {
        fazhi_db::auth::users::Manager {
            roots: &scope.roots,
            user_id: Some(self.user_id),
        }
    }

    /// Who this user is toward matters (grants and unit), for `fazhi_core::matter::Hands`.
    pub fn member(&self) -> fazhi_core::matter::Member<'_> {
        fazhi_core::matter::Member {
            grants: &self.grants,
            unit_id: self.unit_id,
        }
    }

    /// The scope of `perm`, or 403 when it is held nowhere.
    pub fn require(&self, perm: Permission) -> Result<Scope, ApiError> {
        let s = self.scope(perm);
        if s.is_empty() {
            Err(ApiError::forbidden())
        } else {
            Ok(s)
        }
    }

    /// The audit actor for this user.
    pub fn actor(&self) -> fazhi_db::audit::Actor {
        fazhi_db::audit::Actor {
            id: Some(self.user_id),
            name: self.username.clone(),
            shown: Some(self.display_name.clone()),
        }
    }

    /// The CSRF token of a session (empty for token callers, who have no forms).
    pub fn csrf(&self) -> &str {
        match &self.via {
            Via::Session { csrf, .. } => csrf,
            Via::Token { .. } => "",
        }
    }
}

/// Installation-wide settings (calendar, rules, theme days, grading bands, the webhook,
/// the report template) need ManageSettings over every top-level division: a township's
/// administrator holds ManageSettings too, and an installation may hold several
/// districts, none of which sets the others' rules.
pub(crate) async fn require_global(state: &AppState, p: &Principal) -> Result<(), ApiError> {
    if is_global(state, p).await? {
        Ok(())
    } else {
        Err(ApiError::forbidden())
    }
}

/// Whether `p` may change installation-wide settings (see [`require_global`]).
pub(crate) async fn is_global(state: &AppState, p: &Principal) -> Result<bool, ApiError> {
    let scope = p.scope(Permission::ManageSettings);
    if scope.is_empty() {
        return Ok(false);
    }
    Ok(fazhi_db::admin::divisions::covers_all(&state.db, &scope.roots).await?)
}

/// Reads the session cookie from request headers.
pub fn session_token(parts: &Parts) -> Option<String> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == SESSION_COOKIE)
        .map(|(_, v)| v.to_string())
}

/// Resolves the caller from a bearer token or the session cookie; None when anonymous
/// or when the session has expired (idle or absolute timeout).
pub async fn resolve(state: &AppState, parts: &Parts) -> Result<Option<Principal>, ApiError> {
    let now = state.clock.now_ms();
    if let Some(auth) = parts.headers.get(header::AUTHORIZATION) {
        let Some(token) = auth.to_str().ok().and_then(|v| v.strip_prefix("Bearer ")) else {
            return Ok(None);
        };
        let Some(owner) =
            tokens::authenticate(&state.db, &secrets::hash_token(token.trim())).await?
        else {
            return Ok(None);
        };
        let user = fazhi_db::auth::users::get(&state.db, owner.user_id).await?;
        if user.disabled {
            return Ok(None);
        }
        return Ok(Some(Principal {
            user_id: user.id,
            username: user.username,
            display_name: user.display_name,
            grants: load_grants(state, user.id).await?,
            unit_id: user.unit_id,
            via: Via::Token { id: owner.id },
        }));
    }
    let Some(token) = session_token(parts) else {
        return Ok(None);
    };
    let found = sessions::find_with_grants(&state.db, &secrets::hash_token(&token)).await?;
    let Some((s, grants)) = found else {
        return Ok(None);
    };
    let idle_ms = state.settings.session_idle_minutes * 60_000;
    if s.expires_at <= now || s.last_seen_at + idle_ms <= now || s.disabled {
        sessions::delete(&state.db, s.id).await?;
        return Ok(None);
    }
    // Refresh the idle clock at most once a minute, not on every request.
    if now - s.last_seen_at > 60_000 {
        sessions::touch(&state.db, s.id, now).await?;
    }
    Ok(Some(Principal {
        user_id: s.user_id,
        username: s.username,
        display_name: s.display_name,
        grants: grants.iter().map(|g| g.to_grant()).collect(),
        unit_id: s.unit_id,
        via: Via::Session {
            id: s.id,
            csrf: s.csrf_token,
        },
    }))
}

async fn load_grants(state: &AppState, user_id: i64) -> Result<Vec<Grant>, ApiError> {
    Ok(grants::for_user(&state.db, user_id)
        .await?
        .iter()
        .map(|g| g.to_grant())
        .collect())
}

/// An API caller; 401 when anonymous, 403 when a cookie session sends a
/// state-changing request without its CSRF token in `X-CSRF-Token`.
pub struct ApiUser(pub Principal);

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let p = resolve(state, parts)
            .await?
            .ok_or_else(ApiError::unauthorized)?;
        if let Via::Session { csrf, .. } = &p.via {
            let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
            let sent = parts
                .headers
                .get("x-csrf-token")
                .and_then(|v| v.to_str().ok());
            if !safe && sent != Some(csrf.as_str()) {
                return Err(ApiError::new(
                    axum::http::StatusCode::FORBIDDEN,
                    "csrf",
                    "缺少或错误的 X-CSRF-Token，请重新登录后再试",
                ));
            }
        }
        Ok(ApiUser(p))
    }
}

/// A page visitor; anonymous visitors are sent to the login page.
/// (Form posts are checked for their CSRF token by `csrf::guard`.)
pub struct PageUser(pub Principal);

impl FromRequestParts<AppState> for PageUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        match resolve(state, parts).await {
            Ok(Some(p)) => Ok(PageUser(p)),
            Ok(None) => {
                let next = parts
                    .uri
                    .path_and_query()
                    .map(|p| p.as_str())
                    .unwrap_or("/");
                let to = format!("/login?next={}", crate::pages::url_encode(next));
                Err(Redirect::to(&to).into_response())
            }
            Err(e) => Err(e.into_response()),
        }
    }
}
