//! Background jobs (long imports and exports): each runs as its own tokio task, so the
//! request that starts it answers at once and the server goes on serving; the user
//! polls `GET /api/v1/jobs/{id}` for progress and downloads a finished export from
//! `GET /api/v1/jobs/{id}/download`.
//!
//! The registry is in memory, like the report results: a job is visible only to the
//! user who started it, a user runs at most [`Jobs::RUNNING_PER_USER`] at once, finished
//! jobs are dropped 30 minutes after they end or when the registry is full,
//! and a restart loses them (an interrupted import has written nothing: it commits once).

use std::future::Future;
use std::sync::{Arc, Mutex};

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::auth::ApiUser;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::ApiPath;
use crate::store::{Kept, Limits, OwnedStore};

/// A file a job produced.
pub struct JobFile {
    /// ASCII file name (for old clients).
    pub name: String,
    /// The Chinese file name, percent-encoded into `filename*`.
    pub name_zh: String,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

/// Where a job stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    Running,
    Done,
    Failed,
}

#[derive(Clone)]
struct Status {
    state: JobState,
    done: u64,
    total: u64,
    message: String,
    result: Option<serde_json::Value>,
    file: Option<Arc<JobFile>>,
    finished_ms: Option<i64>,
}

/// One job; the task updates it, the poller reads it.
pub struct Job {
    pub id: String,
    pub owner: i64,
    /// `import`, `export` or `audit` (a check of the audit chain).
    pub kind: &'static str,
    status: Mutex<Status>,
}

impl Job {
    fn lock(&self) -> std::sync::MutexGuard<'_, Status> {
        self.status.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Reports progress: `done` of `total` units, with a line for people.
    pub fn progress(&self, done: u64, total: u64, message: impl Into<String>) {
        let mut s = self.lock();
        s.done = done;
        s.total = total;
        s.message = message.into();
    }

    /// Only the count moved on.
    pub fn advance(&self, done: u64) {
        self.lock().done = done;
    }

    fn finish(&self, out: JobOutput) {
        let mut s = self.lock();
        s.state = JobState::Done;
        s.done = s.total;
        s.message = out.message;
        s.result = out.result;
        s.file = out.file.map(Arc::new);
        s.finished_ms = Some(fazhi_db::now_ms());
    }

    fn fail(&self, message: String) {
        let mut s = self.lock();
        s.state = JobState::Failed;
        s.message = message;
        s.finished_ms = Some(fazhi_db::now_ms());
    }

    /// The job as the API shows it.
    pub fn view(&self) -> JobOut {
        let s = self.lock().clone();
        JobOut {
            id: self.id.clone(),
            kind: self.kind.to_string(),
            state: s.state,
            done: s.done,
            total: s.total,
            message: s.message,
            result: s.result,
            download: s
                .file
                .is_some()
                .then(|| format!("/api/v1/jobs/{}/download", self.id)),
        }
    }

    /// The file of a finished job.
    pub fn file(&self) -> Option<Arc<JobFile>> {
        self.lock().file.clone()
    }

    fn running(&self) -> bool {
        self.lock().state == JobState::Running
    }

    /// Bytes of the file it keeps.
    fn file_bytes(&self) -> usize {
        self.lock().file.as_ref().map_or(0, |f| f.bytes.len())
    }
}

/// A job's time to live starts when it ends; its file counts toward the byte budget.
impl Kept for Job {
    fn bytes(&self) -> usize {
        self.file_bytes()
    }
    fn since_ms(&self, _created_ms: i64) -> Option<i64> {
        self.lock().finished_ms
    }
}

/// What a finished job leaves.
#[derive(Default)]
pub struct JobOutput {
    pub message: String,
    /// Job-specific figures (an import's counts and bad rows).
    pub result: Option<serde_json::Value>,
    pub file: Option<JobFile>,
}

/// A job as `GET /api/v1/jobs/{id}` answers it.
#[derive(Debug, Serialize, ToSchema)]
pub struct JobOut {
    pub id: String,
    /// `import`, `export` or `audit` (a check of the audit chain).
    pub kind: String,
    pub state: JobState,
    /// Units done (rows written or read).
    pub done: u64,
    /// Units in all; 0 while not yet known.
    pub total: u64,
    /// What is happening, or how it ended, in Chinese.
    pub message: String,
    /// Job-specific figures once done (an import's counts and bad rows).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<serde_json::Value>,
    /// Where to fetch the file of a finished export.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub download: Option<String>,
}

/// The registry: visible only to the user who started a job; finished jobs kept 30
/// minutes, 64 jobs and 256 MB of finished files in all (the oldest go first; running
/// ones are never dropped), 6 per user.
pub struct Jobs {
    store: OwnedStore<Job>,
}

impl Default for Jobs {
    fn default() -> Self {
        Jobs {
            store: OwnedStore::new(Limits {
                ttl_minutes: 30,
                max_bytes: Self::MAX_FILE_BYTES,
                max_entries: Self::MAX_ENTRIES,
                per_user: 6,
            }),
        }
    }
}

impl Jobs {
    /// Jobs one user may run at once.
    pub const RUNNING_PER_USER: usize = 2;
    /// Jobs kept at once, over all users.
    pub const MAX_ENTRIES: usize = 64;
    /// Bytes of finished files kept in all.
    pub const MAX_FILE_BYTES: usize = 256 << 20;

    /// Registers a running job for `owner`, or refuses when the user (or the server)
    /// has too many running.
    pub fn create(&self, owner: i64, kind: &'static str, message: &str) -> ApiResult<Arc<Job>> {
        let busy = || {
            ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_jobs",
                "已有后台任务在进行中，请等待完成后再试",
            )
        };
        if self.store.count(owner, Job::running) >= Self::RUNNING_PER_USER {
            return Err(busy());
        }
        let id = crate::auth::secrets::random_token();
        let job = Job {
            id: id.clone(),
            owner,
            kind,
            status: Mutex::new(Status {
                state: JobState::Running,
                done: 0,
                total: 0,
                message: message.to_string(),
                result: None,
                file: None,
                finished_ms: None,
            }),
        };
        self.store
            .put_as(id, owner, fazhi_db::now_ms(), job)
            .map(|(_, job)| job)
            .map_err(|_| busy())
    }

    /// The job `id` of `owner`, if it is still kept.
    pub fn get(&self, id: &str, owner: i64) -> Option<Arc<Job>> {
        self.store.get(id, owner, fazhi_db::now_ms())
    }
}

/// Runs `work` as a task of its own; its result (or failure, or panic) ends `job`.
pub fn spawn<F>(job: Arc<Job>, work: F)
where
    F: Future<Output = Result<JobOutput, String>> + Send + 'static,
{
    let inner = tokio::spawn(work);
    tokio::spawn(async move {
        match inner.await {
            Ok(Ok(out)) => job.finish(out),
            Ok(Err(message)) => job.fail(message),
            Err(e) => {
                tracing::error!(error = %e, job = job.kind, "background job aborted");
                job.fail("后台任务异常中止，未写入任何数据".into());
            }
        }
    });
}

pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_job))
        .routes(routes!(download))
}

/// Progress of a background job started by the caller.
#[utoipa::path(get, path = "/api/v1/jobs/{id}", tag = "jobs",
    params(("id" = String, Path, description = "job id")),
    responses((status = 200, body = JobOut), (status = 404, body = ErrorBody)))]
pub(crate) async fn get_job(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<JobOut>> {
    let job = state
        .jobs
        .get(&id, p.user_id)
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(job.view()))
}

/// The file of a finished export job.
#[utoipa::path(get, path = "/api/v1/jobs/{id}/download", tag = "jobs",
    params(("id" = String, Path, description = "job id")),
    responses((status = 200, description = "the file", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn download(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Response> {
    let job = state
        .jobs
        .get(&id, p.user_id)
        .ok_or_else(ApiError::not_found)?;
    let file = job.file().ok_or_else(|| {
        ApiError::new(
            StatusCode::CONFLICT,
            "not_ready",
            "任务尚未完成或没有可下载的文件",
        )
    })?;
    file_response(&file)
}

/// A download with an ASCII and a Chinese file name, never cached.
pub fn file_response(file: &JobFile) -> ApiResult<Response> {
    let encoded: String = url::form_urlencoded::byte_serialize(file.name_zh.as_bytes()).collect();
    let mut res = file.bytes.clone().into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(file.content_type),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&format!(
            "attachment; filename=\"{}\"; filename*=UTF-8''{}",
            file.name,
            encoded.replace('+', "%20")
        ))
        .map_err(ApiError::internal)?,
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owned_bounded_per_user() {
        let jobs = Jobs::default();
        let a = jobs.create(1, "export", "").unwrap();
        assert!(jobs.get(&a.id, 1).is_some());
        assert!(jobs.get(&a.id, 2).is_none(), "another user");
        let _b = jobs.create(1, "export", "").unwrap();
        let e = jobs.create(1, "import", "").err().unwrap();
        assert_eq!(e.status, StatusCode::TOO_MANY_REQUESTS);
        a.finish(JobOutput::default());
        assert!(
            jobs.create(1, "import", "").is_ok(),
            "a finished job frees a slot"
        );
        assert_eq!(jobs.get(&a.id, 1).unwrap().view().state, JobState::Done);
    }

    #[test]
    fn finished_files_are_bounded_in_bytes() {
        let jobs = Jobs::default();
        let file = |n: usize| JobFile {
            name: "a.xlsx".into(),
            name_zh: "a.xlsx".into(),
            content_type: "application/octet-stream",
            bytes: vec![0; n],
        };
        let big = jobs.create(1, "export", "").unwrap();
        big.finish(JobOutput {
            file: Some(file(Jobs::MAX_FILE_BYTES - 5)),
            ..JobOutput::default()
        });
        let small = jobs.create(2, "export", "").unwrap();
        assert!(jobs.get(&big.id, 1).is_some(), "under the limit: kept");
        small.finish(JobOutput {
            file: Some(file(10)),
            ..JobOutput::default()
        });
        let _next = jobs.create(3, "export", "").unwrap();
        assert!(
            jobs.get(&big.id, 1).is_none(),
            "past the limit the oldest file went"
        );
        assert!(jobs.get(&small.id, 2).is_some());
    }

    #[test]
    fn one_user_cannot_push_out_another_users_files() {
        let jobs = Jobs::default();
        let theirs = jobs.create(2, "export", "").unwrap();
        theirs.finish(JobOutput::default());
        let mut first = None;
        for _ in 0..Jobs::MAX_ENTRIES {
            let j = jobs.create(1, "export", "").unwrap();
            j.finish(JobOutput::default());
            first.get_or_insert(j.id.clone());
        }
        assert!(
            jobs.get(&theirs.id, 2).is_some(),
            "the other user's file is kept"
        );
        assert!(
            jobs.get(&first.unwrap(), 1).is_none(),
            "the user's own oldest finished job went first"
        );
    }
}
