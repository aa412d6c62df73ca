//! Calendar and deadline tests on the official 2025 and 2026 arrangements (rules.md §7).

use fazhi_core::calendar::{Calendar, Deadline, Period, PeriodUnit, Warning};
use time::macros::date;

fn cal() -> Calendar {
    Calendar::builtin()
}

#[test]
fn builtin_data_covers_2025_and_2026() {
    let c = cal();
    assert_eq!(c.years(), vec![2025, 2026]);
    assert!(c.has_year(2026));
    assert!(!c.has_year(2027));
}

#[test]
fn every_day_of_a_holiday_block_is_a_rest_day() {
    let c = cal();
    for y in c.schedules() {
        for h in &y.holidays {
            let mut d = h.from;
            while d <= h.to {
                assert!(c.is_rest_day(d), "{d} in {}", h.name);
                d = d.next_day().unwrap();
            }
            for w in &h.workdays {
                assert!(c.is_working_day(*w), "make-up day {w}");
            }
        }
    }
    // A weekday inside the 2026 Spring Festival, and 2025 National Day on a Wednesday.
    assert!(c.is_rest_day(date!(2026 - 02 - 18)));
    assert!(c.is_rest_day(date!(2025 - 10 - 08)));
    // 2025 has 28 rest days in its holiday blocks: 1+8+3+5+3+8.
    let days_2025: i64 = c
        .schedules()
        .find(|y| y.year == 2025)
        .unwrap()
        .holidays
        .iter()
        .map(|h| h.rest_days())
        .sum();
    assert_eq!(days_2025, 28);
}

#[test]
fn make_up_weekend_days_are_working_days() {
    let c = cal();
    for d in [
        date!(2025 - 01 - 26),
        date!(2025 - 02 - 08),
        date!(2025 - 04 - 27),
        date!(2025 - 09 - 28),
        date!(2025 - 10 - 11),
        date!(2026 - 01 - 04),
        date!(2026 - 02 - 14),
        date!(2026 - 02 - 28),
        date!(2026 - 05 - 09),
        date!(2026 - 09 - 20),
        date!(2026 - 10 - 10),
    ] {
        assert!(c.is_working_day(d), "{d}");
    }
    // Ordinary weekends stay rest days; ordinary weekdays stay working days.
    assert!(c.is_rest_day(date!(2026 - 03 - 07)));
    assert!(c.is_working_day(date!(2026 - 03 - 09)));
}

#[test]
fn period_ending_in_spring_festival_moves_to_first_working_day_after() {
    let c = cal();
    // 30 days from 2026-01-20 ends on 2026-02-19, inside 2/15–2/23.
    assert_eq!(
        c.add_calendar_days(date!(2026 - 01 - 20), 30),
        date!(2026 - 02 - 24)
    );
    // 15-day acceptance notice for a petition received 2026-02-01: 2/16 → 2/24.
    let d = Deadline::new(date!(2026 - 02 - 01), Period::calendar_days(15), &c);
    assert_eq!(d.due, date!(2026 - 02 - 24));
    // 2025: 15 days from 2025-01-15 = 1/30 (春节) → 2/5.
    assert_eq!(
        c.add_calendar_days(date!(2025 - 01 - 15), 15),
        date!(2025 - 02 - 05)
    );
}

#[test]
fn period_ending_on_make_up_saturday_does_not_move() {
    let c = cal();
    // 10 days from 2026-02-04 ends on Saturday 2/14, a make-up working day.
    assert_eq!(
        c.add_calendar_days(date!(2026 - 02 - 04), 10),
        date!(2026 - 02 - 14)
    );
    assert_eq!(
        c.add_calendar_days(date!(2025 - 01 - 29), 10),
        date!(2025 - 02 - 08)
    );
    // An ordinary Saturday moves to Monday.
    assert_eq!(
        c.add_calendar_days(date!(2026 - 03 - 04), 3),
        date!(2026 - 03 - 09)
    );
}

#[test]
fn five_working_days_across_national_day() {
    let c = cal();
    // 2025: received Tue 9/30; 10/1–10/8 rest; 10/9, 10/10, 10/11 (make-up Sat), 10/13, 10/14.
    assert_eq!(
        c.add_working_days(date!(2025 - 09 - 30), 5),
        date!(2025 - 10 - 14)
    );
    // 2026: received Fri 9/18; 9/20 (make-up Sun), 9/21, 9/22, 9/23, 9/24.
    assert_eq!(
        c.add_working_days(date!(2026 - 09 - 18), 5),
        date!(2026 - 09 - 24)
    );
    // 2026: received Wed 9/30; 10/1–10/7 rest; 10/8, 10/9, 10/10 (Sat), 10/12, 10/13.
    let d = Deadline::new(date!(2026 - 09 - 30), Period::working_days(5), &c);
    assert_eq!(d.period.unit, PeriodUnit::WorkingDays);
    assert_eq!(d.due, date!(2026 - 10 - 13));
}

#[test]
fn sixty_day_handling_with_a_pause() {
    let c = cal();
    // 60 days from 2026-03-02 is 5/1 (劳动节 5/1–5/5) → 5/6.
    let mut d = Deadline::new(date!(2026 - 03 - 02), Period::calendar_days(60), &c);
    assert_eq!(d.due, date!(2026 - 05 - 06));
    // Waiting for a hearing from 3/10 to 3/20 stops the clock for 10 days: 5/11 (Mon).
    d.pause(date!(2026 - 03 - 10));
    assert!(d.is_paused());
    assert_eq!(d.warning(date!(2026 - 05 - 20), 3), Warning::None);
    assert_eq!(d.resume(date!(2026 - 03 - 20), &c), 10);
    assert_eq!(d.due, date!(2026 - 05 - 11));
    // Extension of 30 days on top: 60 + 10 + 30 = 100 days → 2026-06-10 (Wed).
    d.extend(30, &c);
    assert_eq!(d.due, date!(2026 - 06 - 10));
}

#[test]
fn working_day_pause_counts_working_days() {
    let c = cal();
    let mut d = Deadline::new(date!(2025 - 09 - 26), Period::working_days(5), &c);
    // 9/28 (Sun, make-up), 9/29, 9/30, 10/9, 10/10.
    assert_eq!(d.due, date!(2025 - 10 - 10));
    // Paused Mon 9/29 to Thu 10/9: working days 9/29, 9/30 → two more working days.
    d.pause(date!(2025 - 09 - 29));
    assert_eq!(d.resume(date!(2025 - 10 - 09), &c), 2);
    assert_eq!(d.due, date!(2025 - 10 - 13));
}

#[test]
fn warnings() {
    let c = cal();
    let d = Deadline::new(date!(2026 - 03 - 02), Period::calendar_days(60), &c);
    assert_eq!(d.warning(date!(2026 - 04 - 01), 3), Warning::None);
    assert_eq!(d.warning(date!(2026 - 05 - 03), 3), Warning::Yellow);
    assert_eq!(d.warning(date!(2026 - 05 - 06), 3), Warning::Yellow);
    assert_eq!(d.warning(date!(2026 - 05 - 07), 3), Warning::Red);
    assert!(d.is_overdue(date!(2026 - 05 - 07)));
}

#[test]
fn next_working_day_skips_blocks() {
    let c = cal();
    assert_eq!(
        c.next_working_day(date!(2026 - 02 - 13)),
        date!(2026 - 02 - 14)
    );
    assert_eq!(
        c.next_working_day(date!(2026 - 02 - 14)),
        date!(2026 - 02 - 24)
    );
    assert_eq!(
        c.next_working_day(date!(2025 - 12 - 31)),
        date!(2026 - 01 - 04)
    );
}

#[test]
fn next_year_warning_from_first_of_december() {
    let c = cal();
    assert_eq!(c.next_year_missing(date!(2026 - 11 - 30)), None);
    assert_eq!(c.next_year_missing(date!(2026 - 12 - 01)), Some(2027));
    assert_eq!(c.next_year_missing(date!(2025 - 12 - 15)), None);
}

#[test]
fn text_round_trip() {
    let c = cal();
    let text = c.to_text();
    let again = Calendar::parse(&text).unwrap();
    assert_eq!(again, c);
    assert_eq!(again.to_text(), text);
}

#[test]
fn adding_a_year_by_text() {
    let mut text = cal().to_text();
    text.push_str(
        "\n[[year]]\nyear = 2027\nholidays = [\n  { name = \"元旦\", from = \"2027-1-1\" },\n]\n",
    );
    let c = Calendar::parse(&text).unwrap();
    assert!(c.has_year(2027));
    assert!(c.is_rest_day(date!(2027 - 01 - 01)));
    assert_eq!(c.next_year_missing(date!(2026 - 12 - 02)), None);
}

fn parse_err(text: &str) -> (usize, String) {
    let e = Calendar::parse(text).unwrap_err();
    (e.line, e.to_string())
}

#[test]
fn errors_name_line_and_field_in_chinese() {
    let (line, msg) = parse_err(
        "[[year]]\nyear = 2026\nholidays = [\n  { name = \"春节\", from = \"2026-02-30\" },\n]\n",
    );
    assert_eq!(line, 4);
    assert!(
        msg.contains("第4行") && msg.contains("holidays.from") && msg.contains("无效"),
        "{msg}"
    );

    let (line, msg) = parse_err(
        "[[year]]\nyear = 2026\nholidays = [\n  { name = \"春节\", from = \"2026-02-15\", to = \"2026-02-23\", workdays = [\"2026-02-16\"] },\n]\n",
    );
    assert_eq!(line, 4);
    assert!(msg.contains("周六或周日"), "{msg}");

    let (_, msg) = parse_err(
        "[[year]]\nyear = 2026\nholidays = [\n  { name = \"春节\", from = \"2026-02-23\", to = \"2026-02-15\" },\n]\n",
    );
    assert!(msg.contains("结束日期早于开始日期"), "{msg}");

    let (line, msg) = parse_err("[[year]]\nyear = 2026\n[[year]]\nyear = 2026\n");
    assert_eq!(line, 4);
    assert!(msg.contains("重复"), "{msg}");

    let (line, msg) = parse_err(
        "[[year]]\nyear = 2026\nholidays = [\n  { name = \"元旦\" from = \"2026-01-01\" },\n]\n",
    );
    assert_eq!(line, 4);
    assert!(msg.contains("格式错误"), "{msg}");

    let (_, msg) = parse_err(
        "[[year]]\nyear = 2026\nholidays = [\n  { name = \"元旦\", from = \"2025-06-01\" },\n]\n",
    );
    assert!(msg.contains("不属于2026年"), "{msg}");

    let (_, msg) = parse_err(
        "[[year]]\nyear = 2026\nholidays = [\n  { name = \"元旦\", form = \"2026-01-01\" },\n]\n",
    );
    assert!(
        msg.contains("第4行") && msg.contains("字段名不正确"),
        "{msg}"
    );
}

#[test]
fn one_year_is_replaced_and_checked_like_the_text() {
    use fazhi_core::calendar::{Holiday, YearSchedule};
    let cal = Calendar::builtin();
    let d = |s: &str| {
        time::Date::parse(s, time::macros::format_description!("[year]-[month]-[day]")).unwrap()
    };
    let spring = Holiday {
        name: "春节".into(),
        from: d("2027-02-05"),
        to: d("2027-02-13"),
        workdays: vec![d("2027-01-31")],
    };
    let y = |holidays| YearSchedule {
        year: 2027,
        source: Some("通知".into()),
        holidays,
    };
    let next = cal.with_year(y(vec![spring.clone()])).unwrap();
    assert!(next.has_year(2027) && next.has_year(2026));
    assert!(next.is_rest_day(d("2027-02-08")));
    assert!(
        next.is_working_day(d("2027-01-31")),
        "a Sunday made a workday"
    );
    // A make-up workday on a Monday is refused, as in the text.
    let mut bad = spring;
    bad.workdays = vec![d("2027-02-01")];
    assert!(cal.with_year(y(vec![bad])).is_err());
    // No holidays removes the year.
    assert!(!next.with_year(y(vec![])).unwrap().has_year(2027));
}
