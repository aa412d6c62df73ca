//! fazhi-analyze
