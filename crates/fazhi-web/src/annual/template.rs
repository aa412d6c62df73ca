//! The district's template of the report: the order and titles of the five parts its
//! townships' drafts follow (issue 18 §1). A title must still read as its part, so the
//! report reader (and the district) finds every mandated part.

use fazhi_core::report::Draft;
use fazhi_core::report::template::{PartKey, Template};
use fazhi_core::role::Permission;

use super::app;
use crate::AppState;
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};

/// Who sets it: the district's supervisor, or an administrator of the whole
/// installation (a township's administrator does not set the district's template).
pub(crate) async fn may_edit(state: &AppState, p: &Principal) -> ApiResult<bool> {
    Ok(p.can(Permission::SuperviseReports) || crate::auth::is_global(state, p).await?)
}

/// Checks and stores the template.
pub(crate) async fn put(
    state: &AppState,
    p: &Principal,
    parts: Vec<(PartKey, String)>,
) -> ApiResult<Template> {
    if !may_edit(state, p).await? {
        return Err(ApiError::forbidden());
    }
    let t = Template::checked(parts).map_err(|m| ApiError::field("parts", m))?;
    for (key, title) in &t.parts {
        let read = fazhi_analyze::sections::role_of(title);
        if read != key.as_str() {
            return Err(ApiError::field(
                "parts",
                format!(
                    "标题“{title}”读不出是“{}”部分，请保留该部分的关键词（如“举措”“第一责任人”“不足”“安排”）",
                    key.default_title()
                ),
            ));
        }
    }
    let old = app::template(state).await?;
    let json = serde_json::to_string(&t).map_err(ApiError::internal)?;
    fazhi_db::admin::settings::put(&state.db, &p.actor(), app::TEMPLATE_KEY, &json).await?;
    rearrange_drafts(state, p, &old, &t).await?;
    Ok(t)
}

/// Puts every report not yet submitted in the new order and titles, as a new version
/// (so a form opened on the old order is refused as out of date, and the comments
/// move with their parts). What was submitted stays as it was sent.
async fn rearrange_drafts(
    state: &AppState,
    p: &Principal,
    old: &Template,
    new: &Template,
) -> ApiResult<()> {
    if old == new {
        return Ok(());
    }
    for r in fazhi_db::annual::reports::unsubmitted(&state.db).await? {
        let year = r.year as i32;
        let mut saved = r;
        // A save racing this one makes it stale: read the report again and retry.
        for _ in 0..3 {
            let Ok(d) = serde_json::from_str::<Draft>(&saved.body) else {
                break;
            };
            let Some((moved, moves)) = d.arranged(old, new) else {
                break;
            };
            if moved == d {
                break;
            }
            let body = serde_json::to_string(&moved).map_err(ApiError::internal)?;
            match fazhi_db::annual::reports::rearrange(
                &state.db,
                &p.actor(),
                saved.township_id,
                year,
                &body,
                saved.version,
                &moves,
            )
            .await
            {
                Err(fazhi_db::DbError::Stale) => {
                    match fazhi_db::annual::reports::get(&state.db, saved.township_id, year).await?
                    {
                        Some(again) => saved = again,
                        None => break,
                    }
                }
                other => {
                    other?;
                    break;
                }
            }
        }
    }
    Ok(())
}
