//! Legal advisers (法律顾问): the roster per township with the villages each covers,
//! the review items put to an adviser, hand-logged work and the yearly assessment.
//! Each write is one transaction with its audit row. The records where an adviser
//! acted elsewhere (the desk's opinions by the adviser's account, the discussions and
//! hearings) are read here for the work log.

use fazhi_core::decisions::{
    AdviserLogKind, AdviserRating, AdviserSpec, LegalOpinion, ReviewActionCode, ReviewKind,
};
use time::Date;

use crate::audit::{self, Actor};
use crate::column::{Column, code_columns};
use crate::sql::{Count, Sql, Value, row};
use crate::{Db, DbError, Result, now_ms};

code_columns!(AdviserLogKind, AdviserRating);

row!(
    /// One adviser on the roster, with the township's name.
    AdviserRow {
        id: i64,
        division_id: i64,
        division_name: String,
        division_path: String,
        firm: String,
        lawyer: String,
        licence_no: String,
        term_from: Date,
        term_to: Date,
        service_scope: String,
        fee_fen: i64,
        serves_township: bool,
        user_id: Option<i64>,
        username: Option<String>,
        version: i64,
    }
);

const COLS: &str = "SELECT a.id, a.division_id, d.name AS division_name, a.division_path, a.firm, a.lawyer, a.licence_no, a.term_from, a.term_to, a.service_scope, a.fee_fen, a.serves_township, a.user_id, u.username, a.version FROM legal_advisers a JOIN divisions d ON d.id = a.division_id LEFT JOIN users u ON u.id = a.user_id";

row!(
    /// A village and the adviser covering it, if any (one row per adviser).
    CoverageRow {
        village_id: i64,
        village_code: String,
        village_name: String,
        adviser_id: Option<i64>,
        lawyer: Option<String>,
        firm: Option<String>,
        term_from: Option<Date>,
        term_to: Option<Date>,
    }
);

row!(
    /// A village an adviser covers.
    AdviserVillageRow {
        village_id: i64,
        code: String,
        name: String,
    }
);

row!(
    /// A hand-logged entry.
    AdviserLogRow {
        id: i64,
        adviser_id: i64,
        on_date: Date,
        kind: AdviserLogKind,
        subject: String,
        note: String,
    }
);

row!(
    /// A yearly assessment.
    AssessmentRow {
        id: i64,
        adviser_id: i64,
        year: i64,
        rating: AdviserRating,
        note: String,
        assessed_on: Date,
        assessor: Option<String>,
    }
);

row!(
    /// An opinion given on the review desk by an account.
    OpinionWorkRow {
        review_id: i64,
        kind: ReviewKind,
        title: String,
        on_date: Date,
        opinion: Option<LegalOpinion>,
        note: String,
    }
);

row!(
    /// A stored record (a decision or a litigation case) with its JSON state, for the
    /// work log's reading of attendees.
    StateRow {
        id: i64,
        title: String,
        state: String,
    }
);

/// Stores a new adviser at the township `(division_id, path)` with its villages.
#[allow(clippy::too_many_arguments)]
pub async fn create(
    db: &Db,
    actor: &Actor,
    division_id: i64,
    path: &str,
    s: &AdviserSpec,
    user_id: Option<i64>,
    village_ids: &[i64],
) -> Result<AdviserRow> {
    let mut tx = db.begin().await?;
    check_user_free(&mut tx, user_id, None).await?;
    let now = now_ms();
    let mut q = Sql::new(
        "INSERT INTO legal_advisers (division_id, division_path, firm, lawyer, licence_no, term_from, term_to, service_scope, fee_fen, serves_township, user_id, version, created_by, created_at, updated_at) VALUES (",
    );
    q.bind(division_id).push(", ").bind(path.to_string());
    push_spec(&mut q, s);
    q.push(", ").bind(user_id).push(", 1, ").bind(actor.id);
    q.push(", ")
        .bind(now)
        .push(", ")
        .bind(now)
        .push(") RETURNING id");
    let id = q.fetch_one::<Count>(&mut tx).await?.0;
    put_villages(&mut tx, id, village_ids).await?;
    audit::append_tx(
        &mut tx,
        actor,
        "legal_adviser.create",
        &format!("legal_adviser:{id}"),
        &format!("{} {}", s.firm, s.lawyer),
    )
    .await?;
    tx.commit().await?;
    by_id(db, id).await
}

fn push_spec(q: &mut Sql, s: &AdviserSpec) {
    q.push(", ")
        .bind(s.firm.clone())
        .push(", ")
        .bind(s.lawyer.clone());
    q.push(", ")
        .bind(s.licence_no.clone())
        .push(", ")
        .bind(s.term_from);
    q.push(", ")
        .bind(s.term_to)
        .push(", ")
        .bind(s.service_scope.clone());
    q.push(", ")
        .bind(s.fee_fen)
        .push(", ")
        .bind(s.serves_township);
}

async fn check_user_free(
    tx: &mut crate::WriteTx,
    user_id: Option<i64>,
    except: Option<i64>,
) -> Result<()> {
    let Some(u) = user_id else { return Ok(()) };
    let mut q = Sql::new("SELECT id FROM legal_advisers WHERE user_id = ");
    q.bind(u);
    if let Some(e) = except {
        q.push(" AND id <> ").bind(e);
    }
    if q.fetch_optional::<Count>(&mut *tx).await?.is_some() {
        return Err(DbError::Conflict {
            field: "username",
            message: "该账号已关联其他法律顾问".into(),
        });
    }
    Ok(())
}

async fn put_villages(tx: &mut crate::WriteTx, id: i64, village_ids: &[i64]) -> Result<()> {
    let mut q = Sql::new("DELETE FROM legal_adviser_villages WHERE adviser_id = ");
    q.bind(id);
    q.execute(&mut *tx).await?;
    for v in village_ids {
        let mut q =
            Sql::new("INSERT INTO legal_adviser_villages (adviser_id, village_id) VALUES (");
        q.bind(id).push(", ").bind(*v).push(")");
        q.execute(&mut *tx).await?;
    }
    Ok(())
}

/// Replaces an adviser's entry and villages (version-checked).
#[allow(clippy::too_many_arguments)]
pub async fn update(
    db: &Db,
    actor: &Actor,
    row: &AdviserRow,
    expected_version: Option<i64>,
    s: &AdviserSpec,
    user_id: Option<i64>,
    village_ids: &[i64],
) -> Result<AdviserRow> {
    let version = expected_version.unwrap_or(row.version);
    let mut tx = db.begin().await?;
    check_user_free(&mut tx, user_id, Some(row.id)).await?;
    let mut q = Sql::new(
        "UPDATE legal_advisers SET (firm, lawyer, licence_no, term_from, term_to, service_scope, fee_fen, serves_township) = (",
    );
    q.bind(s.firm.clone()).push(", ").bind(s.lawyer.clone());
    q.push(", ")
        .bind(s.licence_no.clone())
        .push(", ")
        .bind(s.term_from);
    q.push(", ")
        .bind(s.term_to)
        .push(", ")
        .bind(s.service_scope.clone());
    q.push(", ")
        .bind(s.fee_fen)
        .push(", ")
        .bind(s.serves_township);
    q.push("), user_id = ").bind(user_id);
    q.execute_at_version(&mut tx, now_ms(), row.id, version)
        .await?;
    put_villages(&mut tx, row.id, village_ids).await?;
    audit::append_tx(
        &mut tx,
        actor,
        "legal_adviser.update",
        &format!("legal_adviser:{}", row.id),
        &format!("{} {}", s.firm, s.lawyer),
    )
    .await?;
    tx.commit().await?;
    by_id(db, row.id).await
}

/// One adviser by id, unscoped.
pub async fn by_id(db: &Db, id: i64) -> Result<AdviserRow> {
    let mut q = Sql::new(COLS);
    q.push(" WHERE a.id = ").bind(id);
    q.fetch_one(db.reader()).await
}

/// One adviser inside the scope; out of scope is `NotFound`.
pub async fn get(db: &Db, roots: &[String], id: i64) -> Result<AdviserRow> {
    let mut q = Sql::new(COLS);
    q.push(" WHERE a.id = ").bind(id).push(" AND ");
    q.scope("a.division_path", roots);
    q.fetch_one(db.reader()).await
}

/// The adviser an account acts as, if any.
pub async fn by_user(db: &Db, user_id: i64) -> Result<Option<AdviserRow>> {
    let mut q = Sql::new(COLS);
    q.push(" WHERE a.user_id = ").bind(user_id);
    q.fetch_optional(db.reader()).await
}

/// The roster in scope, by township and id.
pub async fn list(db: &Db, roots: &[String]) -> Result<Vec<AdviserRow>> {
    let mut q = Sql::new(COLS);
    q.push(" WHERE ").scope("a.division_path", roots);
    q.push(" ORDER BY a.division_path, a.id LIMIT 5000");
    q.fetch_all(db.reader()).await
}

/// The villages an adviser covers.
pub async fn villages(db: &Db, adviser_id: i64) -> Result<Vec<AdviserVillageRow>> {
    let mut q = Sql::new(
        "SELECT d.id AS village_id, d.code, d.name FROM legal_adviser_villages v JOIN divisions d ON d.id = v.village_id WHERE v.adviser_id = ",
    );
    q.bind(adviser_id).push(" ORDER BY d.code");
    q.fetch_all(db.reader()).await
}

/// Every village under the township at `township_path`, once per adviser covering it
/// (a village without one has a row with no adviser).
pub async fn coverage(db: &Db, township_path: &str) -> Result<Vec<CoverageRow>> {
    let mut q = Sql::new(
        "SELECT d.id AS village_id, d.code AS village_code, d.name AS village_name, a.id AS adviser_id, a.lawyer, a.firm, a.term_from, a.term_to FROM divisions d LEFT JOIN legal_adviser_villages v ON v.village_id = d.id LEFT JOIN legal_advisers a ON a.id = v.adviser_id WHERE d.parent_id = (SELECT id FROM divisions WHERE path = ",
    );
    q.bind(township_path.to_string());
    q.push(") ORDER BY d.code, a.term_to DESC");
    q.fetch_all(db.reader()).await
}

/// Puts a review item to an adviser (replacing an earlier choice).
pub async fn assign(db: &Db, actor: &Actor, review_id: i64, adviser_id: i64) -> Result<()> {
    let mut tx = db.begin().await?;
    let mut q = Sql::new("DELETE FROM legal_review_advisers WHERE review_id = ");
    q.bind(review_id);
    q.execute(&mut tx).await?;
    let mut q = Sql::new(
        "INSERT INTO legal_review_advisers (review_id, adviser_id, assigned_by, assigned_at) VALUES (",
    );
    q.bind(review_id).push(", ").bind(adviser_id).push(", ");
    q.bind(actor.id).push(", ").bind(now_ms()).push(")");
    q.execute(&mut tx).await?;
    audit::append_tx(
        &mut tx,
        actor,
        "legal_review.assign_adviser",
        &format!("legal_review:{review_id}"),
        &format!("legal_adviser:{adviser_id}"),
    )
    .await?;
    tx.commit().await
}

/// The adviser a review item was put to, if any.
pub async fn assigned_adviser(db: &Db, review_id: i64) -> Result<Option<i64>> {
    let mut q = Sql::new("SELECT adviser_id FROM legal_review_advisers WHERE review_id = ");
    q.bind(review_id);
    Ok(q.fetch_optional::<Count>(db.reader()).await?.map(|c| c.0))
}

/// The ids of the review items put to an adviser, newest first.
pub async fn assigned_reviews(db: &Db, adviser_id: i64) -> Result<Vec<i64>> {
    let mut q = Sql::new("SELECT review_id FROM legal_review_advisers WHERE adviser_id = ");
    q.bind(adviser_id)
        .push(" ORDER BY review_id DESC LIMIT 1000");
    Ok(q.fetch_all::<Count>(db.reader())
        .await?
        .into_iter()
        .map(|c| c.0)
        .collect())
}

/// Adds a hand-logged entry.
pub async fn add_log(
    db: &Db,
    actor: &Actor,
    adviser_id: i64,
    on: Date,
    kind: AdviserLogKind,
    subject: &str,
    note: &str,
) -> Result<i64> {
    let mut tx = db.begin().await?;
    let mut q = Sql::new(
        "INSERT INTO legal_adviser_logs (adviser_id, on_date, kind, subject, note, created_by, created_at) VALUES (",
    );
    q.bind(adviser_id).push(", ").bind(on).push(", ").bind(kind);
    q.push(", ")
        .bind(subject.to_string())
        .push(", ")
        .bind(note.to_string());
    q.push(", ").bind(actor.id).push(", ").bind(now_ms());
    q.push(") RETURNING id");
    let id = q.fetch_one::<Count>(&mut tx).await?.0;
    audit::append_tx(
        &mut tx,
        actor,
        "legal_adviser.log",
        &format!("legal_adviser:{adviser_id}"),
        &format!("{} {subject}", kind.label_zh()),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The hand-logged entries of an adviser, oldest first.
pub async fn logs(db: &Db, adviser_id: i64) -> Result<Vec<AdviserLogRow>> {
    let mut q = Sql::new(
        "SELECT id, adviser_id, on_date, kind, subject, note FROM legal_adviser_logs WHERE adviser_id = ",
    );
    q.bind(adviser_id).push(" ORDER BY on_date, id");
    q.fetch_all(db.reader()).await
}

/// Records the assessment of a year; a second one for the same year is a conflict.
#[allow(clippy::too_many_arguments)]
pub async fn assess(
    db: &Db,
    actor: &Actor,
    adviser_id: i64,
    year: i32,
    rating: AdviserRating,
    note: &str,
    on: Date,
) -> Result<()> {
    let mut tx = db.begin().await?;
    let mut q = Sql::new("SELECT id FROM legal_adviser_assessments WHERE adviser_id = ");
    q.bind(adviser_id)
        .push(" AND year = ")
        .bind(i64::from(year));
    if q.fetch_optional::<Count>(&mut tx).await?.is_some() {
        return Err(DbError::Conflict {
            field: "year",
            message: format!("{year}年度已考核"),
        });
    }
    let mut q = Sql::new(
        "INSERT INTO legal_adviser_assessments (adviser_id, year, rating, note, assessed_on, assessed_by, created_at) VALUES (",
    );
    q.bind(adviser_id)
        .push(", ")
        .bind(i64::from(year))
        .push(", ");
    q.bind(rating).push(", ").bind(note.to_string()).push(", ");
    q.bind(on)
        .push(", ")
        .bind(actor.id)
        .push(", ")
        .bind(now_ms());
    q.push(")");
    q.execute(&mut tx).await?;
    audit::append_tx(
        &mut tx,
        actor,
        "legal_adviser.assess",
        &format!("legal_adviser:{adviser_id}"),
        &format!("{year} {}", rating.label_zh()),
    )
    .await?;
    tx.commit().await
}

/// The assessments of an adviser, newest year first.
pub async fn assessments(db: &Db, adviser_id: i64) -> Result<Vec<AssessmentRow>> {
    let mut q = Sql::new(
        "SELECT s.id, s.adviser_id, s.year, s.rating, s.note, s.assessed_on, u.display_name AS assessor FROM legal_adviser_assessments s LEFT JOIN users u ON u.id = s.assessed_by WHERE s.adviser_id = ",
    );
    q.bind(adviser_id).push(" ORDER BY s.year DESC");
    q.fetch_all(db.reader()).await
}

/// The opinions an adviser gave on the review desk, oldest first: those linked to the
/// adviser's roster id, and older ones (no link) given by the adviser's account.
pub async fn opinions_of(
    db: &Db,
    adviser_id: i64,
    user_id: Option<i64>,
) -> Result<Vec<OpinionWorkRow>> {
    let mut q = Sql::new(
        "SELECT r.id AS review_id, r.kind, r.title, e.on_date, r.opinion, e.note FROM legal_review_events e JOIN legal_reviews r ON r.id = e.review_id WHERE e.action = ",
    );
    q.bind(ReviewActionCode::Review)
        .push(" AND (r.opinion_adviser_id = ")
        .bind(adviser_id);
    if let Some(u) = user_id {
        q.push(" OR (r.opinion_adviser_id IS NULL AND e.actor_id = ")
            .bind(u)
            .push(")");
    }
    q.push(") ORDER BY e.on_date, e.id");
    q.fetch_all(db.reader()).await
}

/// The major decisions of the township at `path` that reached the discussion.
pub async fn discussed_decisions(db: &Db, path: &str) -> Result<Vec<StateRow>> {
    let mut q = Sql::new("SELECT id, title, state FROM major_decisions WHERE ");
    q.scope("division_path", &[path.to_string()]);
    q.push(" ORDER BY id");
    q.fetch_all(db.reader()).await
}

/// The normative documents of the township at `path` (their deliberation is in the
/// state).
pub async fn normative_documents(db: &Db, path: &str) -> Result<Vec<StateRow>> {
    let mut q = Sql::new("SELECT id, title, state FROM normative_documents WHERE ");
    q.scope("division_path", &[path.to_string()]);
    q.push(" ORDER BY id");
    q.fetch_all(db.reader()).await
}

/// The 复议/诉讼 cases of the township at `path` (their hearings are in the state).
pub async fn litigation_cases(db: &Db, path: &str) -> Result<Vec<StateRow>> {
    let mut q = Sql::new("SELECT id, challenged_act AS title, state FROM litigation_cases WHERE ");
    q.scope("division_path", &[path.to_string()]);
    q.push(" ORDER BY id");
    q.fetch_all(db.reader()).await
}
