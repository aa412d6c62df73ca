//! Sessions as last read, for one second ([`crate::fresh`]): every request resolves its
//! session (with the user and grants, one statement), and under load that was a
//! quarter of PostgreSQL's statements (bench/README.md ¹⁰). A change — a login ended, a
//! user changed or disabled, a password set, a grant added or revoked, a division
//! renamed — empties the cache at once, in every process on a PostgreSQL database
//! (`Db::caches_changed`, `listen`).

use super::grants::GrantRow;
use super::sessions::SessionRow;
use crate::fresh::Fresh;

pub(crate) type Found = (SessionRow, Vec<GrantRow>);

/// By the hash of the session's token.
pub(crate) type Sessions = Fresh<String, Found>;
