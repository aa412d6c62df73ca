//! The heads' yearly 述法 statements: one per head, township and year (a second is an
//! update under the version read), with the district's optional rating. The annual
//! report's 第一责任人 part cites them through [`for_year`].

use fazhi_core::education::{HeadPost, StatementFields, StatementOccasion, StatementRating};
use time::Date;

use crate::audit::{self, Actor};
use crate::sql::{Count, Sql, row};
use crate::{Db, DbError, Result, now_ms};

row!(
    /// One statement with the head's name and the township's.
    StatementRow {
        id: i64,
        township_id: i64,
        township_code: String,
        township_name: String,
        division_path: String,
        year: i64,
        user_id: i64,
        head_name: String,
        post: HeadPost,
        delivered_on: Date,
        occasion: StatementOccasion,
        title: String,
        body: String,
        rating: Option<StatementRating>,
        rating_note: Option<String>,
        rated_by: Option<i64>,
        version: i64,
        created_at: i64,
        updated_at: i64,
    }
);

const COLS: &str = "SELECT s.id, s.township_id, d.code AS township_code, d.name AS township_name, s.division_path, s.year, s.user_id, u.display_name AS head_name, s.post, s.delivered_on, s.occasion, s.title, s.body, s.rating, s.rating_note, s.rated_by, s.version, s.created_at, s.updated_at FROM law_statements s JOIN divisions d ON d.id = s.township_id JOIN users u ON u.id = s.user_id";

/// A statement to store: the township (checked in scope), the head (checked to be an
/// account of the township) and the checked fields.
#[derive(Debug, Clone)]
pub struct NewStatement {
    pub township_id: i64,
    pub division_path: String,
    pub user_id: i64,
    pub fields: StatementFields,
}

fn bind_fields(q: &mut Sql, s: &NewStatement) {
    let f = &s.fields;
    q.bind(f.post).push(", ").bind(f.delivered_on).push(", ");
    q.bind(f.occasion)
        .push(", ")
        .bind(f.title.clone())
        .push(", ");
    q.bind(f.text.clone());
}

/// Stores a statement with its audit row. A head's second statement for the year is
/// refused (`Conflict` on `user_id`): it is an update of the first.
pub async fn create(db: &Db, actor: &Actor, s: &NewStatement) -> Result<StatementRow> {
    if existing(db, s.township_id, s.user_id, s.fields.year)
        .await?
        .is_some()
    {
        return Err(DbError::Conflict {
            field: "user_id",
            message: format!(
                "该负责人{}年度的述法报告已登记，请在原记录上修改",
                s.fields.year
            ),
        });
    }
    let mut tx = db.begin().await?;
    let now = now_ms();
    let mut q = Sql::new(
        "INSERT INTO law_statements (township_id, division_path, year, user_id, post, delivered_on, occasion, title, body, version, created_by, created_at, updated_at) VALUES (",
    );
    q.bind(s.township_id)
        .push(", ")
        .bind(s.division_path.clone());
    q.push(", ")
        .bind(s.fields.year as i64)
        .push(", ")
        .bind(s.user_id);
    q.push(", ");
    bind_fields(&mut q, s);
    q.push(", 1, ").bind(actor.id).push(", ").bind(now);
    q.push(", ").bind(now).push(") RETURNING id");
    let id: Count = q.fetch_one(&mut *tx).await?;
    audit::append(
        &mut tx,
        actor,
        "education.statement.create",
        &format!("law_statement:{}", id.0),
        &format!("{} {}", s.fields.year, s.user_id),
    )
    .await?;
    tx.commit().await?;
    by_id(db, id.0).await
}

/// The id of a head's statement of a year, if one is stored.
pub async fn existing(db: &Db, township_id: i64, user_id: i64, year: i32) -> Result<Option<i64>> {
    let mut q = Sql::new("SELECT id FROM law_statements WHERE township_id = ");
    q.bind(township_id).push(" AND user_id = ").bind(user_id);
    q.push(" AND year = ").bind(year as i64);
    Ok(q.fetch_optional::<Count>(db.reader()).await?.map(|c| c.0))
}

/// Replaces the text of a statement still at `version` (the head and year stay), audited.
pub async fn update(
    db: &Db,
    actor: &Actor,
    id: i64,
    version: i64,
    s: &NewStatement,
) -> Result<StatementRow> {
    let mut tx = db.begin().await?;
    let mut q =
        Sql::new("UPDATE law_statements SET (post, delivered_on, occasion, title, body) = (");
    bind_fields(&mut q, s);
    q.push(")");
    q.execute_at_version(&mut *tx, now_ms(), id, version)
        .await?;
    audit::append(
        &mut tx,
        actor,
        "education.statement.update",
        &format!("law_statement:{id}"),
        &s.fields.year.to_string(),
    )
    .await?;
    tx.commit().await?;
    by_id(db, id).await
}

/// Records the district's rating of a statement still at `version`, audited.
pub async fn rate(
    db: &Db,
    actor: &Actor,
    id: i64,
    version: i64,
    rating: StatementRating,
    note: Option<String>,
) -> Result<StatementRow> {
    let mut tx = db.begin().await?;
    let now = now_ms();
    let mut q = Sql::new("UPDATE law_statements SET (rating, rating_note, rated_by, rated_at) = (");
    q.bind(rating)
        .push(", ")
        .bind(note)
        .push(", ")
        .bind(actor.id);
    q.push(", ")
        .bind(now)
        .push("), version = version + 1, updated_at = ");
    q.bind(now).push(" WHERE id = ").bind(id);
    q.push(" AND version = ").bind(version);
    if q.execute(&mut *tx).await? != 1 {
        return Err(DbError::Stale);
    }
    audit::append(
        &mut tx,
        actor,
        "education.statement.rate",
        &format!("law_statement:{id}"),
        rating.as_str(),
    )
    .await?;
    tx.commit().await?;
    by_id(db, id).await
}

/// One statement, unscoped (callers check the scope on `division_path`).
pub async fn by_id(db: &Db, id: i64) -> Result<StatementRow> {
    let mut q = Sql::new(COLS);
    q.push(" WHERE s.id = ").bind(id);
    q.fetch_one(db.reader()).await
}

/// The statements of a township on `year`, the Party secretary's first: what the annual
/// report's 第一责任人 part cites (the caller has checked the township is in scope).
pub async fn for_year(db: &Db, township_division_id: i64, year: i32) -> Result<Vec<StatementRow>> {
    let mut q = Sql::new(COLS);
    q.push(" WHERE s.township_id = ").bind(township_division_id);
    q.push(" AND s.year = ").bind(year as i64);
    q.push(" ORDER BY s.post, s.user_id");
    let mut rows: Vec<StatementRow> = q.fetch_all(db.reader()).await?;
    rows.sort_by_key(|r| (r.post, r.user_id));
    Ok(rows)
}

/// Statements in scope, optionally of one place and year, the latest year first.
pub async fn list(
    db: &Db,
    roots: &[String],
    path: Option<&str>,
    year: Option<i32>,
) -> Result<Vec<StatementRow>> {
    let mut q = Sql::new(COLS);
    q.push(" WHERE ").scope("s.division_path", roots);
    if let Some(p) = path {
        q.push(" AND s.division_path LIKE ").bind(format!("{p}%"));
    }
    if let Some(y) = year {
        q.push(" AND s.year = ").bind(y as i64);
    }
    q.push(" ORDER BY s.year DESC, d.code, s.post, s.user_id LIMIT 1000");
    let mut rows: Vec<StatementRow> = q.fetch_all(db.reader()).await?;
    // Posts in their display order, not the codes' alphabetical one.
    rows.sort_by(|a, b| {
        (b.year, &a.township_code, a.post, a.user_id).cmp(&(
            a.year,
            &b.township_code,
            b.post,
            b.user_id,
        ))
    });
    Ok(rows)
}
