//! Evidence files (全过程记录): streamed to disk at upload while their SHA-256 and SM3
//! digests are taken (nothing is held whole in memory; video up to 2 GB), named by
//! their SHA-256, checked against both digests before every download — a file changed
//! on disk is reported and logged, never served — and superseded, never deleted.

use std::path::PathBuf;

use axum::extract::Multipart;
use axum::http::StatusCode;
use axum::response::Response;
use fazhi_core::role::Permission;
use fazhi_db::enforcement::cases;
use fazhi_db::enforcement::evidence::{self, EvidenceRow, NewEvidence};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};
use crate::files;

/// Largest evidence file (a long body-camera video).
pub const MAX_EVIDENCE_BYTES: u64 = 2 * 1024 * 1024 * 1024;

/// One evidence file as listed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EvidenceOut {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub sm3: String,
    pub uploader: String,
    pub uploaded_at: i64,
    /// Set when the file was superseded (by a file id, or itself when withdrawn).
    pub superseded_by: Option<i64>,
    pub superseded_reason: Option<String>,
    pub download: String,
}

impl EvidenceOut {
    fn of(r: EvidenceRow) -> EvidenceOut {
        EvidenceOut {
            download: format!("/api/v1/enforcement/cases/{}/evidence/{}", r.case_id, r.id),
            id: r.id,
            name: r.name,
            description: r.description,
            content_type: r.content_type,
            size: r.size,
            sha256: r.sha256,
            sm3: r.sm3,
            uploader: r.uploader,
            uploaded_at: r.uploaded_at,
            superseded_by: r.superseded_by,
            superseded_reason: r.superseded_reason,
        }
    }
}

/// Body of a supersession.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct SupersedeIn {
    pub reason: String,
    /// The file that replaces it, if one was uploaded.
    #[serde(default)]
    pub by: Option<i64>,
}

/// Uploads one file to a case (officers in scope, before the case is archived).
pub(crate) async fn upload(
    state: &AppState,
    p: &Principal,
    case_id: i64,
    form: Multipart,
) -> ApiResult<EvidenceOut> {
    let scope = p.require(Permission::HandleCase)?;
    let case = cases::get(&state.db, &scope.roots, case_id).await?;
    if case.status == fazhi_core::enforcement::CaseStatus::Archived {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "refused",
            "案卷已归档，不能再添加证据",
        ));
    }
    let dir = files::dir(state)?;
    let r = files::receive(&dir, form, MAX_EVIDENCE_BYTES, "证据文件不能超过2 GB").await?;
    let n = NewEvidence {
        case_id,
        division_path: case.division_path.clone(),
        description: r.field("description").unwrap_or_default().to_string(),
        name: r.name,
        content_type: r.content_type.into(),
        size: r.size as i64,
        sha256: r.sha256,
        sm3: r.sm3,
    };
    let id = evidence::add(&state.db, &p.actor(), &n).await?;
    Ok(EvidenceOut::of(
        evidence::get(&state.db, &scope.roots, case_id, id).await?,
    ))
}

pub(crate) async fn list(
    state: &AppState,
    p: &Principal,
    case_id: i64,
) -> ApiResult<Vec<EvidenceOut>> {
    let scope = p.require(Permission::ViewCases)?;
    cases::get(&state.db, &scope.roots, case_id).await?;
    Ok(evidence::of_case(&state.db, case_id)
        .await?
        .into_iter()
        .map(EvidenceOut::of)
        .collect())
}

/// Checks a stored file against its digests; a mismatch or a missing file is logged.
async fn check(state: &AppState, p: &Principal, r: &EvidenceRow) -> ApiResult<PathBuf> {
    let note = match files::verified(&files::dir(state)?, &r.sha256, &r.sm3).await {
        Ok(path) => return Ok(path),
        Err(note) => note,
    };
    evidence::log(&state.db, &p.actor(), r.id, "verify_failed", &note).await?;
    tracing::error!(file = r.id, %note, "evidence file does not match its digests");
    Err(ApiError::new(
        StatusCode::CONFLICT,
        "evidence_altered",
        "证据文件与上传时的校验值不一致（文件被改动或缺失），已停止提供并记录，请联系系统管理员",
    ))
}

/// Serves a file after checking it; the download is a custody event.
pub(crate) async fn download(
    state: &AppState,
    p: &Principal,
    case_id: i64,
    id: i64,
) -> ApiResult<Response> {
    let scope = p.require(Permission::ViewCases)?;
    let r = evidence::get(&state.db, &scope.roots, case_id, id).await?;
    let path = check(state, p, &r).await?;
    evidence::log(&state.db, &p.actor(), r.id, "download", "校验一致").await?;
    files::serve(&path, &r.content_type, r.size, &r.name).await
}

/// Checks every file of a case now; answers how many are intact.
pub(crate) async fn verify_all(
    state: &AppState,
    p: &Principal,
    case_id: i64,
) -> ApiResult<(usize, usize)> {
    let scope = p.require(Permission::ViewCases)?;
    cases::get(&state.db, &scope.roots, case_id).await?;
    let files = evidence::of_case(&state.db, case_id).await?;
    let mut ok = 0;
    for r in &files {
        if check(state, p, r).await.is_ok() {
            evidence::log(&state.db, &p.actor(), r.id, "verify", "校验一致").await?;
            ok += 1;
        }
    }
    Ok((ok, files.len()))
}

pub(crate) async fn supersede(
    state: &AppState,
    p: &Principal,
    case_id: i64,
    id: i64,
    body: &SupersedeIn,
) -> ApiResult<()> {
    let scope = p.require(Permission::HandleCase)?;
    evidence::get(&state.db, &scope.roots, case_id, id).await?;
    let reason = body.reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(ApiError::field("reason", "请填写替代的理由（不超过500字）"));
    }
    if let Some(by) = body.by {
        if by == id {
            return Err(ApiError::field("by", "不能由自己替代"));
        }
        evidence::get(&state.db, &scope.roots, case_id, by)
            .await
            .map_err(|_| ApiError::field("by", "替代文件须是本案的证据文件"))?;
    }
    Ok(evidence::supersede(&state.db, &p.actor(), id, body.by, reason).await?)
}

/// The custody log of one file.
pub(crate) async fn custody(
    state: &AppState,
    p: &Principal,
    case_id: i64,
    id: i64,
) -> ApiResult<Vec<CustodyOut>> {
    let scope = p.require(Permission::ViewCases)?;
    evidence::get(&state.db, &scope.roots, case_id, id).await?;
    Ok(evidence::custody(&state.db, id)
        .await?
        .into_iter()
        .map(|c| CustodyOut {
            at: c.at,
            actor: c.actor,
            action: c.action,
            note: c.note,
        })
        .collect())
}

/// One custody event.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CustodyOut {
    pub at: i64,
    pub actor: String,
    /// upload, download, verify, verify_failed, supersede.
    pub action: String,
    pub note: String,
}
