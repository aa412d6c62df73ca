//! The working-day calendar: official holidays and make-up workdays (调休) as data.
//!
//! No law says how 调休 days count, so we follow the State Council's yearly notice
//! (rules.md §7): every day inside a holiday block is a rest day, a listed make-up
//! Saturday or Sunday is a working day, otherwise Monday–Friday work and
//! Saturday/Sunday rest. The data lives in `data/calendar.toml`; admins may edit it.

mod deadline;
mod file;

use std::collections::{BTreeMap, BTreeSet};

use time::{Date, Month, Weekday};

pub use deadline::{Deadline, Period, PeriodUnit, Warning};
pub use file::CalendarError;

/// The calendar file shipped with the project (official 2025 and 2026 notices).
pub const BUILTIN_TOML: &str = include_str!("../../data/calendar.toml");

/// `YYYY-MM-DD` serde format for [`Date`] (`date_format::option` for `Option<Date>`).
pub mod date_format {
    time::serde::format_description!(ymd, Date, "[year]-[month]-[day]");
    pub use ymd::*;
}

/// One holiday block of a yearly notice, with its make-up workdays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holiday {
    /// Name as in the notice, e.g. "春节".
    pub name: String,
    /// First rest day (inclusive).
    pub from: Date,
    /// Last rest day (inclusive).
    pub to: Date,
    /// Saturdays/Sundays that become working days (调休上班).
    pub workdays: Vec<Date>,
}

/// The holiday arrangement of one year, as published by the State Council.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearSchedule {
    /// Calendar year the notice is for.
    pub year: i32,
    /// Where the data comes from, e.g. "国务院办公厅 2025-11-04".
    pub source: Option<String>,
    /// Holiday blocks in notice order.
    pub holidays: Vec<Holiday>,
}

/// Holidays and make-up workdays for the years the data covers.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Calendar {
    years: BTreeMap<i32, YearSchedule>,
    rest: BTreeSet<Date>,
    work: BTreeSet<Date>,
}

impl Calendar {
    /// The calendar shipped with the project (2025 and 2026).
    pub fn builtin() -> Calendar {
        Calendar::parse(BUILTIN_TOML).expect("data/calendar.toml is valid (tested)")
    }

    /// Parses calendar text; errors name the line and field in Chinese.
    pub fn parse(text: &str) -> Result<Calendar, CalendarError> {
        file::parse(text)
    }

    /// Writes the calendar back as text that [`Calendar::parse`] reads.
    pub fn to_text(&self) -> String {
        file::write(self)
    }

    /// Builds a calendar from year schedules (already validated by the caller or parser).
    pub(crate) fn from_schedules(years: BTreeMap<i32, YearSchedule>) -> Calendar {
        let mut rest = BTreeSet::new();
        let mut work = BTreeSet::new();
        for schedule in years.values() {
            for h in &schedule.holidays {
                let mut d = h.from;
                while d <= h.to {
                    rest.insert(d);
                    match d.next_day() {
                        Some(n) => d = n,
                        None => break,
                    }
                }
                work.extend(h.workdays.iter().copied());
            }
        }
        Calendar { years, rest, work }
    }

    /// This calendar with `schedule`'s year replaced (removed when it has no holidays),
    /// checked as the text is: the form on the settings page edits one year at a time.
    pub fn with_year(&self, schedule: YearSchedule) -> Result<Calendar, CalendarError> {
        let mut years = self.years.clone();
        if schedule.holidays.is_empty() {
            years.remove(&schedule.year);
        } else {
            years.insert(schedule.year, schedule);
        }
        Calendar::parse(&Calendar::from_schedules(years).to_text())
    }

    /// The schedule of one year, if the data has it.
    pub fn schedule(&self, year: i32) -> Option<&YearSchedule> {
        self.years.get(&year)
    }

    /// The year schedules, by year.
    pub fn schedules(&self) -> impl Iterator<Item = &YearSchedule> {
        self.years.values()
    }

    /// Years with holiday data, ascending.
    pub fn years(&self) -> Vec<i32> {
        self.years.keys().copied().collect()
    }

    /// Whether the data holds the notice for `year`.
    pub fn has_year(&self, year: i32) -> bool {
        self.years.contains_key(&year)
    }

    /// From 1 December on, returns next year if its data is missing (the UI warns).
    pub fn next_year_missing(&self, today: Date) -> Option<i32> {
        let next = today.year() + 1;
        (today.month() == Month::December && !self.has_year(next)).then_some(next)
    }

    /// Whether `date` is a working day (工作日).
    pub fn is_working_day(&self, date: Date) -> bool {
        if self.rest.contains(&date) {
            return false;
        }
        if self.work.contains(&date) {
            return true;
        }
        !matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday)
    }

    /// Whether `date` is a rest day (weekend or holiday, not a make-up workday).
    pub fn is_rest_day(&self, date: Date) -> bool {
        !self.is_working_day(date)
    }

    /// The first working day strictly after `date`.
    pub fn next_working_day(&self, date: Date) -> Date {
        let mut d = date;
        // Terminates: holiday blocks are at most 31 days long (checked on parse).
        while let Some(n) = d.next_day() {
            d = n;
            if self.is_working_day(d) {
                return d;
            }
        }
        d
    }

    /// `date` itself if it is a working day, otherwise the next working day (民法典 Art 203).
    pub fn working_day_on_or_after(&self, date: Date) -> Date {
        if self.is_working_day(date) {
            date
        } else {
            self.next_working_day(date)
        }
    }

    /// Last day of a period of `days` calendar days from `start`.
    ///
    /// The start day is not counted (民法典 Art 201); a last day that is a rest day
    /// moves to the next working day (Art 203).
    pub fn add_calendar_days(&self, start: Date, days: u32) -> Date {
        let end = start.saturating_add(time::Duration::days(i64::from(days)));
        self.working_day_on_or_after(end)
    }

    /// Last day of a period of `days` working days from `start` (start day not counted).
    ///
    /// With `days == 0` this is `start` moved to a working day.
    pub fn add_working_days(&self, start: Date, days: u32) -> Date {
        let mut d = start;
        for _ in 0..days {
            d = self.next_working_day(d);
        }
        if days == 0 {
            self.working_day_on_or_after(d)
        } else {
            d
        }
    }

    /// Number of working days in `[from, to)`.
    pub fn working_days_between(&self, from: Date, to: Date) -> u32 {
        let mut n = 0;
        let mut d = from;
        while d < to {
            if self.is_working_day(d) {
                n += 1;
            }
            match d.next_day() {
                Some(next) => d = next,
                None => break,
            }
        }
        n
    }
}
