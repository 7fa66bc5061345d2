//! Group commit for SQLite: one thread makes the frequent writes (new members, their settings,
//! reflections, tips shown), and whatever is waiting when it is free goes into one transaction.
//! Two hundred reflections at once then cost a few durable commits instead of two hundred
//! writers taking turns at the file's lock. Each caller hears back only after its commit.
//! Readers (`readers`, and sqlx's connections) never wait for this thread (WAL).
//!
//! The thread calls SQLite itself (`rusqlite`) rather than through sqlx, which runs each
//! connection on a thread of its own: a write then crossed from the caller to a task, to that
//! thread and back twice over, and each crossing woke a sleeping thread (on a small VM, most of
//! a reflection's CPU on SQLite's side). Now a write wakes this thread once and its caller once.
//!
//! A write is either synced (on disk before its caller hears back: reflections, members,
//! settings) or only committed (seen by every later read and kept if the process is killed,
//! and on disk with the next synced commit or checkpoint): a tip just shown, which nobody
//! should wait for the disk to remember. The thread holds a connection for each.

use rusqlite::Connection;
use tokio::sync::{mpsc, oneshot};

use super::direct::{self, Target, run_alone};

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
/// statement, atomic by itself, and returns its outcome.
type Run = Box<dyn FnOnce(Option<&Connection>) -> Outcome + Send>;

struct Job {
    durability: Durability,
    run: Run,
}

/// The handle callers hold; the connections live on the thread `start` spawns.
#[derive(Clone, Debug)]
pub(crate) struct Writer {
    jobs: mpsc::Sender<Job>,
}

impl Writer {
    /// Opens the writing connections (after the migrations ran), one syncing each commit and
    /// one not, prepares the target's statements on them and starts the thread that uses them
    /// in turn. The thread ends, closing them, once every handle is dropped.
    pub(crate) async fn start(target: Target) -> anyhow::Result<Writer> {
        let (jobs, waiting) = mpsc::channel(4 * MOST_PER_COMMIT);
        let (opened, opening) = oneshot::channel();
        std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || {
                let links = Link::open(&target, Durability::Synced).and_then(|synced| {
                    start_the_wal(&synced.connection)?;
                    Ok((synced, Link::open(&target, Durability::Committed)?))
                });
                match links {
                    Ok((synced, unsynced)) => {
                        let _ = opened.send(Ok(()));
                        run(synced, unsynced, waiting);
                    }
                    Err(error) => {
                        let _ = opened.send(Err(error));
                    }
                }
            })?;
        opening
            .await
            .map_err(|_| anyhow::anyhow!("the database writer stopped while opening"))??;
        Ok(Writer { jobs })
    }

    /// Runs `statement` on the writing connection and returns its result once it is committed
    /// and synced to disk. `statement` must read what it runs to the end (`direct::execute`,
    /// `rows` or `one_row` do): alone, a statement commits at its last step, and one stopped
    /// before that commits when it is reset, where a failure goes unseen.
    pub(crate) async fn write<T, F>(&self, statement: F) -> anyhow::Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> rusqlite::Result<T> + Send + 'static,
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
        F: FnOnce(&Connection) -> rusqlite::Result<T> + Send + 'static,
    {
        let (answer, answered) = oneshot::channel();
        let run: Run = Box::new(move |connection| {
            // `None` when the group failed before this write's turn: its fate says why.
            let result = connection.map(statement);
            let spoils_transaction = match &result {
                Some(Err(error)) => !is_statement_only(error),
                _ => false,
            };
            let finish: Box<dyn FnOnce(Result<(), String>) + Send> = Box::new(move |fate| {
                let answer_with = match (result, fate) {
                    (Some(Ok(value)), Ok(())) => Ok(value),
                    (Some(Err(error)), _) => Err(error.into()),
                    (_, Err(why)) => Err(anyhow::anyhow!("{why}")),
                    (None, Ok(())) => Err(anyhow::anyhow!("the write did not run")),
                };
                let _ = answer.send(answer_with);
            });
            Outcome {
                spoils_transaction,
                finish,
            }
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
fn start_the_wal(connection: &Connection) -> rusqlite::Result<()> {
    let version: i64 = connection.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    connection.execute_batch(&format!("PRAGMA user_version = {version}"))
}

/// A constraint error undoes its own statement only; the transaction carries on.
fn is_statement_only(error: &rusqlite::Error) -> bool {
    error.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation)
}

/// A writing connection and how to open it again.
struct Link {
    target: Target,
    durability: Durability,
    connection: Connection,
}

impl Link {
    /// Opens a connection committing as `durability` asks.
    fn open(target: &Target, durability: Durability) -> anyhow::Result<Link> {
        let connection = direct::open(target, &TRANSACTION)?;
        if durability == Durability::Committed {
            connection.execute_batch("PRAGMA synchronous = NORMAL")?;
        }
        Ok(Link {
            target: target.clone(),
            durability,
            connection,
        })
    }

    /// A transaction that would not roll back leaves the connection inside it; a fresh one is
    /// the only way to be sure later writes are committed. Keeps the old one if a new one
    /// cannot be opened.
    fn reopen(&mut self) {
        match Link::open(&self.target, self.durability) {
            Ok(fresh) => *self = fresh,
            Err(error) => tracing::warn!("reopening the database writer: {error}"),
        }
    }
}

const BEGIN: &str = "BEGIN IMMEDIATE";
const COMMIT: &str = "COMMIT";
const ROLLBACK: &str = "ROLLBACK";
const TRANSACTION: [&str; 3] = [BEGIN, COMMIT, ROLLBACK];

/// Takes the writes waiting, as many as fit one transaction, and commits them on the syncing
/// connection if any must be synced, else on the other. The two take turns on this one thread,
/// so they never wait for each other's lock; a synced commit syncs the log with every commit
/// before it, whichever connection made it.
fn run(mut synced: Link, mut unsynced: Link, mut waiting: mpsc::Receiver<Job>) {
    while let Some(first) = waiting.blocking_recv() {
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
        if batch.len() == 1 {
            // Alone, a statement commits itself: no BEGIN and COMMIT to pay for.
            match run_job(batch.remove(0), Some(&link.connection)) {
                Some(Outcome { finish, .. }) => finish(Ok(())),
                None => tracing::warn!("a database write panicked; its caller is told it failed"),
            }
        } else {
            commit_together(&link.connection, batch);
        }
        if !link.connection.is_autocommit() && !rollback(&link.connection) {
            link.reopen();
        }
    }
}

/// Runs one job; `None` if it panicked (its caller then hears that the write failed).
fn run_job(job: Job, connection: Option<&Connection>) -> Option<Outcome> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| (job.run)(connection))).ok()
}

/// Runs a group in one transaction and tells each caller how it ended.
fn commit_together(connection: &Connection, batch: Vec<Job>) {
    let began = run_alone(connection, BEGIN);
    let mut finishes = Vec::with_capacity(batch.len());
    let mut spoiled = began.as_ref().err().map(|error| {
        tracing::warn!("starting a group commit: {error}");
        "the database could not start the write".to_string()
    });
    for job in batch {
        let within = spoiled.is_none().then_some(connection);
        match run_job(job, within) {
            Some(outcome) => {
                // After some errors SQLite ends the transaction itself; the jobs after would
                // then commit one by one, outside the group.
                let ended = connection.is_autocommit();
                if (outcome.spoils_transaction || ended) && spoiled.is_none() {
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
    let fate = match spoiled {
        None => run_alone(connection, COMMIT).map_err(|error| {
            tracing::warn!("committing a group of writes: {error}");
            "the database could not commit the write".to_string()
        }),
        // Also when BEGIN failed: a connection left inside a transaction refuses BEGIN, and
        // only a rollback (or a fresh connection) gets it out.
        Some(why) => Err(why),
    };
    if fate.is_err() {
        rollback(connection);
    }
    for finish in finishes {
        finish(fate.clone());
    }
}

/// Rolls back; true when the connection is outside any transaction afterwards. After some
/// errors SQLite has already rolled back: that is fine.
fn rollback(connection: &Connection) -> bool {
    if let Err(error) = run_alone(connection, ROLLBACK)
        && !connection.is_autocommit()
    {
        tracing::warn!("rolling back a group of writes: {error}");
    }
    connection.is_autocommit()
}

#[cfg(test)]
mod tests;
