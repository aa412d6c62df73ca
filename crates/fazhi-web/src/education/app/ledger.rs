//! Import of a township's existing 普法活动 ledger (台账) from XLSX, in the steps of the
//! matter ledger import: upload (the sheet kept under a token for an hour, with a
//! mapping suggested from the header names), dry run (every bad row with its reasons
//! in Chinese, the rows already imported), commit (all good rows in one transaction;
//! keys already stored are skipped). Needs `RecordEducation`; villages named in the
//! ledger must be in the importer's scope.

use std::collections::BTreeMap;
use std::sync::Arc;

use fazhi_core::division::Level;
use fazhi_core::education::{
    EventKind, LedgerContext, LedgerField, LedgerPlace, check_ledger_mapping, default_theme_days,
    ledger_row, suggest_ledger,
};
use fazhi_db::education::Place;
use fazhi_db::education::events::NewEvent;
use fazhi_db::education::ledger::{self, LedgerEvent};
use fazhi_office::import::Sheet;
use serde::{Deserialize, Serialize};
use sha2::Digest;
use utoipa::ToSchema;

use super::*;
use crate::matters::import::plan::BadRow;
use crate::matters::import::{ColumnOut, FieldOut, Upload, columns, sheet_of};

/// Largest ledger accepted, and its rows.
pub const MAX_LEDGER_BYTES: usize = 10 * 1024 * 1024;
pub const MAX_LEDGER_ROWS: usize = 5000;

/// What the importer confirmed.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct LedgerMapping {
    /// The column (0 for A) of each field.
    #[schema(value_type = BTreeMap<String, usize>)]
    pub columns: BTreeMap<LedgerField, usize>,
    /// The type of rows whose type is empty or not mapped (default `villages`).
    pub default_kind: Option<String>,
    /// The place of rows that name no village (a township or village in scope; the
    /// importer's own place when they have one).
    pub division_code: Option<String>,
}

/// An uploaded ledger: its columns and the suggested mapping.
#[derive(Debug, Serialize, ToSchema)]
pub struct LedgerUploadOut {
    pub token: String,
    pub file_name: String,
    pub sheet: String,
    pub header_row: usize,
    pub rows: usize,
    pub columns: Vec<ColumnOut>,
    pub fields: Vec<FieldOut>,
    #[schema(value_type = BTreeMap<String, usize>)]
    pub suggested: BTreeMap<LedgerField, usize>,
}

/// What a dry run of an activity ledger or a roster found (nothing written) or a
/// commit did.
#[derive(Debug, Serialize, ToSchema)]
pub struct SheetCheckOut {
    /// Data rows in the sheet.
    pub total: usize,
    /// Rows good to import (dry run) or imported now (commit).
    pub valid: usize,
    /// Rows already imported (activities already in the ledger, people already on the
    /// roster), or repeating an earlier row of the file (skipped).
    pub skipped: Vec<BadRow>,
    /// Rows that cannot be imported, each with every reason.
    pub bad: Vec<BadRow>,
    /// Whether this was the commit.
    pub committed: bool,
}

/// The fields in form order.
pub fn ledger_fields() -> Vec<FieldOut> {
    LedgerField::ALL
        .iter()
        .map(|f| FieldOut {
            code: f.as_str(),
            label: f.label_zh(),
            required: f.required(),
        })
        .collect()
}

/// Reads an uploaded workbook (bounded, on a blocking thread) and keeps it in the
/// imports' store for the next steps: its token and the sheet. `what` names the
/// ledger in the messages (台账, 签到表, 名册). Shared by the stream's three imports.
pub(crate) async fn keep_sheet(
    state: &AppState,
    p: &Principal,
    file_name: &str,
    bytes: Vec<u8>,
    what: &str,
) -> ApiResult<(String, Arc<Sheet>)> {
    let sheet = tokio::task::spawn_blocking(move || fazhi_office::import::read(&bytes))
        .await
        .map_err(ApiError::internal)?
        .map_err(|m| ApiError::field("file", m))?;
    if sheet.rows.is_empty() {
        return Err(ApiError::field("file", "表头下没有数据行"));
    }
    if sheet.rows.len() > MAX_LEDGER_ROWS {
        return Err(ApiError::field(
            "file",
            format!("{what}超过{MAX_LEDGER_ROWS}行，请分成几个文件导入"),
        ));
    }
    let sheet = Arc::new(sheet);
    let (token, _) = state
        .imports
        .put(
            p.user_id,
            state.clock.now_ms(),
            Upload::new(file_name.to_string(), sheet.clone()),
        )
        .map_err(|_| {
            ApiError::new(
                axum::http::StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                format!("{what}过大，无法暂存，请分成几个文件导入"),
            )
        })?;
    Ok((token, sheet))
}

/// Reads an uploaded workbook and keeps it for the next steps.
pub(crate) async fn ledger_upload(
    state: &AppState,
    p: &Principal,
    file_name: String,
    bytes: Vec<u8>,
) -> ApiResult<LedgerUploadOut> {
    p.require(Permission::RecordEducation)?;
    let (token, sheet) = keep_sheet(state, p, &file_name, bytes, "台账").await?;
    Ok(LedgerUploadOut {
        token,
        file_name,
        sheet: sheet.name.clone(),
        header_row: sheet.header_row,
        rows: sheet.rows.len(),
        columns: columns(&sheet),
        fields: ledger_fields(),
        suggested: suggest_ledger(&sheet.headers),
    })
}

/// The good rows (with their keys) and the bad and repeated ones.
struct Checked {
    rows: Vec<(usize, LedgerEvent)>,
    bad: Vec<BadRow>,
    repeated: Vec<BadRow>,
}

/// A place a row may name: a township or village in the scope.
struct PlaceRef {
    id: i64,
    path: String,
    township_code: String,
}

async fn check(
    state: &AppState,
    p: &Principal,
    sheet: &Sheet,
    m: &LedgerMapping,
) -> ApiResult<Checked> {
    let scope = p.require(Permission::RecordEducation)?;
    let width = columns(sheet).len();
    let mut errors = FieldErrors::default();
    if let Err(e) = check_ledger_mapping(&m.columns, width) {
        errors.add("mapping", e.join("；"));
    }
    let default_kind = match m.default_kind.as_deref().map(str::trim) {
        None | Some("") => Some(EventKind::Villages),
        Some(k) => match k.parse::<EventKind>() {
            Ok(k) if k != EventKind::ThemeDay => Some(k),
            _ => {
                errors.add(
                    "default_kind",
                    "请选择默认活动类型（主题日活动不能作为默认类型）",
                );
                None
            }
        },
    };
    let default = match place_in(
        state,
        p,
        &scope,
        Permission::RecordEducation,
        m.division_code.as_deref(),
        "division_code",
    )
    .await
    {
        Ok(d) => Some(d),
        Err(e) => {
            gather(&mut errors, e)?;
            None
        }
    };
    let (Some(default_kind), Some(default)) = (default_kind, default) else {
        return Err(invalid(errors));
    };
    if !errors.is_empty() {
        return Err(invalid(errors));
    }
    // Townships and villages in scope, by name.
    let tree = fazhi_db::admin::divisions::tree(&state.db, &scope.roots).await?;
    let code_of = |id: Option<i64>| {
        tree.iter()
            .find(|d| Some(d.id) == id)
            .map(|d| d.code.clone())
    };
    let mut places = Vec::new();
    let mut refs = Vec::new();
    for d in tree
        .iter()
        .filter(|d| matches!(d.level, Level::Township | Level::Village))
    {
        let township_code = match d.level {
            Level::Village => code_of(d.parent_id).unwrap_or_else(|| d.code.clone()),
            _ => d.code.clone(),
        };
        places.push(LedgerPlace {
            name: d.name.clone(),
        });
        refs.push(PlaceRef {
            id: d.id,
            path: d.path.clone(),
            township_code,
        });
    }
    let Some(default_place) = refs.iter().position(|r| r.id == default.id) else {
        return Err(ApiError::field(
            "division_code",
            "请选择村（社区）或镇（街道）",
        ));
    };
    let table = theme_days(state, state.clock.today().year()).await?;
    let this_year = state.clock.today().year();
    let calendar = move |y: i32| {
        if y == this_year {
            table.clone()
        } else {
            default_theme_days(y)
        }
    };
    let ctx = LedgerContext {
        columns: &m.columns,
        default_kind,
        places: &places,
        default_place,
        today: state.clock.today(),
        calendar: &calendar,
    };
    let date_col = m.columns.get(&LedgerField::HeldOn).copied();
    let mut out = Checked {
        rows: Vec::new(),
        bad: Vec::new(),
        repeated: Vec::new(),
    };
    let mut seen = std::collections::HashSet::new();
    for r in &sheet.rows {
        let cells: Vec<String> = r
            .cells
            .iter()
            .enumerate()
            .map(|(i, c)| match (Some(i) == date_col, c.date()) {
                (true, Some(d)) => d.to_string(),
                _ => c.text(),
            })
            .collect();
        match ledger_row(&ctx, &cells) {
            Err(reasons) => out.bad.push(BadRow {
                row: r.row,
                reason: reasons.join("；"),
            }),
            Ok(good) => {
                let place = &refs[good.place];
                let key = format!(
                    "edu-ledger:{}:{}",
                    place.township_code,
                    hex::encode(sha2::Sha256::digest(good.key_text.as_bytes()))
                );
                if !seen.insert(key.clone()) {
                    out.repeated.push(BadRow {
                        row: r.row,
                        reason: "与表中前面的行重复，跳过".into(),
                    });
                    continue;
                }
                out.rows.push((
                    r.row,
                    LedgerEvent {
                        event: NewEvent {
                            fields: good.fields,
                            place: Place {
                                division_id: place.id,
                                division_path: place.path.clone(),
                                grid_id: None,
                            },
                            unit_id: None,
                        },
                        source_ref: key,
                    },
                ));
            }
        }
    }
    Ok(out)
}

/// Checks the upload under the mapping; with `commit`, stores all good rows in one
/// transaction (rows already imported are skipped, bad rows listed and left out).
pub(crate) async fn ledger_check(
    state: &AppState,
    p: &Principal,
    token: &str,
    m: &LedgerMapping,
    commit: bool,
) -> ApiResult<SheetCheckOut> {
    let (sheet, file_name) = sheet_of(state, p, token)?;
    let mut checked = check(state, p, &sheet, m).await?;
    let refs: Vec<String> = checked
        .rows
        .iter()
        .map(|(_, e)| e.source_ref.clone())
        .collect();
    let present = ledger::existing(&state.db, &refs).await?;
    let (old, new): (Vec<_>, Vec<_>) = std::mem::take(&mut checked.rows)
        .into_iter()
        .partition(|(_, e)| present.contains(&e.source_ref));
    let mut skipped: Vec<BadRow> = old
        .into_iter()
        .map(|(row, _)| BadRow {
            row,
            reason: "已导入，跳过".into(),
        })
        .chain(checked.repeated)
        .collect();
    skipped.sort_by_key(|b| b.row);
    let mut valid = new.len();
    if commit {
        if new.is_empty() {
            return Err(ApiError::bad_request(format!(
                "没有可导入的行：{}行已导入或重复，{}行有问题",
                skipped.len(),
                checked.bad.len()
            )));
        }
        let events: Vec<LedgerEvent> = new.into_iter().map(|(_, e)| e).collect();
        let detail = format!("台账 {file_name}：{}行", sheet.rows.len());
        valid = ledger::load(&state.db, &p.actor(), &events, &detail)
            .await?
            .len();
    }
    Ok(SheetCheckOut {
        total: sheet.rows.len(),
        valid,
        skipped,
        bad: checked.bad,
        committed: commit,
    })
}
