//! Where the database lives: reading `DATABASE_URL`, refusing at start-up what could never work
//! (before anything is created), never showing a password, and the lock that lets one process
//! at a time apply the migrations to a new file.

use std::fs::{File, OpenOptions};
use std::path::Path;
use std::str::FromStr;

use anyhow::Context;
use sqlx::sqlite::SqliteConnectOptions;

/// The connection options for `url` (a `sqlite:` URL or a file path), or why it cannot work.
pub fn sqlite_options(url: &str) -> anyhow::Result<SqliteConnectOptions> {
    let url = url.trim();
    anyhow::ensure!(
        !url.is_empty(),
        "DATABASE_URL is empty: set it to a file path or a sqlite: URL, for example sqlite:mentorbot.db"
    );
    if url.contains("://") && !url.starts_with("sqlite:") {
        anyhow::bail!(
            "DATABASE_URL '{}' is not a SQLite database: this version of mentorbot keeps its log in SQLite only (a sqlite: URL or a file path)",
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
    if is_in_memory(file) {
        return Ok(options);
    }
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

/// Holds an exclusive lock on the database file while migrations run, so processes starting
/// on a new file at once take turns: the second finds the schema applied. (`flock` is separate
/// from SQLite's own byte-range locks, so it does not get in their way.)
pub async fn lock_for_migrations(file: &Path) -> anyhow::Result<Option<File>> {
    if is_in_memory(file) {
        return Ok(None);
    }
    let file = file.to_path_buf();
    tokio::task::spawn_blocking(move || {
        let handle = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&file)
            .with_context(|| format!("opening the database file {} for writing", file.display()))?;
        handle
            .lock()
            .with_context(|| format!("waiting for the lock on {}", file.display()))?;
        Ok(Some(handle))
    })
    .await
    .context("waiting for the migration lock")?
}

/// The URL with any password replaced by `***`, fit for messages and logs.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((credentials, host)) => {
            let user = credentials
                .split_once(':')
                .map_or(credentials, |(user, _)| user);
            format!("{scheme}://{user}:***@{host}{path}")
        }
        None => url.to_string(),
    }
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
        assert_eq!(redact("sqlite:mentor.db"), "sqlite:mentor.db");
        let refused = sqlite_options("postgres://ana:s3cret@db/mentor")
            .expect_err("not SQLite")
            .to_string();
        assert!(!refused.contains("s3cret"), "{refused}");
        assert!(refused.contains("SQLite only"), "{refused}");
    }

    #[test]
    fn unusable_locations_are_refused_with_a_reason() {
        for (url, says) in [
            ("", "empty"),
            ("  ", "empty"),
            ("sqlite:", "names no file"),
            ("/", "folder"),
            ("/no/such/folder/mentor.db", "does not exist"),
        ] {
            let error = sqlite_options(url).expect_err(url).to_string();
            assert!(error.contains(says), "{url}: {error}");
        }
        assert!(sqlite_options("sqlite:mentor.db").is_ok());
    }
}
