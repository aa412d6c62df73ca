//! Import of a township's existing study sign-in sheets (学法签到表) from XLSX, in the
//! steps of the ledger imports: upload (a token, columns suggested by name), dry run
//! (every bad row with its reasons), commit (all good sessions in one transaction).
//! Rows of the same day and topic are one session; each name must be one account of
//! the township (attendance is never typed names); a session with a bad row is left
//! out whole, so its 应到/实到 are never short. Needs `ManageEducation`.

use std::collections::BTreeMap;

use fazhi_core::education::{
    SignInField, SignInLine, StudyDraft, StudyKind, check_sign_in_mapping, check_study,
    sign_in_line, suggest_sign_in,
};
use fazhi_db::education::study::{self, NewStudy};
use serde::{Deserialize, Serialize};
use sha2::Digest;
use utoipa::ToSchema;

use super::study::attendance_root;
use super::*;
use crate::matters::import::plan::BadRow;
use crate::matters::import::{ColumnOut, FieldOut, columns, sheet_of};

/// What the importer confirmed.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct SignInMapping {
    #[schema(value_type = BTreeMap<String, usize>)]
    pub columns: BTreeMap<SignInField, usize>,
    /// The form of rows that do not say (default `pre_meeting`).
    pub default_kind: Option<String>,
    /// Where the sessions were held (the caller's own place when they have one).
    pub division_code: Option<String>,
}

/// An uploaded sheet: its columns and the suggested mapping.
#[derive(Debug, Serialize, ToSchema)]
pub struct SignInUploadOut {
    pub token: String,
    pub file_name: String,
    pub sheet: String,
    pub header_row: usize,
    pub rows: usize,
    pub columns: Vec<ColumnOut>,
    pub fields: Vec<FieldOut>,
    #[schema(value_type = BTreeMap<String, usize>)]
    pub suggested: BTreeMap<SignInField, usize>,
}

/// What a dry run found (nothing written) or a commit did.
#[derive(Debug, Serialize, ToSchema)]
pub struct SignInCheckOut {
    /// Data rows in the sheet.
    pub total: usize,
    /// Sessions good to import (dry run) or imported now (commit).
    pub sessions: usize,
    /// Their attendance rows.
    pub attendees: usize,
    /// Rows of sessions already imported, or repeating a name in a session.
    pub skipped: Vec<BadRow>,
    /// Rows that cannot be imported, each with every reason.
    pub bad: Vec<BadRow>,
    pub committed: bool,
}

/// A session's day and topic as the sheet writes them.
type SessionKey = (String, String);

fn fields() -> Vec<FieldOut> {
    SignInField::ALL
        .iter()
        .map(|f| FieldOut {
            code: f.as_str(),
            label: f.label_zh(),
            required: f.required(),
        })
        .collect()
}

/// Reads an uploaded sign-in workbook and keeps it for the next steps.
pub(crate) async fn sign_in_upload(
    state: &AppState,
    p: &Principal,
    file_name: String,
    bytes: Vec<u8>,
) -> ApiResult<SignInUploadOut> {
    p.require(Permission::ManageEducation)?;
    let (token, sheet) = super::ledger::keep_sheet(state, p, &file_name, bytes, "签到表").await?;
    Ok(SignInUploadOut {
        token,
        file_name,
        sheet: sheet.name.clone(),
        header_row: sheet.header_row,
        rows: sheet.rows.len(),
        columns: columns(&sheet),
        fields: fields(),
        suggested: suggest_sign_in(&sheet.headers),
    })
}

/// Checks the sheet under the mapping; with `commit`, stores all good sessions in one
/// transaction.
pub(crate) async fn sign_in_check(
    state: &AppState,
    p: &Principal,
    token: &str,
    m: &SignInMapping,
    commit: bool,
) -> ApiResult<SignInCheckOut> {
    let scope = p.require(Permission::ManageEducation)?;
    let (sheet, file_name) = sheet_of(state, p, token)?;
    let mut errors = FieldErrors::default();
    if let Err(e) = check_sign_in_mapping(&m.columns, columns(&sheet).len()) {
        errors.add("mapping", e.join("；"));
    }
    let default_kind = match m.default_kind.as_deref().map(str::trim) {
        None | Some("") => Some(StudyKind::PreMeeting),
        Some(k) => match k.parse::<StudyKind>() {
            Ok(k) => Some(k),
            Err(_) => {
                errors.add("default_kind", "请选择默认学习形式");
                None
            }
        },
    };
    let place = match place_in(
        state,
        p,
        &scope,
        Permission::ManageEducation,
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
    let (Some(default_kind), Some(place)) = (default_kind, place) else {
        return Err(invalid(errors));
    };
    if !errors.is_empty() {
        return Err(invalid(errors));
    }
    let root = attendance_root(state, &place).await?;
    let township_code = divisions::tree(&state.db, std::slice::from_ref(&root))
        .await?
        .into_iter()
        .find(|d| d.path == root)
        .map(|d| d.code)
        .unwrap_or_else(|| place.code.clone());
    let candidates = study::candidates(&state.db, &root).await?;
    let date_col = m.columns.get(&SignInField::HeldOn).copied();

    // Rows read and grouped by (day, topic), in sheet order.
    let mut bad: Vec<BadRow> = Vec::new();
    let mut skipped: Vec<BadRow> = Vec::new();
    let mut groups: Vec<(SessionKey, Vec<(usize, SignInLine)>)> = Vec::new();
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
        match sign_in_line(&m.columns, &cells, default_kind) {
            Err(reasons) => bad.push(BadRow {
                row: r.row,
                reason: reasons.join("；"),
            }),
            Ok(line) => {
                let key = (line.held_on.clone(), line.topic.clone());
                match groups.iter_mut().find(|(k, _)| *k == key) {
                    Some((_, lines)) => lines.push((r.row, line)),
                    None => groups.push((key, vec![(r.row, line)])),
                }
            }
        }
    }
    let bad_rows_of =
        |rows: &[usize], bad: &[BadRow]| rows.iter().any(|r| bad.iter().any(|b| b.row == *r));
    let mut ready: Vec<(NewStudy, String, Vec<usize>)> = Vec::new();
    let today = state.clock.today();
    for ((day, topic), lines) in groups {
        let first = &lines[0].1;
        let mut session_bad: Vec<BadRow> = Vec::new();
        let draft = StudyDraft {
            kind: first.kind.as_str().into(),
            held_on: day.clone(),
            topic: topic.clone(),
            speaker: first.speaker.clone(),
            hours: first.hours,
            laws: Vec::new(),
            summary: String::new(),
        };
        let fields = match check_study(&draft, today) {
            Ok(f) => Some(f),
            Err(e) => {
                let reason =
                    e.0.into_iter()
                        .map(|(_, m)| m)
                        .collect::<Vec<_>>()
                        .join("；");
                for (row, _) in &lines {
                    session_bad.push(BadRow {
                        row: *row,
                        reason: reason.clone(),
                    });
                }
                None
            }
        };
        let mut attendance: Vec<(i64, bool)> = Vec::new();
        let mut rows = Vec::new();
        for (row, line) in &lines {
            rows.push(*row);
            if line.kind != first.kind || line.hours != first.hours {
                session_bad.push(BadRow {
                    row: *row,
                    reason: format!("学习形式或学时与同一场学习的第{}行不一致", lines[0].0),
                });
                continue;
            }
            let matches: Vec<i64> = candidates
                .iter()
                .filter(|c| c.display_name == line.name)
                .map(|c| c.id)
                .collect();
            match matches.as_slice() {
                [id] if attendance.iter().any(|(u, _)| u == id) => skipped.push(BadRow {
                    row: *row,
                    reason: format!("“{}”在同一场学习中重复签到，跳过", line.name),
                }),
                [id] => attendance.push((*id, line.present)),
                [] => session_bad.push(BadRow {
                    row: *row,
                    reason: format!("“{}”不是本镇（街道）的在用账户", line.name),
                }),
                _ => session_bad.push(BadRow {
                    row: *row,
                    reason: format!("本镇（街道）有多个账户名为“{}”，无法确定是谁", line.name),
                }),
            }
        }
        let any_bad = !session_bad.is_empty() || bad_rows_of(&rows, &bad);
        bad.extend(session_bad);
        if any_bad {
            for r in rows {
                if !bad.iter().any(|b| b.row == r) && !skipped.iter().any(|s| s.row == r) {
                    bad.push(BadRow {
                        row: r,
                        reason: "同一场学习（日期和主题相同）有问题行，整场未导入".into(),
                    });
                }
            }
            continue;
        }
        if let Some(fields) = fields {
            let key = format!(
                "study-ledger:{township_code}:{}",
                hex::encode(sha2::Sha256::digest(format!("{day}|{topic}").as_bytes()))
            );
            ready.push((
                NewStudy {
                    fields,
                    division_id: place.id,
                    division_path: place.path.clone(),
                    attendance,
                },
                key,
                rows,
            ));
        }
    }
    let keys: Vec<String> = ready.iter().map(|(_, k, _)| k.clone()).collect();
    let present = study::existing_refs(&state.db, &keys).await?;
    let (old, new): (Vec<_>, Vec<_>) = ready.into_iter().partition(|(_, k, _)| present.contains(k));
    for (_, _, rows) in old {
        skipped.extend(rows.into_iter().map(|row| BadRow {
            row,
            reason: "已导入，跳过".into(),
        }));
    }
    bad.sort_by_key(|b| b.row);
    skipped.sort_by_key(|b| b.row);
    let attendees = new.iter().map(|(s, _, _)| s.attendance.len()).sum();
    let mut sessions = new.len();
    if commit {
        if new.is_empty() {
            return Err(ApiError::bad_request(format!(
                "没有可导入的学习：{}行已导入或重复，{}行有问题",
                skipped.len(),
                bad.len()
            )));
        }
        let batch: Vec<(NewStudy, String)> = new.into_iter().map(|(s, k, _)| (s, k)).collect();
        let detail = format!("签到表 {file_name}：{}行", sheet.rows.len());
        sessions = study::load(&state.db, &p.actor(), &batch, &detail)
            .await?
            .len();
    }
    Ok(SignInCheckOut {
        total: sheet.rows.len(),
        sessions,
        attendees,
        skipped,
        bad,
        committed: commit,
    })
}
