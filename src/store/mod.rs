//! The store: the only place that speaks SQL. SQLite (WAL) by default, opened and migrated here.

pub mod deliveries;
pub mod members;
pub mod nudges;
pub mod prompts;
pub mod reflections;
pub mod tips;

use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

pub use deliveries::{
    Delivery, DeliveryKind, DeliveryStatus, Finished, PlannedDelivery, Recipient,
};
pub use members::Member;
pub use nudges::{NewTeamPrompt, NudgeSettings, PlannedMember, TeamPrompt};
pub use reflections::{ModeCounts, ModeSource, NewReflection, Reflection};

/// A handle on the database; cheap to clone.
#[derive(Clone, Debug)]
pub struct Store {
    pool: SqlitePool,
}

impl Store {
    /// Opens (creating if missing) the database at `url` and applies the migrations.
    /// `url` is a `sqlite:` URL or a plain file path.
    pub async fn open(url: &str) -> anyhow::Result<Store> {
        let options = if url.starts_with("sqlite:") {
            SqliteConnectOptions::from_str(url)
                .with_context(|| format!("reading DATABASE_URL '{url}'"))?
        } else {
            SqliteConnectOptions::new().filename(url)
        };
        let options = options
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5))
            // Checkpoints run in the background (below), not inside whichever commit fills the WAL.
            .pragma("wal_autocheckpoint", "0");
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await
            .context("opening the database")?;
        sqlx::migrate!("./migrations")
            .run(&pool)
            .await
            .context("applying database migrations")?;
        spawn_checkpointer(pool.clone());
        Ok(Store { pool })
    }

    pub(crate) fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// Waits for open connections to finish and closes the pool.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Copies the WAL back into the database once a second, so no request pays for it (an
/// automatic checkpoint costs the unlucky commit a few megabytes of copying and an fsync).
fn spawn_checkpointer(pool: SqlitePool) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(1));
        while !pool.is_closed() {
            every.tick().await;
            let result = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
                .execute(&pool)
                .await;
            if let Err(error) = result
                && !pool.is_closed()
            {
                tracing::warn!("checkpointing the database: {error}");
            }
        }
    });
}

impl Store {
    /// Checks that `url` names a usable SQLite database without opening it.
    pub fn check_url(url: &str) -> anyhow::Result<()> {
        if url.starts_with("sqlite:") {
            SqliteConnectOptions::from_str(url)
                .with_context(|| format!("reading DATABASE_URL '{url}'"))?;
        } else if url.contains("://") {
            anyhow::bail!("DATABASE_URL '{url}' is not a sqlite: URL or a file path");
        }
        Ok(())
    }
}
