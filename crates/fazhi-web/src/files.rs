//! The file store shared by enforcement evidence and matter attachments: uploads are
//! streamed to disk while their SHA-256 and SM3 digests are taken (nothing is held whole
//! in memory), typed by their first bytes (never by name or header), named by their
//! SHA-256 (the same bytes twice are one file), and checked against both digests
//! before they are served.

use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::extract::Multipart;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use sm3::Sm3;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::AppState;
use crate::error::{ApiError, ApiResult};

/// The types accepted, told by their first bytes.
pub(crate) fn sniff(head: &[u8]) -> Option<&'static str> {
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

/// What the accepted types are, for the refusal.
pub(crate) const ACCEPTED: &str =
    "只接受照片（JPEG、PNG、WebP）、音视频（MP4、MOV、MP3、M4A、WAV、AMR）和 PDF 文件";

/// The folder of stored files.
pub(crate) fn dir(state: &AppState) -> ApiResult<PathBuf> {
    state.settings.evidence_dir.clone().ok_or_else(|| {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "evidence_unconfigured",
            "未配置文件存储目录（evidence_dir），请联系系统管理员",
        )
    })
}

pub(crate) fn stored_path(dir: &Path, sha256: &str) -> PathBuf {
    dir.join(&sha256[..2]).join(sha256)
}

pub(crate) fn io_error(e: std::io::Error) -> ApiError {
    tracing::error!(error = %e, "file storage");
    ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "storage_unavailable",
        "文件无法写入存储（空间不足或磁盘故障），本次上传未保存，请稍后再试并联系系统管理员",
    )
}

/// A file received and stored, with the form's other (text) fields.
#[derive(Debug, Clone)]
pub(crate) struct Received {
    pub name: String,
    pub content_type: &'static str,
    pub size: u64,
    pub sha256: String,
    pub sm3: String,
    /// The text fields sent with it (each at most 500 characters).
    pub fields: Vec<(String, String)>,
}

impl Received {
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Streams the `file` field to disk under `dir`, hashing as it goes; `max` bytes at
/// most (`too_large` says so). Text fields before the file are kept.
pub(crate) async fn receive(
    dir: &Path,
    mut form: Multipart,
    max: u64,
    too_large: &str,
) -> ApiResult<Received> {
    let bad = |m: &str| ApiError::field("file", m);
    let mut fields = Vec::new();
    while let Some(mut field) = form
        .next_field()
        .await
        .map_err(|_| ApiError::bad_request("上传内容不完整或格式有误"))?
    {
        let Some(fname) = field.name().map(String::from) else {
            continue;
        };
        if fname != "file" {
            let v = field
                .text()
                .await
                .map_err(|_| ApiError::field(&fname, "内容有误"))?;
            if fields.len() < 16 {
                fields.push((fname, v.trim().chars().take(500).collect()));
            }
            continue;
        }
        let Some(s) = store_field(dir, &mut field, max, too_large).await? else {
            return Err(bad("文件是空的"));
        };
        return Ok(Received {
            name: s.name,
            content_type: s.content_type,
            size: s.size,
            sha256: s.sha256,
            sm3: s.sm3,
            fields,
        });
    }
    Err(bad("请选择要上传的文件"))
}

/// A file part stored under its digest.
#[derive(Debug, Clone)]
pub(crate) struct Stored {
    pub name: String,
    pub content_type: &'static str,
    pub size: u64,
    pub sha256: String,
    pub sm3: String,
}

/// Streams one file part to disk under `dir`, hashing as it goes; `max` bytes at most
/// (`too_large` says so). `None` for an empty part (a file input left empty). Errors
/// name the part's field.
pub(crate) async fn store_field(
    dir: &Path,
    field: &mut axum::extract::multipart::Field<'_>,
    max: u64,
    too_large: &str,
) -> ApiResult<Option<Stored>> {
    let fname = field.name().unwrap_or("file").to_string();
    let bad = |m: &str| ApiError::field(&fname, m);
    let name: String = field
        .file_name()
        .unwrap_or("文件")
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
            if size > max {
                return Err(ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "too_large",
                    too_large,
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
    if size == 0 {
        let _ = tokio::fs::remove_file(&tmp).await;
        return Ok(None);
    }
    let Some(kind) = sniff(&head) else {
        let _ = tokio::fs::remove_file(&tmp).await;
        return Err(bad(ACCEPTED));
    };
    let sha = hex::encode(sha.finalize());
    let sm3 = hex::encode(sm3.finalize());
    let path = stored_path(dir, &sha);
    if let Some(parent) = path.parent() {
        tokio::fs::create_dir_all(parent).await.map_err(io_error)?;
    }
    // Named by content: the same bytes uploaded twice are one file on disk.
    tokio::fs::rename(&tmp, &path).await.map_err(io_error)?;
    Ok(Some(Stored {
        name,
        content_type: kind,
        size,
        sha256: sha,
        sm3,
    }))
}

/// A file made by the platform itself (the demo's scans), stored as an upload is:
/// typed by its first bytes, named by its SHA-256, with both digests. `None` when the
/// bytes are of no accepted type.
pub async fn store_bytes(
    dir: &Path,
    name: &str,
    bytes: &[u8],
) -> std::io::Result<Option<StoredFile>> {
    let Some(kind) = sniff(bytes) else {
        return Ok(None);
    };
    let sha = hex::encode(Sha256::digest(bytes));
    let sm3 = hex::encode(Sm3::digest(bytes));
    let path = stored_path(dir, &sha);
    if let Some(parent) = path.parent() {
        tokio::fs::create_dir_all(parent).await?;
    }
    // Written aside and renamed, as an upload: a reader never sees half a file.
    let tmp = dir.join(format!(
        ".upload-{}",
        hex::encode(rand::random::<[u8; 12]>())
    ));
    tokio::fs::write(&tmp, bytes).await?;
    tokio::fs::rename(&tmp, &path).await?;
    Ok(Some(StoredFile {
        name: name.to_string(),
        content_type: kind,
        size: bytes.len() as u64,
        sha256: sha,
        sm3,
    }))
}

/// A file stored by [`store_bytes`].
#[derive(Debug, Clone)]
pub struct StoredFile {
    pub name: String,
    pub content_type: &'static str,
    pub size: u64,
    pub sha256: String,
    pub sm3: String,
}

/// Both digests of a stored file, read in 1 MB pieces.
pub(crate) async fn digests(path: &Path) -> std::io::Result<(String, String)> {
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

/// The stored file if it still has its digests; else why not (for the log).
pub(crate) async fn verified(dir: &Path, sha256: &str, sm3: &str) -> Result<PathBuf, String> {
    let path = stored_path(dir, sha256);
    match digests(&path).await {
        Ok((s, m)) if s == sha256 && m == sm3 => Ok(path),
        Ok((s, m)) => Err(format!("校验不一致：SHA-256 {s}，SM3 {m}")),
        Err(e) => Err(format!("文件无法读取：{e}")),
    }
}

/// The file as a download (streamed), not cached.
pub(crate) async fn serve(
    path: &Path,
    content_type: &str,
    size: i64,
    name: &str,
) -> ApiResult<Response> {
    let file = tokio::fs::File::open(path).await.map_err(io_error)?;
    let body = Body::from_stream(tokio_util::io::ReaderStream::new(file));
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(content_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    h.insert(
        header::CONTENT_LENGTH,
        HeaderValue::from(size.max(0) as u64),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&format!(
            "attachment; filename*=UTF-8''{}",
            crate::pages::url_encode(name)
        ))
        .unwrap_or(HeaderValue::from_static("attachment")),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(res)
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
