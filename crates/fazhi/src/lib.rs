//! The `fazhi` command line as a library, so that tests can run the same commands
//! (the demo seed above all) that a user runs.

pub mod cmd;
pub mod config;
