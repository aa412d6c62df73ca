//! division
