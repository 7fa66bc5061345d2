//! The store suite (`store.rs`) again, on a throwaway PostgreSQL (see `support/postgres.rs`).

#[path = "store.rs"]
mod suite;
