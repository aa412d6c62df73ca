//! Photos and sign-in sheets kept with a publicity event or an enterprise visit. The
//! bytes are in the file store (the web layer streams them); here are the digests
//! taken at upload, the record's path for scoping, and the audit of each upload and of
//! every download of a sign-in sheet.

use fazhi_core::education::EduFileKind;

use crate::audit::{self, Actor};
use crate::sql::{Count, Sql, row};
use crate::{Db, Result, WriteTx, now_ms};

/// The record a file is kept with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileRecord {
    /// A publicity event (`publicity_events`).
    Event,
    /// An enterprise visit (`enterprise_visits`).
    Visit,
}

impl FileRecord {
    pub fn as_str(self) -> &'static str {
        match self {
            FileRecord::Event => "event",
            FileRecord::Visit => "visit",
        }
    }

    fn target(self, id: i64) -> String {
        match self {
            FileRecord::Event => format!("publicity_event:{id}"),
            FileRecord::Visit => format!("enterprise_visit:{id}"),
        }
    }
}

row!(
    /// One stored file.
    EduFileRow {
        id: i64,
        record_id: i64,
        division_path: String,
        kind: EduFileKind,
        name: String,
        content_type: String,
        size: i64,
        sha256: String,
        sm3: String,
        personal: bool,
        uploader: String,
        uploaded_at: i64,
    }
);

const COLS: &str = "SELECT id, record_id, division_path, kind, name, content_type, size, sha256, sm3, personal, uploader, uploaded_at FROM education_files";

/// A file as stored, digests taken while it streamed to disk.
#[derive(Debug, Clone)]
pub struct NewEduFile {
    pub kind: EduFileKind,
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub sm3: String,
}

/// Records files of a record inside the caller's transaction, one audit row each.
pub async fn add_tx(
    tx: &mut WriteTx,
    actor: &Actor,
    record: FileRecord,
    record_id: i64,
    division_path: &str,
    files: &[NewEduFile],
) -> Result<()> {
    for n in files {
        let mut q = Sql::new(
            "INSERT INTO education_files (record, record_id, division_path, kind, name, content_type, size, sha256, sm3, personal, uploaded_by, uploader, uploaded_at) VALUES (",
        );
        q.bind(record.as_str().to_string()).push(", ");
        q.bind(record_id)
            .push(", ")
            .bind(division_path.to_string())
            .push(", ");
        q.bind(n.kind).push(", ").bind(n.name.clone()).push(", ");
        q.bind(n.content_type.clone())
            .push(", ")
            .bind(n.size)
            .push(", ");
        q.bind(n.sha256.clone())
            .push(", ")
            .bind(n.sm3.clone())
            .push(", ");
        q.bind(n.kind.personal())
            .push(", ")
            .bind(actor.id)
            .push(", ");
        q.bind(actor.name.clone())
            .push(", ")
            .bind(now_ms())
            .push(") RETURNING id");
        let id = q.fetch_one::<Count>(&mut **tx).await?.0;
        audit::append_tx(
            tx,
            actor,
            "education.file.add",
            &record.target(record_id),
            &format!(
                "{}{}：{}，{} 字节，SHA-256 {}",
                n.kind.label_zh(),
                id,
                n.name,
                n.size,
                n.sha256
            ),
        )
        .await?;
    }
    Ok(())
}

/// Records files of a record in their own transaction.
pub async fn add(
    db: &Db,
    actor: &Actor,
    record: FileRecord,
    record_id: i64,
    division_path: &str,
    files: &[NewEduFile],
) -> Result<()> {
    let mut tx = db.begin().await?;
    add_tx(&mut tx, actor, record, record_id, division_path, files).await?;
    tx.commit().await?;
    Ok(())
}

/// The files of a record, oldest first (the caller checked the record's scope).
pub async fn of_record(db: &Db, record: FileRecord, record_id: i64) -> Result<Vec<EduFileRow>> {
    let mut q = Sql::new(COLS);
    q.push(" WHERE record = ")
        .bind(record.as_str().to_string())
        .push(" AND record_id = ")
        .bind(record_id)
        .push(" ORDER BY id LIMIT 500");
    q.fetch_all(db.reader()).await
}

/// One file of a record (the caller checked the record's scope).
pub async fn get(db: &Db, record: FileRecord, record_id: i64, id: i64) -> Result<EduFileRow> {
    let mut q = Sql::new(COLS);
    q.push(" WHERE id = ")
        .bind(id)
        .push(" AND record = ")
        .bind(record.as_str().to_string())
        .push(" AND record_id = ")
        .bind(record_id);
    q.fetch_one(db.quick()).await
}

/// Audits the download of a sign-in sheet (before it is served).
pub async fn log_download(
    db: &Db,
    actor: &Actor,
    record: FileRecord,
    r: &EduFileRow,
) -> Result<()> {
    audit::record(
        db,
        actor,
        "education.file.download",
        &record.target(r.record_id),
        &format!("{}{}：{}", r.kind.label_zh(), r.id, r.name),
    )
    .await
}
