//! Group commit for SQLite. The write connection runs with `synchronous = NORMAL`, so a
//! COMMIT appends its frames to the write-ahead log without waiting for the disk; before
//! a commit is acknowledged, [`WalSync::wait`] makes sure an `fdatasync` of the WAL file
//! that started after the commit has finished. That is what `synchronous = FULL` does at
//! every commit, but one sync here covers every commit that finished before it started,
//! so under load many transactions share one flush instead of paying one each.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use tokio::sync::watch;

use crate::{DbError, Result};

pub(crate) struct WalSync {
    wal: PathBuf,
    state: Mutex<State>,
    /// Inode of the log at the last sync: a new log file needs its directory entry synced.
    inode: Mutex<u64>,
    /// The highest ticket known to be on disk.
    synced: watch::Sender<u64>,
}

#[derive(Default)]
struct State {
    /// Tickets handed out.
    tickets: u64,
    /// A sync is running.
    running: bool,
    /// A sync failed: what was written may not be on disk, and a retry could wrongly
    /// succeed (Linux marks the failed pages clean), so every later write is refused
    /// until a restart, as PostgreSQL does.
    failed: Option<String>,
}

impl WalSync {
    /// Syncs `<database>-wal`.
    pub(crate) fn new(database: &std::path::Path) -> WalSync {
        let mut wal = database.as_os_str().to_owned();
        wal.push("-wal");
        WalSync {
            wal: PathBuf::from(wal),
            state: Mutex::new(State::default()),
            inode: Mutex::new(0),
            synced: watch::Sender::new(0),
        }
    }

    /// A flush is under way.
    pub(crate) fn flushing(&self) -> bool {
        self.state.lock().expect("sync state").running
    }

    /// Returns once everything committed before the call is on disk. When no sync is
    /// running, a caller starts one covering every ticket handed out so far; the others
    /// wait for it or for the next. The sync runs in its own task, so a caller that
    /// goes away (a closed connection) cannot leave it half done.
    pub(crate) async fn wait(self: &Arc<Self>) -> Result<()> {
        let ticket = {
            let mut s = self.state.lock().expect("sync state");
            if let Some(e) = &s.failed {
                return Err(sync_error(e));
            }
            s.tickets += 1;
            s.tickets
        };
        let mut rx = self.synced.subscribe();
        loop {
            if *rx.borrow_and_update() >= ticket {
                return Ok(());
            }
            {
                let mut s = self.state.lock().expect("sync state");
                if let Some(e) = &s.failed {
                    return Err(sync_error(e));
                }
                if !s.running {
                    s.running = true;
                    tokio::spawn(self.clone().sync(s.tickets));
                }
            }
            rx.changed().await.map_err(|_| sync_error("closed"))?;
        }
    }

    /// One sync of the log, covering tickets up to `covered`.
    async fn sync(self: Arc<Self>, covered: u64) {
        let wal = self.wal.clone();
        let seen = *self.inode.lock().expect("inode");
        let done = tokio::task::spawn_blocking(move || sync_file(&wal, seen))
            .await
            .map_err(|e| e.to_string())
            .and_then(|r| r.map_err(|e| e.to_string()));
        {
            let mut s = self.state.lock().expect("sync state");
            s.running = false;
            match &done {
                Ok(inode) => *self.inode.lock().expect("inode") = *inode,
                Err(e) => {
                    tracing::error!(error = %e, "flushing the SQLite write-ahead log failed; writes are refused until restart");
                    s.failed = Some(e.clone());
                }
            }
        }
        // Wakes every waiter: they return, see the failure, or start the next sync.
        self.synced.send_modify(|s| {
            if done.is_ok() {
                *s = (*s).max(covered);
            }
        });
    }
}

/// Syncs the log's data, and its folder when the log is a file not synced before.
/// Returns the log's inode.
fn sync_file(path: &std::path::Path, seen: u64) -> std::io::Result<u64> {
    use std::os::unix::fs::MetadataExt;
    let f = match std::fs::File::open(path) {
        Ok(f) => f,
        // No log file means nothing is waiting in one (all checkpointed and removed).
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(seen),
        Err(e) => return Err(e),
    };
    f.sync_data()?;
    let inode = f.metadata()?.ino();
    if inode != seen {
        let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
        std::fs::File::open(dir.unwrap_or(std::path::Path::new(".")))?.sync_all()?;
    }
    Ok(inode)
}

fn sync_error(why: &str) -> DbError {
    DbError::Unavailable(format!(
        "could not flush the write-ahead log to disk: {why}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A failed flush is never followed by an acknowledgement: the waiter gets an
    /// error, and so does every later one (Linux may mark the failed pages clean, so a
    /// retry could "succeed" without the data). The log here is /dev/null, on which
    /// fsync fails with EINVAL.
    #[cfg(unix)]
    #[tokio::test]
    async fn a_failed_flush_refuses_this_and_every_later_write() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("f.db");
        std::os::unix::fs::symlink("/dev/null", dir.path().join("f.db-wal")).unwrap();
        let sync = Arc::new(WalSync::new(&db));
        for _ in 0..3 {
            let e = sync.wait().await.unwrap_err();
            assert!(matches!(e, DbError::Unavailable(_)), "{e}");
        }
    }
    use std::time::Duration;

    #[tokio::test]
    async fn a_waiter_that_goes_away_does_not_stop_later_commits() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("x.db");
        std::fs::write(dir.path().join("x.db-wal"), b"log").unwrap();
        let w = Arc::new(WalSync::new(&db));
        // Polled once (it starts a sync), then dropped, like a request whose client left.
        // (A zero timeout is not enough: its timer may fire only a tick later.)
        let gone = {
            let first = w.wait();
            tokio::pin!(first);
            std::future::poll_fn(|cx| std::task::Poll::Ready(first.as_mut().poll(cx).is_pending()))
                .await
        };
        assert!(gone, "the first wait was cut short");
        for _ in 0..3 {
            tokio::time::timeout(Duration::from_secs(30), w.wait())
                .await
                .expect("later waits still finish")
                .unwrap();
        }
    }

    #[tokio::test]
    async fn many_waiters_share_syncs_and_all_return() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("y.db");
        std::fs::write(dir.path().join("y.db-wal"), b"log").unwrap();
        let w = Arc::new(WalSync::new(&db));
        let waits: Vec<_> = (0..64)
            .map(|_| {
                let w = w.clone();
                tokio::spawn(async move { w.wait().await })
            })
            .collect();
        for t in waits {
            t.await.unwrap().unwrap();
        }
        assert_eq!(*w.synced.borrow(), 64, "every ticket covered");
    }
}
