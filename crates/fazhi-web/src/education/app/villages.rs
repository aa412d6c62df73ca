//! The village table: each village's 民主法治示范村 title, 村规民约 review, legal adviser
//! and 法律明白人 coverage (from the roster). Township staff (`ManageEducation` over the
//! village) edit a village's standing; the district reads and compares its townships.

use super::*;
use fazhi_core::division::Level;
use fazhi_core::education::{LEGAL_LITERATE_TARGET, VillageDraft, check_village};
use fazhi_db::education::villages::{self, VillageRow};

fn out(p: &Principal, r: VillageRow) -> VillageOut {
    VillageOut {
        can_edit: edit_scope(p, Permission::ManageEducation, &r.path),
        legal_literate_short_by: (LEGAL_LITERATE_TARGET - r.legal_literate).max(0),
        code: r.code,
        name: r.name,
        township_code: r.township_code,
        township_name: r.township_name,
        model_level: r.model_level,
        model_level_label: r.model_level.map(|l| l.label_zh()),
        model_year: r.model_year,
        rules_reviewed_on: r.rules_reviewed_on.map(|d| d.to_string()),
        rules_reviewed_by: r.rules_reviewed_by,
        adviser_name: r.adviser_name,
        adviser_firm: r.adviser_firm,
        legal_literate: r.legal_literate,
        version: r.version,
    }
}

/// Counts per township of the villages listed, in their order.
fn per_township(rows: &[VillageOut]) -> Vec<TownshipVillages> {
    let mut out: Vec<TownshipVillages> = Vec::new();
    for v in rows {
        let i = match out.iter().position(|t| t.code == v.township_code) {
            Some(i) => i,
            None => {
                out.push(TownshipVillages {
                    code: v.township_code.clone(),
                    name: v.township_name.clone(),
                    villages: 0,
                    model_villages: 0,
                    rules_reviewed: 0,
                    with_adviser: 0,
                    legal_literate_covered: 0,
                });
                out.len() - 1
            }
        };
        let t = &mut out[i];
        t.villages += 1;
        t.model_villages += i64::from(v.model_level.is_some());
        t.rules_reviewed += i64::from(v.rules_reviewed_on.is_some());
        t.with_adviser += i64::from(v.adviser_name.is_some());
        t.legal_literate_covered += i64::from(v.legal_literate_short_by == 0);
    }
    out
}

/// The village table of a place in scope (the whole scope by default).
pub(crate) async fn village_table(
    state: &AppState,
    p: &Principal,
    division: Option<&str>,
) -> ApiResult<VillageTable> {
    let scope = p.require(Permission::ViewEducation)?;
    let path = filter_path(state, &scope, division).await?;
    let villages: Vec<VillageOut> = villages::list(&state.db, &scope.roots, path.as_deref())
        .await?
        .into_iter()
        .map(|r| out(p, r))
        .collect();
    Ok(VillageTable {
        townships: per_township(&villages),
        villages,
    })
}

async fn visible(state: &AppState, p: &Principal, code: &str) -> ApiResult<VillageRow> {
    let scope = p.require(Permission::ViewEducation)?;
    let d = division_in_scope(state, &scope, code, None).await?;
    if d.level != Level::Village {
        return Err(ApiError::not_found());
    }
    Ok(villages::by_id(&state.db, d.id).await?)
}

/// One village's row.
pub(crate) async fn village_detail(
    state: &AppState,
    p: &Principal,
    code: &str,
) -> ApiResult<VillageOut> {
    Ok(out(p, visible(state, p, code).await?))
}

/// Saves a village's standing at the version read (none for the first save).
pub(crate) async fn save_village(
    state: &AppState,
    p: &Principal,
    code: &str,
    b: &VillageIn,
) -> ApiResult<VillageOut> {
    let row = visible(state, p, code).await?;
    if !edit_scope(p, Permission::ManageEducation, &row.path) {
        return Err(ApiError::forbidden());
    }
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    let fields = check_village(
        &VillageDraft {
            model_level: s(&b.model_level),
            model_year: b.model_year,
            rules_reviewed_on: s(&b.rules_reviewed_on),
            rules_reviewed_by: s(&b.rules_reviewed_by),
            adviser_name: s(&b.adviser_name),
            adviser_firm: s(&b.adviser_firm),
        },
        state.clock.today(),
    )
    .map_err(invalid)?;
    if row.version.is_some() && b.version.is_none() {
        return Err(ApiError::field("version", "缺少版本号，请刷新后重试"));
    }
    let row = villages::save(
        &state.db,
        &p.actor(),
        row.division_id,
        &row.path,
        b.version,
        &fields,
    )
    .await?;
    Ok(out(p, row))
}

/// The village table as an XLSX workbook: the townships' counts, then every village.
pub(crate) async fn village_workbook(
    state: &AppState,
    p: &Principal,
    division: Option<&str>,
) -> ApiResult<Vec<u8>> {
    use fazhi_office::tables::{Cell, Table};
    let t = village_table(state, p, division).await?;
    let h = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let text = |v: &Option<String>| Cell::from(v.clone().unwrap_or_default());
    let tables = vec![
        Table {
            name: "镇街对比".into(),
            title: "村（社区）法治建设 · 各镇（街道）对比".into(),
            headers: h(&[
                "镇（街道）",
                "村（社区）",
                "民主法治示范村",
                "村规民约已审查",
                "有法律顾问",
                "法律明白人达标",
            ]),
            rows: t
                .townships
                .iter()
                .map(|x| {
                    vec![
                        Cell::from(x.name.as_str()),
                        Cell::from(x.villages),
                        Cell::from(x.model_villages),
                        Cell::from(x.rules_reviewed),
                        Cell::from(x.with_adviser),
                        Cell::from(x.legal_literate_covered),
                    ]
                })
                .collect(),
        },
        Table {
            name: "村（社区）".into(),
            title: "村（社区）法治建设 · 各村（社区）".into(),
            headers: h(&[
                "村（社区）",
                "统计用区划代码",
                "镇（街道）",
                "示范村级别",
                "命名年度",
                "村规民约审查日期",
                "审查单位",
                "法律顾问",
                "所在律所",
                "法律明白人",
                "尚缺",
            ]),
            rows: t
                .villages
                .iter()
                .map(|v| {
                    vec![
                        Cell::from(v.name.as_str()),
                        Cell::from(v.code.as_str()),
                        Cell::from(v.township_name.as_str()),
                        Cell::from(v.model_level_label.unwrap_or("")),
                        v.model_year.map_or(Cell::from(""), Cell::from),
                        text(&v.rules_reviewed_on),
                        text(&v.rules_reviewed_by),
                        text(&v.adviser_name),
                        text(&v.adviser_firm),
                        Cell::from(v.legal_literate),
                        Cell::from(v.legal_literate_short_by),
                    ]
                })
                .collect(),
        },
    ];
    tokio::task::spawn_blocking(move || fazhi_office::tables::write(&tables))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)
}
