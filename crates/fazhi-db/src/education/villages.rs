//! The village table: each village's standing (民主法治示范村, 村规民约 review, its legal
//! adviser) beside its 法律明白人 counted from the roster, for one township or the
//! district's comparison across its townships.

use fazhi_core::education::{ModelLevel, RosterRole, VillageFields};
use time::Date;

use crate::audit::{self, Actor};
use crate::sql::{Sql, row};
use crate::{Db, DbError, Result, now_ms};

row!(
    /// One village with its standing (all empty when none was recorded) and its
    /// active 法律明白人.
    VillageRow {
        division_id: i64,
        code: String,
        name: String,
        path: String,
        township_code: String,
        township_name: String,
        model_level: Option<ModelLevel>,
        model_year: Option<i64>,
        rules_reviewed_on: Option<Date>,
        rules_reviewed_by: Option<String>,
        adviser_name: Option<String>,
        adviser_firm: Option<String>,
        version: Option<i64>,
        legal_literate: i64,
    }
);

impl VillageRow {
    /// The standing as the core checks know it.
    pub fn fields(&self) -> VillageFields {
        VillageFields {
            model: self.model_level.zip(self.model_year.map(|y| y as i32)),
            rules_review: self.rules_reviewed_on.zip(self.rules_reviewed_by.clone()),
            adviser: self
                .adviser_name
                .clone()
                .map(|n| (n, self.adviser_firm.clone())),
        }
    }
}

const COLS: &str = "SELECT d.id AS division_id, d.code, d.name, d.path, t.code AS township_code, t.name AS township_name, v.model_level, v.model_year, v.rules_reviewed_on, v.rules_reviewed_by, v.adviser_name, v.adviser_firm, v.version, (SELECT COUNT(*) FROM roster_people r WHERE r.division_id = d.id AND r.active = 1 AND r.role = ";

const FROM: &str = ") AS legal_literate FROM divisions d JOIN divisions t ON t.id = d.parent_id LEFT JOIN village_profiles v ON v.division_id = d.id WHERE d.level = 'village'";

fn select() -> Sql {
    let mut q = Sql::new(COLS);
    q.bind(RosterRole::LegalLiterate).push(FROM);
    q
}

/// Every village under the place at `path` inside the roots, by code.
pub async fn list(db: &Db, roots: &[String], path: Option<&str>) -> Result<Vec<VillageRow>> {
    let mut q = select();
    q.push(" AND ").scope("d.path", roots);
    if let Some(p) = path {
        q.push(" AND d.path LIKE ").bind(format!("{p}%"));
    }
    q.push(" ORDER BY d.code LIMIT 5000");
    q.fetch_all(db.reader()).await
}

/// One village (unscoped: callers check `path`).
pub async fn by_id(db: &Db, division_id: i64) -> Result<VillageRow> {
    let mut q = select();
    q.push(" AND d.id = ").bind(division_id);
    q.fetch_one(db.reader()).await
}

/// Saves a village's standing: the first save needs `version` None, later ones the
/// version read (409 `stale_version` otherwise). Audited.
pub async fn save(
    db: &Db,
    actor: &Actor,
    division_id: i64,
    path: &str,
    version: Option<i64>,
    f: &VillageFields,
) -> Result<VillageRow> {
    let mut tx = db.begin().await?;
    let now = now_ms();
    let (level, year) = match f.model {
        Some((l, y)) => (Some(l), Some(y as i64)),
        None => (None, None),
    };
    let (on, by) = match &f.rules_review {
        Some((d, b)) => (Some(*d), Some(b.clone())),
        None => (None, None),
    };
    let (name, firm) = match &f.adviser {
        Some((n, firm)) => (Some(n.clone()), firm.clone()),
        None => (None, None),
    };
    let changed = match version {
        None => {
            let mut q = Sql::new(
                "INSERT INTO village_profiles (division_id, division_path, model_level, model_year, rules_reviewed_on, rules_reviewed_by, adviser_name, adviser_firm, version, updated_by, updated_at) VALUES (",
            );
            q.bind(division_id)
                .push(", ")
                .bind(path.to_string())
                .push(", ");
            q.bind(level).push(", ").bind(year).push(", ").bind(on);
            q.push(", ").bind(by).push(", ").bind(name).push(", ");
            q.bind(firm)
                .push(", 1, ")
                .bind(actor.id)
                .push(", ")
                .bind(now);
            q.push(") ON CONFLICT (division_id) DO NOTHING");
            q.execute(&mut *tx).await?
        }
        Some(v) => {
            let mut q = Sql::new(
                "UPDATE village_profiles SET (model_level, model_year, rules_reviewed_on, rules_reviewed_by, adviser_name, adviser_firm, updated_by, updated_at) = (",
            );
            q.bind(level).push(", ").bind(year).push(", ").bind(on);
            q.push(", ").bind(by).push(", ").bind(name).push(", ");
            q.bind(firm).push(", ").bind(actor.id).push(", ").bind(now);
            q.push("), version = version + 1 WHERE division_id = ");
            q.bind(division_id).push(" AND version = ").bind(v);
            q.execute(&mut *tx).await?
        }
    };
    if changed != 1 {
        return Err(DbError::Stale);
    }
    audit::append(
        &mut tx,
        actor,
        "education.village.save",
        &format!("division:{division_id}"),
        &format!(
            "示范村:{} 法律顾问:{}",
            level.map_or("无", |l| l.label_zh()),
            if f.adviser.is_some() { "有" } else { "无" }
        ),
    )
    .await?;
    tx.commit().await?;
    by_id(db, division_id).await
}
