//! Internal review of a report (issue 18 §4): comments on paragraphs, answered by the
//! drafting side, and the saved versions compared side by side.

use fazhi_core::report::{Draft, paragraph_text};
use fazhi_core::role::Permission;
use fazhi_core::validate::required_text;

use super::app;
use crate::AppState;
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};

/// A comment as shown.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct CommentView {
    pub id: i64,
    /// 1-based part and paragraph.
    pub section: i64,
    pub paragraph: i64,
    /// The paragraph's opening words, so the comment reads on its own.
    pub excerpt: String,
    pub body: String,
    pub author: String,
    pub written_at: String,
    pub resolved_by: Option<String>,
    pub answer: Option<String>,
}

/// A comment as entered: part and paragraph are 1-based.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
pub struct CommentIn {
    pub section: i64,
    pub paragraph: i64,
    pub body: String,
}

/// Who reviews: the township's staff and heads, and the district's readers.
pub(crate) fn may_review(p: &Principal, path: &str) -> bool {
    [
        Permission::ManageMatters,
        Permission::DecideCase,
        Permission::ReadReports,
    ]
    .iter()
    .any(|perm| p.scope(*perm).covers(path))
}

/// The comments on the report, each with the paragraph it is about.
pub(crate) async fn comments(
    state: &AppState,
    p: &Principal,
    code: &str,
    year: i32,
    d: &Draft,
) -> ApiResult<Vec<CommentView>> {
    let t = app::township(state, p, code).await?;
    let rows = fazhi_db::annual::review::comments(&state.db, t.id, year).await?;
    Ok(rows
        .into_iter()
        .map(|c| {
            let excerpt = usize::try_from(c.section)
                .ok()
                .and_then(|s| d.sections.get(s))
                .and_then(|s| s.paragraphs.get(usize::try_from(c.paragraph).ok()?))
                .map(|p| paragraph_text(p).chars().take(40).collect())
                .unwrap_or_else(|| "（该段已删除）".into());
            CommentView {
                id: c.id,
                section: c.section + 1,
                paragraph: c.paragraph + 1,
                excerpt,
                body: c.body,
                author: c.author,
                written_at: crate::admin::pages::beijing_time(c.written_at),
                resolved_by: c.resolved_by,
                answer: c.answer,
            }
        })
        .collect())
}

/// Writes a review comment on one paragraph of the draft as it stands.
pub(crate) async fn add_comment(
    state: &AppState,
    p: &Principal,
    code: &str,
    year: i32,
    c: &CommentIn,
) -> ApiResult<i64> {
    let t = app::township(state, p, code).await?;
    if !may_review(p, &t.path) {
        return Err(ApiError::forbidden());
    }
    let body = required_text("审阅意见", &c.body, 1000).map_err(|m| ApiError::field("body", m))?;
    let v = app::view(state, p, code, year).await?;
    let section = usize::try_from(c.section - 1)
        .ok()
        .and_then(|s| v.draft.sections.get(s))
        .ok_or_else(|| ApiError::field("section", "没有这一部分"))?;
    if c.paragraph < 1 || usize::try_from(c.paragraph).is_ok_and(|n| n > section.paragraphs.len()) {
        return Err(ApiError::field(
            "paragraph",
            format!("这一部分共{}段", section.paragraphs.len()),
        ));
    }
    Ok(fazhi_db::annual::review::add(
        &state.db,
        &p.actor(),
        t.id,
        year,
        (c.section - 1, c.paragraph - 1),
        &body,
    )
    .await?)
}

/// Closes a comment with the drafting side's answer (township staff).
pub(crate) async fn resolve_comment(
    state: &AppState,
    p: &Principal,
    code: &str,
    year: i32,
    id: i64,
    answer: &str,
) -> ApiResult<()> {
    let t = app::township(state, p, code).await?;
    if !p.scope(Permission::ManageMatters).covers(&t.path) {
        return Err(ApiError::forbidden());
    }
    let answer =
        required_text("处理说明", answer, 1000).map_err(|m| ApiError::field("answer", m))?;
    match fazhi_db::annual::review::resolve(&state.db, &p.actor(), t.id, year, id, &answer).await {
        Err(fazhi_db::DbError::Stale) => Err(ApiError::new(
            axum::http::StatusCode::CONFLICT,
            "refused",
            "该意见已处理或不存在",
        )),
        other => Ok(other?),
    }
}

/// One saved version in the list.
#[derive(Debug, Clone, serde::Serialize)]
pub struct VersionView {
    pub version: i64,
    pub saver: String,
    pub saved_at: String,
}

/// The saved versions, newest first.
pub(crate) async fn versions(
    state: &AppState,
    p: &Principal,
    code: &str,
    year: i32,
) -> ApiResult<Vec<VersionView>> {
    let t = app::township(state, p, code).await?;
    Ok(fazhi_db::annual::reports::versions(&state.db, t.id, year)
        .await?
        .into_iter()
        .map(|v| VersionView {
            version: v.version,
            saver: v.saver,
            saved_at: crate::admin::pages::beijing_time(v.saved_at),
        })
        .collect())
}

/// One paragraph of both versions: (left, right, changed).
pub type ParagraphPair = (String, String, bool);

/// Two versions' paragraphs, part by part, side by side.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SideBySide {
    pub a: i64,
    pub b: i64,
    /// (part title, its paragraphs side by side).
    pub parts: Vec<(String, Vec<ParagraphPair>)>,
}

/// Versions `a` and `b` side by side, paragraph by paragraph, with the figures as
/// each version had them when saved.
pub(crate) async fn compare(
    state: &AppState,
    p: &Principal,
    code: &str,
    year: i32,
    a: i64,
    b: i64,
) -> ApiResult<SideBySide> {
    let t = app::township(state, p, code).await?;
    let load = |v: i64| async move {
        let row = fazhi_db::annual::reports::version(&state.db, t.id, year, v)
            .await?
            .ok_or_else(ApiError::not_found)?;
        serde_json::from_str::<Draft>(&row.body).map_err(ApiError::internal)
    };
    let (da, db) = (load(a).await?, load(b).await?);
    let parts = (0..da.sections.len().max(db.sections.len()))
        .map(|i| {
            let (sa, sb) = (da.sections.get(i), db.sections.get(i));
            let title = sb.or(sa).map(|s| s.title.clone()).unwrap_or_default();
            let texts = |s: Option<&fazhi_core::report::Section>| -> Vec<String> {
                s.map(|s| s.paragraphs.iter().map(|p| paragraph_text(p)).collect())
                    .unwrap_or_default()
            };
            let (pa, pb) = (texts(sa), texts(sb));
            let rows = (0..pa.len().max(pb.len()))
                .map(|j| {
                    let l = pa.get(j).cloned().unwrap_or_default();
                    let r = pb.get(j).cloned().unwrap_or_default();
                    let changed = l != r;
                    (l, r, changed)
                })
                .collect();
            (title, rows)
        })
        .collect();
    Ok(SideBySide { a, b, parts })
}
