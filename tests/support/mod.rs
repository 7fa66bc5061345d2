//! Shared helpers for the integration tests: a temporary database with the real migrations
//! (SQLite, or PostgreSQL in the `*_postgres` test binaries), a mentor on a manual clock, and
//! direct row counts for checking what was stored.
#![allow(
    dead_code,
    reason = "each test binary uses a different part of the support module"
)]

pub mod fake_discord;
pub mod fake_model;
pub mod fake_slack;
pub mod postgres;

use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use mentorbot::clock::ManualClock;
use mentorbot::content::Library;
use mentorbot::mentor::{MemberRef, Mentor};
use mentorbot::platform::Platform;
use mentorbot::store::Store;
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{SqlitePool, SqlitePoolOptions};

pub struct TestMentor {
    pub mentor: Mentor,
    pub clock: Arc<ManualClock>,
    pub db: TestDb,
}

/// Whether this test binary runs its suite on PostgreSQL: the `*_postgres` binaries do (each
/// includes a SQLite suite's file, so the same tests run on both databases).
pub fn on_postgres() -> bool {
    suite_name().ends_with("_postgres")
}

/// The test binary's name without cargo's hash, such as `store_postgres`.
fn suite_name() -> String {
    let exe = std::env::current_exe().expect("the test binary's path");
    let name = exe
        .file_stem()
        .and_then(|n| n.to_str())
        .expect("a UTF-8 name");
    name.rsplit_once('-')
        .map_or(name, |(suite, _)| suite)
        .to_string()
}

/// An empty database with the real migrations to come: a SQLite file in a temporary folder,
/// or a new database on this binary's throwaway PostgreSQL.
pub struct TestDb {
    pub url: String,
    _dir: tempfile::TempDir,
}

impl TestDb {
    pub fn new() -> TestDb {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let url = if on_postgres() {
            postgres::fresh_database(&suite_name())
        } else {
            dir.path()
                .join("mentorbot.db")
                .to_str()
                .expect("a UTF-8 path")
                .to_string()
        };
        TestDb { url, _dir: dir }
    }

    /// A folder for this test's other files.
    pub fn folder(&self) -> &std::path::Path {
        self._dir.path()
    }

    pub async fn open(&self) -> Store {
        Store::open(&self.url).await.expect("the store opens")
    }
}

/// Anything naming a test database: a `TestDb`, or a SQLite file's path.
pub trait Database {
    fn url(&self) -> String;
}

impl Database for TestDb {
    fn url(&self) -> String {
        self.url.clone()
    }
}

impl Database for std::path::Path {
    fn url(&self) -> String {
        format!("sqlite:{}", self.display())
    }
}

impl Database for std::path::PathBuf {
    fn url(&self) -> String {
        self.as_path().url()
    }
}

/// Runs `$body` with `$pool` bound to whichever database a `RawPool` holds (`RawPool` must be
/// in scope where it is used).
macro_rules! on_raw_pool {
    ($raw:expr, $pool:ident => $body:expr) => {
        match $raw {
            RawPool::Sqlite($pool) => $body,
            RawPool::Postgres($pool) => $body,
        }
    };
}
#[allow(
    unused_imports,
    reason = "not every test binary queries the database itself"
)]
pub(crate) use on_raw_pool;

/// A URL (`postgres://…`) or a SQLite file's path.
impl Database for String {
    fn url(&self) -> String {
        if self.starts_with("postgres://") {
            self.clone()
        } else {
            std::path::Path::new(self).url()
        }
    }
}

/// A connection of the test's own to its database, as an outside observer would have.
pub enum RawPool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

impl RawPool {
    pub async fn connect(db: &(impl Database + ?Sized)) -> RawPool {
        let url = db.url();
        if url.starts_with("postgres://") {
            let pool = PgPoolOptions::new().max_connections(1).connect(&url).await;
            RawPool::Postgres(pool.expect("the database opens"))
        } else {
            let pool = SqlitePoolOptions::new()
                .max_connections(1)
                .connect(&url)
                .await;
            RawPool::Sqlite(pool.expect("the database opens"))
        }
    }

    pub async fn close(&self) {
        on_raw_pool!(self, pool => pool.close().await)
    }

    /// Runs one statement; returns the rows it changed, or the database's refusal.
    pub async fn execute(&self, sql: &str) -> Result<u64, sqlx::Error> {
        let sql = sqlx::AssertSqlSafe(sql.to_string());
        on_raw_pool!(self, pool => sqlx::query(sql).execute(pool).await.map(|done| done.rows_affected()))
    }
}

/// Wednesday 18 November 2026, 10:00 UTC.
pub fn start_time() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 18, 10, 0, 0)
        .single()
        .expect("a valid time")
}

pub async fn test_mentor() -> TestMentor {
    let db = TestDb::new();
    let store = db.open().await;
    let library = Library::shipped().expect("the shipped content loads");
    let clock = Arc::new(ManualClock::new(start_time()));
    let mentor = Mentor::new(store, Arc::new(library), clock.clone());
    TestMentor { mentor, clock, db }
}

/// A mentor on a fresh database whose coach asks `fake` with the key `sk-test-key`.
pub async fn coached(
    fake: &fake_model::FakeModel,
    timeout_secs: u64,
    daily_calls: i64,
) -> TestMentor {
    let mut t = test_mentor().await;
    let coach = mentorbot::coach::Coach::new(mentorbot::coach::Settings {
        url: fake.url.clone(),
        model: "coach-model".into(),
        api_key: Some(mentorbot::config::Secret::new("sk-test-key")),
        timeout: std::time::Duration::from_secs(timeout_secs),
        allow_remote: false,
        max_in_flight: 4,
    })
    .await
    .expect("the fake is on loopback");
    t.mentor = t.mentor.with_coach(coach, daily_calls);
    t
}

pub fn member(user: &str) -> MemberRef {
    MemberRef::new(Platform::Terminal, "local", user, user)
}

/// Counts rows with a separate connection, as an outside observer would.
pub async fn count_rows(db: &(impl Database + ?Sized), sql: &str) -> i64 {
    let pool = RawPool::connect(db).await;
    let sql = sqlx::AssertSqlSafe(sql.to_string());
    let count: i64 = on_raw_pool!(&pool, pool => sqlx::query_scalar(sql).fetch_one(pool).await)
        .expect("the count runs");
    pool.close().await;
    count
}

/// Every table that has a `member_id` column, from the live schema.
pub async fn member_tables(db: &(impl Database + ?Sized)) -> Vec<String> {
    let pool = RawPool::connect(db).await;
    let tables: Vec<String> = match &pool {
        RawPool::Sqlite(pool) => {
            sqlx::query_scalar(
                "SELECT m.name FROM sqlite_master m, pragma_table_info(m.name) p
             WHERE m.type = 'table' AND p.name = 'member_id' ORDER BY m.name",
            )
            .fetch_all(pool)
            .await
        }
        RawPool::Postgres(pool) => {
            sqlx::query_scalar(
                "SELECT table_name::TEXT FROM information_schema.columns
             WHERE table_schema = 'public' AND column_name = 'member_id' ORDER BY table_name",
            )
            .fetch_all(pool)
            .await
        }
    }
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

/// The real binary joined to the fake Discord, on `database`, with `env` on top; killed when
/// dropped.
pub fn start_discord_bot(
    fake: &fake_discord::FakeDiscord,
    database: &str,
    env: &[(&str, &str)],
) -> tokio::process::Child {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_mentorbot"));
    command
        .env("DATABASE_URL", database)
        .env("DISCORD_TOKEN", "fake-token")
        .env("DISCORD_API_BASE", &fake.base)
        .env_remove("DISCORD_GUILD_ID")
        .env_remove("DISCORD_SHARDS")
        .env_remove("SLACK_BOT_TOKEN")
        .env("RUST_LOG", "off")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .kill_on_drop(true);
    for (name, value) in env {
        command.env(name, value);
    }
    command.spawn().expect("mentorbot starts")
}

/// Polls `done` every 100 ms until it holds, or panics after `timeout`.
pub async fn wait_until(
    what: &str,
    timeout: std::time::Duration,
    mut done: impl AsyncFnMut() -> bool,
) {
    let deadline = std::time::Instant::now() + timeout;
    while !done().await {
        assert!(
            std::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// `count` Discord members (user ids from 700…000 up), each with a nudge due a minute ago, in
/// the database at `url`: a fan-out waiting for the bot.
pub async fn plan_due_nudges(url: &str, count: u64) {
    let store = Store::open(url).await.expect("the store opens");
    for i in 0..count {
        let user = (700_000_000_000_000_000 + i).to_string();
        plan_due_nudge(&store, Platform::Discord, "global", &user).await;
    }
    store.close().await;
}

/// One member, created if new, with their weekly question due a minute ago.
pub async fn plan_due_nudge(store: &Store, platform: Platform, workspace: &str, user: &str) {
    use mentorbot::store::{DeliveryKind, PlannedDelivery, Recipient};
    let now = chrono::Utc::now().timestamp();
    let member = store
        .ensure_member(platform, workspace, user, "member", now)
        .await
        .expect("member");
    store
        .ensure_nudge_settings(member.id, now)
        .await
        .expect("settings");
    let nudge = PlannedDelivery {
        kind: DeliveryKind::Nudge,
        recipient: Recipient::Member(member.id),
        due_at: now - 60,
    };
    store.plan_delivery(&nudge).await.expect("planned");
}

/// The real binary in terminal mode in `dir`, on `database`, with `env` on top: `stdin` piped
/// in, everything it printed returned once it exits.
pub fn run_terminal(
    dir: &std::path::Path,
    database: &str,
    args: &[&str],
    stdin: &[u8],
    env: &[(&str, &str)],
) -> std::process::Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_mentorbot"));
    command
        .args(args)
        .current_dir(dir)
        .env("DATABASE_URL", database)
        .env_remove("MENTORBOT_PROMPTS")
        .env_remove("DISCORD_TOKEN")
        .env_remove("SLACK_BOT_TOKEN")
        .env_remove("RUST_LOG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (name, value) in env {
        command.env(name, value);
    }
    let mut child = command.spawn().expect("mentorbot starts");
    // A binary that stops early closes its stdin; that is for the test to judge.
    let _ = child.stdin.take().expect("stdin").write_all(stdin);
    child.wait_with_output().expect("mentorbot finishes")
}

/// A free port on 127.0.0.1 for `MENTORBOT_HTTP_ADDR`.
pub fn free_port() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    listener.local_addr().expect("an address").to_string()
}

/// Polls `/healthz` until it answers `status`, failing after `limit`; returns the body.
pub async fn health_within(
    http_addr: &str,
    status: u16,
    limit: std::time::Duration,
) -> serde_json::Value {
    let deadline = std::time::Instant::now() + limit;
    loop {
        if let Ok(answer) = reqwest::get(format!("http://{http_addr}/healthz")).await
            && answer.status().as_u16() == status
        {
            let bytes = answer.bytes().await.expect("a body");
            return serde_json::from_slice(&bytes).expect("JSON");
        }
        assert!(
            std::time::Instant::now() < deadline,
            "/healthz never answered {status} within {limit:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}
