//! fazhi-db
