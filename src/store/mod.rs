//! The store: the only place that speaks SQL. SQLite (WAL) by default, PostgreSQL when
//! `DATABASE_URL` is a `postgres://` URL; opened and migrated here. SQLite commits are durable
//! (`synchronous=FULL`; only a tip shown is committed without waiting for the disk, see
//! `writer`) and its deleted text is overwritten (`secure_delete`).

pub mod challenges;
mod checkpoint;
pub mod coach;
pub(crate) mod columns;
pub mod deliveries;
mod delivery_kinds;
mod direct;
pub mod holidays;
mod location;
pub mod log_search;
pub mod members;
pub mod mentoring;
pub mod migrations;
pub mod nudges;
pub mod prompts;
mod readers;
pub mod reflections;
mod sqlite;
pub mod streak;
pub mod teams;
pub mod tips;
mod transfer;
pub mod web;
mod writer;

use std::time::Duration;

use anyhow::Context;
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::SqlitePoolOptions;

use location::Location;

pub use challenges::{BoardRow, Challenge, NewChallenge, SharedCheckIn};
pub use coach::{CoachCall, CoachNote};
pub use deliveries::{
    Delivery, DeliveryKind, DeliveryStatus, Finished, PlannedDelivery, Recipient,
};
pub use holidays::Holiday;
pub use log_search::{About, LogFilter, LoggedEntry};
pub use members::{Member, NoticeState};
pub use mentoring::{Mentee, MentoringSchedule, Pairing};
pub use nudges::{NewTeamPrompt, NudgeSettings, PlannedMember, TeamPrompt};
pub use prompts::WeekPrompt;
pub use reflections::{ModeCounts, ModeSource, NewReflection, Reflection};
pub use streak::StreakInputs;
pub use teams::{TeamActivity, TeamChallenges};
pub use transfer::CopiedTable;
pub use web::WebSession;
pub use writer::Durability;

/// A handle on the database; cheap to clone.
#[derive(Clone, Debug)]
pub struct Store {
    pool: Pool,
    /// SQLite's group-committing writer; PostgreSQL takes concurrent writers as they come.
    writer: Option<writer::Writer>,
}

/// The connection pool of whichever database `DATABASE_URL` names. Store functions run the same
/// SQL on either through `on_pool!`; where the dialects differ, they match on it.
#[derive(Clone, Debug)]
pub(crate) enum Pool {
    Sqlite(sqlite::SqliteDb),
    Postgres(PgPool),
}

/// A read on either database: on SQLite right where it is called (`direct`), on PostgreSQL
/// through sqlx. `read!(store, all::<Row>(SQL, value, ...))`, or `optional` or `one`, with
/// the values of `$1`, `$2`, … in order.
macro_rules! read {
    ($store:expr, $how:ident::<$row:ty>($sql:expr $(, $value:expr)* $(,)?)) => {
        match $store.pool() {
            $crate::store::Pool::Sqlite(db) => db
                .readers()
                .$how::<$row>($sql, &[$(&$value as &dyn rusqlite::types::ToSql),*])
                .map_err(anyhow::Error::from),
            $crate::store::Pool::Postgres(pool) => {
                let query = sqlx::query_as::<_, $row>($sql)$(.bind($value))*;
                $crate::store::read!(@sqlx $how, query, pool).map_err(anyhow::Error::from)
            }
        }
    };
    (@sqlx all, $query:ident, $pool:ident) => { $query.fetch_all($pool).await };
    (@sqlx optional, $query:ident, $pool:ident) => { $query.fetch_optional($pool).await };
    (@sqlx one, $query:ident, $pool:ident) => { $query.fetch_one($pool).await };
}
pub(crate) use read;

/// Runs `$body` with `$pool` bound to the store's pool, whichever database it is.
macro_rules! on_pool {
    ($store:expr, $pool:ident => $body:expr) => {
        match $store.pool() {
            $crate::store::Pool::Sqlite($pool) => $body,
            $crate::store::Pool::Postgres($pool) => $body,
        }
    };
}
pub(crate) use on_pool;

impl Store {
    /// Opens the database at `url` and applies the migrations: a `sqlite:` URL or a file path
    /// (created if missing), or a `postgres://` URL (the database must exist).
    pub async fn open(url: &str) -> anyhow::Result<Store> {
        match location::parse(url)? {
            Location::Sqlite(options) => Store::open_sqlite(options).await,
            Location::Postgres(options) => Store::open_postgres(options, url).await,
        }
    }

    async fn open_sqlite(options: sqlx::sqlite::SqliteConnectOptions) -> anyhow::Result<Store> {
        let options = SQLITE_SETTINGS.iter().fold(
            options.create_if_missing(true).busy_timeout(BUSY_TIMEOUT),
            |options, (name, value)| options.pragma(*name, *value),
        );
        let file = options.get_filename().to_path_buf();
        // Several processes starting on a new file at once take turns to migrate it.
        let _lock = location::lock_for_migrations(&file).await?;
        // Transactions and the checkpoint only: single statements use the kept connections.
        let pool = SqlitePoolOptions::new()
            .max_connections(2)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(options.clone())
            .await
            .with_context(|| format!("opening the database {}", file.display()))?;
        migrations::migrator(migrations::SQLITE)
            .await
            .context("reading the built-in migrations")?
            .run(&pool)
            .await
            .context("applying database migrations")?;
        checkpoint::spawn_checkpointer(pool.clone());
        // The readers and the writer open side by side, each preparing its statements.
        let target = |statements: &[&'static str]| direct::Target {
            file: file.clone(),
            statements: statements.to_vec(),
        };
        let readers_target = target(&hot_reads());
        let readers = async {
            tokio::task::spawn_blocking(move || readers::Readers::open(readers_target))
                .await?
                .map_err(anyhow::Error::from)
        };
        let writer = writer::Writer::start(target(&HOT_WRITES));
        let (readers, writer) = futures_util::future::try_join(readers, writer)
            .await
            .with_context(|| format!("opening the database {}", file.display()))?;
        let database = sqlite::SqliteDb::open(&options, pool, readers, KEPT_CONNECTIONS)
            .await
            .with_context(|| format!("opening the database {}", file.display()))?;
        Ok(Store {
            pool: Pool::Sqlite(database),
            writer: Some(writer),
        })
    }

    /// Several processes may start at once: sqlx's migrator holds an advisory lock while it
    /// applies the migrations, so the later ones find the schema in place.
    async fn open_postgres(
        options: sqlx::postgres::PgConnectOptions,
        url: &str,
    ) -> anyhow::Result<Store> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            // No ping before each use: it doubled every query's round trips. A connection the
            // server dropped fails its query once, and the pool replaces it.
            .test_before_acquire(false)
            .connect_with(options)
            .await
            .with_context(|| format!("connecting to {}", redact(url)))?;
        migrations::migrator(migrations::POSTGRES)
            .await
            .context("reading the built-in migrations")?
            .run(&pool)
            .await
            .context("applying database migrations")?;
        Ok(Store {
            pool: Pool::Postgres(pool),
            writer: None,
        })
    }

    pub(crate) fn is_postgres(&self) -> bool {
        matches!(self.pool, Pool::Postgres(_))
    }

    /// Which database this is, for logs and the health check: "sqlite" or "postgres".
    pub fn backend(&self) -> &'static str {
        match self.pool {
            Pool::Sqlite(_) => "sqlite",
            Pool::Postgres(_) => "postgres",
        }
    }

    pub(crate) fn pool(&self) -> &Pool {
        &self.pool
    }

    /// The group-committing writer, on SQLite.
    pub(crate) fn writer(&self) -> Option<&writer::Writer> {
        self.writer.as_ref()
    }

    /// True when the database reads a row of a real table within two seconds. A bare
    /// `SELECT 1` would pass on SQLite even with the file locked by another process.
    pub async fn reachable(&self) -> bool {
        let ping = async {
            on_pool!(self, pool => sqlx::query(READ_PROBE).execute(pool).await.map(|_| ()))
        };
        matches!(
            tokio::time::timeout(std::time::Duration::from_secs(2), ping).await,
            Ok(Ok(()))
        )
    }

    /// Waits for open connections to finish and closes the pool.
    pub async fn close(&self) {
        on_pool!(self, pool => pool.close().await);
    }
}

/// The reads nearly every command makes, prepared on each reading SQLite connection as it opens
/// (which also reads the schema): the first commands after a start then find them ready
/// instead of parsing them on a cold process, about half a millisecond each.
fn hot_reads() -> [&'static str; 7] {
    [
        members::FIND_MEMBER,
        tips::TIP_VIEWS,
        prompts::FIND_MEMBER_WITH_PROMPTS,
        reflections::LOG_PAGE,
        reflections::MODES_SINCE,
        reflections::MODE_COUNTS,
        streak::sqlite_read(),
    ]
}

/// The frequent writes, prepared on the writing connection as it opens.
const HOT_WRITES: [&str; 3] = [
    members::INSERT_MEMBER,
    reflections::INSERT_REFLECTION,
    tips::RECORD_TIP_VIEW,
];

/// Every SQLite connection's settings, sqlx's and the writer's alike.
const SQLITE_SETTINGS: [(&str, &str); 6] = [
    ("journal_mode", "WAL"),
    // FULL: a commit is on disk before "Saved" is shown, even across a power loss.
    ("synchronous", "FULL"),
    // Deleted text is overwritten, so `forget` leaves no readable trace in the file.
    ("secure_delete", "ON"),
    ("foreign_keys", "ON"),
    // Checkpoints run in the background (`checkpoint`), not inside whichever commit fills the WAL.
    ("wal_autocheckpoint", "0"),
    // Each connection keeps its own page cache; at SQLite's default of 2 MiB apiece, the nine
    // or so (readers, kept, pool, writer) could hold 18 MiB. Misses are read from the
    // operating system's cache.
    ("cache_size", "-1024"),
];

/// How long a connection waits for another's lock on the file before it gives up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// sqlx connections kept open for single statements other than the hot reads. Each caches its
/// own pages, so a few: a web page reads three things at once.
const KEPT_CONNECTIONS: usize = 3;

/// Health's query: reads the migrations table, which every database of ours has.
const READ_PROBE: &str = "SELECT version FROM _sqlx_migrations LIMIT 1";

/// Whether `error` is a write about a member who no longer exists (forgotten meanwhile).
pub fn is_about_a_forgotten_member(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        let by_sqlx = cause
            .downcast_ref::<sqlx::Error>()
            .and_then(sqlx::Error::as_database_error)
            .is_some_and(|db| db.is_foreign_key_violation());
        let by_the_writer = cause
            .downcast_ref::<rusqlite::Error>()
            .and_then(rusqlite::Error::sqlite_error)
            .is_some_and(|sqlite| {
                sqlite.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY
            });
        by_sqlx || by_the_writer
    })
}

pub use location::redact;

impl Store {
    /// Checks that `url` names a usable database without opening or creating it.
    pub fn check_url(url: &str) -> anyhow::Result<()> {
        location::parse(url).map(|_| ())
    }

    /// Copies the WAL into the database and empties it, so no deleted text lingers in it. A
    /// reader in the way makes SQLite answer "busy": try again for a moment, then once a second
    /// in the background until it is done (the regular checkpoint never empties the file).
    /// (PostgreSQL has no such file to empty.)
    pub(crate) async fn truncate_wal(&self) {
        if self.try_truncate_wal(20).await {
            return;
        }
        tracing::warn!("the write-ahead log stayed busy; trying again every second");
        let store = self.clone();
        tokio::spawn(async move {
            while !store.try_truncate_wal(1).await {
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        });
    }

    /// Up to `tries` attempts 50 ms apart; false only while readers keep the log busy.
    async fn try_truncate_wal(&self, tries: usize) -> bool {
        let Pool::Sqlite(pool) = &self.pool else {
            return true;
        };
        for attempt in 1..=tries {
            let result: Result<(i64, i64, i64), _> =
                sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)")
                    .fetch_one(pool)
                    .await;
            match result {
                Ok((0, _, _)) => return true,
                Ok(_) if attempt < tries => tokio::time::sleep(Duration::from_millis(50)).await,
                Ok(_) => {}
                Err(error) => {
                    tracing::warn!("emptying the write-ahead log: {error}");
                    return true;
                }
            }
        }
        false
    }
}
