//! 积分制: a township's points per event type (`education_points`, one row per
//! township, created on the first save, then changed under its version), and the
//! counts of its villages' events per type that the points are computed from.

use fazhi_core::education::{EventKind, PointsRule, parse_points_lines, points_lines};

use crate::audit::{self, Actor};
use crate::sql::{Sql, row};
use crate::{Db, DbError, Result, now_ms};

row!(
    /// A township's stored setting.
    PointsRow {
        enabled: bool,
        points: String,
        version: i64,
    }
);

row!(
    /// Events of one type at one division.
    KindCount {
        division_id: i64,
        kind: EventKind,
        n: i64,
    }
);

/// A township's setting and its version (`None` before the first save: the default).
pub async fn rule(db: &Db, township_id: i64) -> Result<(PointsRule, Option<i64>)> {
    let mut q = Sql::new(
        "SELECT enabled, points, version FROM education_points WHERE township_division_id = ",
    );
    q.bind(township_id);
    Ok(match q.fetch_optional::<PointsRow>(db.reader()).await? {
        None => (PointsRule::default(), None),
        Some(r) => (
            PointsRule {
                enabled: r.enabled,
                points: parse_points_lines(&r.points),
            },
            Some(r.version),
        ),
    })
}

/// Saves a township's setting: the first time with no version, then at the version
/// read (else `Stale`); audited.
pub async fn save(
    db: &Db,
    actor: &Actor,
    township_id: i64,
    version: Option<i64>,
    rule: &PointsRule,
) -> Result<()> {
    let mut tx = db.begin().await?;
    let now = now_ms();
    let lines = points_lines(&rule.points);
    let changed = match version {
        None => {
            let mut q = Sql::new(
                "INSERT INTO education_points (township_division_id, enabled, points, version, updated_by, updated_at) VALUES (",
            );
            q.bind(township_id).push(", ").bind(rule.enabled).push(", ");
            q.bind(lines.clone()).push(", 1, ").bind(actor.id);
            q.push(", ").bind(now);
            q.push(") ON CONFLICT (township_division_id) DO NOTHING");
            q.execute(&mut *tx).await?
        }
        Some(v) => {
            let mut q = Sql::new("UPDATE education_points SET enabled = ");
            q.bind(rule.enabled).push(", points = ").bind(lines.clone());
            q.push(", updated_by = ").bind(actor.id);
            q.push(", updated_at = ").bind(now);
            q.push(", version = version + 1 WHERE township_division_id = ");
            q.bind(township_id).push(" AND version = ").bind(v);
            q.execute(&mut *tx).await?
        }
    };
    if changed != 1 {
        return Err(DbError::Stale);
    }
    audit::append(
        &mut tx,
        actor,
        "education.points.save",
        &format!("division:{township_id}"),
        &format!(
            "积分制{}；{}",
            if rule.enabled { "启用" } else { "停用" },
            lines.replace('\n', "，")
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Events of a year held at each village under `township_path`, per type.
pub async fn village_counts(db: &Db, township_path: &str, year: i32) -> Result<Vec<KindCount>> {
    let mut q = Sql::new(
        "SELECT division_id, kind, COUNT(*) AS n FROM publicity_events WHERE division_path LIKE ",
    );
    q.bind(format!("{township_path}%"))
        .push(" AND division_path <> ")
        .bind(township_path.to_string())
        .push(" AND held_year = ")
        .bind(year as i64)
        .push(" GROUP BY division_id, kind");
    q.fetch_all(db.reader()).await
}
