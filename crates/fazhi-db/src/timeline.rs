//! A record's timeline entry. Every work stream keeps one table of the same shape
//! (`…_events`: the record, time, day, actor, action, status reached, note; some also
//! the status left and a payload); this writes an entry in the caller's transaction.

use time::Date;

use crate::audit::Actor;
use crate::sql::{Sql, Value};
use crate::{Result, WriteTx};

/// Where a stream keeps its timeline: the insert up to `VALUES (`, naming its columns
/// in the order `record, at, on_date, actor_id, actor, action, [from_status,]
/// to_status, note[, payload]`.
pub(crate) struct Timeline {
    pub insert: &'static str,
    pub from_status: bool,
    pub payload: bool,
}

/// One entry: `from` is written only where the table keeps it.
pub(crate) struct Entry<'a, A, S> {
    pub id: i64,
    pub actor: &'a Actor,
    pub action: A,
    pub from: Option<S>,
    pub to: S,
    pub note: &'a str,
    pub on: Date,
    pub at: i64,
}

impl Timeline {
    pub(crate) async fn append<A, S>(&self, tx: &mut WriteTx, e: Entry<'_, A, S>) -> Result<()>
    where
        A: Into<Value>,
        S: Into<Value>,
        Option<S>: Into<Value>,
    {
        let mut q = Sql::new(self.insert);
        q.bind(e.id).push(", ").bind(e.at).push(", ").bind(e.on);
        q.push(", ")
            .bind(e.actor.id)
            .push(", ")
            .bind(e.actor.name.clone());
        q.push(", ").bind(e.action);
        if self.from_status {
            q.push(", ").bind(e.from);
        }
        q.push(", ").bind(e.to).push(", ").bind(e.note.to_string());
        if self.payload {
            q.push(", '{}'");
        }
        q.push(")");
        q.execute(tx).await?;
        Ok(())
    }
}
