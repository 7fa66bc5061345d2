//! Shared helpers for the integration tests: a temporary database with the real migrations,
//! a mentor on a manual clock, and direct row counts for checking what was stored.
#![allow(
    dead_code,
    reason = "each test binary uses a different part of the support module"
)]

pub mod fake_discord;
pub mod fake_slack;

use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use mentorbot::clock::ManualClock;
use mentorbot::content::Library;
use mentorbot::mentor::{MemberRef, Mentor};
use mentorbot::platform::Platform;
use mentorbot::store::Store;
use sqlx::sqlite::SqlitePoolOptions;

pub struct TestMentor {
    pub mentor: Mentor,
    pub clock: Arc<ManualClock>,
    pub db_path: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

/// Wednesday 18 November 2026, 10:00 UTC.
pub fn start_time() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 18, 10, 0, 0)
        .single()
        .expect("a valid time")
}

pub async fn test_mentor() -> TestMentor {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let db_path = dir.path().join("mentorbot.db");
    let store = Store::open(db_path.to_str().expect("a UTF-8 path"))
        .await
        .expect("the store opens");
    let library = Library::shipped().expect("the shipped content loads");
    let clock = Arc::new(ManualClock::new(start_time()));
    let mentor = Mentor::new(store, Arc::new(library), clock.clone());
    TestMentor {
        mentor,
        clock,
        db_path,
        _dir: dir,
    }
}

pub fn member(user: &str) -> MemberRef {
    MemberRef::new(Platform::Terminal, "local", user, user)
}

/// Counts rows with a separate connection, as an outside observer would.
pub async fn count_rows(db_path: &std::path::Path, sql: &str) -> i64 {
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect(&format!("sqlite:{}", db_path.display()))
        .await
        .expect("the database opens");
    let count: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
        .fetch_one(&pool)
        .await
        .expect("the count runs");
    pool.close().await;
    count
}

/// Every table that has a `member_id` column, from the live schema.
pub async fn member_tables(db_path: &std::path::Path) -> Vec<String> {
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect(&format!("sqlite:{}", db_path.display()))
        .await
        .expect("the database opens");
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT m.name FROM sqlite_master m, pragma_table_info(m.name) p
         WHERE m.type = 'table' AND p.name = 'member_id' ORDER BY m.name",
    )
    .fetch_all(&pool)
    .await
    .expect("the schema can be read");
    pool.close().await;
    // A loop over these must not pass by finding nothing: six tables held member rows when
    // this was written, and a table is never dropped without a migration that moves its rows.
    assert!(
        tables.len() >= 6,
        "the schema query found too few member tables: {tables:?}"
    );
    tables
}
