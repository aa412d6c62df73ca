//! Officers' enforcement certificates (执法证): number and validity, one per account.

use fazhi_core::enforcement::OfficerCert;
use time::Date;

use crate::audit::{self, Actor};
use crate::sql::{Sql, row};
use crate::{Db, Result};

row!(
    /// An officer with a certificate, and the place of their grants.
    OfficerRow {
        user_id: i64,
        name: String,
        number: String,
        valid_until: Date,
    }
);

impl OfficerRow {
    pub fn cert(&self) -> OfficerCert {
        OfficerCert {
            user_id: self.user_id,
            name: self.name.clone(),
            number: self.number.clone(),
            valid_until: self.valid_until,
        }
    }
}

/// Officers holding certificates with a grant inside the scope, by name.
pub async fn in_scope(db: &Db, roots: &[String]) -> Result<Vec<OfficerRow>> {
    let mut q = Sql::new(
        "SELECT c.user_id, u.display_name AS name, c.number, c.valid_until FROM officer_certificates c JOIN users u ON u.id = c.user_id WHERE u.disabled = 0 AND EXISTS (SELECT 1 FROM grants g JOIN divisions d ON d.id = g.division_id WHERE g.user_id = c.user_id AND ",
    );
    q.scope("d.path", roots)
        .push(") ORDER BY u.display_name, c.user_id");
    q.fetch_all(db.reader()).await
}

/// The certificates of the given accounts (those without one are left out).
pub async fn of_users(db: &Db, ids: &[i64]) -> Result<Vec<OfficerRow>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let mut q = Sql::new(
        "SELECT c.user_id, u.display_name AS name, c.number, c.valid_until FROM officer_certificates c JOIN users u ON u.id = c.user_id WHERE u.disabled = 0 AND c.user_id IN (",
    );
    for (i, id) in ids.iter().take(20).enumerate() {
        if i > 0 {
            q.push(", ");
        }
        q.bind(*id);
    }
    q.push(")");
    q.fetch_all(db.reader()).await
}

/// Records or renews an account's certificate.
pub async fn put(
    db: &Db,
    actor: &Actor,
    user_id: i64,
    number: &str,
    valid_until: Date,
) -> Result<()> {
    let mut tx = db.begin().await?;
    let mut q = Sql::new("DELETE FROM officer_certificates WHERE user_id = ");
    q.bind(user_id);
    q.execute(&mut tx).await?;
    let mut q =
        Sql::new("INSERT INTO officer_certificates (user_id, number, valid_until) VALUES (");
    q.bind(user_id).push(", ").bind(number.to_string());
    q.push(", ").bind(valid_until).push(")");
    q.execute(&mut tx).await?;
    audit::append_tx(
        &mut tx,
        actor,
        "enforcement.certificate",
        &format!("user:{user_id}"),
        &format!("{number} 至 {valid_until}"),
    )
    .await?;
    tx.commit().await
}

row!(StaffCounts {
    officers: i64,
    reviewers: i64,
});

/// Officers with a certificate valid on `today`, and legal reviewers, with grants in
/// scope (for the 118号 share of reviewers).
pub async fn staff_counts(db: &Db, roots: &[String], today: Date) -> Result<(i64, i64)> {
    let mut q = Sql::new(
        "SELECT (SELECT COUNT(*) FROM officer_certificates c JOIN users u ON u.id = c.user_id WHERE u.disabled = 0 AND c.valid_until >= ",
    );
    q.bind(today).push(" AND EXISTS (SELECT 1 FROM grants g JOIN divisions d ON d.id = g.division_id WHERE g.user_id = c.user_id AND ");
    q.scope("d.path", roots);
    q.push(")) AS officers, (SELECT COUNT(DISTINCT g.user_id) FROM grants g JOIN divisions d ON d.id = g.division_id JOIN users u ON u.id = g.user_id WHERE u.disabled = 0 AND g.role = 'legal_reviewer' AND ");
    q.scope("d.path", roots);
    q.push(") AS reviewers");
    let r: StaffCounts = q.fetch_one(db.reader()).await?;
    Ok((r.officers, r.reviewers))
}
