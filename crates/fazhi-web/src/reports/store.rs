//! Recent analysis results, kept in memory so the result page can be shown again and
//! its workbook downloaded without uploading the files a second time.
//!
//! Why here and not in the session or the database: a result is derived from files
//! the server does not keep, is only useful for minutes, and can be megabytes (the
//! workbook). So it lives in a small cache keyed by a random id, visible only to the
//! user who uploaded, bounded in bytes and entries and dropped after
//! [`LIMITS`]. A restart or eviction loses it; the page then asks for
//! the upload again.

use crate::store::{Kept, Limits, OwnedStore};

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

impl Kept for Stored {
    fn bytes(&self) -> usize {
        self.size()
    }
}

/// The analyses kept: 30 minutes, 64 MB and 64 results in all, 4 per user (a new
/// upload evicts that user's oldest).
pub type ResultStore = OwnedStore<Stored>;

pub const LIMITS: Limits = Limits {
    ttl_minutes: 30,
    max_bytes: 64 * 1024 * 1024,
    max_entries: 64,
    per_user: 4,
};

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
    fn a_result_is_its_owners_and_bounded() {
        let s = ResultStore::new(LIMITS);
        let (id, _) = s.put(1, 0, stored(10)).unwrap();
        assert!(s.get(&id, 1, 1000).is_some());
        assert!(s.get(&id, 2, 1000).is_none(), "another user");
        assert!(s.put(8, 10, stored(LIMITS.max_bytes + 1)).is_err());
    }
}
