//! Sessions as last read, for one second: every request resolves its session (with the
//! user and grants, one statement), and under load that was a quarter of PostgreSQL's
//! statements (bench/README.md ¹⁰). A change made through this process — a login ended,
//! a user changed or disabled, a password set, a grant added or revoked, a division
//! renamed — empties the cache at once; another process's change (a second server, the
//! command line) is seen within [`FRESH`].

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::grants::GrantRow;
use super::sessions::SessionRow;

/// How long a session read stays good.
pub(crate) const FRESH: Duration = Duration::from_secs(1);

/// Sessions kept at most (unknown tokens are never kept, so guessing fills nothing).
const MAX: usize = 10_000;

pub(crate) type Found = (SessionRow, Vec<GrantRow>);

#[derive(Default)]
pub(crate) struct Sessions {
    /// Bumped by every change, so that a read that began before it is not kept.
    epoch: AtomicU64,
    map: Mutex<HashMap<String, (Instant, Found)>>,
}

impl Sessions {
    /// The session of `token_hash` if read less than [`FRESH`] ago.
    pub(crate) fn get(&self, token_hash: &str) -> Option<Found> {
        let map = self.map.lock().expect("session cache");
        map.get(token_hash)
            .filter(|(at, _)| at.elapsed() < FRESH)
            .map(|(_, f)| f.clone())
    }

    /// The epoch to pass to [`Sessions::put`] after reading.
    pub(crate) fn epoch(&self) -> u64 {
        self.epoch.load(Ordering::Acquire)
    }

    /// Keeps a session read at `epoch`, unless something changed since.
    pub(crate) fn put(&self, token_hash: &str, epoch: u64, found: Found) {
        let mut map = self.map.lock().expect("session cache");
        if self.epoch.load(Ordering::Acquire) != epoch {
            return;
        }
        if map.len() >= MAX {
            map.retain(|_, (at, _)| at.elapsed() < FRESH);
            if map.len() >= MAX {
                map.clear();
            }
        }
        map.insert(token_hash.to_string(), (Instant::now(), found));
    }

    /// Forgets everything: users, grants or divisions changed.
    pub(crate) fn clear(&self) {
        let mut map = self.map.lock().expect("session cache");
        self.epoch.fetch_add(1, Ordering::AcqRel);
        map.clear();
    }

    /// Forgets one session (ended, or its idle clock moved).
    pub(crate) fn forget(&self, session_id: i64) {
        let mut map = self.map.lock().expect("session cache");
        self.epoch.fetch_add(1, Ordering::AcqRel);
        map.retain(|_, (_, (s, _))| s.id != session_id);
    }
}
