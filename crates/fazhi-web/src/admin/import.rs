//! Import of a division/grid list from XLSX: every bad row reported, then all or nothing.

use axum::Json;
use axum::extract::{Multipart, State};
use fazhi_core::division::{DivisionCode, Level};
use fazhi_core::role::Permission;
use fazhi_db::admin::divisions::NewDivision;
use fazhi_db::admin::import::{self, ImportCounts, NewGrid};
use fazhi_office::org::{self, OrgList};
use serde::Serialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult, ErrorBody};

/// Largest workbook accepted.
pub const MAX_IMPORT_BYTES: usize = 10 * 1024 * 1024;

/// What an import did.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportOut {
    pub divisions: usize,
    pub grids: usize,
    /// Rows already present, left unchanged.
    pub skipped: usize,
}

/// Divisions (with parent codes) and grids ready to load.
pub type Plan = (Vec<(NewDivision, Option<String>)>, Vec<NewGrid>);

/// Checks every row against the code rules and the caller's scope; returns all problems.
pub fn plan(list: &OrgList, known_parent: &dyn Fn(&str) -> bool) -> Result<Plan, Vec<String>> {
    let mut errors = Vec::new();
    let mut divisions = Vec::new();
    let mut seen: std::collections::HashMap<String, Level> = std::collections::HashMap::new();
    for d in &list.divisions {
        let at = format!("“区划”表第{}行", d.row);
        let Ok(code) = DivisionCode::parse(&d.code) else {
            errors.push(format!("{at}：区划代码“{}”须为12位数字", d.code));
            continue;
        };
        let Some(level) = Level::parse(&d.level) else {
            errors.push(format!(
                "{at}：层级“{}”无法识别（可填 区县、乡镇街道、村社区）",
                d.level
            ));
            continue;
        };
        let parent = match &d.parent_code {
            Some(p) => match DivisionCode::parse(p) {
                Ok(pc) => Some(pc),
                Err(m) => {
                    errors.push(format!("{at}：上级代码有误：{m}"));
                    continue;
                }
            },
            None => None,
        };
        if let Err(m) = code.check_level(level, parent.as_ref()) {
            errors.push(format!("{at}：{m}"));
            continue;
        }
        match &parent {
            None if level != Level::County => {
                errors.push(format!("{at}：乡镇和村社区须填写上级代码"));
                continue;
            }
            Some(p) if !seen.contains_key(p.as_str()) && !known_parent(p.as_str()) => {
                errors.push(format!(
                    "{at}：上级区划“{p}”不存在、不在管辖范围内，或排在本行之后"
                ));
                continue;
            }
            _ => {}
        }
        seen.insert(code.to_string(), level);
        divisions.push((
            NewDivision {
                code: code.to_string(),
                name: d.name.clone(),
                level,
                parent_id: None,
                valid_from: None,
                valid_to: None,
            },
            parent.map(|p| p.to_string()),
        ));
    }
    let mut grids = Vec::new();
    for g in &list.grids {
        let at = format!("“网格”表第{}行", g.row);
        let level = seen.get(g.village_code.as_str()).copied();
        if level.is_none() && !known_parent(&g.village_code) {
            errors.push(format!(
                "{at}：村社区“{}”不存在或不在管辖范围内",
                g.village_code
            ));
            continue;
        }
        if level.is_some_and(|l| l != Level::Village) {
            errors.push(format!(
                "{at}：“{}”不是村（社区），网格只能建在村社区之下",
                g.village_code
            ));
            continue;
        }
        grids.push(NewGrid {
            village_code: g.village_code.clone(),
            name: g.name.clone(),
            households: g.households,
        });
    }
    if errors.is_empty() {
        Ok((divisions, grids))
    } else {
        Err(errors)
    }
}

/// Reads, checks and loads a workbook for `p`; the error lists every bad row.
pub(crate) async fn run(
    state: &AppState,
    p: &Principal,
    bytes: Vec<u8>,
) -> Result<ImportCounts, Vec<String>> {
    let scope = p.scope(Permission::ManageOrg);
    if scope.is_empty() {
        return Err(vec!["没有管理区划的权限".into()]);
    }
    let list = tokio::task::spawn_blocking(move || org::read(&bytes))
        .await
        .map_err(|e| vec![e.to_string()])?
        .map_err(|errs| {
            errs.into_iter()
                .map(|e| {
                    if e.row == 0 {
                        e.message
                    } else {
                        format!("“{}”表第{}行：{}", e.sheet, e.row, e.message)
                    }
                })
                .collect::<Vec<_>>()
        })?;
    // Parents must already exist inside the caller's scope (or come earlier in the file).
    let tree = fazhi_db::admin::divisions::tree(&state.db, &scope.roots)
        .await
        .map_err(|e| vec![e.to_string()])?;
    let known: std::collections::HashSet<String> = tree.into_iter().map(|d| d.code).collect();
    let (divisions, grids) = plan(&list, &|c| known.contains(c))?;
    import::load(&state.db, &p.actor(), &divisions, &grids, &[])
        .await
        .map_err(|e| match e {
            fazhi_db::DbError::Conflict { message, .. } => vec![message],
            other => {
                tracing::error!(error = %other, "import failed");
                vec!["导入失败，未写入任何数据".into()]
            }
        })
}

/// Import divisions and grids from an XLSX file (multipart field `file`); all rows or none.
#[utoipa::path(post, path = "/api/v1/divisions/import", tag = "organisation",
    request_body(content_type = "multipart/form-data", description = "field `file`: the XLSX workbook (sheets 区划, 网格)"),
    responses((status = 200, body = ImportOut), (status = 400, body = ErrorBody), (status = 413, body = ErrorBody)))]
pub(crate) async fn import_org(
    State(state): State<AppState>,
    crate::auth::ApiUser(p): crate::auth::ApiUser,
    mut mp: Multipart,
) -> ApiResult<Json<ImportOut>> {
    p.require(Permission::ManageOrg)?;
    let mut bytes = None;
    while let Some(field) = mp
        .next_field()
        .await
        .map_err(|_| ApiError::bad_request("上传内容无法读取（文件可能超过10MB）"))?
    {
        if field.name() == Some("file") {
            bytes = Some(
                field
                    .bytes()
                    .await
                    .map_err(|_| ApiError::bad_request("上传内容无法读取（文件可能超过10MB）"))?
                    .to_vec(),
            );
        }
    }
    let bytes = bytes.ok_or_else(|| ApiError::field("file", "请选择要导入的XLSX文件"))?;
    match run(&state, &p, bytes).await {
        Ok(c) => Ok(Json(ImportOut {
            divisions: c.divisions,
            grids: c.grids,
            skipped: c.skipped,
        })),
        Err(errors) => {
            let mut e = ApiError::bad_request(format!("导入未执行，发现{}处问题", errors.len()));
            for (i, m) in errors.into_iter().enumerate() {
                e.body.fields.insert(format!("row{}", i + 1), m);
            }
            Err(e)
        }
    }
}
