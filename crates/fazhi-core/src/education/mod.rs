//! Legal education (普法) and cadre study (学法): publicity events, the yearly calendar
//! of theme days, study sessions with attendance, the rosters of the people who carry
//! the work (法律明白人, mediators, grid workers) and the figures counted from them.
//!
//! Pure domain logic; storage and HTTP live in `fazhi-db` and `fazhi-web`.

mod codes;
mod exam;
mod figures;
mod input;
mod theme;

pub use codes::{EventKind, RosterRole, StudyKind};
pub use exam::{
    Bands, ExamColumns, ExamRates, ExamResult, Grade, exam_columns, exam_rates, exam_row,
};
pub use figures::{
    EduFigure, EducationTally, EventFacts, Group, LEGAL_LITERATE_TARGET, Records, RosterFacts,
    StudyFacts, VillageRoster, tally,
};
pub use input::{
    EventDraft, EventFields, FieldErrors, MAX_COUNT, RosterDraft, RosterFields, StudyDraft,
    StudyFields, check_event, check_roster, check_study, split_laws,
};
pub use theme::{
    ThemeDay, check_theme_days, default_theme_days, parse_theme_lines, theme_lines, themes_on,
};
