//! Legal education (普法) and cadre study (学法): publicity events, the yearly calendar
//! of theme days, study sessions with attendance, the rosters of the people who carry
//! the work (法律明白人, mediators, grid workers) and the figures counted from them.
//!
//! Pure domain logic; storage and HTTP live in `fazhi-db` and `fazhi-web`.

mod codes;
mod columns;
mod duties;
mod exam;
mod figures;
mod input;
mod ledger;
mod points;
mod roster_sheet;
mod sign_in;
mod theme;

pub use codes::{
    DrillForm, EduFileKind, EventKind, HeadPost, ModelLevel, PlanKind, RosterRole,
    StatementOccasion, StatementRating, StudyKind,
};
pub use columns::{SheetField, check_mapping, suggest};
pub use duties::{
    CampaignDraft, CampaignFields, DEFAULT_DRILL_YEARS, DrillDraft, DrillFields,
    EmergencyPlanDraft, EmergencyPlanFields, MAX_STATEMENT_CHARS, MAX_TEAM_MEMBERS, PlanEvent,
    PlanFacts, PlanItemDraft, PlanItemFields, PlanReminder, RatingDraft, RescueTeamDraft,
    RescueTeamFields, StatementDraft, StatementFields, VillageDraft, VillageFacts, VillageFields,
    VisitDraft, VisitFields, check_campaign, check_drill, check_emergency_plan, check_plan_item,
    check_rating, check_rescue_team, check_statement, check_village, check_visit, counts_for,
    plan_progress, plan_reminders, visit_overdue,
};
pub use exam::{
    Bands, ExamColumns, ExamRates, ExamResult, Grade, exam_columns, exam_rates, exam_row,
};
pub use figures::{
    DutyFacts, EduFigure, EducationTally, EventFacts, Group, LEGAL_LITERATE_TARGET, Records,
    RosterFacts, StudyFacts, VillageRoster, count_duties, tally,
};
pub use input::{
    EventDraft, EventFields, FieldErrors, MAX_COUNT, RosterDraft, RosterFields, StudyDraft,
    StudyFields, check_event, check_roster, check_study, hours_in_tenths, split_laws, tenths_text,
};
pub use ledger::{
    LedgerContext, LedgerField, LedgerPlace, LedgerRow, check_ledger_mapping, kind_of_text,
    ledger_row, place_of_text, suggest_ledger,
};
pub use points::{
    MAX_EVENT_POINTS, PointsRule, VillagePoints, check_points, parse_points_lines, points_lines,
    village_points,
};
pub use roster_sheet::{
    RosterContext, RosterField, RosterLine, check_roster_mapping, roster_line, roster_role_of_text,
    suggest_roster,
};
pub use sign_in::{
    SignInField, SignInLine, check_sign_in_mapping, present_of_text, sign_in_line,
    study_kind_of_text, suggest_sign_in,
};
pub use theme::{
    ThemeDay, check_theme_days, default_theme_days, parse_theme_lines, theme_lines, themes_on,
};
