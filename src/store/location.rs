//! Where the database lives: reading `DATABASE_URL` (a SQLite file or a PostgreSQL server),
//! refusing at start-up what could never work (before anything is created), never showing a
//! password, and the lock that lets one process at a time apply the migrations to a new file.

use std::fs::{File, OpenOptions};
use std::path::Path;
use std::str::FromStr;

use anyhow::Context;
use sqlx::postgres::PgConnectOptions;
use sqlx::sqlite::SqliteConnectOptions;

/// The database `DATABASE_URL` names.
#[derive(Debug)]
pub enum Location {
    Sqlite(SqliteConnectOptions),
    Postgres(PgConnectOptions),
}

/// Where `url` points (a `sqlite:` URL, a file path, or a `postgres://` URL), or why it cannot work.
pub fn parse(url: &str) -> anyhow::Result<Location> {
    let trimmed = url.trim();
    if trimmed.starts_with("postgres://") || trimmed.starts_with("postgresql://") {
        let options = PgConnectOptions::from_str(trimmed)
            .with_context(|| format!("reading DATABASE_URL '{}'", redact(trimmed)))?;
        return Ok(Location::Postgres(options));
    }
    sqlite_options(url).map(Location::Sqlite)
}

/// The connection options for `url` (a `sqlite:` URL or a file path), or why it cannot work.
pub fn sqlite_options(url: &str) -> anyhow::Result<SqliteConnectOptions> {
    let url = url.trim();
    anyhow::ensure!(
        !url.is_empty(),
        "DATABASE_URL is empty: set it to a file path, a sqlite: URL (for example sqlite:mentorbot.db) or a postgres:// URL"
    );
    let connection_string = !url.starts_with("sqlite:") && url.contains('=');
    if (url.contains("://") && !url.starts_with("sqlite:")) || connection_string {
        anyhow::bail!(
            "DATABASE_URL '{}' is neither a SQLite database (a sqlite: URL or a file path) nor a postgres:// URL",
            redact(url)
        );
    }
    let options = if url.starts_with("sqlite:") {
        SqliteConnectOptions::from_str(url)
            .with_context(|| format!("reading DATABASE_URL '{}'", redact(url)))?
    } else {
        SqliteConnectOptions::new().filename(url)
    };
    let file = options.get_filename();
    anyhow::ensure!(
        !is_in_memory(file),
        "DATABASE_URL '{}' names an in-memory database, which would lose every log when mentorbot stops: give it a file, for example sqlite:mentorbot.db",
        redact(url)
    );
    anyhow::ensure!(
        !file.as_os_str().is_empty(),
        "DATABASE_URL '{}' names no file: give the database a file name, for example sqlite:mentorbot.db",
        redact(url)
    );
    if file.is_dir() {
        anyhow::bail!(
            "DATABASE_URL names the folder {}, not a database file: add a file name, for example {}/mentorbot.db",
            file.display(),
            file.display()
        );
    }
    if let Some(folder) = file.parent().filter(|p| !p.as_os_str().is_empty()) {
        anyhow::ensure!(
            folder.is_dir(),
            "the folder {} for the database does not exist: create it first",
            folder.display()
        );
    }
    if file.metadata().is_ok_and(|m| m.permissions().readonly()) {
        anyhow::bail!(
            "the database file {} is read-only: mentorbot writes your log there, so it needs write access",
            file.display()
        );
    }
    Ok(options)
}

fn is_in_memory(file: &Path) -> bool {
    file.to_str()
        .is_some_and(|name| name == ":memory:" || name.starts_with("file:sqlx-in-memory"))
}

/// Holds an exclusive lock while migrations run, so processes starting on a new database at
/// once take turns: the second finds the schema applied. The lock is on a file of its own next
/// to the database (`mentorbot.db.lock`), never on the database file: closing any handle to
/// that file would drop the locks SQLite itself holds on it.
pub async fn lock_for_migrations(file: &Path) -> anyhow::Result<File> {
    let mut name = file.as_os_str().to_owned();
    name.push(".lock");
    let lock = std::path::PathBuf::from(name);
    tokio::task::spawn_blocking(move || {
        let handle = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&lock)
            .with_context(|| format!("creating the lock file {}", lock.display()))?;
        handle
            .lock()
            .with_context(|| format!("waiting for the lock on {}", lock.display()))?;
        Ok(handle)
    })
    .await
    .context("waiting for the migration lock")?
}

/// The URL with any password replaced by `***`, fit for messages and logs: the one before the
/// host (`user:secret@host`, even with a `/` in it), and `password=` in a query or a
/// connection string.
pub fn redact(url: &str) -> String {
    let hidden = match url.split_once("://") {
        Some((scheme, rest)) => {
            // The credentials end at the last '@' (a password may hold '/', '?' or '#'; when
            // the query holds an '@' too, more is hidden, never less).
            match rest.rfind('@') {
                Some(at) => {
                    let (credentials, after) = rest.split_at(at);
                    let user = credentials
                        .split_once(':')
                        .map_or(credentials, |(user, _)| user);
                    format!("{scheme}://{user}:***{after}")
                }
                None => url.to_string(),
            }
        }
        None => url.to_string(),
    };
    hide_password_parameters(&hidden)
}

/// `password=secret` (in a query or a `key=value` connection string) as `password=***`.
fn hide_password_parameters(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(found) = rest.to_ascii_lowercase().find("password=") {
        let value_start = found + "password=".len();
        out.push_str(&rest[..value_start]);
        out.push_str("***");
        let value_end = rest[value_start..]
            .find(['&', ' ', ';'])
            .map_or(rest.len(), |end| value_start + end);
        rest = &rest[value_end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_show() {
        assert_eq!(
            redact("postgres://ana:s3cret@db.example:5432/mentor?sslmode=require"),
            "postgres://ana:***@db.example:5432/mentor?sslmode=require"
        );
        assert_eq!(redact("postgres://db/mentor"), "postgres://db/mentor");
        assert_eq!(
            redact("postgres://ana:p#w?x@db/mentor"),
            "postgres://ana:***@db/mentor"
        );
        assert_eq!(
            redact("postgres://ana:p/w@db/mentor"),
            "postgres://ana:***@db/mentor"
        );
        assert_eq!(
            redact("postgres://db/m?user=ana&password=s3cret&sslmode=require"),
            "postgres://db/m?user=ana&password=***&sslmode=require"
        );
        assert_eq!(
            redact("host=db user=ana password=s3cret"),
            "host=db user=ana password=***"
        );
        let refused = sqlite_options("host=db user=ana password=s3cret")
            .expect_err("a connection string")
            .to_string();
        assert!(!refused.contains("s3cret"), "{refused}");
        assert_eq!(redact("sqlite:mentor.db"), "sqlite:mentor.db");
        let refused = sqlite_options("postgres://ana:s3cret@db/mentor")
            .expect_err("not SQLite")
            .to_string();
        assert!(!refused.contains("s3cret"), "{refused}");
        assert!(refused.contains("postgres://"), "{refused}");
        assert!(matches!(
            parse("postgres://ana:s3cret@db/mentor"),
            Ok(Location::Postgres(_))
        ));
        let refused = parse("mysql://ana:s3cret@db/mentor")
            .expect_err("not a backend")
            .to_string();
        assert!(!refused.contains("s3cret"), "{refused}");
    }

    #[test]
    fn unusable_locations_are_refused_with_a_reason() {
        for (url, says) in [
            ("", "empty"),
            ("  ", "empty"),
            ("sqlite:", "names no file"),
            ("/", "folder"),
            ("/no/such/folder/mentor.db", "does not exist"),
            ("sqlite::memory:", "in-memory"),
            (":memory:", "in-memory"),
        ] {
            let error = sqlite_options(url).expect_err(url).to_string();
            assert!(error.contains(says), "{url}: {error}");
        }
        assert!(sqlite_options("sqlite:mentor.db").is_ok());
    }
}
