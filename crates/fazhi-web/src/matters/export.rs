//! `GET /api/v1/matters/export.xlsx`: any ledger view as the XLSX townships keep,
//! with the same filters as the list. Personal data is masked unless the caller asks
//! for it in full, holds the permission, and accepts that the export is audited.

use std::collections::{BTreeMap, HashMap};

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use fazhi_core::matter::{ClosureType, MediationOutcome, Satisfaction};
use fazhi_core::party::PartyRole;
use fazhi_core::role::Permission;
use fazhi_db::matters::{self, parties};
use fazhi_docs::ledger::{self, LedgerRow};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::api::{filter_of, order_of};
use super::wire::{MatterOut, MatterQuery};
use crate::AppState;
use crate::auth::ApiUser;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::ApiQuery;

/// Most rows one export holds; narrow the filters for more.
pub const MAX_EXPORT_ROWS: usize = 100_000;

pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(export_xlsx))
}

/// Extra options of the export.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportOptions {
    /// `full` to export ID numbers and phones unmasked (needs the permission; audited).
    pub personal: Option<String>,
}

fn label<T: std::str::FromStr>(code: &Option<String>, f: impl Fn(T) -> &'static str) -> String {
    code.as_deref()
        .and_then(|c| c.parse::<T>().ok())
        .map_or_else(String::new, |v| f(v).to_string())
}

/// Export the ledger view to XLSX (one row per matter; the list's filters and order apply).
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
    let (sort, mut after) = order_of(&q)?;
    let f = filter_of(&state, &p, &scope, &q).await?;
    let today = state.clock.today();
    let mut rows = Vec::new();
    loop {
        let page =
            matters::read::list(&state.db, &scope.roots, &f, sort, after.as_ref(), 1000).await?;
        let Some(last) = page.last() else { break };
        after = Some(sort.cursor_of(last));
        let done = page.len() < 1000;
        rows.extend(page);
        if rows.len() > MAX_EXPORT_ROWS {
            return Err(ApiError::bad_request(format!(
                "导出超过{MAX_EXPORT_ROWS}条，请缩小日期范围或增加筛选条件"
            )));
        }
        if done {
            break;
        }
    }
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
            &p.actor(),
            "ledger.export",
            "matters",
            &format!("full personal data; {} rows", rows.len()),
        )
        .await?;
    }
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
                parties: join(&|p| {
                    let role = p
                        .role
                        .parse::<PartyRole>()
                        .map_or_else(|_| p.role.clone(), |x| x.label_zh().to_string());
                    Some(format!("{}（{role}）", p.name))
                }),
                id_numbers: join(&|p| p.id_number.clone()),
                phones: join(&|p| p.phone.clone()),
                closure: label::<ClosureType>(&r.closure_type, ClosureType::label_zh),
                outcome: label::<MediationOutcome>(&r.outcome, MediationOutcome::label_zh),
                satisfaction: label::<Satisfaction>(&r.satisfaction, Satisfaction::label_zh),
                resolved: match r.resolved {
                    Some(1) => "是".into(),
                    Some(_) => "否".into(),
                    None => String::new(),
                },
                overdue: m.warning == "red",
                tracking_code: m.tracking_code,
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
    let title = format!("事项台账（导出日期{today}，共{}件）", ledger_rows.len());
    // Building the workbook is CPU work: keep it off the async threads.
    let bytes = tokio::task::spawn_blocking(move || ledger::write(&title, &ledger_rows))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)?;
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&format!(
            "attachment; filename=\"matters-{today}.xlsx\"; filename*=UTF-8''%E4%BA%8B%E9%A1%B9%E5%8F%B0%E8%B4%A6-{today}.xlsx"
        ))
        .map_err(ApiError::internal)?,
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}
