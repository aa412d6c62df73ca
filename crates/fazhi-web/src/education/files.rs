//! Photos and sign-in sheets kept with a publicity event or an enterprise visit,
//! through the shared file store (`crate::files`): JPEG, PNG, WebP or PDF told by their
//! first bytes, streamed with SHA-256 and SM3, listed on the record's page, downloaded by
//! those who may see the record after a check against their digests. A sign-in sheet
//! names the people who came: each download writes an audit row first.
//!
//! Multipart parts: `photo` and `sign_in`, each as many times as there are files (an
//! empty part, a file input left empty, is skipped).

use axum::Json;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use fazhi_core::education::EduFileKind;
use fazhi_core::role::Permission;
use fazhi_db::education::files::{self, EduFileRow, FileRecord, NewEduFile};
use fazhi_db::education::{events, visits};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::auth::{ApiUser, Principal};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::ApiPath;

/// Largest photo or scanned sheet.
pub const MAX_FILE_BYTES: u64 = 20 * 1024 * 1024;
/// Files in one submit.
pub const MAX_FILES: usize = 9;
/// Body limit of a form with files.
pub const MAX_FORM_BYTES: usize = MAX_FILES * MAX_FILE_BYTES as usize + (1 << 20);

const TOO_LARGE: &str = "每个文件不能超过20 MB，可在手机相机设置中降低分辨率后重拍";

/// One file as listed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EduFileOut {
    pub id: i64,
    #[schema(value_type = String)]
    pub kind: EduFileKind,
    pub kind_label: &'static str,
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    /// A sign-in sheet: every download is audited.
    pub personal: bool,
    pub uploader: String,
    pub uploaded_at: i64,
    pub download: String,
}

fn base(record: FileRecord, id: i64) -> String {
    match record {
        FileRecord::Event => format!("/api/v1/education/events/{id}/files"),
        FileRecord::Visit => format!("/api/v1/education/visits/{id}/files"),
    }
}

impl EduFileOut {
    fn of(record: FileRecord, r: EduFileRow) -> EduFileOut {
        EduFileOut {
            download: format!("{}/{}", base(record, r.record_id), r.id),
            kind_label: r.kind.label_zh(),
            id: r.id,
            kind: r.kind,
            name: r.name,
            content_type: r.content_type,
            size: r.size,
            sha256: r.sha256,
            personal: r.personal,
            uploader: r.uploader,
            uploaded_at: r.uploaded_at,
        }
    }
}

/// Reads a multipart form: its text fields, and the files (`photo`, `sign_in` parts)
/// streamed into the store. Text fields placed before the files survive a refused
/// file, so a form can be shown again as it was.
pub(crate) async fn read_form(
    state: &AppState,
    form: &mut Multipart,
) -> (Vec<(String, String)>, ApiResult<Vec<NewEduFile>>) {
    let mut fields = Vec::new();
    let mut stored = Vec::new();
    loop {
        let mut field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => {
                let err = if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "too_large", TOO_LARGE)
                } else {
                    ApiError::bad_request("上传内容不完整或格式有误，请重新提交")
                };
                return (fields, Err(err));
            }
        };
        let name = field.name().unwrap_or_default().to_string();
        let kind = match name.as_str() {
            "photo" => EduFileKind::Photo,
            "sign_in" => EduFileKind::SignIn,
            _ => {
                match field.text().await {
                    Ok(v) if fields.len() < 64 => fields.push((name, v)),
                    Ok(_) => {}
                    Err(_) => {
                        return (
                            fields,
                            Err(ApiError::bad_request("表单内容不完整，请重新提交")),
                        );
                    }
                }
                continue;
            }
        };
        let dir = match crate::files::dir(state) {
            Ok(d) => d,
            // Without a store, an empty file input (sent as an empty part) is no file.
            Err(e) => match field.chunk().await {
                Ok(None) => continue,
                _ => return (fields, Err(e)),
            },
        };
        let s = match crate::files::store_field(&dir, &mut field, MAX_FILE_BYTES, TOO_LARGE).await {
            Ok(Some(s)) => s,
            Ok(None) => continue,
            Err(e) => return (fields, Err(e)),
        };
        let accepted = match kind {
            EduFileKind::Photo => s.content_type.starts_with("image/"),
            EduFileKind::SignIn => {
                s.content_type.starts_with("image/") || s.content_type == "application/pdf"
            }
        };
        if !accepted {
            let m = match kind {
                EduFileKind::Photo => "照片须为JPEG、PNG或WebP格式的图片",
                EduFileKind::SignIn => "签到表须为照片（JPEG、PNG、WebP）或PDF扫描件",
            };
            return (fields, Err(ApiError::field(&name, m)));
        }
        if stored.len() >= MAX_FILES {
            return (
                fields,
                Err(ApiError::field(
                    &name,
                    format!("一次最多上传{MAX_FILES}个文件"),
                )),
            );
        }
        stored.push(NewEduFile {
            kind,
            name: s.name,
            content_type: s.content_type.into(),
            size: s.size as i64,
            sha256: s.sha256,
            sm3: s.sm3,
        });
    }
    (fields, Ok(stored))
}

/// Stores a photo made in memory (the demo's) in the file store under `dir`, ready to
/// be recorded with an event or a visit.
pub async fn store_photo(
    dir: &std::path::Path,
    name: &str,
    bytes: &[u8],
) -> Result<NewEduFile, String> {
    let s = crate::files::store_bytes(dir, name, bytes)
        .await
        .map_err(|e| format!("照片未能保存：{e}"))?
        .ok_or_else(|| "照片须为JPEG、PNG或WebP格式的图片".to_string())?;
    if !s.content_type.starts_with("image/") {
        return Err("照片须为JPEG、PNG或WebP格式的图片".into());
    }
    Ok(NewEduFile {
        kind: EduFileKind::Photo,
        name: s.name,
        content_type: s.content_type.into(),
        size: s.size as i64,
        sha256: s.sha256,
        sm3: s.sm3,
    })
}

/// A page's create form (a record with its files in one submit): multipart with the
/// files streamed into the store (the CSRF token in the query string), or plain
/// urlencoded without files. Err when the body is not a form at all.
pub(crate) async fn read_page_form(
    state: &AppState,
    req: axum::extract::Request,
) -> Result<(Vec<(String, String)>, ApiResult<Vec<NewEduFile>>), ApiError> {
    use axum::extract::FromRequest;
    let multipart = req
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let unreadable = || ApiError::bad_request("表单格式有误");
    if multipart {
        let mut mp = Multipart::from_request(req, state)
            .await
            .map_err(|_| unreadable())?;
        Ok(read_form(state, &mut mp).await)
    } else {
        let axum::Form(pairs) = axum::Form::<Vec<(String, String)>>::from_request(req, state)
            .await
            .map_err(|_| unreadable())?;
        Ok((pairs, Ok(Vec::new())))
    }
}

/// The record's path if the caller may see it (else 404), and whether they may add files
/// (they may record it).
async fn record(
    state: &AppState,
    p: &Principal,
    record: FileRecord,
    id: i64,
) -> ApiResult<(String, bool)> {
    let scope = p.require(Permission::ViewEducation)?;
    let path = match record {
        FileRecord::Event => events::by_id(&state.db, id).await?.division_path,
        FileRecord::Visit => visits::by_id(&state.db, id).await?.division_path,
    };
    if !scope.covers(&path) {
        return Err(ApiError::not_found());
    }
    let may = p.scope(Permission::RecordEducation).covers(&path);
    Ok((path, may))
}

/// Whether the caller may add files to the record (for the page's form).
pub(crate) async fn may_add(state: &AppState, p: &Principal, r: FileRecord, id: i64) -> bool {
    matches!(record(state, p, r, id).await, Ok((_, true)))
}

/// Stores the files of a multipart form with a record.
pub(crate) async fn upload(
    state: &AppState,
    p: &Principal,
    r: FileRecord,
    id: i64,
    mut form: Multipart,
) -> ApiResult<Vec<EduFileOut>> {
    let (path, may) = record(state, p, r, id).await?;
    if !may {
        return Err(ApiError::forbidden());
    }
    crate::files::dir(state)?;
    let (_, stored) = read_form(state, &mut form).await;
    let stored = stored?;
    if stored.is_empty() {
        return Err(ApiError::field("photo", "请选择要上传的照片或签到表"));
    }
    let before = files::of_record(&state.db, r, id).await?.len();
    files::add(&state.db, &p.actor(), r, id, &path, &stored).await?;
    Ok(files::of_record(&state.db, r, id)
        .await?
        .into_iter()
        .skip(before)
        .map(|f| EduFileOut::of(r, f))
        .collect())
}

/// The files of a record in scope, oldest first.
pub(crate) async fn list(
    state: &AppState,
    p: &Principal,
    r: FileRecord,
    id: i64,
) -> ApiResult<Vec<EduFileOut>> {
    record(state, p, r, id).await?;
    Ok(files::of_record(&state.db, r, id)
        .await?
        .into_iter()
        .map(|f| EduFileOut::of(r, f))
        .collect())
}

/// Serves a file after checking it against its digests; a sign-in sheet's download is
/// audited before it is served.
pub(crate) async fn download(
    state: &AppState,
    p: &Principal,
    r: FileRecord,
    id: i64,
    fid: i64,
) -> ApiResult<Response> {
    record(state, p, r, id).await?;
    let f = files::get(&state.db, r, id, fid).await?;
    let path = crate::files::verified(&crate::files::dir(state)?, &f.sha256, &f.sm3)
        .await
        .map_err(|note| {
            tracing::error!(file = f.id, %note, "education file does not match its digests");
            ApiError::new(
                StatusCode::CONFLICT,
                "file_altered",
                "文件与上传时的校验值不一致（文件被改动或缺失），已停止提供，请联系系统管理员",
            )
        })?;
    if f.personal {
        files::log_download(&state.db, &p.actor(), r, &f).await?;
    }
    crate::files::serve(&path, &f.content_type, f.size, &f.name).await
}

pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_event_files))
        .routes(routes!(download_event_file))
        .routes(routes!(list_visit_files))
        .routes(routes!(download_visit_file))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(upload_event_files))
                .routes(routes!(upload_visit_files))
                .layer(axum::extract::DefaultBodyLimit::max(MAX_FORM_BYTES)),
        )
}

/// Add photos (`photo` parts) and sign-in sheets (`sign_in` parts) to an event: JPEG,
/// PNG, WebP (sheets also PDF), up to 20 MB each and 9 at once.
#[utoipa::path(post, path = "/api/v1/education/events/{id}/files", tag = "education",
    params(("id" = i64, Path)),
    responses((status = 201, body = Vec<EduFileOut>), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 413, body = ErrorBody)))]
pub(crate) async fn upload_event_files(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
    form: Multipart,
) -> ApiResult<(StatusCode, Json<Vec<EduFileOut>>)> {
    let out = upload(&state, &p, FileRecord::Event, id, form).await?;
    Ok((StatusCode::CREATED, Json(out)))
}

/// The photos and sign-in sheets of an event.
#[utoipa::path(get, path = "/api/v1/education/events/{id}/files", tag = "education",
    params(("id" = i64, Path)),
    responses((status = 200, body = Vec<EduFileOut>), (status = 404, body = ErrorBody)))]
pub(crate) async fn list_event_files(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Vec<EduFileOut>>> {
    Ok(Json(list(&state, &p, FileRecord::Event, id).await?))
}

/// Download a file of an event (checked first; a sign-in sheet's download is audited).
#[utoipa::path(get, path = "/api/v1/education/events/{id}/files/{fid}", tag = "education",
    params(("id" = i64, Path), ("fid" = i64, Path)),
    responses((status = 200, description = "the file"), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn download_event_file(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath((id, fid)): ApiPath<(i64, i64)>,
) -> ApiResult<Response> {
    download(&state, &p, FileRecord::Event, id, fid).await
}

/// Add photos and sign-in sheets to an enterprise visit (as for events).
#[utoipa::path(post, path = "/api/v1/education/visits/{id}/files", tag = "education",
    params(("id" = i64, Path)),
    responses((status = 201, body = Vec<EduFileOut>), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 413, body = ErrorBody)))]
pub(crate) async fn upload_visit_files(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
    form: Multipart,
) -> ApiResult<(StatusCode, Json<Vec<EduFileOut>>)> {
    let out = upload(&state, &p, FileRecord::Visit, id, form).await?;
    Ok((StatusCode::CREATED, Json(out)))
}

/// The photos and sign-in sheets of an enterprise visit.
#[utoipa::path(get, path = "/api/v1/education/visits/{id}/files", tag = "education",
    params(("id" = i64, Path)),
    responses((status = 200, body = Vec<EduFileOut>), (status = 404, body = ErrorBody)))]
pub(crate) async fn list_visit_files(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Vec<EduFileOut>>> {
    Ok(Json(list(&state, &p, FileRecord::Visit, id).await?))
}

/// Download a file of an enterprise visit (checked first; sign-in sheets audited).
#[utoipa::path(get, path = "/api/v1/education/visits/{id}/files/{fid}", tag = "education",
    params(("id" = i64, Path), ("fid" = i64, Path)),
    responses((status = 200, description = "the file"), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn download_visit_file(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath((id, fid)): ApiPath<(i64, i64)>,
) -> ApiResult<Response> {
    download(&state, &p, FileRecord::Visit, id, fid).await
}
