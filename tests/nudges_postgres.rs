//! The nudge suite (`nudges.rs`) again, on a throwaway PostgreSQL (see `support/postgres.rs`).

#[path = "nudges.rs"]
mod suite;
