//! Evidence files of a case and their chain of custody. The bytes are on disk (the web
//! layer streams them); here are the digests taken at upload and every event since.

use crate::audit::{self, Actor};
use crate::sql::{Count, Sql, row};
use crate::{Db, DbError, Result, now_ms};

row!(
    /// One stored file.
    EvidenceRow {
        id: i64,
        case_id: i64,
        division_path: String,
        name: String,
        description: String,
        content_type: String,
        size: i64,
        sha256: String,
        sm3: String,
        uploader: String,
        uploaded_at: i64,
        superseded_by: Option<i64>,
        superseded_reason: Option<String>,
    }
);

row!(
    /// One custody event.
    CustodyRow {
        at: i64,
        actor: String,
        action: String,
        note: String,
    }
);

const COLS: &str = "SELECT id, case_id, division_path, name, description, content_type, size, sha256, sm3, uploader, uploaded_at, superseded_by, superseded_reason FROM evidence_files";

/// A file as uploaded, digests computed while it streamed to disk.
#[derive(Debug, Clone)]
pub struct NewEvidence {
    pub case_id: i64,
    pub division_path: String,
    pub name: String,
    pub description: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub sm3: String,
}

async fn custody_tx(
    tx: &mut crate::WriteTx,
    actor: &Actor,
    file_id: i64,
    action: &str,
    note: &str,
) -> Result<()> {
    let mut q = Sql::new(
        "INSERT INTO evidence_custody (file_id, at, actor_id, actor, action, note) VALUES (",
    );
    q.bind(file_id).push(", ").bind(now_ms()).push(", ");
    q.bind(actor.id)
        .push(", ")
        .bind(actor.name.clone())
        .push(", ");
    q.bind(action.to_string()).push(", ").bind(note.to_string());
    q.push(")");
    q.execute(&mut *tx).await?;
    audit::append_tx(
        tx,
        actor,
        &format!("evidence.{action}"),
        &format!("evidence:{file_id}"),
        note,
    )
    .await
}

/// Records an uploaded file with its first custody row.
pub async fn add(db: &Db, actor: &Actor, n: &NewEvidence) -> Result<i64> {
    let mut tx = db.begin().await?;
    let mut q = Sql::new(
        "INSERT INTO evidence_files (case_id, division_path, name, description, content_type, size, sha256, sm3, uploaded_by, uploader, uploaded_at) VALUES (",
    );
    q.bind(n.case_id).push(", ").bind(n.division_path.clone());
    q.push(", ").bind(n.name.clone()).push(", ");
    q.bind(n.description.clone()).push(", ");
    q.bind(n.content_type.clone()).push(", ").bind(n.size);
    q.push(", ")
        .bind(n.sha256.clone())
        .push(", ")
        .bind(n.sm3.clone());
    q.push(", ")
        .bind(actor.id)
        .push(", ")
        .bind(actor.name.clone());
    q.push(", ").bind(now_ms()).push(") RETURNING id");
    let id = q.fetch_one::<Count>(&mut tx).await?.0;
    let note = format!(
        "{}，{} 字节，SHA-256 {}，SM3 {}",
        n.name, n.size, n.sha256, n.sm3
    );
    custody_tx(&mut tx, actor, id, "upload", &note).await?;
    tx.commit().await?;
    Ok(id)
}

/// The files of a case, oldest first (superseded ones included).
pub async fn of_case(db: &Db, case_id: i64) -> Result<Vec<EvidenceRow>> {
    let mut q = Sql::new(COLS);
    q.push(" WHERE case_id = ")
        .bind(case_id)
        .push(" ORDER BY id");
    q.fetch_all(db.reader()).await
}

/// One file of a case in scope.
pub async fn get(db: &Db, roots: &[String], case_id: i64, id: i64) -> Result<EvidenceRow> {
    let mut q = Sql::new(COLS);
    q.push(" WHERE id = ")
        .bind(id)
        .push(" AND case_id = ")
        .bind(case_id);
    q.push(" AND ").scope("division_path", roots);
    q.fetch_one(db.reader()).await
}

/// Records a custody event (download, check, a failed check).
pub async fn log(db: &Db, actor: &Actor, id: i64, action: &str, note: &str) -> Result<()> {
    let mut tx = db.begin().await?;
    custody_tx(&mut tx, actor, id, action, note).await?;
    tx.commit().await
}

/// Marks `id` superseded, by `by` when a replacement was uploaded, with the reason.
pub async fn supersede(
    db: &Db,
    actor: &Actor,
    id: i64,
    by: Option<i64>,
    reason: &str,
) -> Result<()> {
    let mut tx = db.begin().await?;
    let mut q = Sql::new("UPDATE evidence_files SET superseded_by = ");
    q.bind(by.unwrap_or(id)).push(", superseded_reason = ");
    q.bind(reason.to_string());
    q.push(" WHERE id = ")
        .bind(id)
        .push(" AND superseded_reason IS NULL");
    if q.execute(&mut tx).await? != 1 {
        return Err(DbError::Conflict {
            field: "",
            message: "该证据文件已被替代".into(),
        });
    }
    custody_tx(&mut tx, actor, id, "supersede", reason).await?;
    tx.commit().await
}

/// The custody log of a file, oldest first.
pub async fn custody(db: &Db, id: i64) -> Result<Vec<CustodyRow>> {
    let mut q = Sql::new("SELECT at, actor, action, note FROM evidence_custody WHERE file_id = ");
    q.bind(id).push(" ORDER BY id");
    q.fetch_all(db.reader()).await
}
