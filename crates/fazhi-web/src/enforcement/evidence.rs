//! Evidence files (全过程记录): streamed to disk at upload while their SHA-256 and SM3
//! digests are taken (nothing is held whole in memory; video up to 2 GB), named by
//! their SHA-256, checked against both digests before every download — a file changed
//! on disk is reported and logged, never served — and superseded, never deleted.

use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::extract::Multipart;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use fazhi_core::role::Permission;
use fazhi_db::enforcement::cases;
use fazhi_db::enforcement::evidence::{self, EvidenceRow, NewEvidence};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sm3::Sm3;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use utoipa::ToSchema;

use crate::AppState;
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};

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

/// The file types accepted, told by their first bytes (never by name or header).
fn sniff(head: &[u8]) -> Option<&'static str> {
    let at = |i: usize, m: &[u8]| head.len() >= i + m.len() && &head[i..i + m.len()] == m;
    if at(0, b"\xFF\xD8\xFF") {
        Some("image/jpeg")
    } else if at(0, b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if at(0, b"RIFF") && at(8, b"WEBP") {
        Some("image/webp")
    } else if at(0, b"RIFF") && at(8, b"WAVE") {
        Some("audio/wav")
    } else if at(0, b"%PDF-") {
        Some("application/pdf")
    } else if at(4, b"ftyp") {
        // MP4, MOV, M4A, 3GP: ISO base media files.
        if at(8, b"M4A ") {
            Some("audio/mp4")
        } else if at(8, b"qt  ") {
            Some("video/quicktime")
        } else {
            Some("video/mp4")
        }
    } else if at(0, b"ID3") || (head.len() >= 2 && head[0] == 0xFF && head[1] & 0xE0 == 0xE0) {
        Some("audio/mpeg")
    } else if at(0, b"#!AMR") {
        Some("audio/amr")
    } else {
        None
    }
}

fn dir(state: &AppState) -> ApiResult<PathBuf> {
    state.settings.evidence_dir.clone().ok_or_else(|| {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "evidence_unconfigured",
            "未配置证据文件存储目录（evidence_dir），请联系系统管理员",
        )
    })
}

fn stored_path(dir: &Path, sha256: &str) -> PathBuf {
    dir.join(&sha256[..2]).join(sha256)
}

fn io_error(e: std::io::Error) -> ApiError {
    tracing::error!(error = %e, "evidence storage");
    ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "storage_unavailable",
        "证据文件无法写入存储（空间不足或磁盘故障），本次上传未保存，请稍后再试并联系系统管理员",
    )
}

/// Streams the `file` field to disk, hashing as it goes. Returns (name, type, size,
/// sha256, sm3, description).
async fn receive(
    dir: &Path,
    mut form: Multipart,
) -> ApiResult<(String, &'static str, u64, String, String, String)> {
    let bad = |m: &str| ApiError::field("file", m);
    let mut description = String::new();
    while let Some(mut field) = form
        .next_field()
        .await
        .map_err(|_| ApiError::bad_request("上传内容不完整或格式有误"))?
    {
        match field.name() {
            Some("description") => {
                description = field
                    .text()
                    .await
                    .map_err(|_| ApiError::field("description", "说明有误"))?
                    .trim()
                    .chars()
                    .take(500)
                    .collect();
            }
            Some("file") => {
                let name: String = field
                    .file_name()
                    .unwrap_or("证据")
                    .chars()
                    .filter(|c| !c.is_control() && !matches!(c, '/' | '\\'))
                    .take(200)
                    .collect();
                tokio::fs::create_dir_all(dir).await.map_err(io_error)?;
                let tmp = dir.join(format!(
                    ".upload-{}",
                    hex::encode(rand::random::<[u8; 12]>())
                ));
                let mut out = tokio::fs::File::create(&tmp).await.map_err(io_error)?;
                let (mut sha, mut sm3) = (Sha256::new(), Sm3::new());
                let mut size: u64 = 0;
                let mut head: Vec<u8> = Vec::with_capacity(16);
                let result = async {
                    while let Some(chunk) = field
                        .chunk()
                        .await
                        .map_err(|_| ApiError::bad_request("上传中断，请重新上传"))?
                    {
                        size += chunk.len() as u64;
                        if size > MAX_EVIDENCE_BYTES {
                            return Err(ApiError::new(
                                StatusCode::PAYLOAD_TOO_LARGE,
                                "too_large",
                                "证据文件不能超过2 GB",
                            ));
                        }
                        if head.len() < 16 {
                            head.extend(chunk.iter().take(16 - head.len()));
                        }
                        sha.update(&chunk);
                        sm3.update(&chunk);
                        out.write_all(&chunk).await.map_err(io_error)?;
                    }
                    out.sync_all().await.map_err(io_error)?;
                    Ok(())
                }
                .await;
                if let Err(e) = result {
                    let _ = tokio::fs::remove_file(&tmp).await;
                    return Err(e);
                }
                let Some(kind) = sniff(&head) else {
                    let _ = tokio::fs::remove_file(&tmp).await;
                    return Err(bad(
                        "只接受照片（JPEG、PNG、WebP）、音视频（MP4、MOV、MP3、M4A、WAV、AMR）和 PDF 文件",
                    ));
                };
                if size == 0 {
                    let _ = tokio::fs::remove_file(&tmp).await;
                    return Err(bad("文件是空的"));
                }
                let sha = hex::encode(sha.finalize());
                let sm3 = hex::encode(sm3.finalize());
                let path = stored_path(dir, &sha);
                if let Some(parent) = path.parent() {
                    tokio::fs::create_dir_all(parent).await.map_err(io_error)?;
                }
                // Named by content: the same bytes uploaded twice are one file on disk.
                tokio::fs::rename(&tmp, &path).await.map_err(io_error)?;
                return Ok((name, kind, size, sha, sm3, description));
            }
            _ => {}
        }
    }
    Err(bad("请选择要上传的文件"))
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
    let dir = dir(state)?;
    let (name, kind, size, sha256, sm3, description) = receive(&dir, form).await?;
    let n = NewEvidence {
        case_id,
        division_path: case.division_path.clone(),
        name,
        description,
        content_type: kind.into(),
        size: size as i64,
        sha256,
        sm3,
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

/// Both digests of the stored file, read in 1 MB pieces.
async fn digests(path: &Path) -> std::io::Result<(String, String)> {
    let mut f = tokio::fs::File::open(path).await?;
    let (mut sha, mut sm3) = (Sha256::new(), Sm3::new());
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = f.read(&mut buf).await?;
        if n == 0 {
            break;
        }
        sha.update(&buf[..n]);
        sm3.update(&buf[..n]);
    }
    Ok((hex::encode(sha.finalize()), hex::encode(sm3.finalize())))
}

/// Checks a stored file against its digests; a mismatch or a missing file is logged.
async fn check(state: &AppState, p: &Principal, r: &EvidenceRow) -> ApiResult<PathBuf> {
    let path = stored_path(&dir(state)?, &r.sha256);
    let found = digests(&path).await;
    let fine = matches!(&found, Ok((sha, sm3)) if *sha == r.sha256 && *sm3 == r.sm3);
    if fine {
        return Ok(path);
    }
    let note = match &found {
        Ok((sha, sm3)) => format!("校验不一致：SHA-256 {sha}，SM3 {sm3}"),
        Err(e) => format!("文件无法读取：{e}"),
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
    let file = tokio::fs::File::open(&path).await.map_err(io_error)?;
    let body = Body::from_stream(tokio_util::io::ReaderStream::new(file));
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&r.content_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(r.size as u64));
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&format!(
            "attachment; filename*=UTF-8''{}",
            crate::pages::url_encode(&r.name)
        ))
        .unwrap_or(HeaderValue::from_static("attachment")),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(res)
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

#[cfg(test)]
mod tests {
    use super::sniff;

    #[test]
    fn types_are_told_by_their_first_bytes() {
        assert_eq!(sniff(b"\xFF\xD8\xFF\xE0rest"), Some("image/jpeg"));
        assert_eq!(sniff(b"\x00\x00\x00\x18ftypmp42"), Some("video/mp4"));
        assert_eq!(sniff(b"%PDF-1.7"), Some("application/pdf"));
        assert_eq!(sniff(b"MZ\x90\x00 an exe"), None);
        assert_eq!(sniff(b"<html>"), None);
    }
}
