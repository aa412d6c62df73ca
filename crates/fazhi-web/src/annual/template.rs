//! The district's template of the report: the order and titles of the five parts its
//! townships' drafts follow (issue 18 §1). A title must still read as its part, so the
//! report reader (and the district) finds every mandated part.

use fazhi_core::report::template::{PartKey, Template};
use fazhi_core::role::Permission;

use super::app;
use crate::AppState;
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};

/// Who sets it: the district's supervisor, or an administrator.
pub(crate) fn may_edit(p: &Principal) -> bool {
    p.can(Permission::SuperviseReports) || p.can(Permission::ManageSettings)
}

/// Checks and stores the template.
pub(crate) async fn put(
    state: &AppState,
    p: &Principal,
    parts: Vec<(PartKey, String)>,
) -> ApiResult<Template> {
    if !may_edit(p) {
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
    let json = serde_json::to_string(&t).map_err(ApiError::internal)?;
    fazhi_db::admin::settings::put(&state.db, &p.actor(), app::TEMPLATE_KEY, &json).await?;
    Ok(t)
}
