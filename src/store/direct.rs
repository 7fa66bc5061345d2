//! SQLite called directly (rusqlite), where sqlx would send each statement to a thread of the
//! connection's own and wake the caller's thread again with the answer: the writer's statements,
//! and the reads nearly every command makes. Such a read takes microseconds from SQLite's page
//! cache; the two thread crossings around it cost more than the read (on a small VM each sleep
//! and wake-up is tens of microseconds), so it runs right where it is called.

use std::path::PathBuf;

use rusqlite::types::{FromSql, ToSql};
use rusqlite::{CachedStatement, Connection, OpenFlags};

/// The database to open directly, and the statements to prepare on each connection as it opens
/// (which also reads the schema), so no command pays for that.
#[derive(Clone, Debug)]
pub(crate) struct Target {
    pub file: PathBuf,
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
    // As sqlx opens a file (in-memory databases are refused by `location`).
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_URI
        | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_PRIVATE_CACHE;
    let connection = Connection::open_with_flags(&target.file, flags)?;
    connection.busy_timeout(super::BUSY_TIMEOUT)?;
    // Plans that never look at the values bound: otherwise SQLite prepares a statement again
    // each time a value it looked at (a LIMIT, an OFFSET) is bound anew.
    connection.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
        true,
    )?;
    for (name, value) in super::SQLITE_SETTINGS {
        connection.execute_batch(&format!("PRAGMA {name} = {value}"))?;
    }
    for sql in target.statements.iter().chain(more) {
        connection.prepare_cached(sql)?;
    }
    Ok(connection)
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
pub(crate) fn bound<'c>(
    connection: &'c Connection,
    sql: &str,
    values: &[&dyn ToSql],
) -> rusqlite::Result<CachedStatement<'c>> {
    let mut statement = prepared(connection, sql)?;
    let mut highest = 0;
    for index in 1..=statement.parameter_count() {
        let name = statement.parameter_name(index).unwrap_or("?");
        let number = name
            .strip_prefix('$')
            .and_then(|number| number.parse::<usize>().ok())
            .filter(|number| *number > 0)
            .ok_or_else(|| rusqlite::Error::InvalidParameterName(name.to_string()))?;
        let value = values
            .get(number - 1)
            .ok_or(rusqlite::Error::InvalidParameterCount(number, values.len()))?;
        statement.raw_bind_parameter(index, *value)?;
        highest = highest.max(number);
    }
    // PostgreSQL refuses values the statement does not use; so does this, alike on both.
    if highest != values.len() {
        return Err(rusqlite::Error::InvalidParameterCount(
            highest,
            values.len(),
        ));
    }
    Ok(statement)
}

/// `sql` prepared once per connection; each use logged at debug level, as sqlx logs its own.
fn prepared<'c>(connection: &'c Connection, sql: &str) -> rusqlite::Result<CachedStatement<'c>> {
    tracing::debug!(sql, "statement run directly");
    connection.prepare_cached(sql)
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// A database with a table `pairs` of two rows, (1, 'one') and (2, 'two'), and the
    /// connection that made it.
    pub(in crate::store) fn pairs(dir: &tempfile::TempDir) -> (Target, Connection) {
        let target = Target {
            file: dir.path().join("pairs.db"),
            statements: Vec::new(),
        };
        let connection = open(&target, &[]).expect("opened");
        connection
            .execute_batch(
                "CREATE TABLE pairs (a INTEGER, b TEXT);
                 INSERT INTO pairs VALUES (1, 'one'), (2, 'two');",
            )
            .expect("a table");
        (target, connection)
    }

    #[test]
    fn parameters_are_bound_by_their_number_whatever_their_order_or_repetition() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let (_, connection) = pairs(&dir);
        let sql = "SELECT a, b FROM pairs WHERE b = $2 AND a = $1 AND a = $1";
        let found: Vec<(i64, String)> = rows(&connection, sql, &[&2, &"two"]).expect("a read");
        assert_eq!(found, vec![(2, "two".to_string())]);
    }

    #[test]
    fn a_page_of_rows_is_not_prepared_again_for_each_limit_and_offset() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let (_, connection) = pairs(&dir);
        let sql = "SELECT a, b FROM pairs ORDER BY a LIMIT $1 OFFSET $2";
        for (limit, offset) in [(1, 0), (1, 1), (2, 0)] {
            let page: Vec<(i64, String)> =
                rows(&connection, sql, &[&limit, &offset]).expect("a page");
            assert_eq!(page.len(), limit.min(2 - offset) as usize);
        }
        let statement = connection.prepare_cached(sql).expect("cached");
        let again = statement.get_status(rusqlite::StatementStatus::RePrepare);
        assert_eq!(again, 0, "prepared again {again} times");
    }

    #[test]
    fn a_missing_value_an_unused_value_and_an_unnumbered_parameter_are_refused() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let (_, connection) = pairs(&dir);
        let read = |sql, values: &[&dyn ToSql]| rows::<(i64, String)>(&connection, sql, values);
        let missing = read("SELECT a, b FROM pairs WHERE a = $1 OR b = $2", &[&1]);
        assert!(matches!(
            missing,
            Err(rusqlite::Error::InvalidParameterCount(2, 1))
        ));
        let unused = read("SELECT a, b FROM pairs WHERE a = $1", &[&1, &"one"]);
        assert!(matches!(
            unused,
            Err(rusqlite::Error::InvalidParameterCount(1, 2))
        ));
        let unnumbered = read("SELECT a, b FROM pairs WHERE a = ?", &[&1]);
        assert!(matches!(
            unnumbered,
            Err(rusqlite::Error::InvalidParameterName(_))
        ));
    }
}
