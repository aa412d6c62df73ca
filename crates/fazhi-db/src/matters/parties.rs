//! Parties (当事人) of a matter. ID numbers and phones are stored sealed, with a keyed
//! blind index to find the same person again and a mask to show on screen.

use crate::audit::{self, Actor};
use crate::pii::{PiiKind, Vault};
use crate::sql::{Sql, row};
use crate::{Db, DbError, Result};
use fazhi_core::party::PartyRole;

/// A party as given at intake; ID number and phone already checked and normalised.
#[derive(Debug, Clone, Default)]
pub struct NewParty {
    pub role: PartyRole,
    pub name: String,
    pub id_number: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    /// On-screen masks, computed by the caller (`fazhi_core::party`).
    pub id_number_mask: Option<String>,
    pub phone_mask: Option<String>,
}

row!(
    /// One party as stored: masks only; the sealed values never leave this module.
    PartyRow {
        id: i64,
        matter_id: i64,
        seq: i64,
        role: PartyRole,
        name: String,
        id_number_mask: Option<String>,
        phone_mask: Option<String>,
        address: Option<String>,
    }
);

row!(SealedRow {
    id_number_enc: Option<String>,
    phone_enc: Option<String>,
});

/// `INSERT INTO parties (…) VALUES ` with the columns [`bind_party`] binds.
pub(super) const PARTY_INSERT: &str = "INSERT INTO parties (matter_id, seq, role, name, id_number_enc, id_number_idx, id_number_mask, phone_enc, phone_idx, phone_mask, address) VALUES ";

/// Binds one party, sealing its ID number and phone; comma-separated, no parentheses.
pub(super) fn bind_party(q: &mut Sql, vault: &Vault, matter_id: i64, seq: i64, p: &NewParty) {
    q.bind(matter_id).push(", ");
    bind_party_rest(q, vault, seq, p);
}

/// [`bind_party`] without the matter id: from `seq` on.
pub(super) fn bind_party_rest(q: &mut Sql, vault: &Vault, seq: i64, p: &NewParty) {
    let seal = |kind, v: &Option<String>| {
        v.as_deref()
            .map(|v| (vault.seal(kind, v), vault.blind_index(kind, v)))
    };
    let (id_enc, id_idx) = seal(PiiKind::IdNumber, &p.id_number).unzip();
    let (ph_enc, ph_idx) = seal(PiiKind::Phone, &p.phone).unzip();
    q.bind(seq).push(", ");
    q.bind(p.role).push(", ").bind(p.name.clone()).push(", ");
    q.bind(id_enc).push(", ").bind(id_idx).push(", ");
    q.bind(p.id_number_mask.clone()).push(", ");
    q.bind(ph_enc).push(", ").bind(ph_idx).push(", ");
    q.bind(p.phone_mask.clone()).push(", ");
    q.bind(p.address.clone());
}

/// The parties of one matter, in the order given (the caller has checked the matter's scope).
pub async fn of_matter(db: &Db, matter_id: i64) -> Result<Vec<PartyRow>> {
    let mut q = Sql::new(
        "SELECT id, matter_id, seq, role, name, id_number_mask, phone_mask, address FROM parties WHERE matter_id = ",
    );
    q.bind(matter_id).push(" ORDER BY seq");
    q.fetch_all(db.reader()).await
}

/// Blind indexes to look a person up by, from normalised ID numbers and phones.
pub fn lookup_keys(vault: &Vault, id_numbers: &[String], phones: &[String]) -> Vec<String> {
    id_numbers
        .iter()
        .map(|v| vault.blind_index(PiiKind::IdNumber, v))
        .chain(phones.iter().map(|v| vault.blind_index(PiiKind::Phone, v)))
        .collect()
}

/// Opens one party's ID number or phone in full and writes the reveal to the audit log
/// in the same transaction, so no reveal goes unrecorded.
pub async fn reveal(
    db: &Db,
    vault: &Vault,
    actor: &Actor,
    roots: &[String],
    matter_id: i64,
    party_id: i64,
    kind: PiiKind,
) -> Result<Option<String>> {
    let mut tx = db.begin().await?;
    let mut q = Sql::new(
        "SELECT p.id_number_enc, p.phone_enc FROM parties p JOIN matters m ON m.id = p.matter_id WHERE p.id = ",
    );
    q.bind(party_id)
        .push(" AND p.matter_id = ")
        .bind(matter_id)
        .push(" AND ")
        .scope_any(&["m.division_path", "m.assignee_path"], roots);
    let row: SealedRow = q.fetch_one(&mut *tx).await?;
    let sealed = match kind {
        PiiKind::IdNumber => row.id_number_enc,
        PiiKind::Phone => row.phone_enc,
    };
    let Some(sealed) = sealed else {
        return Ok(None);
    };
    let plain = vault.open(kind, &sealed).map_err(|_| {
        DbError::Config("personal data was sealed with another key: check the key file".into())
    })?;
    let field = match kind {
        PiiKind::IdNumber => "id_number",
        PiiKind::Phone => "phone",
    };
    audit::append(
        &mut tx,
        actor,
        "party.reveal",
        &format!("matter:{matter_id}/party:{party_id}"),
        field,
    )
    .await?;
    tx.commit().await?;
    Ok(Some(plain))
}

/// A party for the ledger export: ID number and phone masked, or opened when `full`.
#[derive(Debug, Clone)]
pub struct ExportParty {
    pub matter_id: i64,
    pub role: PartyRole,
    pub name: String,
    pub id_number: Option<String>,
    pub phone: Option<String>,
}

row!(ExportRow {
    matter_id: i64,
    role: PartyRole,
    name: String,
    id_number_mask: Option<String>,
    phone_mask: Option<String>,
    id_number_enc: Option<String>,
    phone_enc: Option<String>,
});

/// The parties of several matters (already read in scope), in order. The caller audits
/// a `full` export, which opens every sealed value.
pub async fn for_export(
    db: &Db,
    vault: &Vault,
    matter_ids: &[i64],
    full: bool,
) -> Result<Vec<ExportParty>> {
    if matter_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = Sql::new(
        "SELECT matter_id, role, name, id_number_mask, phone_mask, id_number_enc, phone_enc FROM parties WHERE matter_id IN (",
    );
    for (i, id) in matter_ids.iter().enumerate() {
        if i > 0 {
            q.push(", ");
        }
        q.bind(*id);
    }
    q.push(") ORDER BY matter_id, seq");
    let rows: Vec<ExportRow> = q.fetch_all(db.reader()).await?;
    rows.into_iter()
        .map(|r| {
            let open =
                |kind, sealed: Option<String>, mask: Option<String>| -> Result<Option<String>> {
                    match (full, sealed) {
                        (true, Some(s)) => vault.open(kind, &s).map(Some).map_err(|_| {
                            DbError::Config(
                                "personal data was sealed with another key: check the key file"
                                    .into(),
                            )
                        }),
                        _ => Ok(mask),
                    }
                };
            Ok(ExportParty {
                id_number: open(PiiKind::IdNumber, r.id_number_enc, r.id_number_mask)?,
                phone: open(PiiKind::Phone, r.phone_enc, r.phone_mask)?,
                matter_id: r.matter_id,
                role: r.role,
                name: r.name,
            })
        })
        .collect()
}
