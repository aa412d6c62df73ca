//! Matters (事项): one front door for disputes, petitions and complaints. The JSON API,
//! the pages, intake checks shared by both, and the settings admins can change.

pub mod api;
pub mod app;
pub mod attachments;
pub mod config;
pub mod documents;
pub mod edit;
pub mod export;
pub mod import;
pub mod intake;
pub mod pages;
pub mod settings_api;
pub mod stats_api;
pub mod sweeps_api;
pub mod wire;

pub use crate::limit::ClientAddr;
