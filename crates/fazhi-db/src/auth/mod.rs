//! Users, role grants, login throttling, sessions and API tokens.

pub(crate) mod cache;
pub mod grants;
pub mod sessions;
pub mod tokens;
pub mod users;
