//! The keyword index of matters (see `fazhi_core::search`): written with each matter in
//! the same transaction, queried by the list, rebuilt from the records by `reindex`.

use fazhi_core::search;

use crate::sql::{Count, Sql, row};
use crate::{Conn, Db, Result};

row!(SourceRow {
    summary: String,
    address: Option<String>,
    division_name: String,
    grid_name: Option<String>,
});

row!(NameRow { name: String });

/// Rewrites the index entries of one matter from its stored fields.
pub(crate) async fn index_in(conn: &mut Conn, matter_id: i64) -> Result<()> {
    let mut q = Sql::new(
        "SELECT m.summary, m.address, d.name AS division_name, g.name AS grid_name FROM matters m JOIN divisions d ON d.id = m.division_id LEFT JOIN grids g ON g.id = m.grid_id WHERE m.id = ",
    );
    q.bind(matter_id);
    let src: SourceRow = q.fetch_one(&mut *conn).await?;
    let mut q = Sql::new("SELECT name FROM parties WHERE matter_id = ");
    q.bind(matter_id).push(" ORDER BY seq");
    let names: Vec<NameRow> = q.fetch_all(&mut *conn).await?;
    let names: Vec<String> = names.into_iter().map(|n| n.name).collect();
    let text = text_of(
        &src.summary,
        &names,
        &src.division_name,
        src.grid_name.as_deref(),
        src.address.as_deref(),
    );
    for table in [
        "DELETE FROM matter_terms WHERE matter_id = ",
        "DELETE FROM matter_search WHERE matter_id = ",
    ] {
        let mut q = Sql::new(table);
        q.bind(matter_id);
        q.execute(&mut *conn).await?;
    }
    insert_in(conn, matter_id, text).await
}

/// Writes the index entries of a matter that has none yet (just inserted), from its
/// search text ([`text_of`]).
pub(crate) async fn insert_in(conn: &mut Conn, matter_id: i64, text: String) -> Result<()> {
    insert_many(conn, vec![(matter_id, text)], 100).await
}

/// Writes the index entries of matters that have none yet: (matter id, search text),
/// `rows` rows per multi-row statement.
pub(crate) async fn insert_many(
    conn: &mut Conn,
    entries: Vec<(i64, String)>,
    rows: usize,
) -> Result<()> {
    let terms: Vec<(String, i64)> = entries
        .iter()
        .flat_map(|(id, text)| search::terms(text).into_iter().map(move |t| (t, *id)))
        .collect();
    for chunk in entries.chunks(rows) {
        let mut q = Sql::new("INSERT INTO matter_search (matter_id, text) VALUES ");
        for (i, (id, text)) in chunk.iter().enumerate() {
            q.push(if i == 0 { "(" } else { "), (" });
            q.bind(*id).push(", ").bind(text.clone());
        }
        q.push(")");
        q.execute(&mut *conn).await?;
    }
    for chunk in terms.chunks(rows) {
        let mut q = Sql::new("INSERT INTO matter_terms (term, matter_id) VALUES ");
        for (i, (term, id)) in chunk.iter().enumerate() {
            q.push(if i == 0 { "(" } else { "), (" });
            q.bind(term.clone()).push(", ").bind(*id);
        }
        q.push(")");
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// What a search may match of one matter: summary, party names, place and address.
pub(crate) fn text_of(
    summary: &str,
    names: &[String],
    division: &str,
    grid: Option<&str>,
    address: Option<&str>,
) -> String {
    let mut text = summary.to_string();
    for part in names
        .iter()
        .map(String::as_str)
        .chain([division])
        .chain(grid)
        .chain(address)
    {
        text.push(' ');
        text.push_str(part);
    }
    search::normalize(&text)
}

/// Rebuilds the whole index from the matters, in pages of 500 per transaction.
/// Returns the number of matters indexed.
pub async fn reindex(db: &Db) -> Result<u64> {
    let mut after = 0i64;
    let mut n = 0u64;
    loop {
        let mut q = Sql::new("SELECT id FROM matters WHERE id > ");
        q.bind(after).push(" ORDER BY id LIMIT 500");
        let ids: Vec<Count> = q.fetch_all(db.reader()).await?;
        let Some(last) = ids.last() else {
            return Ok(n);
        };
        after = last.0;
        let mut tx = db.begin_bulk().await?;
        for id in &ids {
            index_in(&mut tx, id.0).await?;
        }
        tx.commit().await?;
        n += ids.len() as u64;
    }
}

/// Where counting postings stops: a term with this many is common, and beyond that
/// "common" is all the list needs to know.
pub(crate) const COMMON: i64 = 5000;

/// Query terms with their number of postings (at most [`COMMON`]), rarest first (the
/// rarest drives the search), keeping at most 6.
pub(crate) async fn rarest_first(db: &Db, terms: Vec<String>) -> Result<Vec<(i64, String)>> {
    let mut counted = Vec::with_capacity(terms.len());
    for t in terms {
        let mut q = Sql::new("SELECT COUNT(*) FROM (SELECT 1 FROM matter_terms WHERE term = ");
        q.bind(t.clone()).push(" LIMIT ").bind(COMMON).push(") x");
        let c: Count = q.fetch_one(db.reader()).await?;
        counted.push((c.0, t));
    }
    counted.sort();
    counted.truncate(6);
    Ok(counted)
}
