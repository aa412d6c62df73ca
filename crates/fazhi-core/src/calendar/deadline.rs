//! Periods and running deadlines: extensions and pauses that stop the clock.

use serde::{Deserialize, Serialize};
use time::Date;

use super::{Calendar, date_format};
use crate::matter::code_enum;

code_enum! {
    /// How a period is counted.
    pub enum PeriodUnit: "期限单位" {
        /// Calendar days; a last day on a rest day moves to the next working day.
        CalendarDays = ("calendar_days", "日"),
        /// Working days on the calendar (e.g. 信访工作条例 Art 23 "5个工作日").
        WorkingDays = ("working_days", "个工作日"),
    }
}

code_enum! {
    /// Deadline warning (预警) shown on lists and dashboards.
    pub enum Warning: "预警等级" {
        /// Not near the deadline, or the clock is paused.
        None = ("none", "正常"),
        /// Within the configured number of days before the deadline.
        Yellow = ("yellow", "黄色预警"),
        /// Past the deadline.
        Red = ("red", "红色预警"),
    }
}

/// A length of time, e.g. 60 calendar days or 5 working days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    /// Number of days.
    pub days: u32,
    /// Calendar or working days.
    #[serde(default = "calendar_days")]
    pub unit: PeriodUnit,
}

fn calendar_days() -> PeriodUnit {
    PeriodUnit::CalendarDays
}

impl Period {
    /// A period of calendar days.
    pub const fn calendar_days(days: u32) -> Period {
        Period {
            days,
            unit: PeriodUnit::CalendarDays,
        }
    }

    /// A period of working days.
    pub const fn working_days(days: u32) -> Period {
        Period {
            days,
            unit: PeriodUnit::WorkingDays,
        }
    }

    /// Last day of the period started on `start` (start day not counted).
    pub fn due(self, start: Date, cal: &Calendar) -> Date {
        match self.unit {
            PeriodUnit::CalendarDays => cal.add_calendar_days(start, self.days),
            PeriodUnit::WorkingDays => cal.add_working_days(start, self.days),
        }
    }

    /// Chinese description, e.g. "60日" or "5个工作日".
    pub fn label_zh(self) -> String {
        format!("{}{}", self.days, self.unit.label_zh())
    }
}

/// A running deadline: a period from a start day, lengthened by an extension and by pauses.
///
/// `due` is cached for indexing and overdue lists; call [`Deadline::recompute`]
/// after the calendar data changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    /// Day of the triggering event (receipt, acceptance); not counted.
    #[serde(with = "date_format")]
    pub start: Date,
    /// The base period.
    pub period: Period,
    /// Days added by an approved extension, in the period's unit.
    #[serde(default)]
    pub extension_days: u32,
    /// Days the clock stood still, in the period's unit.
    #[serde(default)]
    pub paused_days: u32,
    /// Set while the clock is paused (e.g. waiting for a hearing).
    #[serde(default, with = "date_format::option")]
    pub paused_since: Option<Date>,
    /// Last day to act, given the calendar.
    #[serde(with = "date_format")]
    pub due: Date,
}

impl Deadline {
    /// Starts a deadline of `period` from `start`.
    pub fn new(start: Date, period: Period, cal: &Calendar) -> Deadline {
        let mut d = Deadline {
            start,
            period,
            extension_days: 0,
            paused_days: 0,
            paused_since: None,
            due: start,
        };
        d.recompute(cal);
        d
    }

    /// Total length counted from `start`.
    pub fn total_days(&self) -> u32 {
        self.period.days + self.extension_days + self.paused_days
    }

    /// Recomputes `due` from the parameters (after an edit or a calendar change).
    pub fn recompute(&mut self, cal: &Calendar) {
        let total = Period {
            days: self.total_days(),
            unit: self.period.unit,
        };
        self.due = total.due(self.start, cal);
    }

    /// Adds an extension of `days` (in the period's unit).
    pub fn extend(&mut self, days: u32, cal: &Calendar) {
        self.extension_days += days;
        self.recompute(cal);
    }

    /// Whether the clock is stopped.
    pub fn is_paused(&self) -> bool {
        self.paused_since.is_some()
    }

    /// Stops the clock from `today`; no effect if already paused.
    pub fn pause(&mut self, today: Date) {
        self.paused_since.get_or_insert(today);
    }

    /// Restarts the clock; the paused interval `[since, today)` lengthens the period.
    ///
    /// Returns the days added (in the period's unit).
    pub fn resume(&mut self, today: Date, cal: &Calendar) -> u32 {
        let Some(since) = self.paused_since.take() else {
            return 0;
        };
        let added = match self.period.unit {
            PeriodUnit::CalendarDays => {
                u32::try_from((today - since).whole_days().max(0)).unwrap_or(u32::MAX)
            }
            PeriodUnit::WorkingDays => cal.working_days_between(since, today),
        };
        self.paused_days = self.paused_days.saturating_add(added);
        self.recompute(cal);
        added
    }

    /// Calendar days from `today` to `due` (negative when overdue).
    pub fn days_left(&self, today: Date) -> i64 {
        (self.due - today).whole_days()
    }

    /// Whether the deadline has passed and the clock is running.
    pub fn is_overdue(&self, today: Date) -> bool {
        !self.is_paused() && today > self.due
    }

    /// Warning level on `today`: red when overdue, yellow within `yellow_days` of `due`.
    pub fn warning(&self, today: Date, yellow_days: u32) -> Warning {
        if self.is_paused() {
            Warning::None
        } else if today > self.due {
            Warning::Red
        } else if self.days_left(today) <= i64::from(yellow_days) {
            Warning::Yellow
        } else {
            Warning::None
        }
    }
}
