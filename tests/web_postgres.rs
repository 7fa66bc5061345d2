//! The web view suite (`web.rs`) again, on a throwaway PostgreSQL (see `support/postgres.rs`).

#[path = "web.rs"]
mod suite;
