//! Group commit for SQLite: one task makes the frequent writes (new members, their settings,
//! reflections, tips shown), and whatever is waiting when it is free goes into one transaction.
//! Two hundred reflections at once then cost a few durable commits instead of two hundred
//! writers taking turns at the file's lock. Each caller hears back only after its commit.
//! Readers use the pool's connections and never wait for this task (WAL).
//!
//! A write is either synced (on disk before its caller hears back: reflections, members,
//! settings) or only committed (seen by every later read and kept if the process is killed,
//! and on disk with the next synced commit or checkpoint): a tip just shown, which nobody
//! should wait for the disk to remember. The task holds a connection for each.

use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection, SqliteSynchronous};
use sqlx::{ConnectOptions, Connection, Executor, SqlStr};
use tokio::sync::{mpsc, oneshot};

/// Writes waiting beyond this many go into the next transaction.
const MOST_PER_COMMIT: usize = 256;

/// How sure a write is before its caller hears back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Durability {
    /// On disk: it survives a power cut.
    Synced,
    /// Committed: every later read sees it and it survives the process being killed; a power
    /// cut may lose it until the next synced commit or checkpoint writes it to disk.
    Committed,
}

/// What a write did inside the transaction, and how to tell its caller once the transaction ends.
struct Outcome {
    /// The statement failed in a way SQLite may have undone more than the statement itself
    /// (an I/O error, a full disk), so the whole transaction is rolled back.
    spoils_transaction: bool,
    /// Called with the transaction's fate: `Ok` once committed.
    finish: Box<dyn FnOnce(Result<(), String>) + Send>,
}

/// One write: given the connection (or `None` when the transaction could not begin), runs one
/// statement, atomic by itself, and returns its outcome. A statement that returns rows must be
/// read to the end (`fetch_all`): alone in autocommit, its commit happens at the last step, and
/// `fetch_one` stops before it and never hears if that commit failed.
type Run =
    Box<dyn for<'c> FnOnce(Option<&'c mut SqliteConnection>) -> BoxFuture<'c, Outcome> + Send>;

struct Job {
    durability: Durability,
    run: Run,
}

/// The handle callers hold; the connections live in the task `start` spawns.
#[derive(Clone, Debug)]
pub(crate) struct Writer {
    jobs: mpsc::Sender<Job>,
}

impl Writer {
    /// Opens the writing connections (after the migrations ran), one syncing each commit and
    /// one not, prepares `statements` on them and starts the task that uses them in turn.
    pub(crate) async fn start(
        options: &SqliteConnectOptions,
        statements: &[&'static str],
    ) -> anyhow::Result<Writer> {
        let mut synced = Link::open(options.clone(), statements).await?;
        start_the_wal(&mut synced.connection).await?;
        let unsynced_options = options.clone().synchronous(SqliteSynchronous::Normal);
        let unsynced = Link::open(unsynced_options, statements).await?;
        let (jobs, waiting) = mpsc::channel(4 * MOST_PER_COMMIT);
        tokio::spawn(run(synced, unsynced, waiting));
        Ok(Writer { jobs })
    }

    /// Runs `statement` on the writing connection and returns its result once it is committed
    /// and synced to disk.
    pub(crate) async fn write<T, F>(&self, statement: F) -> anyhow::Result<T>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut SqliteConnection) -> BoxFuture<'c, Result<T, sqlx::Error>>
            + Send
            + 'static,
    {
        self.write_with(Durability::Synced, statement).await
    }

    /// Runs `statement` on the writing connection and returns its result once it is committed
    /// as sure as `durability` asks.
    pub(crate) async fn write_with<T, F>(
        &self,
        durability: Durability,
        statement: F,
    ) -> anyhow::Result<T>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut SqliteConnection) -> BoxFuture<'c, Result<T, sqlx::Error>>
            + Send
            + 'static,
    {
        let (answer, answered) = oneshot::channel();
        let run: Run = Box::new(move |connection| {
            Box::pin(async move {
                let result = match connection {
                    Some(connection) => statement(connection).await.map_err(anyhow::Error::from),
                    None => Err(anyhow::anyhow!("the write could not begin")),
                };
                let spoils_transaction = match &result {
                    Ok(_) => false,
                    Err(error) => !is_statement_only(error),
                };
                let finish: Box<dyn FnOnce(Result<(), String>) + Send> = Box::new(move |fate| {
                    let answer_with = match (result, fate) {
                        (Ok(value), Ok(())) => Ok(value),
                        (Err(error), _) => Err(error),
                        (Ok(_), Err(why)) => Err(anyhow::anyhow!("{why}")),
                    };
                    let _ = answer.send(answer_with);
                });
                Outcome {
                    spoils_transaction,
                    finish,
                }
            })
        });
        self.jobs
            .send(Job { durability, run })
            .await
            .map_err(|_| anyhow::anyhow!("the database writer has stopped"))?;
        answered
            .await
            .map_err(|_| anyhow::anyhow!("the database writer stopped before committing"))?
    }
}

/// Writes the file's header page back unchanged (the schema's user version, which nothing
/// reads), so SQLite creates the write-ahead log, writes its header and syncs it and the folder
/// now. Otherwise the first command after every start pays those three syncs.
async fn start_the_wal(connection: &mut SqliteConnection) -> Result<(), sqlx::Error> {
    let version: i64 = sqlx::query_scalar("PRAGMA user_version")
        .fetch_one(&mut *connection)
        .await?;
    let rewrite = format!("PRAGMA user_version = {version}");
    sqlx::query(sqlx::AssertSqlSafe(rewrite))
        .persistent(false)
        .execute(&mut *connection)
        .await?;
    Ok(())
}

/// A constraint error undoes its own statement only; the transaction carries on.
fn is_statement_only(error: &anyhow::Error) -> bool {
    error
        .downcast_ref::<sqlx::Error>()
        .and_then(sqlx::Error::as_database_error)
        .is_some_and(|db| !matches!(db.kind(), sqlx::error::ErrorKind::Other))
}

/// A writing connection and how to open it again.
struct Link {
    options: SqliteConnectOptions,
    connection: SqliteConnection,
}

impl Link {
    async fn open(
        options: SqliteConnectOptions,
        statements: &[&'static str],
    ) -> Result<Link, sqlx::Error> {
        let mut connection = options.connect().await?;
        for sql in statements {
            connection.prepare(SqlStr::from_static(sql)).await?;
        }
        Ok(Link {
            options,
            connection,
        })
    }

    /// A transaction that would not roll back leaves the connection inside it; a fresh one is
    /// the only way to be sure later writes are committed. Keeps the old one if a new one
    /// cannot be opened.
    async fn reopen(&mut self) {
        match self.options.connect().await {
            Ok(fresh) => self.connection = fresh,
            Err(error) => tracing::warn!("reopening the database writer: {error}"),
        }
    }
}

/// Takes the writes waiting, as many as fit one transaction, and commits them on the syncing
/// connection if any must be synced, else on the other. The two take turns in this one task,
/// so they never wait for each other's lock; a synced commit syncs the log with every commit
/// before it, whichever connection made it.
async fn run(mut synced: Link, mut unsynced: Link, mut waiting: mpsc::Receiver<Job>) {
    while let Some(first) = waiting.recv().await {
        let mut batch = vec![first];
        while batch.len() < MOST_PER_COMMIT {
            match waiting.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let link = if batch.iter().any(|job| job.durability == Durability::Synced) {
            &mut synced
        } else {
            &mut unsynced
        };
        let healthy = if batch.len() == 1 {
            // Alone, a statement commits itself: no BEGIN and COMMIT to pay for.
            match run_job(batch.remove(0), Some(&mut link.connection)).await {
                Some(Outcome { finish, .. }) => finish(Ok(())),
                None => tracing::warn!("a database write panicked; it was not answered"),
            }
            true
        } else {
            commit_together(&mut link.connection, batch).await
        };
        if !healthy {
            link.reopen().await;
        }
    }
    let _ = synced.connection.close().await;
    let _ = unsynced.connection.close().await;
}

/// Runs one job; `None` if it panicked (its caller then hears that the write failed).
async fn run_job(job: Job, connection: Option<&mut SqliteConnection>) -> Option<Outcome> {
    std::panic::AssertUnwindSafe((job.run)(connection))
        .catch_unwind()
        .await
        .ok()
}

/// Runs a group in one transaction; false when the connection may still be inside it.
async fn commit_together(connection: &mut SqliteConnection, batch: Vec<Job>) -> bool {
    let began = sqlx::query("BEGIN IMMEDIATE")
        .execute(&mut *connection)
        .await;
    let mut finishes = Vec::with_capacity(batch.len());
    let mut spoiled = began.as_ref().err().map(|error| {
        tracing::warn!("starting a group commit: {error}");
        "the database could not start the write".to_string()
    });
    for job in batch {
        let connection = spoiled.is_none().then_some(&mut *connection);
        match run_job(job, connection).await {
            Some(outcome) => {
                if outcome.spoils_transaction && spoiled.is_none() {
                    spoiled =
                        Some("the write was undone by a database error; please try again".into());
                }
                finishes.push(outcome.finish);
            }
            None => {
                tracing::warn!("a database write panicked; its group is rolled back");
                spoiled.get_or_insert_with(|| "the write failed; please try again".into());
            }
        }
    }
    let (fate, healthy) = match spoiled {
        None => match sqlx::query("COMMIT").execute(&mut *connection).await {
            Ok(_) => (Ok(()), true),
            Err(error) => {
                tracing::warn!("committing a group of writes: {error}");
                let healthy = rollback(connection).await;
                (
                    Err("the database could not commit the write".to_string()),
                    healthy,
                )
            }
        },
        Some(why) => {
            // Also when BEGIN failed: a connection left inside a transaction refuses BEGIN, and
            // only a rollback (or a fresh connection) gets it out.
            let healthy = rollback(connection).await;
            (Err(why), healthy)
        }
    };
    for finish in finishes {
        finish(fate.clone());
    }
    healthy
}

/// Rolls back; true when the connection is outside any transaction afterwards. After some
/// errors SQLite has already rolled back, and says there is no transaction: that is fine.
async fn rollback(connection: &mut SqliteConnection) -> bool {
    match sqlx::query("ROLLBACK").execute(connection).await {
        Ok(_) => true,
        Err(error) => {
            let already = error.to_string().contains("no transaction is active");
            if !already {
                tracing::warn!("rolling back a group of writes: {error}");
            }
            already
        }
    }
}
