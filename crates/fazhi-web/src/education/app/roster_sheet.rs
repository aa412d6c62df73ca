//! Rosters to and from XLSX. Export: the list as shown, phones and ID numbers masked
//! unless the caller asks for them in full and may reveal them all (audited, as a
//! reveal). Import, in the steps of the ledger imports: upload (a token, columns
//! suggested by name), dry run (every bad row with its reasons in Chinese), commit —
//! all or nothing: one bad row and nothing is written. People already on the roster
//! (same role and ID number, else same role, name and village) are skipped, so the
//! same sheet imported twice adds nobody. Needs `ManageEducation` over the villages.

use std::collections::{BTreeMap, HashSet};

use fazhi_core::division::Level;
use fazhi_core::education::{
    LedgerPlace, RosterContext, RosterField, RosterRole, check_roster_mapping, roster_line,
    suggest_roster,
};
use fazhi_db::education::Place;
use fazhi_db::education::roster::{self, NewPerson, RosterFilter};
use fazhi_office::import::Sheet;
use fazhi_office::tables::{Cell, Table};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::*;
use crate::matters::import::plan::BadRow;
use crate::matters::import::{ColumnOut, FieldOut, columns, sheet_of};

/// Most people one export holds (an import takes `MAX_LEDGER_ROWS`, the same number).
pub const MAX_ROSTER_ROWS: usize = MAX_LEDGER_ROWS;

/// The export's columns (the import suggests its mapping from the same words).
const HEADERS: [&str; 10] = [
    "姓名",
    "类别",
    "村（社区）",
    "网格",
    "联系电话",
    "身份证号",
    "培训学时",
    "证书",
    "状态",
    "备注",
];

/// Filters and options of the export.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RosterExportQuery {
    pub division: Option<String>,
    pub role: Option<String>,
    /// Include people who left.
    pub all: Option<bool>,
    /// `full` for phones and ID numbers unmasked (needs the right to reveal them over
    /// every place exported; audited). Masked by default.
    pub personal: Option<String>,
}

/// The roster as a workbook, and whether it holds personal data in full.
pub(crate) async fn roster_workbook(
    state: &AppState,
    p: &Principal,
    q: &RosterExportQuery,
) -> ApiResult<(Vec<u8>, bool)> {
    let scope = p.require(Permission::ViewEducation)?;
    let role = match q.role.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(k) => Some(k.parse::<RosterRole>().map_err(
            |e: fazhi_core::matter::UnknownCode| ApiError::field("role", e.to_string()),
        )?),
    };
    let division_path = filter_path(state, &scope, q.division.as_deref()).await?;
    let full = match q.personal.as_deref() {
        None | Some("" | "masked") => false,
        Some("full") => {
            // Full data only where the caller may reveal every row exported.
            let may = reveal_scope(p);
            let covered = match &division_path {
                Some(path) => may.covers(path),
                None => scope.roots.iter().all(|r| may.covers(r)),
            };
            if !covered {
                return Err(ApiError::forbidden());
            }
            true
        }
        Some(_) => return Err(ApiError::field("personal", "personal只能为masked或full")),
    };
    let f = RosterFilter {
        division_path,
        role,
        with_inactive: q.all == Some(true),
        limit: MAX_ROSTER_ROWS as i64 + 1,
        offset: 0,
    };
    let people =
        roster::for_export(&state.db, &state.vault, &p.actor(), &scope.roots, &f, full).await?;
    if people.len() > MAX_ROSTER_ROWS {
        return Err(ApiError::bad_request(format!(
            "导出超过{MAX_ROSTER_ROWS}人，请按村（社区）或类别筛选"
        )));
    }
    let table = Table {
        name: "队伍名册".into(),
        title: format!(
            "队伍名册（{}导出；{}）",
            state.clock.today(),
            if full {
                "含完整电话和身份证号，请妥善保管"
            } else {
                "电话、身份证号已遮蔽"
            }
        ),
        headers: HEADERS.iter().map(|h| h.to_string()).collect(),
        rows: people
            .into_iter()
            .map(|x| {
                let r = x.row;
                vec![
                    Cell::from(r.name),
                    r.role.label_zh().into(),
                    r.division_name.into(),
                    r.grid_name.unwrap_or_default().into(),
                    x.phone.unwrap_or_default().into(),
                    x.id_number.unwrap_or_default().into(),
                    r.training_tenths
                        .map(fazhi_core::education::tenths_text)
                        .unwrap_or_default()
                        .into(),
                    r.certificates.unwrap_or_default().into(),
                    if r.active { "在册" } else { "已退出" }.into(),
                    r.note.unwrap_or_default().into(),
                ]
            })
            .collect(),
    };
    let bytes = tokio::task::spawn_blocking(move || fazhi_office::tables::write(&[table]))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)?;
    Ok((bytes, full))
}

/// What the importer confirmed.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct RosterMapping {
    /// The column (0 for A) of each field.
    #[schema(value_type = BTreeMap<String, usize>)]
    pub columns: BTreeMap<RosterField, usize>,
    /// The role of rows whose role is empty or not mapped (default `legal_literate`).
    pub default_role: Option<String>,
}

/// An uploaded roster: its columns and the suggested mapping.
#[derive(Debug, Serialize, ToSchema)]
pub struct RosterUploadOut {
    pub token: String,
    pub file_name: String,
    pub sheet: String,
    pub header_row: usize,
    pub rows: usize,
    pub columns: Vec<ColumnOut>,
    pub fields: Vec<FieldOut>,
    #[schema(value_type = BTreeMap<String, usize>)]
    pub suggested: BTreeMap<RosterField, usize>,
}

/// The fields in form order.
pub fn roster_fields() -> Vec<FieldOut> {
    RosterField::ALL
        .iter()
        .map(|f| FieldOut {
            code: f.as_str(),
            label: f.label_zh(),
            required: f.required(),
        })
        .collect()
}

/// Reads an uploaded roster and keeps it for the next steps.
pub(crate) async fn roster_upload(
    state: &AppState,
    p: &Principal,
    file_name: String,
    bytes: Vec<u8>,
) -> ApiResult<RosterUploadOut> {
    p.require(Permission::ManageEducation)?;
    let (token, sheet) = super::ledger::keep_sheet(state, p, &file_name, bytes, "名册").await?;
    Ok(RosterUploadOut {
        token,
        file_name,
        sheet: sheet.name.clone(),
        header_row: sheet.header_row,
        rows: sheet.rows.len(),
        columns: columns(&sheet),
        fields: roster_fields(),
        suggested: suggest_roster(&sheet.headers),
    })
}

/// The good rows, and the bad and skipped ones.
struct Checked {
    people: Vec<NewPerson>,
    bad: Vec<BadRow>,
    skipped: Vec<BadRow>,
}

async fn check(
    state: &AppState,
    p: &Principal,
    sheet: &Sheet,
    m: &RosterMapping,
) -> ApiResult<Checked> {
    let scope = p.require(Permission::ManageEducation)?;
    let mut errors = FieldErrors::default();
    if let Err(e) = check_roster_mapping(&m.columns, columns(sheet).len()) {
        errors.add("mapping", e.join("；"));
    }
    let default_role = match m.default_role.as_deref().map(str::trim) {
        None | Some("") => Some(RosterRole::LegalLiterate),
        Some(r) => r.parse::<RosterRole>().ok().or_else(|| {
            errors.add("default_role", "请选择默认类别");
            None
        }),
    };
    let Some(default_role) = default_role.filter(|_| errors.is_empty()) else {
        return Err(invalid(errors));
    };
    let villages: Vec<DivisionRow> = divisions::tree(&state.db, &scope.roots)
        .await?
        .into_iter()
        .filter(|d| d.level == Level::Village)
        .collect();
    let places: Vec<LedgerPlace> = villages
        .iter()
        .map(|d| LedgerPlace {
            name: d.name.clone(),
        })
        .collect();
    let grid_rows = fazhi_db::admin::grids::list(&state.db, &scope.roots, None, 0, 100_000).await?;
    let grids: Vec<(usize, String)> = grid_rows
        .iter()
        .filter_map(|g| {
            let place = villages.iter().position(|v| v.id == g.division_id)?;
            Some((place, g.name.clone()))
        })
        .collect();
    let grid_ids: Vec<i64> = grid_rows
        .iter()
        .filter(|g| villages.iter().any(|v| v.id == g.division_id))
        .map(|g| g.id)
        .collect();
    let ctx = RosterContext {
        columns: &m.columns,
        default_role,
        places: &places,
        grids: &grids,
        today: state.clock.today(),
    };
    // Who is on the rosters already (those who left too), and who came earlier in the file.
    let mut by_id = HashSet::new();
    let mut by_name = HashSet::new();
    for k in roster::keys(&state.db, &scope.roots).await? {
        if let Some(idx) = k.id_idx {
            by_id.insert((k.role, idx));
        }
        by_name.insert((k.role, k.name, k.division_id));
    }
    let mut out = Checked {
        people: Vec::new(),
        bad: Vec::new(),
        skipped: Vec::new(),
    };
    let mut seen_id = HashSet::new();
    let mut seen_name = HashSet::new();
    for r in &sheet.rows {
        let cells: Vec<String> = r.cells.iter().map(|c| c.text()).collect();
        let line = match roster_line(&ctx, &cells) {
            Ok(line) => line,
            Err(reasons) => {
                out.bad.push(BadRow {
                    row: r.row,
                    reason: reasons.join("；"),
                });
                continue;
            }
        };
        let village = &villages[line.place];
        let role = line.fields.role;
        let idx = line
            .fields
            .id_number
            .as_deref()
            .map(|id| roster::id_index(&state.vault, id));
        let name_key = (role, line.fields.name.clone(), village.id);
        let id_key = idx.map(|i| (role, i));
        let known =
            id_key.as_ref().is_some_and(|k| by_id.contains(k)) || by_name.contains(&name_key);
        let repeated =
            id_key.as_ref().is_some_and(|k| seen_id.contains(k)) || seen_name.contains(&name_key);
        if known || repeated {
            out.skipped.push(BadRow {
                row: r.row,
                reason: if known {
                    "已在名册中，跳过".into()
                } else {
                    "与表中前面的行重复，跳过".into()
                },
            });
            continue;
        }
        if let Some(k) = id_key {
            seen_id.insert(k);
        }
        seen_name.insert(name_key);
        out.people.push(NewPerson {
            fields: line.fields,
            place: Place {
                division_id: village.id,
                division_path: village.path.clone(),
                grid_id: line.grid.map(|i| grid_ids[i]),
            },
            active: true,
            keep_phone: false,
            keep_id: false,
        });
    }
    Ok(out)
}

/// Checks the upload under the mapping; with `commit`, stores every new person in one
/// transaction, and only when no row is bad.
pub(crate) async fn roster_check(
    state: &AppState,
    p: &Principal,
    token: &str,
    m: &RosterMapping,
    commit: bool,
) -> ApiResult<SheetCheckOut> {
    let (sheet, file_name) = sheet_of(state, p, token)?;
    let checked = check(state, p, &sheet, m).await?;
    let mut valid = checked.people.len();
    if commit {
        if !checked.bad.is_empty() {
            return Err(ApiError::bad_request(format!(
                "有{}行有问题，名册未导入：请改正后重新检查（名册须全部无误才导入）",
                checked.bad.len()
            )));
        }
        if checked.people.is_empty() {
            return Err(ApiError::bad_request(format!(
                "没有可导入的人员：{}行已在名册中或重复",
                checked.skipped.len()
            )));
        }
        let detail = format!("名册 {file_name}：{}行", sheet.rows.len());
        valid = roster::load(
            &state.db,
            &state.vault,
            &p.actor(),
            &checked.people,
            &detail,
        )
        .await?
        .len();
    }
    Ok(SheetCheckOut {
        total: sheet.rows.len(),
        valid,
        skipped: checked.skipped,
        bad: checked.bad,
        committed: commit,
    })
}
