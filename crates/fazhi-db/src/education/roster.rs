//! Rosters of the people who carry the work in each village: 法律明白人, mediators and
//! grid workers. Phones are sealed and indexed like parties' phones (`pii`), shown
//! masked, and revealing one is audited.

use fazhi_core::education::{RosterFields, RosterRole};
use fazhi_core::party::mask_phone;

use super::Place;
use crate::audit::{self, Actor};
use crate::pii::{PiiKind, Vault};
use crate::sql::{Count, Sql, row};
use crate::{Db, DbError, Result, now_ms};

row!(
    /// One person on the roster (the phone masked only).
    RosterRow {
        id: i64,
        role: RosterRole,
        name: String,
        division_id: i64,
        division_code: String,
        division_name: String,
        division_path: String,
        grid_id: Option<i64>,
        grid_name: Option<String>,
        phone_mask: Option<String>,
        note: Option<String>,
        active: bool,
        version: i64,
        created_at: i64,
        updated_at: i64,
    }
);

row!(SealedPhone { phone_enc: Option<String> });

const COLS: &str = "SELECT r.id, r.role, r.name, r.division_id, d.code AS division_code, d.name AS division_name, r.division_path, r.grid_id, g.name AS grid_name, r.phone_mask, r.note, r.active, r.version, r.created_at, r.updated_at FROM roster_people r JOIN divisions d ON d.id = r.division_id LEFT JOIN grids g ON g.id = r.grid_id";

/// A roster entry to store.
#[derive(Debug, Clone)]
pub struct NewPerson {
    pub fields: RosterFields,
    pub place: Place,
    pub active: bool,
    /// On update: leave the stored phone as it is (the form only ever shows its mask).
    pub keep_phone: bool,
}

fn bind_fields(q: &mut Sql, vault: &Vault, p: &NewPerson) {
    let f = &p.fields;
    let phone = f.phone.as_deref();
    q.bind(f.role).push(", ").bind(f.name.clone()).push(", ");
    q.bind(p.place.division_id).push(", ");
    q.bind(p.place.division_path.clone()).push(", ");
    q.bind(p.place.grid_id).push(", ");
    q.bind(phone.map(|v| vault.seal(PiiKind::Phone, v)))
        .push(", ");
    q.bind(phone.map(|v| vault.blind_index(PiiKind::Phone, v)))
        .push(", ");
    q.bind(phone.map(mask_phone)).push(", ");
    q.bind(f.note.clone()).push(", ").bind(p.active);
}

/// Stores a person and the audit row in one transaction.
pub async fn create(db: &Db, vault: &Vault, actor: &Actor, p: &NewPerson) -> Result<RosterRow> {
    let mut tx = db.begin().await?;
    let now = now_ms();
    let mut q = Sql::new(
        "INSERT INTO roster_people (role, name, division_id, division_path, grid_id, phone_enc, phone_idx, phone_mask, note, active, version, created_by, created_at, updated_at) VALUES (",
    );
    bind_fields(&mut q, vault, p);
    q.push(", 1, ").bind(actor.id).push(", ").bind(now);
    q.push(", ").bind(now).push(") RETURNING id");
    let id: Count = q.fetch_one(&mut *tx).await?;
    audit::append(
        &mut tx,
        actor,
        "education.roster.create",
        &format!("roster_person:{}", id.0),
        p.fields.role.as_str(),
    )
    .await?;
    tx.commit().await?;
    by_id(db, id.0).await
}

/// Replaces a person's entry if it is still at `version`, audited.
pub async fn update(
    db: &Db,
    vault: &Vault,
    actor: &Actor,
    id: i64,
    version: i64,
    p: &NewPerson,
) -> Result<RosterRow> {
    let mut tx = db.begin().await?;
    let f = &p.fields;
    let mut q = Sql::new(
        "UPDATE roster_people SET (role, name, division_id, division_path, grid_id, note, active) = (",
    );
    q.bind(f.role).push(", ").bind(f.name.clone()).push(", ");
    q.bind(p.place.division_id).push(", ");
    q.bind(p.place.division_path.clone()).push(", ");
    q.bind(p.place.grid_id).push(", ").bind(f.note.clone());
    q.push(", ").bind(p.active);
    if !p.keep_phone {
        let phone = f.phone.as_deref();
        q.push("), (phone_enc, phone_idx, phone_mask) = (");
        q.bind(phone.map(|v| vault.seal(PiiKind::Phone, v)))
            .push(", ");
        q.bind(phone.map(|v| vault.blind_index(PiiKind::Phone, v)))
            .push(", ");
        q.bind(phone.map(mask_phone));
    }
    q.push(")");
    q.execute_at_version(&mut *tx, now_ms(), id, version)
        .await?;
    audit::append(
        &mut tx,
        actor,
        "education.roster.update",
        &format!("roster_person:{id}"),
        if p.active { "active" } else { "left" },
    )
    .await?;
    tx.commit().await?;
    by_id(db, id).await
}

/// One person, unscoped (callers check the scope on `division_path`).
pub async fn by_id(db: &Db, id: i64) -> Result<RosterRow> {
    let mut q = Sql::new(COLS);
    q.push(" WHERE r.id = ").bind(id);
    q.fetch_one(db.quick()).await
}

/// The sealed phone of a person in scope, opened, with an audit row in the same
/// transaction (no reveal goes unrecorded). None when no phone was given.
pub async fn reveal_phone(
    db: &Db,
    vault: &Vault,
    actor: &Actor,
    roots: &[String],
    id: i64,
) -> Result<Option<String>> {
    let mut tx = db.begin().await?;
    let mut q = Sql::new("SELECT phone_enc FROM roster_people WHERE id = ");
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
        "roster.reveal",
        &format!("roster_person:{id}"),
        "phone",
    )
    .await?;
    tx.commit().await?;
    Ok(Some(plain))
}

/// Filters of a roster list.
#[derive(Debug, Clone, Default)]
pub struct RosterFilter {
    pub division_path: Option<String>,
    pub role: Option<RosterRole>,
    /// Include people who left (默认 only those on the roster).
    pub with_inactive: bool,
    pub limit: i64,
    pub offset: i64,
}

/// People in scope, by village then role and name.
pub async fn list(db: &Db, roots: &[String], f: &RosterFilter) -> Result<Vec<RosterRow>> {
    let mut q = Sql::new(COLS);
    q.push(" WHERE ").scope("r.division_path", roots);
    if let Some(p) = &f.division_path {
        q.push(" AND r.division_path LIKE ").bind(format!("{p}%"));
    }
    if let Some(r) = f.role {
        q.push(" AND r.role = ").bind(r);
    }
    if !f.with_inactive {
        q.push(" AND r.active = 1");
    }
    q.push(" ORDER BY d.code, r.role, r.id LIMIT ")
        .bind(f.limit)
        .push(" OFFSET ")
        .bind(f.offset);
    q.fetch_all(db.reader()).await
}
