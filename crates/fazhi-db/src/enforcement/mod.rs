//! Administrative enforcement: the item list, officers' certificates, cases and their
//! timeline. The workflow itself is `fazhi_core::enforcement`; this module stores it.

pub mod cases;
pub mod evidence;
pub mod file_reviews;
pub mod inspections;
pub mod items;
pub mod officers;
