//! Checkpoints: copying the write-ahead log back into the database file.
//!
//! Done inside a COMMIT (SQLite's default) they stall every writer queued behind it,
//! so a thread of its own copies the log every [`EVERY`] (PASSIVE: it waits for no one,
//! writes go on meanwhile), on one of the read connections. Not on the write
//! connection: each copy ends with an `fsync` of the database file, and every write
//! would wait for the whole copy and that `fsync` instead of only for the log's own
//! flush (see [`EVERY`]). The log can only start over from its beginning when it has
//! been copied whole at the moment a write begins; under a steady stream of writes the
//! background copy is never quite complete then, so once the log passes [`RESET_AT`]
//! the thread takes the write connection between batches and copies the last frames
//! there (little is left to copy), and the next write starts the log over.

use std::path::{Path, PathBuf};
use std::sync::Weak;
use std::time::Duration;

use rusqlite::Connection;
use tokio::sync::Mutex;

use super::Readers;
use super::writer::Slot;
use crate::{DbError, Result};

/// How often the log is copied back into the database. Each copy ends with an `fsync` of
/// the database file, and the log's own flush (group commit) waits behind it at the
/// disk, so every write in flight waits as long as that `fsync` takes: copying every
/// 250 ms made it long enough to put p99 at 46 ms under the lifecycle load; every 50 ms,
/// 24–27 ms (bench/README.md ⁵).
const EVERY: Duration = Duration::from_millis(50);

/// Log size past which the log is made to start over.
pub(super) const RESET_AT: u64 = 64 << 20;

/// Starts the checkpoint thread of the database at `path`; it ends with the writer.
/// (A checkpoint flushes the same with `synchronous` FULL, the read connections'
/// setting, as with NORMAL: that setting adds flushes at commits only.)
pub(super) fn start(path: &Path, writer: Weak<Mutex<Slot>>, readers: Weak<Readers>) -> Result<()> {
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    let wal = PathBuf::from(wal);
    std::thread::Builder::new()
        .name("fazhi-checkpoint".into())
        .spawn(move || {
            loop {
                std::thread::sleep(EVERY);
                let (Some(writer), Some(readers)) = (writer.upgrade(), readers.upgrade()) else {
                    return;
                };
                let copied = readers.with_conn(|c| {
                    passive(&c.conn);
                    Ok(())
                });
                if let Err(e) = copied {
                    tracing::warn!(error = %e, "no connection for a checkpoint; retrying");
                }
                if std::fs::metadata(&wal).is_ok_and(|m| m.len() > RESET_AT) {
                    finish_on_writer(&writer);
                }
            }
        })
        .map_err(|e| DbError::Config(format!("could not start the checkpoint thread: {e}")))?;
    Ok(())
}

/// Copies what the log holds that the database does not yet, as far as readers allow.
fn passive(c: &Connection) {
    let r: rusqlite::Result<(i64, i64, i64)> =
        c.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        });
    if let Err(e) = r {
        tracing::warn!(error = %e, "checkpoint of the SQLite log failed; retrying");
    }
}

/// Checkpoints on the write connection while no batch is open, so that the next write
/// can start the log over (and `journal_size_limit` shrinks the file).
fn finish_on_writer(writer: &Mutex<Slot>) {
    for _ in 0..200 {
        let slot = writer.blocking_lock();
        if slot.open.is_none() {
            passive(&slot.conn);
            return;
        }
        // A batch is waiting for its commit (about a millisecond): try again after it.
        drop(slot);
        std::thread::sleep(Duration::from_millis(1));
    }
}
