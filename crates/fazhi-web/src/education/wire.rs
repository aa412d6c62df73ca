//! JSON shapes of the education API (kept apart from rows and page view models).

use fazhi_core::education::{EventKind, Group, RosterRole, StudyKind, ThemeDay, VillageRoster};
use fazhi_db::education::events::EventRow;
use fazhi_db::education::laws_of;
use fazhi_db::education::roster::RosterRow;
use fazhi_db::education::study::{AttendanceRow, StudyRow};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Body of `POST /api/v1/education/events` and `PUT …/{id}`.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct EventIn {
    /// theme_day, agencies, villages, communities, schools, enterprises, units, lecture,
    /// performance, online.
    #[serde(default)]
    pub kind: String,
    /// Key of a theme day of the event's year (`GET /api/v1/education/theme-days/{year}`).
    #[serde(default)]
    pub theme: Option<String>,
    /// YYYY-MM-DD; today when absent.
    #[serde(default)]
    pub held_on: Option<String>,
    /// 12-digit code of the village/community (or township) where it was held; the
    /// caller's own place when absent and they have only one.
    #[serde(default)]
    pub division_code: Option<String>,
    /// A grid of that village.
    #[serde(default)]
    pub grid_id: Option<i64>,
    /// The organising unit (司法所, 派出所 …).
    #[serde(default)]
    pub unit_id: Option<i64>,
    /// 活动主题.
    #[serde(default)]
    pub title: String,
    /// Exact place (e.g. 村文化广场).
    #[serde(default)]
    pub place: Option<String>,
    /// People present (0 for online only).
    #[serde(default)]
    pub participants: Option<i64>,
    /// People reached (人次, online included); the participants when absent.
    #[serde(default)]
    pub reached: Option<i64>,
    /// Materials handed out (份).
    #[serde(default)]
    pub materials: Option<i64>,
    /// Laws covered.
    #[serde(default)]
    pub laws: Vec<String>,
    #[serde(default)]
    pub summary: Option<String>,
    /// Required by `PUT`: the version read.
    #[serde(default)]
    pub version: Option<i64>,
}

/// A publicity event.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EventOut {
    pub id: i64,
    pub kind: EventKind,
    pub kind_label: &'static str,
    pub theme_key: Option<String>,
    pub theme_name: Option<String>,
    /// YYYY-MM-DD.
    pub held_on: String,
    pub division_code: String,
    pub division_name: String,
    pub grid_id: Option<i64>,
    pub grid_name: Option<String>,
    pub unit_id: Option<i64>,
    pub unit_name: Option<String>,
    pub title: String,
    pub place: Option<String>,
    pub participants: i64,
    pub reached: i64,
    pub materials: i64,
    pub laws: Vec<String>,
    pub summary: Option<String>,
    pub version: i64,
    /// Whether the caller may change it.
    pub can_edit: bool,
}

impl EventOut {
    pub fn from_row(r: EventRow, can_edit: bool) -> EventOut {
        EventOut {
            id: r.id,
            kind: r.kind,
            kind_label: r.kind.label_zh(),
            theme_key: r.theme_key,
            theme_name: r.theme_name,
            held_on: r.held_on.to_string(),
            division_code: r.division_code,
            division_name: r.division_name,
            grid_id: r.grid_id,
            grid_name: r.grid_name,
            unit_id: r.unit_id,
            unit_name: r.unit_name,
            title: r.title,
            place: r.place,
            participants: r.participants,
            reached: r.reached,
            materials: r.materials,
            laws: laws_of(&r.laws),
            summary: r.summary,
            version: r.version,
            can_edit,
        }
    }
}

/// Filters of the event list.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventQuery {
    /// 12-digit code of a township or village in scope.
    pub division: Option<String>,
    /// Year held; this year when absent.
    pub year: Option<i32>,
    pub kind: Option<String>,
    /// Theme key; `none` for events on no theme day.
    pub theme: Option<String>,
    /// 1–500, default 100.
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// One expected attendee of a study session.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct Attendee {
    /// Account id (`GET /api/v1/education/attendees`).
    pub user_id: i64,
    /// Present (实到) or absent.
    pub present: bool,
    /// Display name (in answers only).
    #[serde(default, skip_deserializing)]
    pub name: String,
}

/// Body of `POST /api/v1/education/study-sessions` and `PUT …/{id}`.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct StudyIn {
    /// central_group, pre_meeting, lecture, training.
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub held_on: Option<String>,
    /// Township (or village) code; the caller's own place when absent and they have one.
    #[serde(default)]
    pub division_code: Option<String>,
    #[serde(default)]
    pub topic: String,
    #[serde(default)]
    pub speaker: Option<String>,
    /// Length in hours (学时), e.g. 1.5.
    #[serde(default)]
    pub hours: Option<f64>,
    #[serde(default)]
    pub laws: Vec<String>,
    #[serde(default)]
    pub summary: Option<String>,
    /// Everyone expected (应到), each present or not; accounts of the place only.
    #[serde(default)]
    pub attendees: Vec<Attendee>,
    #[serde(default)]
    pub version: Option<i64>,
}

/// A study session.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StudyOut {
    pub id: i64,
    pub kind: StudyKind,
    pub kind_label: &'static str,
    pub held_on: String,
    pub division_code: String,
    pub division_name: String,
    pub topic: String,
    pub speaker: Option<String>,
    pub hours: f64,
    pub laws: Vec<String>,
    pub summary: Option<String>,
    /// 应到 and 实到.
    pub expected: i64,
    pub present: i64,
    /// 参学率 in percent.
    pub attendance_rate: Option<f64>,
    /// In the detail only.
    pub attendees: Option<Vec<Attendee>>,
    pub version: i64,
    pub can_edit: bool,
}

impl StudyOut {
    pub fn from_row(
        r: StudyRow,
        can_edit: bool,
        attendees: Option<Vec<AttendanceRow>>,
    ) -> StudyOut {
        StudyOut {
            id: r.id,
            kind: r.kind,
            kind_label: r.kind.label_zh(),
            held_on: r.held_on.to_string(),
            division_code: r.division_code,
            division_name: r.division_name,
            topic: r.topic,
            speaker: r.speaker,
            hours: (r.minutes as f64 / 60.0 * 100.0).round() / 100.0,
            laws: laws_of(&r.laws),
            summary: r.summary,
            expected: r.expected,
            present: r.present,
            attendance_rate: fazhi_core::stats::percent(r.present, r.expected),
            attendees: attendees.map(|a| {
                a.into_iter()
                    .map(|a| Attendee {
                        user_id: a.user_id,
                        present: a.present,
                        name: a.display_name,
                    })
                    .collect()
            }),
            version: r.version,
            can_edit,
        }
    }
}

/// Filters of the study list.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StudyQuery {
    pub division: Option<String>,
    pub year: Option<i32>,
    pub kind: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// An account that can be put on a session's list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Candidate {
    pub user_id: i64,
    pub name: String,
    /// Code of the highest place of their grants there.
    pub division_code: String,
    /// Expected by default (their grant is at the session's place itself).
    pub default_expected: bool,
}

/// Body of `POST /api/v1/education/roster` and `PUT …/{id}`.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct RosterIn {
    /// legal_literate, mediator, grid_worker.
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub name: String,
    /// 12-digit code of the village/community; the caller's own when absent.
    #[serde(default)]
    pub division_code: Option<String>,
    #[serde(default)]
    pub grid_id: Option<i64>,
    /// Mobile or landline; on `PUT`, absent keeps the stored phone and "" removes it.
    #[serde(default)]
    pub phone: Option<String>,
    /// 18-digit 公民身份号码; on `PUT`, absent keeps the stored one and "" removes it.
    #[serde(default)]
    pub id_number: Option<String>,
    /// Training hours received (学时, up to one decimal, at most 2,000).
    #[serde(default)]
    pub training_hours: Option<f64>,
    /// Certificates held, e.g. 人民调解员培训合格证（编号…）.
    #[serde(default)]
    pub certificates: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    /// false: left the roster (kept for the record, no longer counted).
    #[serde(default)]
    pub active: Option<bool>,
    #[serde(default)]
    pub version: Option<i64>,
}

/// A person on the roster (phone masked).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RosterOut {
    pub id: i64,
    pub role: RosterRole,
    pub role_label: &'static str,
    pub name: String,
    pub division_code: String,
    pub division_name: String,
    pub grid_id: Option<i64>,
    pub grid_name: Option<String>,
    /// Masked, e.g. 138****5678.
    pub phone: Option<String>,
    /// Masked, e.g. 1101**********002X.
    pub id_number: Option<String>,
    /// Training hours received (学时).
    pub training_hours: Option<f64>,
    pub certificates: Option<String>,
    pub note: Option<String>,
    pub active: bool,
    pub version: i64,
    pub can_edit: bool,
}

impl RosterOut {
    pub fn from_row(r: RosterRow, can_edit: bool) -> RosterOut {
        RosterOut {
            id: r.id,
            role: r.role,
            role_label: r.role.label_zh(),
            name: r.name,
            division_code: r.division_code,
            division_name: r.division_name,
            grid_id: r.grid_id,
            grid_name: r.grid_name,
            phone: r.phone_mask,
            id_number: r.id_mask,
            training_hours: r.training_tenths.map(|t| t as f64 / 10.0),
            certificates: r.certificates,
            note: r.note,
            active: r.active,
            version: r.version,
            can_edit,
        }
    }
}

/// Filters of the roster list.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RosterQuery {
    pub division: Option<String>,
    pub role: Option<String>,
    /// Include people who left.
    pub all: Option<bool>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// The revealed phone.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PhoneOut {
    pub phone: Option<String>,
}

/// A roster entry's phone and ID number in full.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PersonRevealOut {
    pub phone: Option<String>,
    pub id_number: Option<String>,
}

/// One theme day.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct ThemeDayOut {
    pub key: String,
    pub name: String,
    /// YYYY-MM-DD.
    pub starts_on: String,
    pub ends_on: String,
}

impl From<&ThemeDay> for ThemeDayOut {
    fn from(t: &ThemeDay) -> Self {
        ThemeDayOut {
            key: t.key.clone(),
            name: t.name.clone(),
            starts_on: t.starts_on.to_string(),
            ends_on: t.ends_on.to_string(),
        }
    }
}

/// The theme-day table of a year.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ThemeYear {
    pub year: i32,
    /// false: nobody edited this year, the built-in table is shown.
    pub edited: bool,
    pub days: Vec<ThemeDayOut>,
}

/// Body of `PUT /api/v1/education/theme-days/{year}`; an empty list restores the
/// built-in table.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ThemeYearIn {
    pub days: Vec<ThemeDayOut>,
}

/// Query of the statistics.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EduStatsQuery {
    /// 12-digit code of a township, village or district in scope; the caller's area by default.
    pub division: Option<String>,
    /// This year by default.
    pub year: Option<i32>,
}

/// One figure with its definition and the list of records it counts.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FigureOut {
    pub key: &'static str,
    pub label: &'static str,
    pub unit: &'static str,
    /// Null when there is nothing to divide by.
    pub value: Option<f64>,
    pub definition: &'static str,
    /// The page listing the records behind it.
    pub href: String,
}

/// Sessions and hours of one form of study.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StudyKindOut {
    pub kind: StudyKind,
    pub label: &'static str,
    pub sessions: i64,
    pub hours: f64,
}

/// The education figures of a place and year.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EduStats {
    pub division_code: String,
    pub division_name: String,
    pub year: i32,
    pub figures: Vec<FigureOut>,
    pub by_kind: Vec<Group>,
    pub by_theme: Vec<Group>,
    pub by_division: Vec<Group>,
    pub by_study_kind: Vec<StudyKindOut>,
    /// Every village with its roster counts; `short_by` > 0 is a gap.
    pub villages: Vec<VillageRoster>,
    /// The exams of the place and year with their 参考率, 合格率, 优秀率.
    pub exams: Vec<ExamOut>,
}

/// Codes and labels for forms.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CodeLabel {
    pub code: &'static str,
    pub label: &'static str,
}

/// What the forms offer.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EduOptions {
    pub event_kinds: Vec<CodeLabel>,
    pub study_kinds: Vec<CodeLabel>,
    pub roster_roles: Vec<CodeLabel>,
}

/// An exam with the rates of everyone listed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ExamOut {
    pub id: i64,
    pub title: String,
    pub held_on: String,
    pub division_code: String,
    pub division_name: String,
    /// Name of the imported file.
    pub source_name: String,
    pub total: fazhi_core::education::ExamRates,
}

/// An exam with the rates per unit.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ExamDetail {
    pub exam: ExamOut,
    pub units: Vec<fazhi_core::education::ExamRates>,
    /// The bands the grades were taken with (the current setting).
    pub bands: fazhi_core::education::Bands,
}

/// A row of the file that cannot be imported.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RowError {
    /// Row number as Excel shows it.
    pub row: usize,
    pub message: String,
}

/// What an import found (dry run) or did (`exam_id` set).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ExamImportOut {
    /// Rows read (bad ones included).
    pub rows: usize,
    pub errors: Vec<RowError>,
    pub units: Vec<fazhi_core::education::ExamRates>,
    pub total: fazhi_core::education::ExamRates,
    pub exam_id: Option<i64>,
}

/// Query of the exam list.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExamQuery {
    pub division: Option<String>,
    pub year: Option<i32>,
}

/// The grading bands (lowest score of each grade, out of 100).
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct BandsIn {
    pub excellent: f64,
    pub good: f64,
    pub pass: f64,
}

pub use super::wire_duties::*;
