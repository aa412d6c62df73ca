//! Enterprise visits (法治体检): who visited which enterprise when, the issues found,
//! the advice and the day to rectify by, and whether it was done. Contact phones are
//! sealed like the rosters' (`pii`); the follow-up list is the open issues past their day.

use fazhi_core::education::VisitFields;
use fazhi_core::party::mask_phone;
use time::Date;

use super::files::{self, FileRecord, NewEduFile};
use crate::audit::{self, Actor};
use crate::pii::{PiiKind, Vault};
use crate::sql::{Count, Sql, row};
use crate::{Db, DbError, Result, now_ms};

row!(
    /// One visit (the contact phone masked only).
    VisitRow {
        id: i64,
        division_id: i64,
        division_code: String,
        division_name: String,
        division_path: String,
        enterprise: String,
        visited_on: Date,
        visitors: String,
        contact_name: Option<String>,
        phone_mask: Option<String>,
        issues: Option<String>,
        issue_count: i64,
        advice: Option<String>,
        rectify_by: Option<Date>,
        rectified_on: Option<Date>,
        version: i64,
        created_at: i64,
        updated_at: i64,
    }
);

row!(SealedPhone { phone_enc: Option<String> });

const COLS: &str = "SELECT v.id, v.division_id, d.code AS division_code, d.name AS division_name, v.division_path, v.enterprise, v.visited_on, v.visitors, v.contact_name, v.phone_mask, v.issues, v.issue_count, v.advice, v.rectify_by, v.rectified_on, v.version, v.created_at, v.updated_at FROM enterprise_visits v JOIN divisions d ON d.id = v.division_id";

/// A visit to store.
#[derive(Debug, Clone)]
pub struct NewVisit {
    pub fields: VisitFields,
    pub division_id: i64,
    pub division_path: String,
    /// On update: leave the stored phone as it is (forms only show its mask).
    pub keep_phone: bool,
}

fn bind_fields(q: &mut Sql, v: &NewVisit) {
    let f = &v.fields;
    q.bind(v.division_id)
        .push(", ")
        .bind(v.division_path.clone());
    q.push(", ")
        .bind(f.enterprise.clone())
        .push(", ")
        .bind(f.visited_on);
    q.push(", ").bind(f.visited_on.year() as i64).push(", ");
    q.bind(f.visitors.clone())
        .push(", ")
        .bind(f.contact_name.clone());
    q.push(", ")
        .bind(f.issues.clone())
        .push(", ")
        .bind(f.issue_count);
    q.push(", ")
        .bind(f.advice.clone())
        .push(", ")
        .bind(f.rectify_by);
    q.push(", ").bind(f.rectified_on);
}

fn bind_phone(q: &mut Sql, vault: &Vault, phone: Option<&str>) {
    q.bind(phone.map(|v| vault.seal(PiiKind::Phone, v)))
        .push(", ");
    q.bind(phone.map(|v| vault.blind_index(PiiKind::Phone, v)))
        .push(", ");
    q.bind(phone.map(mask_phone));
}

/// Stores a visit and its audit row in one transaction.
pub async fn create(db: &Db, vault: &Vault, actor: &Actor, v: &NewVisit) -> Result<VisitRow> {
    create_with_files(db, vault, actor, v, &[]).await
}

/// Stores a visit with the photos and sign-in sheets sent with it (already in the file
/// store), all in one transaction with their audit rows.
pub async fn create_with_files(
    db: &Db,
    vault: &Vault,
    actor: &Actor,
    v: &NewVisit,
    files: &[NewEduFile],
) -> Result<VisitRow> {
    let mut tx = db.begin().await?;
    let now = now_ms();
    let mut q = Sql::new(
        "INSERT INTO enterprise_visits (division_id, division_path, enterprise, visited_on, visited_year, visitors, contact_name, issues, issue_count, advice, rectify_by, rectified_on, phone_enc, phone_idx, phone_mask, version, created_by, created_at, updated_at) VALUES (",
    );
    bind_fields(&mut q, v);
    q.push(", ");
    bind_phone(&mut q, vault, v.fields.contact_phone.as_deref());
    q.push(", 1, ").bind(actor.id).push(", ").bind(now);
    q.push(", ").bind(now).push(") RETURNING id");
    let id: Count = q.fetch_one(&mut *tx).await?;
    audit::append(
        &mut tx,
        actor,
        "education.visit.create",
        &format!("enterprise_visit:{}", id.0),
        &v.fields.enterprise,
    )
    .await?;
    files::add_tx(
        &mut tx,
        actor,
        FileRecord::Visit,
        id.0,
        &v.division_path,
        files,
    )
    .await?;
    tx.commit().await?;
    by_id(db, id.0).await
}

/// Replaces a visit still at `version` (e.g. to record the rectification), audited.
pub async fn update(
    db: &Db,
    vault: &Vault,
    actor: &Actor,
    id: i64,
    version: i64,
    v: &NewVisit,
) -> Result<VisitRow> {
    let mut tx = db.begin().await?;
    let mut q = Sql::new(
        "UPDATE enterprise_visits SET (division_id, division_path, enterprise, visited_on, visited_year, visitors, contact_name, issues, issue_count, advice, rectify_by, rectified_on",
    );
    if v.keep_phone {
        q.push(") = (");
        bind_fields(&mut q, v);
    } else {
        q.push(", phone_enc, phone_idx, phone_mask) = (");
        bind_fields(&mut q, v);
        q.push(", ");
        bind_phone(&mut q, vault, v.fields.contact_phone.as_deref());
    }
    q.push(")");
    q.execute_at_version(&mut *tx, now_ms(), id, version)
        .await?;
    audit::append(
        &mut tx,
        actor,
        "education.visit.update",
        &format!("enterprise_visit:{id}"),
        if v.fields.open() { "open" } else { "closed" },
    )
    .await?;
    tx.commit().await?;
    by_id(db, id).await
}

/// One visit, unscoped (callers check the scope on `division_path`).
pub async fn by_id(db: &Db, id: i64) -> Result<VisitRow> {
    let mut q = Sql::new(COLS);
    q.push(" WHERE v.id = ").bind(id);
    q.fetch_one(db.reader()).await
}

/// The sealed contact phone of a visit in scope, opened, with an audit row in the same
/// transaction. None when no phone was given.
pub async fn reveal_phone(
    db: &Db,
    vault: &Vault,
    actor: &Actor,
    roots: &[String],
    id: i64,
) -> Result<Option<String>> {
    let mut tx = db.begin().await?;
    let mut q = Sql::new("SELECT phone_enc FROM enterprise_visits WHERE id = ");
    q.bind(id).push(" AND ").scope("division_path", roots);
    let row: SealedPhone = q.fetch_one(&mut *tx).await?;
    let Some(sealed) = row.phone_enc else {
        return Ok(None);
    };
    let plain = vault.open(PiiKind::Phone, &sealed).map_err(|_| {
        DbError::Config("personal data was sealed with another key: check the key file".into())
    })?;
    audit::append(
        &mut tx,
        actor,
        "visit.reveal",
        &format!("enterprise_visit:{id}"),
        "phone",
    )
    .await?;
    tx.commit().await?;
    Ok(Some(plain))
}

/// Filters of the visit list.
#[derive(Debug, Clone, Default)]
pub struct VisitFilter {
    pub division_path: Option<String>,
    pub year: Option<i32>,
    /// Only open issues whose rectify-by day is before this day (the follow-up list).
    pub overdue_on: Option<Date>,
    pub limit: i64,
}

/// Visits in scope, the latest first (the follow-up list: the oldest deadline first).
pub async fn list(db: &Db, roots: &[String], f: &VisitFilter) -> Result<Vec<VisitRow>> {
    let mut q = Sql::new(COLS);
    q.push(" WHERE ").scope("v.division_path", roots);
    if let Some(p) = &f.division_path {
        q.push(" AND v.division_path LIKE ").bind(format!("{p}%"));
    }
    if let Some(y) = f.year {
        q.push(" AND v.visited_year = ").bind(y as i64);
    }
    match f.overdue_on {
        Some(day) => {
            q.push(" AND v.issue_count > 0 AND v.rectified_on IS NULL AND v.rectify_by < ");
            q.bind(day).push(" ORDER BY v.rectify_by, v.id");
        }
        None => {
            q.push(" ORDER BY v.visited_on DESC, v.id DESC");
        }
    }
    q.push(" LIMIT ").bind(f.limit);
    q.fetch_all(db.reader()).await
}
