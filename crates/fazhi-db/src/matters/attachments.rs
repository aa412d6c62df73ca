//! Files kept with a matter (一事一档). The bytes are in the file store (the web layer
//! streams them); here are the digests taken at upload, and the audit of each upload
//! and of every download of a file holding personal data.

use fazhi_core::matter::{AttachmentKind, Status};

use crate::audit::{self, Actor};
use crate::sql::{Count, Sql, row};
use crate::{Db, Result, now_ms};

row!(
    /// One attachment.
    AttachmentRow {
        id: i64,
        matter_id: i64,
        kind: AttachmentKind,
        name: String,
        description: String,
        content_type: String,
        size: i64,
        sha256: String,
        sm3: String,
        personal: bool,
        step: Status,
        uploader: String,
        uploaded_at: i64,
    }
);

/// The uploader by display name, as on the timeline (the login name stored, else).
const COLS: &str = "SELECT a.id, a.matter_id, a.kind, a.name, a.description, a.content_type, a.size, a.sha256, a.sm3, a.personal, a.step, COALESCE(u.display_name, a.uploader) AS uploader, a.uploaded_at FROM matter_attachments a LEFT JOIN users u ON u.id = a.uploaded_by";

/// A file as stored, digests taken while it streamed to disk.
#[derive(Debug, Clone)]
pub struct NewAttachment {
    pub matter_id: i64,
    pub kind: AttachmentKind,
    pub name: String,
    pub description: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub sm3: String,
    pub personal: bool,
    pub step: Status,
}

/// Records an uploaded file, audited; returns its id.
pub async fn add(db: &Db, actor: &Actor, n: &NewAttachment) -> Result<i64> {
    add_at(db, actor, n, now_ms()).await
}

/// Records a file as added at `at` (Unix ms): the demo files its scans on the days the
/// steps they belong to were taken, so timelines stay in order.
pub async fn add_at(db: &Db, actor: &Actor, n: &NewAttachment, at: i64) -> Result<i64> {
    let mut tx = db.begin().await?;
    let mut q = Sql::new(
        "INSERT INTO matter_attachments (matter_id, kind, name, description, content_type, size, sha256, sm3, personal, step, uploaded_by, uploader, uploaded_at) VALUES (",
    );
    q.bind(n.matter_id).push(", ").bind(n.kind).push(", ");
    q.bind(n.name.clone())
        .push(", ")
        .bind(n.description.clone())
        .push(", ");
    q.bind(n.content_type.clone())
        .push(", ")
        .bind(n.size)
        .push(", ");
    q.bind(n.sha256.clone())
        .push(", ")
        .bind(n.sm3.clone())
        .push(", ");
    q.bind(n.personal).push(", ").bind(n.step).push(", ");
    q.bind(actor.id)
        .push(", ")
        .bind(actor.name.clone())
        .push(", ");
    q.bind(at).push(") RETURNING id");
    let id = q.fetch_one::<Count>(&mut tx).await?.0;
    audit::append_tx(
        &mut tx,
        actor,
        "matter.attachment",
        &format!("matter:{}", n.matter_id),
        &format!("{}，{} 字节，SHA-256 {}", n.name, n.size, n.sha256),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The files of a matter, oldest first (the caller checked the matter's scope).
pub async fn of_matter(db: &Db, matter_id: i64) -> Result<Vec<AttachmentRow>> {
    let mut q = Sql::new(COLS);
    q.push(" WHERE a.matter_id = ")
        .bind(matter_id)
        .push(" ORDER BY a.id LIMIT 500");
    q.fetch_all(db.reader()).await
}

/// One file of a matter (the caller checked the matter's scope).
pub async fn get(db: &Db, matter_id: i64, id: i64) -> Result<AttachmentRow> {
    let mut q = Sql::new(COLS);
    q.push(" WHERE a.id = ")
        .bind(id)
        .push(" AND a.matter_id = ")
        .bind(matter_id);
    q.fetch_one(db.reader()).await
}

/// Audits the download of a file holding personal data (before it is served).
pub async fn log_download(db: &Db, actor: &Actor, r: &AttachmentRow) -> Result<()> {
    audit::record(
        db,
        actor,
        "matter.attachment_download",
        &format!("matter:{}", r.matter_id),
        &format!("附件{}：{}", r.id, r.name),
    )
    .await
}
