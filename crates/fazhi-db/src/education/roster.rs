//! Rosters of the people who carry the work in each village: 法律明白人, mediators and
//! grid workers. Phones and ID numbers are sealed and indexed like parties' (`pii`),
//! shown masked, and revealing them (one person, or a full export) is audited. An
//! import loads a whole sheet in one transaction.

use fazhi_core::education::{RosterFields, RosterRole};
use fazhi_core::party::{mask_id_number, mask_phone};

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
        id_mask: Option<String>,
        /// Training hours in tenths of an hour.
        training_tenths: Option<i64>,
        certificates: Option<String>,
        note: Option<String>,
        active: bool,
        version: i64,
        created_at: i64,
        updated_at: i64,
    }
);

row!(Sealed {
    phone_enc: Option<String>,
    id_enc: Option<String>,
});

const COLS: &str = "SELECT r.id, r.role, r.name, r.division_id, d.code AS division_code, d.name AS division_name, r.division_path, r.grid_id, g.name AS grid_name, r.phone_mask, r.id_mask, r.training_tenths, r.certificates, r.note, r.active, r.version, r.created_at, r.updated_at FROM roster_people r JOIN divisions d ON d.id = r.division_id LEFT JOIN grids g ON g.id = r.grid_id";

/// A roster entry to store.
#[derive(Debug, Clone)]
pub struct NewPerson {
    pub fields: RosterFields,
    pub place: Place,
    pub active: bool,
    /// On update: leave the stored phone as it is (the form only ever shows its mask).
    pub keep_phone: bool,
    /// On update: leave the stored ID number as it is.
    pub keep_id: bool,
}

const INSERT: &str = "INSERT INTO roster_people (role, name, division_id, division_path, grid_id, phone_enc, phone_idx, phone_mask, id_enc, id_idx, id_mask, training_tenths, certificates, note, active, version, created_by, created_at, updated_at) VALUES (";

/// The sealed value, blind index and mask of an ID number.
fn bind_id(q: &mut Sql, vault: &Vault, id: Option<&str>) {
    q.bind(id.map(|v| vault.seal(PiiKind::IdNumber, v)))
        .push(", ");
    q.bind(id.map(|v| vault.blind_index(PiiKind::IdNumber, v)))
        .push(", ");
    q.bind(id.map(mask_id_number));
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
    bind_id(q, vault, f.id_number.as_deref());
    q.push(", ").bind(f.training_tenths).push(", ");
    q.bind(f.certificates.clone()).push(", ");
    q.bind(f.note.clone()).push(", ").bind(p.active);
}

/// Stores a person and the audit row in one transaction.
pub async fn create(db: &Db, vault: &Vault, actor: &Actor, p: &NewPerson) -> Result<RosterRow> {
    let mut tx = db.begin().await?;
    let now = now_ms();
    let mut q = Sql::new(INSERT);
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
        "UPDATE roster_people SET (role, name, division_id, division_path, grid_id, training_tenths, certificates, note, active) = (",
    );
    q.bind(f.role).push(", ").bind(f.name.clone()).push(", ");
    q.bind(p.place.division_id).push(", ");
    q.bind(p.place.division_path.clone()).push(", ");
    q.bind(p.place.grid_id).push(", ").bind(f.training_tenths);
    q.push(", ").bind(f.certificates.clone()).push(", ");
    q.bind(f.note.clone()).push(", ").bind(p.active);
    if !p.keep_phone {
        let phone = f.phone.as_deref();
        q.push("), (phone_enc, phone_idx, phone_mask) = (");
        q.bind(phone.map(|v| vault.seal(PiiKind::Phone, v)))
            .push(", ");
        q.bind(phone.map(|v| vault.blind_index(PiiKind::Phone, v)))
            .push(", ");
        q.bind(phone.map(mask_phone));
    }
    if !p.keep_id {
        q.push("), (id_enc, id_idx, id_mask) = (");
        bind_id(&mut q, vault, f.id_number.as_deref());
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

/// A person's phone and ID number in full (None where not given).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Revealed {
    pub phone: Option<String>,
    pub id_number: Option<String>,
}

fn open_sealed(vault: &Vault, kind: PiiKind, sealed: Option<String>) -> Result<Option<String>> {
    sealed
        .map(|s| {
            vault.open(kind, &s).map_err(|_| {
                DbError::Config(
                    "personal data was sealed with another key: check the key file".into(),
                )
            })
        })
        .transpose()
}

/// The sealed phone and ID number of a person in scope, opened, with an audit row in
/// the same transaction (no reveal goes unrecorded).
pub async fn reveal(
    db: &Db,
    vault: &Vault,
    actor: &Actor,
    roots: &[String],
    id: i64,
) -> Result<Revealed> {
    let mut tx = db.begin().await?;
    let mut q = Sql::new("SELECT phone_enc, id_enc FROM roster_people WHERE id = ");
    q.bind(id).push(" AND ").scope("division_path", roots);
    let row: Sealed = q.fetch_one(&mut *tx).await?;
    let out = Revealed {
        phone: open_sealed(vault, PiiKind::Phone, row.phone_enc)?,
        id_number: open_sealed(vault, PiiKind::IdNumber, row.id_enc)?,
    };
    if out == Revealed::default() {
        return Ok(out);
    }
    audit::append(
        &mut tx,
        actor,
        "roster.reveal",
        &format!("roster_person:{id}"),
        match (&out.phone, &out.id_number) {
            (Some(_), Some(_)) => "phone, id_number",
            (Some(_), None) => "phone",
            _ => "id_number",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(out)
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

/// A person as exported: the row with the phone and ID number masked, or in full.
#[derive(Debug, Clone)]
pub struct ExportPerson {
    pub row: RosterRow,
    pub phone: Option<String>,
    pub id_number: Option<String>,
}

row!(SealedOf {
    id: i64,
    phone_enc: Option<String>,
    id_enc: Option<String>,
});

/// The people of a list for an export. With `full`, phones and ID numbers are opened
/// and one `roster.export` audit row is written before any is returned.
pub async fn for_export(
    db: &Db,
    vault: &Vault,
    actor: &Actor,
    roots: &[String],
    f: &RosterFilter,
    full: bool,
) -> Result<Vec<ExportPerson>> {
    let rows = list(db, roots, f).await?;
    if !full {
        return Ok(rows
            .into_iter()
            .map(|row| ExportPerson {
                phone: row.phone_mask.clone(),
                id_number: row.id_mask.clone(),
                row,
            })
            .collect());
    }
    let mut sealed = std::collections::HashMap::new();
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    for chunk in ids.chunks(500) {
        let mut q = Sql::new("SELECT id, phone_enc, id_enc FROM roster_people WHERE id IN (");
        for (i, id) in chunk.iter().enumerate() {
            if i > 0 {
                q.push(", ");
            }
            q.bind(*id);
        }
        q.push(")");
        let found: Vec<SealedOf> = q.fetch_all(db.reader()).await?;
        sealed.extend(found.into_iter().map(|s| (s.id, (s.phone_enc, s.id_enc))));
    }
    audit::record(
        db,
        actor,
        "roster.export",
        "roster_people",
        &format!("full personal data; {} rows", rows.len()),
    )
    .await?;
    rows.into_iter()
        .map(|row| {
            let (phone, id) = sealed.remove(&row.id).unwrap_or_default();
            Ok(ExportPerson {
                phone: open_sealed(vault, PiiKind::Phone, phone)?,
                id_number: open_sealed(vault, PiiKind::IdNumber, id)?,
                row,
            })
        })
        .collect()
}

row!(
    /// What tells a person already on the roster apart: the role with the ID number's
    /// index, else the role with the name and village.
    PersonKey {
        role: RosterRole,
        name: String,
        division_id: i64,
        id_idx: Option<String>,
    }
);

/// The keys of everyone on the rosters under `roots` (those who left too: importing
/// an old sheet must not bring them back as new people).
pub async fn keys(db: &Db, roots: &[String]) -> Result<Vec<PersonKey>> {
    let mut q = Sql::new("SELECT role, name, division_id, id_idx FROM roster_people WHERE ");
    q.scope("division_path", roots);
    q.fetch_all(db.reader()).await
}

/// The blind index an ID number is stored under (for comparing with `keys`).
pub fn id_index(vault: &Vault, id_number: &str) -> String {
    vault.blind_index(PiiKind::IdNumber, id_number)
}

/// Stores every person in one transaction, each with its audit row, and one
/// `education.roster.import` row for the whole import. Any error rolls everything
/// back. Returns the ids created.
pub async fn load(
    db: &Db,
    vault: &Vault,
    actor: &Actor,
    people: &[NewPerson],
    detail: &str,
) -> Result<Vec<i64>> {
    let mut tx = db.begin_bulk().await?;
    let now = now_ms();
    let mut created = Vec::with_capacity(people.len());
    for p in people {
        let mut q = Sql::new(INSERT);
        bind_fields(&mut q, vault, p);
        q.push(", 1, ").bind(actor.id).push(", ").bind(now);
        q.push(", ").bind(now).push(") RETURNING id");
        let id: Count = q.fetch_one(&mut *tx).await?;
        audit::append(
            &mut tx,
            actor,
            "education.roster.create",
            &format!("roster_person:{}", id.0),
            &format!("名册导入：{}", p.fields.role.as_str()),
        )
        .await?;
        created.push(id.0);
    }
    audit::append(
        &mut tx,
        actor,
        "education.roster.import",
        "roster_people",
        &format!("{detail}；新增{}人", created.len()),
    )
    .await?;
    tx.commit().await?;
    Ok(created)
}
