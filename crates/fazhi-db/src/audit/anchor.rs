//! Checkpoints of the audit chain's head kept outside the database.
//!
//! The hash chain shows a row altered in place, but someone who can write the database
//! can also cut its tail, wipe it, or rewrite it and compute the chain again. So the
//! server appends the head (sequence number and hash) to a file beside the key file,
//! every minute when it has moved, each line with an HMAC under a key derived from the
//! key file. `verify` then checks that every checkpointed row is still there with the
//! hash it had; forging a checkpoint needs the key, and rows older than the newest
//! checkpoint can no longer be changed, removed or re-chained unnoticed.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use super::HeadRow;
use crate::sql::Sql;
use crate::{Db, DbError, Result};

/// One checkpoint: the head of the chain at a moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    pub seq: i64,
    pub hash: String,
    pub at: i64,
}

/// The checkpoint file and its key.
pub struct Anchor {
    path: PathBuf,
    key: [u8; 32],
    /// The sequence number last written, so an unchanged head is not written again.
    last: Mutex<Option<i64>>,
}

impl std::fmt::Debug for Anchor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Anchor").field("path", &self.path).finish()
    }
}

fn io_error(path: &Path, e: std::io::Error) -> DbError {
    DbError::Config(format!("audit anchor file {}: {e}", path.display()))
}

impl Anchor {
    /// The anchor at `path`, its lines signed with `key` (see `pii::Vault::anchor`).
    pub fn new(path: PathBuf, key: [u8; 32]) -> Anchor {
        Anchor {
            path,
            key,
            last: Mutex::new(None),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn mac(&self, seq: i64, hash: &str, at: i64) -> String {
        let mut m = Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC takes any key");
        m.update(format!("{seq} {hash} {at}").as_bytes());
        hex::encode(m.finalize().into_bytes())
    }

    /// Every checkpoint in the file, oldest first (none when the file does not exist).
    /// A line whose MAC does not match, or that cannot be read, is an error naming it.
    pub fn read(&self) -> Result<Vec<Checkpoint>> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(io_error(&self.path, e)),
        };
        let mut out = Vec::new();
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let bad = || {
                DbError::Config(format!(
                    "audit anchor file {} line {}: not a valid checkpoint (forged or damaged)",
                    self.path.display(),
                    i + 1
                ))
            };
            let f: Vec<&str> = line.split(' ').collect();
            let [seq, hash, at, mac] = f[..] else {
                return Err(bad());
            };
            let (Ok(seq), Ok(at)) = (seq.parse::<i64>(), at.parse::<i64>()) else {
                return Err(bad());
            };
            if self.mac(seq, hash, at) != mac {
                return Err(bad());
            }
            out.push(Checkpoint {
                seq,
                hash: hash.to_string(),
                at,
            });
        }
        Ok(out)
    }

    /// Appends the current head if it moved since the last checkpoint, and syncs the
    /// file. Returns the checkpoint written, if any.
    pub async fn checkpoint(&self, db: &Db, now_ms: i64) -> Result<Option<Checkpoint>> {
        let head: HeadRow = Sql::new("SELECT seq, hash FROM audit_head WHERE id = 1")
            .fetch_one(db.reader())
            .await?;
        let last = *self.last.lock().expect("anchor");
        let last = match last {
            Some(s) => Some(s),
            None => self.read()?.last().map(|c| c.seq),
        };
        if head.seq == 0 || last.is_some_and(|s| s >= head.seq) {
            *self.last.lock().expect("anchor") = last;
            return Ok(None);
        }
        let line = format!(
            "{} {} {now_ms} {}\n",
            head.seq,
            head.hash,
            self.mac(head.seq, &head.hash, now_ms)
        );
        let path = self.path.clone();
        tokio::task::spawn_blocking(move || -> std::io::Result<()> {
            let mut opts = std::fs::OpenOptions::new();
            opts.append(true).create(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                opts.mode(0o600);
            }
            let mut f = opts.open(&path)?;
            f.write_all(line.as_bytes())?;
            f.sync_all()
        })
        .await
        .map_err(|e| DbError::Config(e.to_string()))?
        .map_err(|e| io_error(&self.path, e))?;
        *self.last.lock().expect("anchor") = Some(head.seq);
        Ok(Some(Checkpoint {
            seq: head.seq,
            hash: head.hash,
            at: now_ms,
        }))
    }
}
