//! Rows kept in memory for one second, for the lookups every request makes (sessions,
//! units, divisions): under load they were a large share of PostgreSQL's statements
//! (bench/README.md ¹⁰, ¹¹). A change made through this process empties its cache at
//! once. On PostgreSQL it also tells the other processes on the database, which empty
//! theirs when they hear it (`listen`), and rows are kept only while a process is
//! listening; a change made otherwise (SQL typed by hand, the SQLite file changed by
//! the command line) is seen within [`FRESH`].

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// How long a row read stays good.
pub(crate) const FRESH: Duration = Duration::from_secs(1);

/// Rows kept at most (what was not found is never kept, so guessing fills nothing).
const MAX: usize = 10_000;

pub(crate) struct Fresh<K, V> {
    /// Bumped by every change, so that a read that began before it is not kept.
    epoch: AtomicU64,
    /// Whether rows are kept at all: on PostgreSQL only while this process hears of
    /// other processes' changes (`listen`).
    open: AtomicBool,
    map: Mutex<HashMap<K, (Instant, V)>>,
}

impl<K, V> Default for Fresh<K, V> {
    fn default() -> Self {
        Fresh {
            epoch: AtomicU64::new(0),
            open: AtomicBool::new(true),
            map: Mutex::new(HashMap::new()),
        }
    }
}

impl<K: Eq + Hash, V: Clone> Fresh<K, V> {
    /// The row of `key` if read less than [`FRESH`] ago.
    pub(crate) fn get<Q>(&self, key: &Q) -> Option<V>
    where
        K: std::borrow::Borrow<Q>,
        Q: Eq + Hash + ?Sized,
    {
        let map = self.map.lock().expect("cache");
        map.get(key)
            .filter(|(at, _)| at.elapsed() < FRESH)
            .map(|(_, v)| v.clone())
    }

    /// The epoch to pass to [`Fresh::put`] after reading.
    pub(crate) fn epoch(&self) -> u64 {
        self.epoch.load(Ordering::Acquire)
    }

    /// Keeps a row read at `epoch`, unless something changed since.
    pub(crate) fn put(&self, key: K, epoch: u64, value: V) {
        let mut map = self.map.lock().expect("cache");
        if self.epoch.load(Ordering::Acquire) != epoch || !self.open.load(Ordering::Acquire) {
            return;
        }
        if map.len() >= MAX {
            map.retain(|_, (at, _)| at.elapsed() < FRESH);
            if map.len() >= MAX {
                map.clear();
            }
        }
        map.insert(key, (Instant::now(), value));
    }

    /// Forgets everything (call after the change has committed).
    pub(crate) fn clear(&self) {
        let mut map = self.map.lock().expect("cache");
        self.epoch.fetch_add(1, Ordering::AcqRel);
        map.clear();
    }

    /// Whether rows are kept.
    #[cfg(test)]
    pub(crate) fn is_open(&self) -> bool {
        self.open.load(Ordering::Acquire)
    }

    /// Starts or stops keeping rows; either way forgets what was kept.
    pub(crate) fn set_open(&self, open: bool) {
        let mut map = self.map.lock().expect("cache");
        self.epoch.fetch_add(1, Ordering::AcqRel);
        self.open.store(open, Ordering::Release);
        map.clear();
    }

    /// Forgets the rows for which `stale` holds.
    pub(crate) fn forget(&self, stale: impl Fn(&V) -> bool) {
        let mut map = self.map.lock().expect("cache");
        self.epoch.fetch_add(1, Ordering::AcqRel);
        map.retain(|_, (_, v)| !stale(v));
    }

    /// The row of `key` from the cache, else from `read` (kept when found).
    pub(crate) async fn or_read<E>(
        &self,
        key: K,
        read: impl Future<Output = Result<V, E>>,
    ) -> Result<V, E> {
        if let Some(v) = self.get(&key) {
            return Ok(v);
        }
        let epoch = self.epoch();
        let v = read.await?;
        self.put(key, epoch, v.clone());
        Ok(v)
    }
}
