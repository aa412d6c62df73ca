//! Import of a legacy ledger (台账) from XLSX, in three steps:
//!
//! 1. `POST /api/v1/matters/imports` uploads the workbook; the sheet is read on a
//!    blocking thread and kept in memory under a token, with a mapping suggested from
//!    its headers.
//! 2. `POST …/{token}/dry-run` checks every row under the confirmed mapping and lists
//!    every bad row with its reason, and the rows already imported.
//! 3. `POST …/{token}/commit` checks again and stores all valid rows in one transaction
//!    as a background job (`GET /api/v1/jobs/{id}`); a failure anywhere stores nothing.
//!    Each row carries a stable key (`source_ref`), so a second import of the same
//!    file creates nothing.
//!
//! Importing needs the permission to register matters; villages outside the importer's
//! scope make bad rows.

pub mod plan;

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use fazhi_core::role::{Permission, Scope};
use fazhi_office::import::Sheet;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use self::plan::{BadRow, Checked, Context, Field, Mapping, VillageRef};
use crate::AppState;
use crate::auth::{ApiUser, Principal};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath};
use crate::jobs::{self, Job, JobOut, JobOutput};
use crate::store::{Kept, Limits, OwnedStore};

/// Largest workbook accepted.
pub const MAX_IMPORT_BYTES: usize = 10 * 1024 * 1024;

// ---- uploaded sheets ----------------------------------------------------------------

/// An uploaded ledger waiting for its mapping.
pub struct Upload {
    file_name: String,
    sheet: Arc<Sheet>,
}

impl Upload {
    /// A read sheet to keep (the education ledger import keeps its sheets here too).
    pub(crate) fn new(file_name: String, sheet: Arc<Sheet>) -> Upload {
        Upload { file_name, sheet }
    }
}

impl Kept for Upload {
    fn bytes(&self) -> usize {
        self.sheet.approx_bytes() + self.file_name.len()
    }
}

/// Uploaded ledgers waiting for their mapping: visible only to the uploader, 60
/// minutes, 128 MB and 32 uploads in all, 3 per user (a new one evicts their oldest).
pub type Uploads = OwnedStore<Upload>;

pub const UPLOAD_LIMITS: Limits = Limits {
    ttl_minutes: 60,
    max_bytes: 128 * 1024 * 1024,
    max_entries: 32,
    per_user: 3,
};

// ---- wire types ---------------------------------------------------------------------

/// One of our fields, for the mapping form.
#[derive(Debug, Serialize, ToSchema)]
pub struct FieldOut {
    pub code: &'static str,
    pub label: &'static str,
    pub required: bool,
}

/// One column of the uploaded sheet.
#[derive(Debug, Serialize, ToSchema)]
pub struct ColumnOut {
    /// 0 for column A.
    pub index: usize,
    /// A, B, … AA.
    pub letter: String,
    pub header: String,
    /// The first few values, as text.
    pub samples: Vec<String>,
}

/// An uploaded ledger: its columns and the suggested mapping.
#[derive(Debug, Serialize, ToSchema)]
pub struct UploadOut {
    /// Names the upload in the next steps (kept for an hour, for this user only).
    pub token: String,
    pub file_name: String,
    pub sheet: String,
    /// Row number of the header row.
    pub header_row: usize,
    /// Data rows under it.
    pub rows: usize,
    pub columns: Vec<ColumnOut>,
    pub fields: Vec<FieldOut>,
    /// Suggested from the header names; confirm or change it.
    pub suggested: Mapping,
}

/// What a dry run found; nothing is written.
#[derive(Debug, Serialize, ToSchema)]
pub struct DryRunOut {
    /// Data rows in the sheet.
    pub total: usize,
    /// Rows that would be imported.
    pub valid: usize,
    /// Rows already imported, or repeating an earlier row of the file (skipped).
    pub skipped: Vec<BadRow>,
    /// Rows that cannot be imported, each with every reason.
    pub bad: Vec<BadRow>,
}

/// Column letters as Excel shows them.
pub fn column_letter(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// The fields in form order.
pub fn fields() -> Vec<FieldOut> {
    Field::ALL
        .iter()
        .map(|f| FieldOut {
            code: f.as_str(),
            label: f.label_zh(),
            required: f.required(),
        })
        .collect()
}

/// The columns of a sheet with a few sample values.
pub fn columns(sheet: &Sheet) -> Vec<ColumnOut> {
    let width = sheet
        .rows
        .iter()
        .map(|r| r.cells.len())
        .chain([sheet.headers.len()])
        .max()
        .unwrap_or(0);
    (0..width)
        .map(|i| ColumnOut {
            index: i,
            letter: column_letter(i),
            header: sheet.headers.get(i).cloned().unwrap_or_default(),
            samples: sheet
                .rows
                .iter()
                .take(3)
                .map(|r| r.cell(i).text())
                .collect(),
        })
        .collect()
}

// ---- the steps, shared by the API and the pages -------------------------------------

fn scope_of(p: &Principal) -> ApiResult<Scope> {
    p.require(Permission::RegisterMatter)
}

/// Reads an uploaded workbook and keeps it for the next steps.
pub(crate) async fn upload(
    state: &AppState,
    p: &Principal,
    file_name: String,
    bytes: Vec<u8>,
) -> ApiResult<UploadOut> {
    scope_of(p)?;
    let sheet = tokio::task::spawn_blocking(move || fazhi_office::import::read(&bytes))
        .await
        .map_err(ApiError::internal)?
        .map_err(|m| ApiError::field("file", m))?;
    if sheet.rows.is_empty() {
        return Err(ApiError::field("file", "表头下没有数据行"));
    }
    let suggested = Mapping {
        columns: plan::suggest(&sheet.headers),
        default_kind: "dispute".into(),
        category_fallback: None,
    };
    let out = UploadOut {
        token: String::new(),
        file_name: file_name.clone(),
        sheet: sheet.name.clone(),
        header_row: sheet.header_row,
        rows: sheet.rows.len(),
        columns: columns(&sheet),
        fields: fields(),
        suggested,
    };
    let upload = Upload {
        file_name,
        sheet: Arc::new(sheet),
    };
    let (token, _) = state
        .imports
        .put(p.user_id, state.clock.now_ms(), upload)
        .map_err(|_| {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                "台账过大，无法暂存，请分成几个文件导入",
            )
        })?;
    Ok(UploadOut { token, ..out })
}

/// The sheet under `token` for this user, or 404.
pub(crate) fn sheet_of(
    state: &AppState,
    p: &Principal,
    token: &str,
) -> ApiResult<(Arc<Sheet>, String)> {
    state
        .imports
        .get(token, p.user_id, state.clock.now_ms())
        .map(|u| (u.sheet.clone(), u.file_name.clone()))
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::NOT_FOUND,
                "not_found",
                "上传的台账已过期或不存在，请重新上传",
            )
        })
}

/// Checks every row of the upload under `mapping` (on a blocking thread).
async fn check(
    state: &AppState,
    p: &Principal,
    sheet: Arc<Sheet>,
    mapping: Mapping,
) -> ApiResult<Checked> {
    let scope = scope_of(p)?;
    let categories: Vec<(String, String)> = state
        .matters
        .categories()
        .into_iter()
        .map(|c| (c.code, c.label))
        .collect();
    let width = columns(&sheet).len();
    let kind = plan::check_mapping(&mapping, width, &categories).map_err(|errors| {
        let mut e = ApiError::bad_request(errors.join("；"));
        e.body.fields.insert("mapping".into(), errors.join("；"));
        e
    })?;
    let villages = villages(state, &scope).await?;
    let today = state.clock.today();
    let calendar = state.matters.calendar();
    let rules = state.matters.rules();
    let actor = p.actor();
    tokio::task::spawn_blocking(move || {
        let ctx = Context {
            villages: &villages,
            categories: &categories,
            today,
            calendar: &calendar,
            rules: &rules,
            actor: &actor,
        };
        plan::check(
            &sheet,
            &mapping,
            kind,
            &ctx,
            super::intake::new_tracking_code,
        )
    })
    .await
    .map_err(ApiError::internal)
}

/// Villages and communities where `scope` may register, with their townships.
async fn villages(state: &AppState, scope: &Scope) -> ApiResult<Vec<VillageRef>> {
    Ok(fazhi_db::admin::divisions::tree(&state.db, &scope.roots)
        .await?
        .into_iter()
        .filter(|d| d.level == fazhi_core::division::Level::Village)
        .map(|d| VillageRef {
            township_id: d.parent_id.unwrap_or(d.id),
            id: d.id,
            name: d.name,
            path: d.path,
        })
        .collect())
}

/// Checks the upload under `mapping` and says what an import would do; writes nothing.
pub(crate) async fn dry_run(
    state: &AppState,
    p: &Principal,
    token: &str,
    mapping: Mapping,
) -> ApiResult<DryRunOut> {
    let (sheet, _) = sheet_of(state, p, token)?;
    let total = sheet.rows.len();
    let checked = check(state, p, sheet, mapping).await?;
    let (checked, already) = partition_existing(state, checked).await?;
    let mut skipped = already;
    skipped.extend(checked.repeated);
    skipped.sort_by_key(|b| b.row);
    Ok(DryRunOut {
        total,
        valid: checked.rows.len(),
        skipped,
        bad: checked.bad,
    })
}

/// Splits off the rows whose key is already stored ("已导入，跳过").
async fn partition_existing(
    state: &AppState,
    mut checked: Checked,
) -> ApiResult<(Checked, Vec<BadRow>)> {
    let refs: Vec<String> = checked
        .rows
        .iter()
        .filter_map(|r| r.matter.source_ref.clone())
        .collect();
    let present = fazhi_db::matters::import::existing(&state.db, &refs).await?;
    let (old, new): (Vec<_>, Vec<_>) =
        std::mem::take(&mut checked.rows)
            .into_iter()
            .partition(|r| {
                r.matter
                    .source_ref
                    .as_ref()
                    .is_some_and(|k| present.contains(k))
            });
    checked.rows = new;
    let skipped = old
        .into_iter()
        .map(|r| BadRow {
            row: r.row,
            reason: "已导入，跳过".into(),
        })
        .collect();
    Ok((checked, skipped))
}

/// Checks again and starts the job that stores all valid rows in one transaction.
pub(crate) async fn commit(
    state: &AppState,
    p: &Principal,
    token: &str,
    mapping: Mapping,
) -> ApiResult<Arc<Job>> {
    let (sheet, file_name) = sheet_of(state, p, token)?;
    let total = sheet.rows.len();
    let checked = check(state, p, sheet, mapping).await?;
    let (checked, already) = partition_existing(state, checked).await?;
    if checked.rows.is_empty() {
        return Err(ApiError::bad_request(format!(
            "没有可导入的行：{}行已导入或重复，{}行有问题",
            already.len() + checked.repeated.len(),
            checked.bad.len()
        )));
    }
    let job = state.jobs.create(p.user_id, "import", "正在导入…")?;
    let n = checked.rows.len() as u64;
    job.progress(0, n, format!("正在写入{n}件事项…"));
    let (db, vault, actor) = (state.db.clone(), state.vault.clone(), p.actor());
    let j = job.clone();
    jobs::spawn(job.clone(), async move {
        let matters: Vec<_> = checked.rows.iter().map(|r| r.matter.clone()).collect();
        let detail = format!("ledger {file_name}: {total} rows");
        let loaded = fazhi_db::matters::import::load(&db, &vault, &actor, &matters, &detail, |i| {
            j.advance(i as u64)
        })
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "ledger import failed");
            "导入失败，未写入任何数据，请稍后重试".to_string()
        })?;
        let skipped = already.len() + checked.repeated.len() + loaded.skipped.len();
        let result = serde_json::json!({
            "total": total,
            "created": loaded.created.len(),
            "skipped": skipped,
            "bad": checked.bad,
        });
        Ok(JobOutput {
            message: format!(
                "导入完成：新增{}件，跳过{}行，有问题未导入{}行",
                loaded.created.len(),
                skipped,
                checked.bad.len()
            ),
            result: Some(result),
            file: None,
        })
    });
    Ok(job)
}

// ---- API handlers -------------------------------------------------------------------

pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(
            OpenApiRouter::new()
                .routes(routes!(upload_ledger))
                .layer(axum::extract::DefaultBodyLimit::max(MAX_IMPORT_BYTES)),
        )
        .routes(routes!(dry_run_ledger))
        .routes(routes!(commit_ledger))
}

/// Reads the `file` part of a multipart upload; the error names the limit.
pub(crate) async fn file_part(mp: &mut Multipart) -> ApiResult<(String, Vec<u8>)> {
    let unreadable = || ApiError::bad_request("上传内容无法读取（文件可能超过10MB）");
    while let Some(field) = mp.next_field().await.map_err(|_| unreadable())? {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or("台账.xlsx").to_string();
            let bytes = field.bytes().await.map_err(|_| unreadable())?.to_vec();
            if bytes.is_empty() {
                break;
            }
            return Ok((name, bytes));
        }
    }
    Err(ApiError::field("file", "请选择要导入的XLSX文件"))
}

/// Upload a legacy ledger (multipart field `file`, XLSX); returns its columns and a
/// suggested mapping, under a token for the next steps.
#[utoipa::path(post, path = "/api/v1/matters/imports", tag = "matters",
    request_body(content_type = "multipart/form-data", description = "field `file`: the XLSX ledger"),
    responses((status = 201, body = UploadOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 413, body = ErrorBody)))]
pub(crate) async fn upload_ledger(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    mut mp: Multipart,
) -> ApiResult<(StatusCode, Json<UploadOut>)> {
    scope_of(&p)?;
    let (name, bytes) = file_part(&mut mp).await?;
    Ok((
        StatusCode::CREATED,
        Json(upload(&state, &p, name, bytes).await?),
    ))
}

/// Check every row under a mapping and list the bad ones with their reasons; writes nothing.
#[utoipa::path(post, path = "/api/v1/matters/imports/{token}/dry-run", tag = "matters",
    params(("token" = String, Path, description = "token of the upload")),
    request_body = Mapping,
    responses((status = 200, body = DryRunOut), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn dry_run_ledger(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(token): ApiPath<String>,
    ApiJson(mapping): ApiJson<Mapping>,
) -> ApiResult<Json<DryRunOut>> {
    Ok(Json(dry_run(&state, &p, &token, mapping).await?))
}

/// Start importing all valid rows (one transaction, in the background); poll the job.
#[utoipa::path(post, path = "/api/v1/matters/imports/{token}/commit", tag = "matters",
    params(("token" = String, Path, description = "token of the upload")),
    request_body = Mapping,
    responses((status = 202, body = JobOut), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub(crate) async fn commit_ledger(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(token): ApiPath<String>,
    ApiJson(mapping): ApiJson<Mapping>,
) -> ApiResult<(StatusCode, Json<JobOut>)> {
    let job = commit(&state, &p, &token, mapping).await?;
    Ok((StatusCode::ACCEPTED, Json(job.view())))
}

/// A mapping from form fields `col_<field>` (column index or empty), `default_kind`
/// and `category_fallback` (pages post these).
pub fn mapping_from_form(form: &BTreeMap<String, String>) -> Mapping {
    let columns = Field::ALL
        .iter()
        .filter_map(|f| {
            form.get(&format!("col_{}", f.as_str()))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .map(|c| (*f, c))
        })
        .collect();
    Mapping {
        columns,
        default_kind: form.get("default_kind").cloned().unwrap_or_default(),
        category_fallback: form
            .get("category_fallback")
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
    }
}
