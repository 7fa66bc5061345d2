//! The mentor suite (`mentor.rs`) again, on a throwaway PostgreSQL (see `support/postgres.rs`).

#[path = "mentor.rs"]
mod suite;
