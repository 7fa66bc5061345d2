//! Connections for the reads nearly every command makes, run right where they are called
//! (see `direct`): one for each thread reading at once, kept for the next read.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use rusqlite::Connection;
use rusqlite::types::ToSql;

use super::direct::{self, FromDirectRow, Target};
use super::sqlite::lock;

/// The reading connections, idle ones kept for the next read.
#[derive(Debug)]
pub(crate) struct Readers {
    target: Target,
    idle: Mutex<Vec<Connection>>,
    /// How many to keep: one for each of the runtime's threads (one per core).
    keep: usize,
    /// Set once the store is closed: reads fail from then on, as sqlx's do.
    closed: AtomicBool,
}

/// Readers opened at the start, so the first commands find them ready: a small machine's
/// cores. More open as more threads read at once.
const READERS_AT_START: usize = 2;

impl Readers {
    pub(crate) fn open(target: Target) -> rusqlite::Result<Readers> {
        let keep = std::thread::available_parallelism()
            .map_or(READERS_AT_START, std::num::NonZero::get)
            .max(READERS_AT_START);
        let idle = (0..READERS_AT_START)
            .map(|_| reader(&target))
            .collect::<rusqlite::Result<_>>()?;
        Ok(Readers {
            target,
            idle: Mutex::new(idle),
            keep,
            closed: AtomicBool::new(false),
        })
    }

    /// Every row `sql` gives back (see `rows`).
    pub(crate) fn all<T: FromDirectRow>(
        &self,
        sql: &str,
        values: &[&dyn ToSql],
    ) -> rusqlite::Result<Vec<T>> {
        self.with_connection(|connection| direct::rows(connection, sql, values))
    }

    /// The first row `sql` gives back, if any.
    pub(crate) fn optional<T: FromDirectRow>(
        &self,
        sql: &str,
        values: &[&dyn ToSql],
    ) -> rusqlite::Result<Option<T>> {
        self.with_connection(|connection| {
            let mut statement = direct::bound(connection, sql, values)?;
            let mut rows = statement.raw_query();
            rows.next()?.map(T::from_direct_row).transpose()
        })
    }

    /// The one row `sql` gives back.
    pub(crate) fn one<T: FromDirectRow>(
        &self,
        sql: &str,
        values: &[&dyn ToSql],
    ) -> rusqlite::Result<T> {
        self.optional(sql, values)?
            .ok_or(rusqlite::Error::QueryReturnedNoRows)
    }

    /// Runs `read` on an idle connection, or a new one when every kept one is in use.
    fn with_connection<T>(
        &self,
        read: impl FnOnce(&Connection) -> rusqlite::Result<T>,
    ) -> rusqlite::Result<T> {
        if self.closed.load(Ordering::Relaxed) {
            return Err(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_MISUSE),
                Some("the database is closed".into()),
            ));
        }
        let connection = match lock(&self.idle).pop() {
            Some(connection) => connection,
            None => reader(&self.target)?,
        };
        let result = read(&connection);
        let mut idle = lock(&self.idle);
        if idle.len() < self.keep && !self.closed.load(Ordering::Relaxed) {
            idle.push(connection);
        }
        result
    }

    /// Closes the idle connections; one in use closes when its read ends.
    pub(crate) fn close(&self) {
        self.closed.store(true, Ordering::Relaxed);
        lock(&self.idle).clear();
    }
}

/// How long a read waits for a lock before it fails. It runs on one of the runtime's threads,
/// which must not sleep for long; in WAL a read meets a lock only for moments: while the log is
/// recovered after a crash, or while the last other connection to the file closes.
const READ_BUSY_TIMEOUT: Duration = Duration::from_millis(250);

/// A reading connection: refuses to write, so a write can only come through the writer.
fn reader(target: &Target) -> rusqlite::Result<Connection> {
    let connection = direct::open(target, &[])?;
    connection.execute_batch("PRAGMA query_only = ON")?;
    connection.busy_timeout(READ_BUSY_TIMEOUT)?;
    Ok(connection)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Readers of a database with two rows in `pairs`, and the connection that wrote them.
    fn readers(dir: &tempfile::TempDir) -> (Readers, Connection) {
        let (target, writer) = direct::tests::pairs(dir);
        (Readers::open(target).expect("readers"), writer)
    }

    #[test]
    fn readers_refuse_to_write_and_refuse_everything_once_closed() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let (readers, _writer) = readers(&dir);
        let write: rusqlite::Result<Vec<(i64, String)>> =
            readers.all("DELETE FROM pairs RETURNING a, b", &[]);
        assert!(write.is_err(), "a reader wrote: {write:?}");
        let count: (i64, i64) = readers
            .one("SELECT COUNT(*), 0 FROM pairs", &[])
            .expect("a read");
        assert_eq!(count.0, 2);
        readers.close();
        let after: rusqlite::Result<(i64, i64)> = readers.one("SELECT COUNT(*), 0 FROM pairs", &[]);
        assert!(after.is_err(), "read after close: {after:?}");
    }

    #[test]
    fn more_threads_reading_at_once_than_kept_connections_each_get_one() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let (readers, _writer) = readers(&dir);
        let outer: Vec<(i64, String)> = readers
            .with_connection(|_held| {
                // Both kept connections busy: a third read opens its own.
                readers.with_connection(|_also_held| {
                    readers.all("SELECT a, b FROM pairs ORDER BY a", &[])
                })
            })
            .expect("reads");
        assert_eq!(outer.len(), 2);
        // All three come back, as many as there are cores to read at once.
        assert_eq!(lock(&readers.idle).len(), 3.min(readers.keep));
    }
}
