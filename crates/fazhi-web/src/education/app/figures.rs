//! The figures of a place and year, each with its definition and the list it counts.

use super::*;
use fazhi_core::education::EduFigure;
use fazhi_db::education::stats;

/// The page listing the records behind a figure, for a place and year.
pub(crate) fn figure_href(f: EduFigure, code: &str, year: i32) -> String {
    use fazhi_core::education::Records;
    match (f.records(), f) {
        (Records::Events, _) => format!("/education?division={code}&year={year}"),
        (Records::StudySessions, _) => format!("/education/study?division={code}&year={year}"),
        (Records::Roster, EduFigure::VillagesShort) => {
            format!("/education/roster?division={code}#gaps")
        }
        (Records::Roster, _) => format!("/education/roster?division={code}&role=legal_literate"),
        (Records::Statements, _) => format!("/education/statements?division={code}&year={year}"),
        (Records::Villages, _) => format!("/education/villages?division={code}"),
        (Records::Visits, _) => format!("/education/visits?division={code}&year={year}"),
        (Records::Emergency, _) => format!("/education/emergency?division={code}"),
        (Records::Points, _) => format!("/education/points?division={code}&year={year}"),
        (Records::Rescue, _) => format!("/education/rescue?division={code}&year={year}"),
    }
}

/// The figures of a place in scope (the caller's area by default) and a year.
pub(crate) async fn figures(
    state: &AppState,
    p: &Principal,
    q: &EduStatsQuery,
) -> ApiResult<EduStats> {
    let scope = p.require(Permission::ViewEducation)?;
    let year = year_param(q.year, state.clock.today())?;
    let d = match q
        .division
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        Some(c) => division_in_scope(state, &scope, c, Some("division")).await?,
        None => {
            let g = p
                .grants
                .iter()
                .find(|g| {
                    g.role.has(Permission::ViewEducation) && scope.roots.contains(&g.division_path)
                })
                .ok_or_else(ApiError::forbidden)?;
            divisions::by_id(&state.db, g.division_id).await?
        }
    };
    let t = stats::tally(&state.db, &d.path, year).await?;
    // Themes in the order of the year's table, events on no theme day last.
    let table = theme_days(state, year).await?;
    let mut by_theme = t.by_theme.clone();
    by_theme.sort_by_key(|g| {
        table
            .iter()
            .position(|d| d.key == g.key)
            .unwrap_or(if g.key.is_empty() {
                usize::MAX
            } else {
                table.len()
            })
    });
    let exams = list_exams(
        state,
        p,
        &ExamQuery {
            division: Some(d.code.clone()),
            year: Some(year),
        },
    )
    .await?;
    Ok(EduStats {
        exams,
        figures: EduFigure::ALL
            .into_iter()
            .map(|f| FigureOut {
                key: f.key(),
                label: f.label(),
                unit: f.unit(),
                value: f.value(&t),
                definition: f.definition(),
                href: figure_href(f, &d.code, year),
            })
            .collect(),
        by_kind: t.by_kind.clone(),
        by_theme,
        by_division: t.by_division.clone(),
        by_study_kind: t
            .by_study_kind
            .iter()
            .map(|(k, n, minutes)| StudyKindOut {
                kind: *k,
                label: k.label_zh(),
                sessions: *n,
                hours: (*minutes as f64 / 60.0 * 100.0).round() / 100.0,
            })
            .collect(),
        villages: t.villages.clone(),
        division_code: d.code,
        division_name: d.name,
        year,
    })
}
