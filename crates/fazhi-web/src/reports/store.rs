//! Recent analysis results, kept in memory so the result page can be shown again and
//! its workbook downloaded without uploading the files a second time.
//!
//! Why here and not in the session or the database: a result is derived from files
//! the server does not keep, is only useful for minutes, and can be megabytes (the
//! workbook). So it lives in a small cache keyed by a random id, visible only to the
//! user who uploaded, bounded in bytes and entries and dropped after
//! [`ResultStore::TTL_MINUTES`]. A restart or eviction loses it; the page then asks for
//! the upload again.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use super::pages::ResultView;

/// One analysis: the page data and the workbook.
pub struct Stored {
    /// What the result page shows.
    pub view: ResultView,
    /// `fazhi analyze --format xlsx` of the same reports.
    pub xlsx: Vec<u8>,
}

impl Stored {
    fn size(&self) -> usize {
        self.xlsx.len() + self.view.approx_bytes()
    }
}

struct Entry {
    id: String,
    owner: i64,
    created_ms: i64,
    size: usize,
    stored: Arc<Stored>,
}

/// A bounded, expiring cache of analysis results, oldest evicted first.
#[derive(Default)]
pub struct ResultStore {
    entries: Mutex<VecDeque<Entry>>,
}

impl ResultStore {
    /// Results older than this are gone.
    pub const TTL_MINUTES: i64 = 30;
    /// Memory all results may take together.
    pub const MAX_BYTES: usize = 64 * 1024 * 1024;
    /// Results kept at once, over all users.
    pub const MAX_ENTRIES: usize = 64;
    /// Results kept per user (a new upload evicts that user's oldest).
    pub const PER_USER: usize = 4;

    /// Keeps `stored` for `owner` and returns its id; gives it back when it alone
    /// exceeds the memory budget.
    pub fn put(&self, owner: i64, now_ms: i64, stored: Stored) -> Result<String, Box<Stored>> {
        let size = stored.size();
        if size > Self::MAX_BYTES {
            return Err(Box::new(stored));
        }
        let id = crate::auth::secrets::random_token();
        let mut entries = self.lock();
        Self::expire(&mut entries, now_ms);
        if entries.iter().filter(|e| e.owner == owner).count() >= Self::PER_USER
            && let Some(p) = entries.iter().position(|e| e.owner == owner)
        {
            entries.remove(p);
        }
        let mut total: usize = entries.iter().map(|e| e.size).sum();
        while !entries.is_empty()
            && (total + size > Self::MAX_BYTES || entries.len() >= Self::MAX_ENTRIES)
        {
            if let Some(e) = entries.pop_front() {
                total -= e.size;
            }
        }
        entries.push_back(Entry {
            id: id.clone(),
            owner,
            created_ms: now_ms,
            size,
            stored: Arc::new(stored),
        });
        Ok(id)
    }

    /// The result `id` if it exists, has not expired and belongs to `owner`.
    pub fn get(&self, id: &str, owner: i64, now_ms: i64) -> Option<Arc<Stored>> {
        let mut entries = self.lock();
        Self::expire(&mut entries, now_ms);
        entries
            .iter()
            .find(|e| e.id == id && e.owner == owner)
            .map(|e| e.stored.clone())
    }

    fn expire(entries: &mut VecDeque<Entry>, now_ms: i64) {
        let ttl = Self::TTL_MINUTES * 60_000;
        entries.retain(|e| now_ms - e.created_ms < ttl);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<Entry>> {
        // A panic while holding the lock leaves the queue consistent: keep using it.
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(bytes: usize) -> Stored {
        Stored {
            view: ResultView::default(),
            xlsx: vec![0; bytes],
        }
    }

    #[test]
    fn scoped_to_owner_expiring_and_bounded() {
        let s = ResultStore::default();
        let id = s.put(1, 0, stored(10)).ok().unwrap();
        assert!(s.get(&id, 1, 1000).is_some());
        assert!(s.get(&id, 2, 1000).is_none(), "another user");
        assert!(s.get(&id, 1, ResultStore::TTL_MINUTES * 60_000).is_none());
        // Per user: the fifth upload evicts the first.
        let ids: Vec<String> = (0..5)
            .map(|i| s.put(7, i, stored(10)).ok().unwrap())
            .collect();
        assert!(s.get(&ids[0], 7, 10).is_none());
        assert!(ids[1..].iter().all(|id| s.get(id, 7, 10).is_some()));
        // Bytes: a result as large as the budget pushes out everything else.
        assert!(s.put(8, 10, stored(ResultStore::MAX_BYTES + 1)).is_err());
        let big = s
            .put(8, 10, stored(ResultStore::MAX_BYTES - 5))
            .ok()
            .unwrap();
        assert!(s.get(&big, 8, 10).is_some());
        assert!(ids[1..].iter().all(|id| s.get(id, 7, 10).is_none()));
    }
}
