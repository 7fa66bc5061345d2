//! Copies SQLite's write-ahead log back into the database in the background, once the log
//! holds enough to be worth it, so no command pays for a checkpoint or for starting the log over.

use std::time::Duration;

use sqlx::sqlite::SqlitePool;

/// Frames waiting in the log before they are copied back: SQLite's own default for its
/// automatic checkpoint (about 4 MiB of pages).
const FRAMES_WORTH_COPYING: i64 = 1_000;

/// Once a second, copies the log back into the database when at least `FRAMES_WORTH_COPYING`
/// frames wait there. Not inside a commit, which would cost that command the copying and an
/// fsync; and not a few frames at a time: once the log is all copied back, the next write
/// starts it over and syncs its header first, so copying back every second made a command
/// after any quiet second, and the first after every start, wait for that extra sync.
pub(super) fn spawn_checkpointer(pool: SqlitePool) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(1));
        while !pool.is_closed() {
            every.tick().await;
            let result = match frames_waiting(&pool).await {
                Ok(frames) if frames < FRAMES_WORTH_COPYING => continue,
                Ok(_) => sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
                    .execute(&pool)
                    .await
                    .map(|_| ()),
                Err(error) => Err(error),
            };
            if let Err(error) = result
                && !pool.is_closed()
            {
                tracing::warn!("checkpointing the database: {error}");
            }
        }
    });
}

/// Frames in the log not yet copied back into the database, as a checkpoint that copies
/// nothing reports them (`NOOP`, SQLite 3.51).
async fn frames_waiting(pool: &SqlitePool) -> Result<i64, sqlx::Error> {
    let (_busy, log, copied): (i64, i64, i64) = sqlx::query_as("PRAGMA wal_checkpoint(NOOP)")
        .fetch_one(pool)
        .await?;
    Ok(log - copied)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode};

    #[tokio::test]
    async fn counts_the_frames_a_checkpoint_would_copy_back_without_copying_them() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let options = SqliteConnectOptions::new()
            .filename(dir.path().join("log.db"))
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .pragma("wal_autocheckpoint", "0");
        let pool = SqlitePool::connect_with(options).await.expect("opened");
        sqlx::query("CREATE TABLE notes (text TEXT)")
            .execute(&pool)
            .await
            .expect("a table");
        let before = frames_waiting(&pool).await.expect("counted");
        assert!(before >= 1, "the new table waits in the log: {before}");
        for i in 0..10 {
            sqlx::query("INSERT INTO notes VALUES ($1)")
                .bind(format!("note {i}"))
                .execute(&pool)
                .await
                .expect("a note");
        }
        let waiting = frames_waiting(&pool).await.expect("counted");
        assert_eq!(waiting, before + 10, "each commit adds its one page");
        assert_eq!(
            frames_waiting(&pool).await.expect("counted"),
            waiting,
            "counting copies nothing back"
        );
        sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
            .execute(&pool)
            .await
            .expect("a checkpoint");
        assert_eq!(frames_waiting(&pool).await.expect("counted"), 0);
    }
}
