//! The yearly figures of a place: the facts of its records, read here and counted by
//! `fazhi_core::education::tally` (one definition per figure). The annual report calls
//! [`tally`] with a township and a year.

use fazhi_core::education::{
    DutyFacts, EducationTally, EventFacts, EventKind, PointsRule, RosterFacts, RosterRole,
    StudyFacts, StudyKind, parse_points_lines, village_points,
};

use crate::sql::{Count, Sql, row};
use crate::{Db, Result};

row!(EventFactRow {
    kind: EventKind,
    theme_key: Option<String>,
    theme_name: Option<String>,
    code: String,
    name: String,
    participants: i64,
    reached: i64,
    materials: i64,
});

row!(StudyFactRow {
    kind: StudyKind,
    minutes: i64,
    expected: i64,
    present: i64,
});

row!(RosterFactRow {
    role: RosterRole,
    code: String,
});

row!(ProfileFactRow {
    model_level: Option<String>,
    adviser_name: Option<String>,
});

row!(VisitFactRow {
    issue_count: i64,
    rectified_on: Option<String>,
});

row!(PointsTownRow {
    points: String,
    path: String,
});

row!(PointsCountRow {
    division_id: i64,
    kind: EventKind,
    n: i64,
});

row!(MembersRow { members: i64 });

row!(VillageRow {
    code: String,
    name: String
});

/// Every figure of the place at `path` (a township, village or district; the caller
/// has checked it is in scope) for the events and sessions held in `year`, and the
/// rosters as they stand.
pub async fn tally(db: &Db, path: &str, year: i32) -> Result<EducationTally> {
    let like = format!("{path}%");
    let mut q = Sql::new(
        "SELECT e.kind, e.theme_key, e.theme_name, d.code, d.name, e.participants, e.reached, e.materials FROM publicity_events e JOIN divisions d ON d.id = e.division_id WHERE e.held_year = ",
    );
    q.bind(year as i64)
        .push(" AND e.division_path LIKE ")
        .bind(like.clone());
    let events: Vec<EventFactRow> = q.fetch_all(db.reader()).await?;
    let mut q = Sql::new(
        "SELECT s.kind, s.minutes, (SELECT COUNT(*) FROM study_attendance a WHERE a.session_id = s.id) AS expected, (SELECT COUNT(*) FROM study_attendance a WHERE a.session_id = s.id AND a.present = 1) AS present FROM study_sessions s WHERE s.held_year = ",
    );
    q.bind(year as i64)
        .push(" AND s.division_path LIKE ")
        .bind(like.clone());
    let study: Vec<StudyFactRow> = q.fetch_all(db.reader()).await?;
    let mut q = Sql::new(
        "SELECT r.role, d.code FROM roster_people r JOIN divisions d ON d.id = r.division_id WHERE r.active = 1 AND r.division_path LIKE ",
    );
    q.bind(like.clone());
    let roster: Vec<RosterFactRow> = q.fetch_all(db.reader()).await?;
    let mut q = Sql::new("SELECT code, name FROM divisions WHERE level = 'village' AND path LIKE ");
    q.bind(like).push(" ORDER BY code");
    let villages: Vec<VillageRow> = q.fetch_all(db.reader()).await?;

    let events: Vec<EventFacts> = events
        .into_iter()
        .map(|r| EventFacts {
            kind: r.kind,
            theme: r.theme_key.zip(r.theme_name),
            division: (r.code, r.name),
            participants: r.participants,
            reached: r.reached,
            materials: r.materials,
        })
        .collect();
    let study: Vec<StudyFacts> = study
        .into_iter()
        .map(|r| StudyFacts {
            kind: r.kind,
            minutes: r.minutes,
            expected: r.expected,
            present: r.present,
        })
        .collect();
    let roster: Vec<RosterFacts> = roster
        .into_iter()
        .map(|r| RosterFacts {
            role: r.role,
            village_code: r.code,
        })
        .collect();
    let villages: Vec<(String, String)> = villages.into_iter().map(|v| (v.code, v.name)).collect();
    let mut t = fazhi_core::education::tally(&events, &study, &roster, &villages);
    fazhi_core::education::count_duties(&mut t, &duty_facts(db, path, year).await?);
    Ok(t)
}

/// The facts of 述法, villages, visits and emergency work of the place and year.
async fn duty_facts(db: &Db, path: &str, year: i32) -> Result<DutyFacts> {
    let like = format!("{path}%");
    let mut q = Sql::new("SELECT COUNT(*) FROM law_statements WHERE year = ");
    q.bind(year as i64)
        .push(" AND division_path LIKE ")
        .bind(like.clone());
    let statements: Count = q.fetch_one(db.reader()).await?;
    let mut q = Sql::new(
        "SELECT model_level, adviser_name FROM village_profiles WHERE division_path LIKE ",
    );
    q.bind(like.clone());
    let villages: Vec<ProfileFactRow> = q.fetch_all(db.reader()).await?;
    let mut q =
        Sql::new("SELECT issue_count, rectified_on FROM enterprise_visits WHERE visited_year = ");
    q.bind(year as i64)
        .push(" AND division_path LIKE ")
        .bind(like.clone());
    let visits: Vec<VisitFactRow> = q.fetch_all(db.reader()).await?;
    let mut q = Sql::new("SELECT COUNT(*) FROM emergency_plans WHERE division_path LIKE ");
    q.bind(like.clone());
    let plans: Count = q.fetch_one(db.reader()).await?;
    let mut q = Sql::new("SELECT COUNT(*) FROM emergency_drills WHERE held_year = ");
    q.bind(year as i64)
        .push(" AND division_path LIKE ")
        .bind(like.clone());
    let drills: Count = q.fetch_one(db.reader()).await?;
    let mut q = Sql::new("SELECT members FROM rescue_teams WHERE division_path LIKE ");
    q.bind(like);
    let teams: Vec<MembersRow> = q.fetch_all(db.reader()).await?;
    Ok(DutyFacts {
        statements: statements.0,
        villages: villages
            .into_iter()
            .map(|v| (v.model_level.is_some(), v.adviser_name.is_some()))
            .collect(),
        visits: visits
            .into_iter()
            .map(|v| (v.issue_count, v.rectified_on.is_some()))
            .collect(),
        emergency_plans: plans.0,
        drills: drills.0,
        village_points: points_of(db, path, year).await?,
        rescue_teams: teams.into_iter().map(|t| t.members).collect(),
    })
}

/// The 积分 the villages under `path` earned in `year`, in every township (the place's
/// own, or those under it) that has 积分制 on; the townships' own events earn none.
async fn points_of(db: &Db, path: &str, year: i32) -> Result<i64> {
    let mut q = Sql::new(
        "SELECT p.points, d.path FROM education_points p JOIN divisions d ON d.id = p.township_division_id WHERE p.enabled = 1 AND (d.path LIKE ",
    );
    q.bind(format!("{path}%"))
        .push(" OR ")
        .bind(path.to_string())
        .push(" LIKE d.path || '%')");
    let towns: Vec<PointsTownRow> = q.fetch_all(db.reader()).await?;
    let mut total = 0;
    for town in towns {
        let rule = PointsRule {
            enabled: true,
            points: parse_points_lines(&town.points),
        };
        // Events at the township's villages, narrowed to the place when it is a village.
        let inner = if path.starts_with(&town.path) {
            path
        } else {
            &town.path
        };
        let mut q = Sql::new(
            "SELECT division_id, kind, COUNT(*) AS n FROM publicity_events WHERE division_path LIKE ",
        );
        q.bind(format!("{inner}%"))
            .push(" AND division_path <> ")
            .bind(town.path.clone())
            .push(" AND held_year = ")
            .bind(year as i64)
            .push(" GROUP BY division_id, kind");
        let counts: Vec<PointsCountRow> = q.fetch_all(db.reader()).await?;
        let counts: Vec<(i64, EventKind, i64)> = counts
            .into_iter()
            .map(|c| (c.division_id, c.kind, c.n))
            .collect();
        total += village_points(&rule, &counts)
            .values()
            .map(|v| v.points)
            .sum::<i64>();
    }
    Ok(total)
}
