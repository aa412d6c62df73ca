//! Legal exams (学法考试): an imported export and its results, written in one
//! transaction (all rows or none), and the grading bands kept as a setting.

use fazhi_core::education::{Bands, ExamResult};
use time::Date;

use crate::audit::{self, Actor};
use crate::sql::{Count, Sql, row};
use crate::{Db, Result, now_ms};

/// The settings key of the grading bands.
pub const BANDS_KEY: &str = "education.exam_bands";

row!(
    /// One imported exam with its place.
    ExamRow {
        id: i64,
        title: String,
        held_on: Date,
        division_id: i64,
        division_code: String,
        division_name: String,
        division_path: String,
        source_name: String,
        created_at: i64,
    }
);

row!(ResultRow {
    name: String,
    unit: String,
    score_hundredths: Option<i64>,
});

/// An exam to store: checked title, day, place and results.
#[derive(Debug, Clone)]
pub struct NewExam {
    pub title: String,
    pub held_on: Date,
    pub division_id: i64,
    pub division_path: String,
    pub source_name: String,
    pub results: Vec<ExamResult>,
}

/// Stores an exam with all its results and the audit row, in one transaction.
pub async fn create(db: &Db, actor: &Actor, e: &NewExam) -> Result<i64> {
    let mut tx = db.begin_bulk().await?;
    let mut q = Sql::new(
        "INSERT INTO exams (title, held_on, held_year, division_id, division_path, source_name, created_by, created_at) VALUES (",
    );
    q.bind(e.title.clone())
        .push(", ")
        .bind(e.held_on)
        .push(", ");
    q.bind(e.held_on.year() as i64)
        .push(", ")
        .bind(e.division_id);
    q.push(", ").bind(e.division_path.clone()).push(", ");
    q.bind(e.source_name.clone()).push(", ").bind(actor.id);
    q.push(", ").bind(now_ms()).push(") RETURNING id");
    let id: Count = q.fetch_one(&mut *tx).await?;
    // 40 rows of 5 values keep each statement near 200 parameters (see matters/bulk.rs).
    for (c, chunk) in e.results.chunks(40).enumerate() {
        let mut q = Sql::new(
            "INSERT INTO exam_results (exam_id, seq, name, unit, score_hundredths) VALUES ",
        );
        for (i, r) in chunk.iter().enumerate() {
            if i > 0 {
                q.push(", ");
            }
            q.push("(").bind(id.0).push(", ").bind((c * 40 + i) as i64);
            q.push(", ").bind(r.name.clone()).push(", ");
            q.bind(r.unit.clone()).push(", ");
            q.bind(r.score.map(|s| (s * 100.0).round() as i64))
                .push(")");
        }
        q.execute(&mut *tx).await?;
    }
    audit::append(
        &mut tx,
        actor,
        "education.exam.import",
        &format!("exam:{}", id.0),
        &format!("{} rows from {}", e.results.len(), e.source_name),
    )
    .await?;
    tx.commit().await?;
    Ok(id.0)
}

const COLS: &str = "SELECT x.id, x.title, x.held_on, x.division_id, d.code AS division_code, d.name AS division_name, x.division_path, x.source_name, x.created_at FROM exams x JOIN divisions d ON d.id = x.division_id";

/// One exam, unscoped (callers check the scope on `division_path`).
pub async fn by_id(db: &Db, id: i64) -> Result<ExamRow> {
    let mut q = Sql::new(COLS);
    q.push(" WHERE x.id = ").bind(id);
    q.fetch_one(db.reader()).await
}

/// The results of an exam, in the order imported.
pub async fn results(db: &Db, id: i64) -> Result<Vec<ExamResult>> {
    let mut q = Sql::new("SELECT name, unit, score_hundredths FROM exam_results WHERE exam_id = ");
    q.bind(id).push(" ORDER BY seq");
    let rows: Vec<ResultRow> = q.fetch_all(db.reader()).await?;
    Ok(rows
        .into_iter()
        .map(|r| ExamResult {
            name: r.name,
            unit: r.unit,
            score: r.score_hundredths.map(|h| h as f64 / 100.0),
        })
        .collect())
}

/// Exams in scope held in a year (optionally under a place), the latest first.
pub async fn list(
    db: &Db,
    roots: &[String],
    division_path: Option<&str>,
    year: i32,
) -> Result<Vec<ExamRow>> {
    let mut q = Sql::new(COLS);
    q.push(" WHERE ").scope("x.division_path", roots);
    if let Some(p) = division_path {
        q.push(" AND x.division_path LIKE ").bind(format!("{p}%"));
    }
    q.push(" AND x.held_year = ").bind(year as i64);
    q.push(" ORDER BY x.held_on DESC, x.id DESC LIMIT 200");
    q.fetch_all(db.reader()).await
}

/// The grading bands as set, or the defaults.
pub async fn bands(db: &Db) -> Result<Bands> {
    let stored = crate::admin::settings::get(db, BANDS_KEY).await?;
    Ok(stored
        .and_then(|s| {
            let v: Vec<f64> = s.split(',').filter_map(|p| p.trim().parse().ok()).collect();
            match v[..] {
                [excellent, good, pass] => Bands {
                    excellent,
                    good,
                    pass,
                }
                .check()
                .ok(),
                _ => None,
            }
        })
        .unwrap_or_default())
}

/// Stores checked bands (audited as a setting change).
pub async fn set_bands(db: &Db, actor: &Actor, b: Bands) -> Result<()> {
    crate::admin::settings::put(
        db,
        actor,
        BANDS_KEY,
        &format!("{},{},{}", b.excellent, b.good, b.pass),
    )
    .await
}
