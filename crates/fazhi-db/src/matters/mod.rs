//! Matters (事项): one record per dispute, petition or complaint, whatever channel it
//! came from; its parties, timeline and photos. The workflow rules live in
//! `fazhi_core::matter`; this module stores their results and scopes every read.

pub mod attachments;
pub mod bulk;
mod derive;
pub mod import;
pub mod page;
pub mod parties;
pub mod read;
pub mod saved;
pub mod search;
pub mod stats;
pub mod sweeps;
pub mod write;

pub use page::{Cursor, MatterSort};
pub use parties::{NewParty, PartyRow};
pub use read::{
    AnyWords, EventRow, MatterFilter, MatterRow, OPEN_STATUSES, PhotoRow, PublicEvent, PublicRow,
    TaskQuery, WorkloadRow,
};
pub use write::{Applied, DetailChanges, NamedAssignee, NewEvent, NewMatter, NewPhoto, Place};
