//! `GET /api/v1/matters/export.xlsx`: any ledger view as the XLSX townships keep,
//! with the same filters as the list. Personal data is masked unless the caller asks
//! for it in full, holds the permission, and accepts that the export is audited.

use std::collections::{BTreeMap, HashMap};

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use fazhi_core::calendar::Warning;
use fazhi_core::matter::{ClosureType, MediationOutcome, Satisfaction};
use fazhi_core::role::Permission;
use fazhi_db::matters::page::{Cursor, MatterSort};
use fazhi_db::matters::{self, MatterFilter, parties};
use fazhi_office::ledger::{self, LedgerRow};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::app::{filter_of, order_of};
use super::wire::{MatterOut, MatterQuery};
use crate::AppState;
use crate::auth::{ApiUser, Principal};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::ApiQuery;
use crate::jobs::{self, JobFile, JobOut, JobOutput};

/// Most rows one export holds; narrow the filters for more.
pub const MAX_EXPORT_ROWS: usize = 100_000;

pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(export_xlsx))
        .routes(routes!(start_export_job))
}

/// Extra options of the export.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportOptions {
    /// `full` to export ID numbers and phones unmasked (needs the permission; audited).
    pub personal: Option<String>,
}

fn label<T: Copy>(code: Option<T>, f: impl Fn(T) -> &'static str) -> String {
    code.map_or_else(String::new, |v| f(v).to_string())
}

/// A checked export request: what to read and how.
pub(crate) struct Prepared {
    roots: Vec<String>,
    filter: MatterFilter,
    sort: MatterSort,
    after: Option<Cursor>,
    full: bool,
    actor: fazhi_db::audit::Actor,
}

/// Checks permission and filters (so mistakes answer 400 before any job starts).
pub(crate) async fn prepare(
    state: &AppState,
    p: &Principal,
    q: &MatterQuery,
    o: &ExportOptions,
) -> ApiResult<Prepared> {
    let scope = p.require(Permission::ViewMatters)?;
    let full = match o.personal.as_deref() {
        None | Some("" | "masked") => false,
        Some("full") => {
            // Full data only where the caller may reveal it: narrow the scope to that.
            let reveal = p.require(Permission::RevealPersonalData)?;
            if reveal.roots != scope.roots {
                return Err(ApiError::forbidden());
            }
            true
        }
        Some(_) => return Err(ApiError::field("personal", "personal只能为masked或full")),
    };
    let (sort, after) = order_of(q)?;
    let filter = filter_of(state, p, &scope, q).await?;
    Ok(Prepared {
        roots: scope.roots,
        filter,
        sort,
        after,
        full,
        actor: p.actor(),
    })
}

/// Reads the rows and builds the workbook; `progress(done, total, message)` is told
/// how far it got.
pub(crate) async fn build(
    state: &AppState,
    x: Prepared,
    progress: &(dyn Fn(u64, u64, &str) + Send + Sync),
) -> ApiResult<(JobFile, usize)> {
    let Prepared {
        roots,
        filter: f,
        sort,
        mut after,
        full,
        actor,
    } = x;
    let today = state.clock.today();
    let total = matters::read::count(&state.db, &roots, &f).await?.max(0) as u64;
    if total as usize > MAX_EXPORT_ROWS {
        return Err(ApiError::bad_request(format!(
            "导出超过{MAX_EXPORT_ROWS}条，请缩小日期范围或增加筛选条件"
        )));
    }
    progress(0, total, "正在读取事项…");
    let mut rows = Vec::new();
    loop {
        let page = matters::read::list(&state.db, &roots, &f, sort, after.as_ref(), 1000).await?;
        let Some(last) = page.last() else { break };
        after = Some(sort.cursor_of(last));
        let done = page.len() < 1000;
        rows.extend(page);
        if rows.len() > MAX_EXPORT_ROWS {
            return Err(ApiError::bad_request(format!(
                "导出超过{MAX_EXPORT_ROWS}条，请缩小日期范围或增加筛选条件"
            )));
        }
        progress(
            rows.len() as u64,
            total.max(rows.len() as u64),
            "正在读取事项…",
        );
        if done {
            break;
        }
    }
    let total = rows.len() as u64;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut people: HashMap<i64, Vec<parties::ExportParty>> = HashMap::new();
    for chunk in ids.chunks(1000) {
        for party in parties::for_export(&state.db, &state.vault, chunk, full).await? {
            people.entry(party.matter_id).or_default().push(party);
        }
    }
    let codes: BTreeMap<i64, String> = rows
        .iter()
        .map(|r| (r.id, r.tracking_code.clone()))
        .collect();
    if full {
        fazhi_db::audit::record(
            &state.db,
            &actor,
            "ledger.export",
            "matters",
            &format!("full personal data; {} rows", rows.len()),
        )
        .await?;
    }
    progress(total, total, "正在生成Excel文件…");
    let ledger_rows: Vec<LedgerRow> = rows
        .into_iter()
        .map(|r| {
            let ps = people.remove(&r.id).unwrap_or_default();
            let join = |f: &dyn Fn(&parties::ExportParty) -> Option<String>| {
                ps.iter().filter_map(f).collect::<Vec<_>>().join("、")
            };
            let repeat_of = r
                .repeat_of
                .map(|id| codes.get(&id).cloned().unwrap_or_else(|| format!("#{id}")))
                .unwrap_or_default();
            let m = MatterOut::from_row(r.clone(), &state.matters, today);
            LedgerRow {
                parties: join(&|p| Some(format!("{}（{}）", p.name, p.role.label_zh()))),
                id_numbers: join(&|p| p.id_number.clone()),
                phones: join(&|p| p.phone.clone()),
                closure: label(r.closure_type, ClosureType::label_zh),
                outcome: label(r.outcome, MediationOutcome::label_zh),
                satisfaction: label(r.satisfaction, Satisfaction::label_zh),
                resolved: match r.resolved {
                    Some(true) => "是".into(),
                    Some(false) => "否".into(),
                    None => String::new(),
                },
                overdue: m.warning == Warning::Red,
                tracking_code: fazhi_core::matter::tracking_shown(&m.tracking_code),
                received_on: m.received_on,
                kind: m.kind_label,
                channel: m.channel_label,
                category: m.category_label,
                place: m.division_name,
                grid: m.grid_name.unwrap_or_default(),
                summary: m.summary,
                status: m.status_label,
                assignee: m.assignee.and_then(|a| a.name).unwrap_or_default(),
                handling_due: m.handling_due,
                closed_on: m.closed_on,
                repeat_of,
            }
        })
        .collect();
    let count = ledger_rows.len();
    let title = format!("事项台账（导出日期{today}，共{count}件）");
    // Building the workbook is CPU work: keep it off the async threads.
    let bytes = tokio::task::spawn_blocking(move || ledger::write(&title, &ledger_rows))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)?;
    Ok((
        JobFile {
            name: format!("matters-{today}.xlsx"),
            name_zh: format!("事项台账-{today}.xlsx"),
            content_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            bytes,
        },
        count,
    ))
}

/// Export the ledger view to XLSX (one row per matter; the list's filters apply).
#[utoipa::path(get, path = "/api/v1/matters/export.xlsx", tag = "matters",
    params(MatterQuery, ExportOptions),
    responses((status = 200, description = "XLSX workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub(crate) async fn export_xlsx(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(q): ApiQuery<MatterQuery>,
    ApiQuery(o): ApiQuery<ExportOptions>,
) -> ApiResult<Response> {
    let x = prepare(&state, &p, &q, &o).await?;
    let (file, _) = build(&state, x, &|_, _, _| {}).await?;
    jobs::file_response(&file)
}

/// Starts the export as a background job for the caller.
pub(crate) async fn start_job(
    state: &AppState,
    p: &Principal,
    q: &MatterQuery,
    o: &ExportOptions,
) -> ApiResult<std::sync::Arc<jobs::Job>> {
    let x = prepare(state, p, q, o).await?;
    let job = state.jobs.create(p.user_id, "export", "正在准备导出…")?;
    let (st, j) = (state.clone(), job.clone());
    jobs::spawn(job.clone(), async move {
        let progress = |done, total, message: &str| j.progress(done, total, message);
        let (file, rows) = build(&st, x, &progress).await.map_err(|e| e.body.message)?;
        Ok(JobOutput {
            message: format!("导出完成，共{rows}件事项"),
            result: None,
            file: Some(file),
        })
    });
    Ok(job)
}

/// Export the ledger view to XLSX in the background (same filters as `export.xlsx`);
/// poll `GET /api/v1/jobs/{id}` and download the file when it is done.
#[utoipa::path(post, path = "/api/v1/matters/export-jobs", tag = "matters",
    params(MatterQuery, ExportOptions),
    responses((status = 202, body = JobOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub(crate) async fn start_export_job(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiQuery(q): ApiQuery<MatterQuery>,
    ApiQuery(o): ApiQuery<ExportOptions>,
) -> ApiResult<(StatusCode, Json<JobOut>)> {
    let job = start_job(&state, &p, &q, &o).await?;
    Ok((StatusCode::ACCEPTED, Json(job.view())))
}
