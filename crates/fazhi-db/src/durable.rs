//! Group commit for SQLite. The write connection runs with `synchronous = NORMAL`, so a
//! COMMIT appends its frames to the write-ahead log without waiting for the disk; before
//! a commit is acknowledged, [`WalSync::wait`] makes sure an `fdatasync` of the WAL file
//! that started after the commit has finished. That is what `synchronous = FULL` does at
//! every commit, but one sync here covers every commit that finished before it started,
//! so under load many transactions share one flush instead of paying one each.

use std::path::PathBuf;
use std::sync::Mutex;

use tokio::sync::watch;

use crate::{DbError, Result};

pub(crate) struct WalSync {
    wal: PathBuf,
    /// (tickets handed out, a sync is running).
    state: Mutex<(u64, bool)>,
    /// Inode of the log at the last sync: a new log file needs its directory entry synced.
    inode: Mutex<u64>,
    /// The highest ticket known to be on disk.
    synced: watch::Sender<u64>,
}

impl WalSync {
    /// Syncs `<database>-wal`.
    pub(crate) fn new(database: &std::path::Path) -> WalSync {
        let mut wal = database.as_os_str().to_owned();
        wal.push("-wal");
        WalSync {
            wal: PathBuf::from(wal),
            state: Mutex::new((0, false)),
            inode: Mutex::new(0),
            synced: watch::Sender::new(0),
        }
    }

    /// Returns once everything committed before the call is on disk. The first waiter
    /// with no sync running leads: it syncs for every ticket handed out so far, while
    /// later callers wait for it or for the next one.
    pub(crate) async fn wait(&self) -> Result<()> {
        let ticket = {
            let mut s = self.state.lock().expect("sync state");
            s.0 += 1;
            s.0
        };
        let mut rx = self.synced.subscribe();
        loop {
            if *rx.borrow_and_update() >= ticket {
                return Ok(());
            }
            let lead = {
                let mut s = self.state.lock().expect("sync state");
                (!s.1).then(|| {
                    s.1 = true;
                    s.0
                })
            };
            let Some(covered) = lead else {
                // A sync is running; it may not cover this ticket, so look again after it.
                rx.changed().await.map_err(|_| sync_error("closed"))?;
                continue;
            };
            let wal = self.wal.clone();
            let seen = *self.inode.lock().expect("inode");
            let done = tokio::task::spawn_blocking(move || sync_file(&wal, seen)).await;
            self.state.lock().expect("sync state").1 = false;
            match done {
                Ok(Ok(inode)) => {
                    *self.inode.lock().expect("inode") = inode;
                    self.synced.send_modify(|s| *s = (*s).max(covered));
                }
                Ok(Err(e)) => {
                    // Wake the others so one of them retries; this caller reports it.
                    self.synced.send_modify(|_| {});
                    return Err(sync_error(&e.to_string()));
                }
                Err(e) => {
                    self.synced.send_modify(|_| {});
                    return Err(sync_error(&e.to_string()));
                }
            }
        }
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
    DbError::Config(format!(
        "could not flush the write-ahead log to disk: {why}"
    ))
}
