//! The theme-day table of a year, and the codes and labels of the forms.

use super::*;
use fazhi_core::education::{check_theme_days, default_theme_days};
use fazhi_db::education::themes;

/// The table of a year and whether it was edited.
pub(crate) async fn theme_year(state: &AppState, p: &Principal, year: i32) -> ApiResult<ThemeYear> {
    p.require(Permission::ViewEducation)?;
    let year = year_param(Some(year), state.clock.today())?;
    let stored = themes::stored(&state.db, year).await?;
    let edited = !stored.is_empty();
    let days = if edited {
        stored
    } else {
        default_theme_days(year)
    };
    Ok(ThemeYear {
        year,
        edited,
        days: days.iter().map(ThemeDayOut::from).collect(),
    })
}

/// Replaces the table of a year (installation-wide: `ManageSettings`).
pub(crate) async fn put_theme_year(
    state: &AppState,
    p: &Principal,
    year: i32,
    days: &[ThemeDayOut],
) -> ApiResult<ThemeYear> {
    crate::auth::require_global(state, p).await?;
    let year = year_param(Some(year), state.clock.today())?;
    let rows: Vec<(usize, [&str; 4])> = days
        .iter()
        .enumerate()
        .map(|(i, d)| {
            (
                i + 1,
                [
                    d.key.as_str(),
                    d.name.as_str(),
                    d.starts_on.as_str(),
                    d.ends_on.as_str(),
                ],
            )
        })
        .collect();
    let checked =
        check_theme_days(year, &rows).map_err(|e| ApiError::field("days", e.join("；")))?;
    themes::replace(&state.db, &p.actor(), year, &checked).await?;
    theme_year(state, p, year).await
}

/// Codes and labels for forms.
pub(crate) fn options() -> EduOptions {
    use fazhi_core::education::{EventKind, RosterRole, StudyKind};
    EduOptions {
        event_kinds: EventKind::ALL
            .iter()
            .map(|k| CodeLabel {
                code: k.as_str(),
                label: k.label_zh(),
            })
            .collect(),
        study_kinds: StudyKind::ALL
            .iter()
            .map(|k| CodeLabel {
                code: k.as_str(),
                label: k.label_zh(),
            })
            .collect(),
        roster_roles: RosterRole::ALL
            .iter()
            .map(|k| CodeLabel {
                code: k.as_str(),
                label: k.label_zh(),
            })
            .collect(),
    }
}
