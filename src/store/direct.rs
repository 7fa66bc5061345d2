//! SQLite called directly (rusqlite), where sqlx would send each statement to a thread of the
//! connection's own and wake the caller's thread again with the answer: the writer's statements,
//! and the reads nearly every command makes. Such a read takes microseconds from SQLite's page
//! cache; the two thread crossings around it cost more than the read (on a small VM each sleep
//! and wake-up is tens of microseconds), so it runs right where it is called.

use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use rusqlite::types::{FromSql, ToSql};
use rusqlite::{CachedStatement, Connection, OpenFlags};

/// The database to open directly, and the statements to prepare on each connection as it opens
/// (which also reads the schema), so no command pays for that.
#[derive(Clone, Debug)]
pub(crate) struct Target {
    /// The file, or the name of a shared in-memory database.
    pub file: PathBuf,
    pub in_memory: bool,
    pub statements: Vec<&'static str>,
}

/// A row read directly, as `sqlx::FromRow` reads one through sqlx (`columns::from_row!` makes
/// both).
pub(crate) trait FromDirectRow: Sized {
    fn from_direct_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self>;
}

impl<A: FromSql, B: FromSql> FromDirectRow for (A, B) {
    fn from_direct_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
        Ok((row.get(0)?, row.get(1)?))
    }
}

impl<A: FromSql, B: FromSql, C: FromSql> FromDirectRow for (A, B, C) {
    fn from_direct_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
        Ok((row.get(0)?, row.get(1)?, row.get(2)?))
    }
}

/// Opens a connection with the settings sqlx's connections get (`super::SQLITE_SETTINGS`) and
/// prepares the target's statements and `more`.
pub(crate) fn open(target: &Target, more: &[&str]) -> rusqlite::Result<Connection> {
    let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_URI
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    flags |= if target.in_memory {
        OpenFlags::SQLITE_OPEN_MEMORY | OpenFlags::SQLITE_OPEN_SHARED_CACHE
    } else {
        OpenFlags::SQLITE_OPEN_PRIVATE_CACHE
    };
    let connection = Connection::open_with_flags(&target.file, flags)?;
    connection.busy_timeout(super::BUSY_TIMEOUT)?;
    for (name, value) in super::SQLITE_SETTINGS {
        connection.execute_batch(&format!("PRAGMA {name} = {value}"))?;
    }
    for sql in target.statements.iter().chain(more) {
        connection.prepare_cached(sql)?;
    }
    Ok(connection)
}

/// Connections for reads that run where they are called: one for each thread reading at once,
/// kept for the next read.
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
        self.with_connection(|connection| rows(connection, sql, values))
    }

    /// The first row `sql` gives back, if any.
    pub(crate) fn optional<T: FromDirectRow>(
        &self,
        sql: &str,
        values: &[&dyn ToSql],
    ) -> rusqlite::Result<Option<T>> {
        self.with_connection(|connection| {
            let mut statement = bound(connection, sql, values)?;
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

/// A reading connection: refuses to write, so a write can only come through the writer.
fn reader(target: &Target) -> rusqlite::Result<Connection> {
    let connection = open(target, &[])?;
    connection.execute_batch("PRAGMA query_only = ON")?;
    Ok(connection)
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Runs `sql`, its parameters numbered `$1`, `$2`, … as PostgreSQL's are, with `values` in
/// that order, and returns every row it gives back: read to the end, so that a statement
/// alone has committed (or failed to) by the time this returns.
pub(crate) fn rows<T: FromDirectRow>(
    connection: &Connection,
    sql: &str,
    values: &[&dyn ToSql],
) -> rusqlite::Result<Vec<T>> {
    let mut statement = bound(connection, sql, values)?;
    let mut rows = statement.raw_query();
    let mut read = Vec::new();
    while let Some(row) = rows.next()? {
        read.push(T::from_direct_row(row)?);
    }
    Ok(read)
}

/// The one row `sql` gives back (see `rows`).
pub(crate) fn one_row<T: FromDirectRow>(
    connection: &Connection,
    sql: &str,
    values: &[&dyn ToSql],
) -> rusqlite::Result<T> {
    rows(connection, sql, values)?
        .pop()
        .ok_or(rusqlite::Error::QueryReturnedNoRows)
}

/// Runs `sql`, which returns no rows (see `rows`); returns how many rows it changed.
pub(crate) fn execute(
    connection: &Connection,
    sql: &str,
    values: &[&dyn ToSql],
) -> rusqlite::Result<usize> {
    bound(connection, sql, values)?.raw_execute()
}

/// Runs a statement without parameters or rows (BEGIN, COMMIT, ROLLBACK).
pub(crate) fn run_alone(connection: &Connection, sql: &str) -> rusqlite::Result<()> {
    prepared(connection, sql)?.raw_execute().map(|_| ())
}

/// `sql` prepared (once per connection) with each `$n` bound to `values[n - 1]`.
fn bound<'c>(
    connection: &'c Connection,
    sql: &str,
    values: &[&dyn ToSql],
) -> rusqlite::Result<CachedStatement<'c>> {
    let mut statement = prepared(connection, sql)?;
    for index in 1..=statement.parameter_count() {
        let number = statement
            .parameter_name(index)
            .and_then(|name| name.strip_prefix('$'))
            .and_then(|number| number.parse::<usize>().ok());
        let value = number
            .and_then(|number| values.get(number.checked_sub(1)?))
            .ok_or(rusqlite::Error::InvalidParameterCount(index, values.len()))?;
        statement.raw_bind_parameter(index, *value)?;
    }
    Ok(statement)
}

/// `sql` prepared once per connection; each use logged at debug level, as sqlx logs its own.
fn prepared<'c>(connection: &'c Connection, sql: &str) -> rusqlite::Result<CachedStatement<'c>> {
    tracing::debug!(sql, "statement run directly");
    connection.prepare_cached(sql)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(dir: &tempfile::TempDir) -> Target {
        Target {
            file: dir.path().join("direct.db"),
            in_memory: false,
            statements: Vec::new(),
        }
    }

    fn with_table(target: &Target) -> Connection {
        let connection = open(target, &[]).expect("opened");
        connection
            .execute_batch("CREATE TABLE pairs (a INTEGER, b TEXT); INSERT INTO pairs VALUES (1, 'one'), (2, 'two');")
            .expect("a table");
        connection
    }

    #[test]
    fn parameters_are_bound_by_their_number_whatever_their_order_or_repetition() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let target = target(&dir);
        let _writer = with_table(&target);
        let readers = Readers::open(target).expect("readers");
        let found: Option<(i64, String)> = readers
            .optional(
                "SELECT a, b FROM pairs WHERE b = $2 AND a = $1 AND a = $1",
                &[&2, &"two"],
            )
            .expect("a read");
        assert_eq!(found, Some((2, "two".to_string())));
        let none: Option<(i64, String)> = readers
            .optional("SELECT a, b FROM pairs WHERE a = $1", &[&3])
            .expect("a read");
        assert_eq!(none, None);
    }

    #[test]
    fn a_missing_value_is_an_error_not_a_null() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let target = target(&dir);
        let _writer = with_table(&target);
        let readers = Readers::open(target).expect("readers");
        let read: rusqlite::Result<Vec<(i64, String)>> =
            readers.all("SELECT a, b FROM pairs WHERE a = $1 OR b = $2", &[&1]);
        assert!(matches!(
            read,
            Err(rusqlite::Error::InvalidParameterCount(2, 1))
        ));
    }

    #[test]
    fn readers_refuse_to_write_and_refuse_everything_once_closed() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let target = target(&dir);
        let _writer = with_table(&target);
        let readers = Readers::open(target).expect("readers");
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
        let target = target(&dir);
        let _writer = with_table(&target);
        let readers = Readers::open(target).expect("readers");
        let outer: Vec<(i64, String)> = readers
            .with_connection(|_held| {
                // Both kept connections busy: a third read opens its own.
                readers.with_connection(|_also_held| {
                    readers.all("SELECT a, b FROM pairs ORDER BY a", &[])
                })
            })
            .expect("reads");
        assert_eq!(outer.len(), 2);
        assert!(lock(&readers.idle).len() <= readers.keep);
    }
}
