//! Cadre study sessions (学法) and who was expected and present: accounts of the
//! township, picked from a list, never typed names.

use fazhi_core::education::{StudyFields, StudyKind};
use time::Date;

use super::join_laws;
use crate::audit::{self, Actor};
use crate::sql::{Count, Sql, row};
use crate::{Db, Result, now_ms};

row!(
    /// One session with its place and attendance counts.
    StudyRow {
        id: i64,
        kind: StudyKind,
        held_on: Date,
        division_id: i64,
        division_code: String,
        division_name: String,
        division_path: String,
        topic: String,
        speaker: Option<String>,
        minutes: i64,
        laws: String,
        summary: Option<String>,
        expected: i64,
        present: i64,
        version: i64,
        created_by: Option<i64>,
        created_at: i64,
        updated_at: i64,
    }
);

row!(
    /// One expected attendee.
    AttendanceRow {
        user_id: i64,
        display_name: String,
        present: bool,
    }
);

row!(
    /// An account that may be put on a session's list: active, with a grant in the place.
    Candidate {
        id: i64,
        display_name: String,
        division_path: String,
        division_code: String,
    }
);

const COLS: &str = "SELECT s.id, s.kind, s.held_on, s.division_id, d.code AS division_code, d.name AS division_name, s.division_path, s.topic, s.speaker, s.minutes, s.laws, s.summary, (SELECT COUNT(*) FROM study_attendance a WHERE a.session_id = s.id) AS expected, (SELECT COUNT(*) FROM study_attendance a WHERE a.session_id = s.id AND a.present = 1) AS present, s.version, s.created_by, s.created_at, s.updated_at FROM study_sessions s JOIN divisions d ON d.id = s.division_id";

/// A session to store: checked fields, place, and (user id, present) of each expected
/// attendee (checked by the caller to be candidates of the place).
#[derive(Debug, Clone)]
pub struct NewStudy {
    pub fields: StudyFields,
    pub division_id: i64,
    pub division_path: String,
    pub attendance: Vec<(i64, bool)>,
}

fn bind_fields(q: &mut Sql, s: &NewStudy) {
    let f = &s.fields;
    q.bind(f.kind).push(", ").bind(f.held_on).push(", ");
    q.bind(f.held_on.year() as i64).push(", ");
    q.bind(s.division_id)
        .push(", ")
        .bind(s.division_path.clone());
    q.push(", ").bind(f.topic.clone()).push(", ");
    q.bind(f.speaker.clone())
        .push(", ")
        .bind(f.minutes)
        .push(", ");
    q.bind(join_laws(&f.laws))
        .push(", ")
        .bind(f.summary.clone());
}

async fn write_attendance(tx: &mut crate::WriteTx, id: i64, s: &NewStudy) -> Result<()> {
    let mut q = Sql::new("DELETE FROM study_attendance WHERE session_id = ");
    q.bind(id);
    q.execute(&mut **tx).await?;
    // Multi-row inserts of 60 rows keep the statement near 180 parameters (see bulk.rs).
    for chunk in s.attendance.chunks(60) {
        let mut q = Sql::new("INSERT INTO study_attendance (session_id, user_id, present) VALUES ");
        for (i, (user, present)) in chunk.iter().enumerate() {
            if i > 0 {
                q.push(", ");
            }
            q.push("(").bind(id).push(", ").bind(*user).push(", ");
            q.bind(*present).push(")");
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

/// Stores a session with its attendance and audit row in one transaction.
pub async fn create(db: &Db, actor: &Actor, s: &NewStudy) -> Result<StudyRow> {
    let mut tx = db.begin().await?;
    let now = now_ms();
    let mut q = Sql::new(
        "INSERT INTO study_sessions (kind, held_on, held_year, division_id, division_path, topic, speaker, minutes, laws, summary, version, created_by, created_at, updated_at) VALUES (",
    );
    bind_fields(&mut q, s);
    q.push(", 1, ").bind(actor.id).push(", ").bind(now);
    q.push(", ").bind(now).push(") RETURNING id");
    let id: Count = q.fetch_one(&mut *tx).await?;
    write_attendance(&mut tx, id.0, s).await?;
    audit::append(
        &mut tx,
        actor,
        "education.study.create",
        &format!("study_session:{}", id.0),
        &s.fields.topic,
    )
    .await?;
    tx.commit().await?;
    by_id(db, id.0).await
}

/// Replaces a session and its attendance if it is still at `version`, audited.
pub async fn update(
    db: &Db,
    actor: &Actor,
    id: i64,
    version: i64,
    s: &NewStudy,
) -> Result<StudyRow> {
    let mut tx = db.begin().await?;
    let mut q = Sql::new(
        "UPDATE study_sessions SET (kind, held_on, held_year, division_id, division_path, topic, speaker, minutes, laws, summary) = (",
    );
    bind_fields(&mut q, s);
    q.push(")");
    q.execute_at_version(&mut *tx, now_ms(), id, version)
        .await?;
    write_attendance(&mut tx, id, s).await?;
    audit::append(
        &mut tx,
        actor,
        "education.study.update",
        &format!("study_session:{id}"),
        &s.fields.topic,
    )
    .await?;
    tx.commit().await?;
    by_id(db, id).await
}

/// One session, unscoped (callers check the scope on `division_path`).
pub async fn by_id(db: &Db, id: i64) -> Result<StudyRow> {
    let mut q = Sql::new(COLS);
    q.push(" WHERE s.id = ").bind(id);
    q.fetch_one(db.reader()).await
}

/// The expected attendees of a session.
pub async fn attendance(db: &Db, id: i64) -> Result<Vec<AttendanceRow>> {
    let mut q = Sql::new(
        "SELECT a.user_id, u.display_name, a.present FROM study_attendance a JOIN users u ON u.id = a.user_id WHERE a.session_id = ",
    );
    q.bind(id).push(" ORDER BY a.user_id");
    q.fetch_all(db.reader()).await
}

/// Active accounts with a grant inside `path` (each once, with the highest place of
/// their grants there): who may be put on the list of a session held at `path`.
pub async fn candidates(db: &Db, path: &str) -> Result<Vec<Candidate>> {
    let mut q = Sql::new(
        "SELECT c.id, c.display_name, c.division_path, d.code AS division_code FROM (SELECT u.id, u.display_name, MIN(d.path) AS division_path FROM users u JOIN grants g ON g.user_id = u.id JOIN divisions d ON d.id = g.division_id WHERE u.disabled = 0 AND d.path LIKE ",
    );
    q.bind(format!("{path}%")).push(
        " GROUP BY u.id, u.display_name) c JOIN divisions d ON d.path = c.division_path ORDER BY c.division_path, c.id",
    );
    q.fetch_all(db.reader()).await
}

/// Filters of a session list.
#[derive(Debug, Clone, Default)]
pub struct StudyFilter {
    pub division_path: Option<String>,
    pub year: Option<i32>,
    pub kind: Option<StudyKind>,
    pub limit: i64,
    pub offset: i64,
}

/// Sessions in scope, the latest first.
pub async fn list(db: &Db, roots: &[String], f: &StudyFilter) -> Result<Vec<StudyRow>> {
    let mut q = Sql::new(COLS);
    q.push(" WHERE ").scope("s.division_path", roots);
    if let Some(p) = &f.division_path {
        q.push(" AND s.division_path LIKE ").bind(format!("{p}%"));
    }
    if let Some(y) = f.year {
        q.push(" AND s.held_year = ").bind(y as i64);
    }
    if let Some(k) = f.kind {
        q.push(" AND s.kind = ").bind(k);
    }
    q.push(" ORDER BY s.held_on DESC, s.id DESC LIMIT ")
        .bind(f.limit)
        .push(" OFFSET ")
        .bind(f.offset);
    q.fetch_all(db.reader()).await
}

row!(StudyRefRow {
    source_ref: Option<String>,
});

/// Which of `refs` (keys of imported sessions) are already stored.
pub async fn existing_refs(db: &Db, refs: &[String]) -> Result<std::collections::HashSet<String>> {
    let mut found = std::collections::HashSet::new();
    for chunk in refs.chunks(500) {
        let mut q = Sql::new("SELECT source_ref FROM study_sessions WHERE source_ref IN (");
        for (i, r) in chunk.iter().enumerate() {
            if i > 0 {
                q.push(", ");
            }
            q.bind(r.clone());
        }
        q.push(")");
        let rows: Vec<StudyRefRow> = q.fetch_all(db.reader()).await?;
        found.extend(rows.into_iter().filter_map(|r| r.source_ref));
    }
    Ok(found)
}

/// Stores sessions read from sign-in sheets, each with its key, attendance and audit
/// row, and one `education.study.import` row, in one transaction; keys already stored
/// are left alone (checked again inside it). Returns the ids created.
pub async fn load(
    db: &Db,
    actor: &Actor,
    sessions: &[(NewStudy, String)],
    detail: &str,
) -> Result<Vec<i64>> {
    let mut tx = db.begin_bulk().await?;
    let now = now_ms();
    let mut created = Vec::new();
    for (s, key) in sessions {
        let mut q = Sql::new("SELECT source_ref FROM study_sessions WHERE source_ref = ");
        q.bind(key.clone());
        if q.fetch_optional::<StudyRefRow>(&mut *tx).await?.is_some() {
            continue;
        }
        let mut q = Sql::new(
            "INSERT INTO study_sessions (kind, held_on, held_year, division_id, division_path, topic, speaker, minutes, laws, summary, source_ref, version, created_by, created_at, updated_at) VALUES (",
        );
        bind_fields(&mut q, s);
        q.push(", ").bind(key.clone());
        q.push(", 1, ").bind(actor.id).push(", ").bind(now);
        q.push(", ").bind(now).push(") RETURNING id");
        let id: Count = q.fetch_one(&mut *tx).await?;
        write_attendance(&mut tx, id.0, s).await?;
        audit::append(
            &mut tx,
            actor,
            "education.study.create",
            &format!("study_session:{}", id.0),
            &format!("签到表导入：{}", s.fields.topic),
        )
        .await?;
        created.push(id.0);
    }
    audit::append(
        &mut tx,
        actor,
        "education.study.import",
        "study_sessions",
        &format!("{detail}；新增{}场", created.len()),
    )
    .await?;
    tx.commit().await?;
    Ok(created)
}
