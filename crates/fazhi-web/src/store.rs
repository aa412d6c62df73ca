//! Short-lived things kept in memory for the user who made them: uploads waiting for
//! their next step, analysis results, background jobs and their files. Each is seen
//! only by its owner (others get nothing, as for a missing id), bounded in number per
//! user and in all, bounded in bytes, and dropped a while after it was made or, for
//! work still running, after it ended. A restart loses them: nothing here is a record.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};

/// What the store needs to know about what it keeps.
pub trait Kept: Send + Sync {
    /// Memory it takes now (a job's file appears when the job ends).
    fn bytes(&self) -> usize;
    /// When its time to live starts: `None` while it must be kept (a running job).
    fn since_ms(&self, created_ms: i64) -> Option<i64> {
        Some(created_ms)
    }
}

/// The bounds of one store.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub ttl_minutes: i64,
    pub max_bytes: usize,
    pub max_entries: usize,
    pub per_user: usize,
}

/// Why something could not be kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// Larger than the whole budget.
    TooLarge,
    /// Everything the owner (or the server) holds must be kept: running work.
    Busy,
}

struct Entry<T> {
    id: String,
    owner: i64,
    created_ms: i64,
    value: Arc<T>,
}

/// An owner-scoped, size- and time-bounded store; the oldest entries go first.
pub struct OwnedStore<T> {
    limits: Limits,
    entries: Mutex<VecDeque<Entry<T>>>,
}

impl<T: Kept> OwnedStore<T> {
    pub fn new(limits: Limits) -> Self {
        OwnedStore {
            limits,
            entries: Mutex::new(VecDeque::new()),
        }
    }

    pub fn limits(&self) -> Limits {
        self.limits
    }

    fn lock(&self) -> MutexGuard<'_, VecDeque<Entry<T>>> {
        // A panic while holding the lock leaves the queue consistent: keep using it.
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn expire(&self, entries: &mut VecDeque<Entry<T>>, now_ms: i64) {
        let ttl = self.limits.ttl_minutes * 60_000;
        entries.retain(|e| {
            e.value
                .since_ms(e.created_ms)
                .is_none_or(|since| now_ms - since < ttl)
        });
    }

    /// Removes the oldest entry that `pick` allows and may go (not pinned); false when
    /// there is none.
    fn evict(entries: &mut VecDeque<Entry<T>>, pick: impl Fn(&Entry<T>) -> bool) -> bool {
        let p = entries
            .iter()
            .position(|e| pick(e) && e.value.since_ms(e.created_ms).is_some());
        p.is_some_and(|p| entries.remove(p).is_some())
    }

    /// Keeps `value` for `owner`; returns its id and the shared value. Makes room by
    /// dropping the owner's oldest past `per_user`, then the oldest of all past the
    /// byte and entry budgets; refuses when the value alone is over the byte budget or
    /// only pinned entries stand in the way.
    pub fn put(&self, owner: i64, now_ms: i64, value: T) -> Result<(String, Arc<T>), Refused> {
        let id = crate::auth::secrets::random_token();
        self.put_as(id, owner, now_ms, value)
    }

    /// [`OwnedStore::put`] under an id the caller chose (random, like `put`'s).
    pub fn put_as(
        &self,
        id: String,
        owner: i64,
        now_ms: i64,
        value: T,
    ) -> Result<(String, Arc<T>), Refused> {
        let size = value.bytes();
        if size > self.limits.max_bytes {
            return Err(Refused::TooLarge);
        }
        let mut entries = self.lock();
        self.expire(&mut entries, now_ms);
        while entries.iter().filter(|e| e.owner == owner).count() >= self.limits.per_user {
            if !Self::evict(&mut entries, |e| e.owner == owner) {
                return Err(Refused::Busy);
            }
        }
        let bytes = |es: &VecDeque<Entry<T>>| es.iter().map(|e| e.value.bytes()).sum::<usize>();
        while bytes(&entries) + size > self.limits.max_bytes
            || entries.len() >= self.limits.max_entries
        {
            if !Self::evict(&mut entries, |_| true) {
                return Err(Refused::Busy);
            }
        }
        let value = Arc::new(value);
        entries.push_back(Entry {
            id: id.clone(),
            owner,
            created_ms: now_ms,
            value: value.clone(),
        });
        Ok((id, value))
    }

    /// The entry `id` if it is kept and belongs to `owner`.
    pub fn get(&self, id: &str, owner: i64, now_ms: i64) -> Option<Arc<T>> {
        let mut entries = self.lock();
        self.expire(&mut entries, now_ms);
        entries
            .iter()
            .find(|e| e.id == id && e.owner == owner)
            .map(|e| e.value.clone())
    }

    /// How many of `owner`'s entries satisfy `pred` (e.g. jobs still running).
    pub fn count(&self, owner: i64, pred: impl Fn(&T) -> bool) -> usize {
        self.lock()
            .iter()
            .filter(|e| e.owner == owner && pred(&e.value))
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering};

    struct Thing {
        bytes: usize,
        pinned: AtomicBool,
    }

    impl Kept for Thing {
        fn bytes(&self) -> usize {
            self.bytes
        }
        fn since_ms(&self, created_ms: i64) -> Option<i64> {
            (!self.pinned.load(Ordering::Relaxed)).then_some(created_ms)
        }
    }

    fn thing(bytes: usize) -> Thing {
        Thing {
            bytes,
            pinned: AtomicBool::new(false),
        }
    }

    const LIMITS: Limits = Limits {
        ttl_minutes: 30,
        max_bytes: 100,
        max_entries: 8,
        per_user: 3,
    };

    #[test]
    fn owner_scoped_expiring_and_bounded() {
        let s = OwnedStore::new(LIMITS);
        let (id, _) = s.put(1, 0, thing(10)).unwrap();
        assert!(s.get(&id, 1, 1000).is_some());
        assert!(s.get(&id, 2, 1000).is_none(), "another user");
        assert!(s.get(&id, 1, 30 * 60_000).is_none(), "expired");
        // Per user: the fourth evicts the first.
        let ids: Vec<String> = (0..4).map(|i| s.put(7, i, thing(10)).unwrap().0).collect();
        assert!(s.get(&ids[0], 7, 10).is_none());
        assert!(ids[1..].iter().all(|id| s.get(id, 7, 10).is_some()));
        // Bytes: too large alone is refused; a large one pushes the oldest out.
        assert_eq!(s.put(8, 10, thing(101)).err(), Some(Refused::TooLarge));
        let (big, _) = s.put(8, 10, thing(95)).unwrap();
        assert!(s.get(&big, 8, 10).is_some());
        assert!(ids[1..].iter().all(|id| s.get(id, 7, 10).is_none()));
    }

    #[test]
    fn pinned_entries_are_neither_evicted_nor_expired() {
        let s = OwnedStore::new(LIMITS);
        let ids: Vec<String> = (0..3)
            .map(|_| {
                let t = thing(1);
                t.pinned.store(true, Ordering::Relaxed);
                s.put(5, 0, t).unwrap().0
            })
            .collect();
        assert_eq!(s.put(5, 0, thing(1)).err(), Some(Refused::Busy));
        assert_eq!(s.count(5, |t| t.pinned.load(Ordering::Relaxed)), 3);
        assert!(
            s.get(&ids[0], 5, 10 * 24 * 3_600_000).is_some(),
            "no expiry"
        );
    }
}
