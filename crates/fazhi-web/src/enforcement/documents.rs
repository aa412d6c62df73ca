//! `GET /api/v1/enforcement/cases/{id}/documents/{kind}.docx`: the case's documents
//! as DOCX in the 公文 layout (`fazhi_office::enforcement`), scoped like the case
//! (out of scope 404), only those the case's state supports (409 otherwise), each
//! download audited.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use fazhi_core::division::Level;
use fazhi_core::role::Permission;
use fazhi_db::admin::divisions;
use fazhi_db::enforcement::{cases, officers};
use fazhi_office::enforcement::{CaseFile, DocKind, Person};
use serde::Deserialize;
use utoipa::IntoParams;

use super::app;
use crate::AppState;
use crate::auth::{ApiUser, Principal};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiPath, ApiQuery};
use crate::matters::documents::{default_issuer, docx_response};

/// Settings key naming the 行政复议机关 in decisions (default: the people's
/// government of the county or district above the township, 行政复议法 Art 24).
pub const REVIEW_BODY_KEY: &str = "enforcement.review_body";

/// Options of a case document.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct DocQuery {
    /// The agency named and sealed; defaults to the township's people's government.
    pub issuer: Option<String>,
    /// The 行政复议机关; defaults to the setting `enforcement.review_body`, else the
    /// county's people's government.
    pub review_body: Option<String>,
}

/// A name given in the query: trimmed, at most 60 characters, no control characters.
fn name_param(field: &str, label: &str, v: Option<&str>) -> ApiResult<Option<String>> {
    match v.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) if s.chars().count() > 60 || s.chars().any(char::is_control) => Err(
            ApiError::field(field, format!("{label}不能超过60字，且不能含控制字符")),
        ),
        Some(s) => Ok(Some(s.to_string())),
    }
}

/// The 行政复议机关 by default: the setting, else the government of the division
/// above the case's township.
async fn default_review_body(state: &AppState, division_id: i64) -> ApiResult<String> {
    if let Some(v) = fazhi_db::admin::settings::get(&state.db, REVIEW_BODY_KEY)
        .await?
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
    {
        return Ok(v);
    }
    let mut d = divisions::by_id(&state.db, division_id).await?;
    while d.level == Level::Village {
        let Some(parent) = d.parent_id else { break };
        d = divisions::by_id(&state.db, parent).await?;
    }
    Ok(match d.parent_id {
        Some(county) => format!(
            "{}人民政府",
            divisions::by_id(&state.db, county).await?.name
        ),
        // A township without a county above it in the data: name the level instead.
        None => "上一级人民政府".to_string(),
    })
}

/// A document of the case as DOCX: `{kind}` is `filing` (立案审批表), `notice`
/// (行政处罚事先告知书), `hearing-notice` (听证通知书), `review-opinion` (法制审核意见书),
/// `decision` (行政处罚决定书), `service-receipt` (送达回证), `closing` (结案审批表),
/// `on-the-spot` (当场处罚决定书) or `cover` (案卷封面及目录), followed by `.docx`.
/// 409 `invalid_state` with the reason when the case's state does not support it yet.
#[utoipa::path(get, path = "/api/v1/enforcement/cases/{id}/documents/{file}", tag = "enforcement",
    params(("id" = i64, Path, description = "case id"),
        ("file" = String, Path, description = "`{kind}.docx`, e.g. `decision.docx`"), DocQuery),
    responses((status = 200, description = "DOCX document", content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn download(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath((id, file)): ApiPath<(i64, String)>,
    ApiQuery(q): ApiQuery<DocQuery>,
) -> ApiResult<Response> {
    document(&state, &p, id, &file, &q).await
}

async fn document(
    state: &AppState,
    p: &Principal,
    id: i64,
    file: &str,
    q: &DocQuery,
) -> ApiResult<Response> {
    let scope = p.require(Permission::ViewCases)?;
    let row = cases::get(&state.db, &scope.roots, id).await?;
    let kind = file
        .strip_suffix(".docx")
        .and_then(DocKind::from_slug)
        .ok_or_else(ApiError::not_found)?;
    let s = row.state()?;
    kind.check(&s)
        .map_err(|m| ApiError::new(StatusCode::CONFLICT, "invalid_state", m))?;
    let issuer = match name_param("issuer", "执法机关名称", q.issuer.as_deref())? {
        Some(i) => i,
        None => default_issuer(state, row.division_id).await?,
    };
    let review_body = match name_param("review_body", "行政复议机关名称", q.review_body.as_deref())?
    {
        Some(r) => r,
        None => default_review_body(state, row.division_id).await?,
    };
    // Names: officers with their certificates, then whoever acted on the timeline
    // (reviewers, the head) by the name recorded there.
    let mut ids: Vec<i64> = s.officers.clone();
    ids.extend(s.evidence.iter().flat_map(|e| e.officers.iter().copied()));
    ids.sort_unstable();
    ids.dedup();
    let mut people: BTreeMap<i64, Person> = officers::of_users(&state.db, &ids)
        .await?
        .into_iter()
        .map(|o| {
            (
                o.user_id,
                Person {
                    name: o.name,
                    number: Some(o.number),
                },
            )
        })
        .collect();
    let events = cases::events(&state.db, id).await?;
    for e in &events {
        if let Some(a) = e.actor_id {
            people.entry(a).or_insert_with(|| Person {
                name: e.actor.clone(),
                number: None,
            });
        }
    }
    let f = CaseFile {
        number: row.number.clone(),
        seal: issuer.clone(),
        agency: issuer,
        review_body,
        place: row.division_name.clone(),
        state: s,
        people,
        rules: app::rules(state).await?,
        today: state.clock.today(),
    };
    // Building the document is CPU work: keep it off the async threads.
    let bytes = tokio::task::spawn_blocking(move || kind.write(&f))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)?;
    fazhi_db::audit::record(
        &state.db,
        &p.actor(),
        "enforcement.document",
        &format!("enforcement_case:{id}"),
        &format!("{}（{}）", kind.title(), row.number),
    )
    .await?;
    docx_response(
        bytes,
        &format!("{}-case-{id}.docx", kind.slug()),
        &format!("{}-{}.docx", kind.title(), row.number),
    )
}
