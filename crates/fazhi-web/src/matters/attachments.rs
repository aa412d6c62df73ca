//! Files kept with a matter (一事一档): added at any step by whoever works on it,
//! listed on its page and timeline, downloaded by those in scope after a check against
//! their digests; a download of a file holding personal data is audited first.

use axum::Json;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use fazhi_core::matter::{AttachmentKind, Status};
use fazhi_core::role::Permission;
use fazhi_db::matters::attachments::{self, AttachmentRow, NewAttachment};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::auth::{ApiUser, Principal};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::ApiPath;
use crate::files;

/// Largest attachment (a scanned letter, a recording of a follow-up call).
pub const MAX_ATTACHMENT_BYTES: u64 = 50 * 1024 * 1024;

/// One attachment as listed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AttachmentOut {
    pub id: i64,
    #[schema(value_type = String)]
    pub kind: AttachmentKind,
    pub kind_label: &'static str,
    pub name: String,
    pub description: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    /// Holds a citizen's personal data: every download is audited.
    pub personal: bool,
    /// The step (the matter's status) it was added at.
    pub step_label: &'static str,
    pub uploader: String,
    pub uploaded_at: i64,
    pub download: String,
}

impl AttachmentOut {
    pub(crate) fn of(r: AttachmentRow) -> AttachmentOut {
        AttachmentOut {
            download: format!("/api/v1/matters/{}/attachments/{}", r.matter_id, r.id),
            kind_label: r.kind.label_zh(),
            step_label: r.step.label_zh(),
            id: r.id,
            kind: r.kind,
            name: r.name,
            description: r.description,
            content_type: r.content_type,
            size: r.size,
            sha256: r.sha256,
            personal: r.personal,
            uploader: r.uploader,
            uploaded_at: r.uploaded_at,
        }
    }
}

/// The matter in the caller's scope, and whether they may add files to it: whoever
/// works on it (the centre, its handler, a co-handler) or registers matters there.
async fn matter(
    state: &AppState,
    p: &Principal,
    id: i64,
) -> ApiResult<(fazhi_db::matters::MatterRow, bool)> {
    let scope = p.require(Permission::ViewMatters)?;
    let row = fazhi_db::matters::read::get(&state.db, &scope.roots, id).await?;
    let hands = super::app::hands_on(p, &row)?;
    let registers = [Permission::RegisterMatter, Permission::ReportMatter]
        .iter()
        .any(|perm| p.scope(*perm).covers(&row.division_path));
    Ok((
        row,
        hands.manage || hands.handle || hands.support || registers,
    ))
}

/// Whether the caller may add files to matter `id` (for the page's form).
pub(crate) async fn may_add(state: &AppState, p: &Principal, id: i64) -> bool {
    matches!(matter(state, p, id).await, Ok((row, true)) if row.status != Status::Archived)
}

/// Stores one file with a matter.
pub(crate) async fn upload(
    state: &AppState,
    p: &Principal,
    id: i64,
    form: Multipart,
) -> ApiResult<AttachmentOut> {
    let (row, may) = matter(state, p, id).await?;
    if !may {
        return Err(ApiError::forbidden());
    }
    if row.status == Status::Archived {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "refused",
            "事项已归档，不能再添加附件",
        ));
    }
    let dir = files::dir(state)?;
    let r = files::receive(&dir, form, MAX_ATTACHMENT_BYTES, "附件不能超过50 MB").await?;
    let kind = match r.field("kind").filter(|k| !k.is_empty()) {
        Some(k) => k
            .parse::<AttachmentKind>()
            .map_err(|_| ApiError::field("kind", "请选择附件类型"))?,
        None => AttachmentKind::Other,
    };
    // Personal unless the uploader says it is not (`personal=0`), for the kinds that
    // usually are; photos only when said.
    let personal = match r.field("personal") {
        Some("1") | Some("on") | Some("true") => true,
        Some("0") | Some("false") => false,
        _ => kind.personal_by_default(),
    };
    let description = r.field("description").unwrap_or_default().to_string();
    fazhi_core::validate::no_control_chars("说明", &description)
        .map_err(|m| ApiError::field("description", m))?;
    let n = NewAttachment {
        matter_id: id,
        kind,
        description,
        personal,
        step: row.status,
        name: r.name,
        content_type: r.content_type.into(),
        size: r.size as i64,
        sha256: r.sha256,
        sm3: r.sm3,
    };
    let aid = attachments::add(&state.db, &p.actor(), &n).await?;
    Ok(AttachmentOut::of(
        attachments::get(&state.db, id, aid).await?,
    ))
}

/// The files of a matter in scope.
pub(crate) async fn list(
    state: &AppState,
    p: &Principal,
    id: i64,
) -> ApiResult<Vec<AttachmentOut>> {
    matter(state, p, id).await?;
    Ok(attachments::of_matter(&state.db, id)
        .await?
        .into_iter()
        .map(AttachmentOut::of)
        .collect())
}

/// Serves a file after checking it against its digests.
pub(crate) async fn download(
    state: &AppState,
    p: &Principal,
    id: i64,
    aid: i64,
) -> ApiResult<Response> {
    matter(state, p, id).await?;
    let r = attachments::get(&state.db, id, aid).await?;
    let path = files::verified(&files::dir(state)?, &r.sha256, &r.sm3)
        .await
        .map_err(|note| {
            tracing::error!(attachment = r.id, %note, "attachment does not match its digests");
            ApiError::new(
                StatusCode::CONFLICT,
                "file_altered",
                "附件与上传时的校验值不一致（文件被改动或缺失），已停止提供，请联系系统管理员",
            )
        })?;
    if r.personal {
        attachments::log_download(&state.db, &p.actor(), &r).await?;
    }
    files::serve(&path, &r.content_type, r.size, &r.name).await
}

pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_attachments))
        .routes(routes!(download_attachment))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(upload_attachment))
                .layer(axum::extract::DefaultBodyLimit::max(
                    MAX_ATTACHMENT_BYTES as usize + (1 << 20),
                )),
        )
}

/// Add a file to a matter (multipart: `file`, optional `kind`, `description`,
/// `personal`=0/1): JPEG, PNG, WebP, PDF, MP4/MOV, MP3, M4A, WAV or AMR by content,
/// up to 50 MB, stored with its SHA-256 and SM3.
#[utoipa::path(post, path = "/api/v1/matters/{id}/attachments", tag = "matters",
    params(("id" = i64, Path)),
    responses((status = 201, body = AttachmentOut), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 413, body = ErrorBody)))]
pub(crate) async fn upload_attachment(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
    form: Multipart,
) -> ApiResult<(StatusCode, Json<AttachmentOut>)> {
    Ok((
        StatusCode::CREATED,
        Json(upload(&state, &p, id, form).await?),
    ))
}

/// The files of a matter, oldest first.
#[utoipa::path(get, path = "/api/v1/matters/{id}/attachments", tag = "matters",
    params(("id" = i64, Path)),
    responses((status = 200, body = Vec<AttachmentOut>), (status = 404, body = ErrorBody)))]
pub(crate) async fn list_attachments(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Vec<AttachmentOut>>> {
    Ok(Json(list(&state, &p, id).await?))
}

/// Download a file (checked against its digests first; audited when it holds personal
/// data).
#[utoipa::path(get, path = "/api/v1/matters/{id}/attachments/{aid}", tag = "matters",
    params(("id" = i64, Path), ("aid" = i64, Path)),
    responses((status = 200, description = "the file"), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn download_attachment(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath((id, aid)): ApiPath<(i64, i64)>,
) -> ApiResult<Response> {
    download(&state, &p, id, aid).await
}
