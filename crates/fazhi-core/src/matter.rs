//! matter
