//! Legal education (普法) and cadre study (学法): publicity events, theme days, study
//! sessions with attendance, rosters, and their figures. `app/` holds the use cases (one file per record kind)
//! that the JSON API (`api.rs`) and the pages (`pages/`) both call.

pub mod api;
pub mod api_duties;
pub mod api_ledger;
pub mod api_points;
pub mod api_rescue;
pub mod api_roster;
pub mod app;
pub mod files;
pub mod pages;
pub mod wire;
pub mod wire_duties;
