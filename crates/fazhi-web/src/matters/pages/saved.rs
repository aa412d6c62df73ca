//! Saved ledger queries per user: the ledger's filters under a name, one click away.

use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::post;
use fazhi_core::validate::required_text;

use super::{error_page, error_text, see_other};
use crate::AppState;
use crate::auth::PageUser;
use crate::error::{ApiError, ApiResult};
use crate::extract::ApiPath;
use crate::pages::url_encode;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/matters/saved", post(save))
        .route("/matters/saved/{id}/delete", post(delete))
}

#[derive(serde::Deserialize)]
struct SaveForm {
    name: String,
    #[serde(default)]
    query: String,
}

/// A ledger query string as the page writes it: `key=value&…`, URL-encoded.
fn check_query(q: &str) -> ApiResult<String> {
    let q = q.trim().trim_start_matches('?');
    let fine = q.len() <= 2000
        && q.chars()
            .all(|c| c.is_ascii_alphanumeric() || "=&%_-.+~*".contains(c));
    if !fine {
        return Err(ApiError::field("query", "查询条件有误"));
    }
    Ok(q.to_string())
}

async fn save(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    axum::Form(f): axum::Form<SaveForm>,
) -> Response {
    let done = async {
        let name =
            required_text("查询名称", &f.name, 30).map_err(|m| ApiError::field("name", m))?;
        let query = check_query(&f.query)?;
        fazhi_db::matters::saved::save(&state.db, p.user_id, &name, &query).await?;
        Ok::<_, ApiError>((name, query))
    }
    .await;
    match done {
        Ok((name, query)) => see_other(&format!(
            "/matters?{query}{}saved={}",
            if query.is_empty() { "" } else { "&" },
            url_encode(&name)
        )),
        Err(e) if e.status.is_client_error() => see_other(&format!(
            "/matters?saved_err={}",
            url_encode(&error_text(&e))
        )),
        Err(e) => error_page(e, &p),
    }
}

async fn delete(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(id): ApiPath<i64>,
) -> Response {
    match fazhi_db::matters::saved::delete(&state.db, p.user_id, id).await {
        Ok(()) => see_other("/matters"),
        Err(e) => error_page(ApiError::from(e), &p),
    }
}
