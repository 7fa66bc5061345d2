//! The schema's migrations, built into the binary: each file under `migrations/`, applied by
//! sqlx's migrator exactly as if it had read the folder (same versions, names and checksums).
//! A new migration is a new file there and one line here; a test checks the two agree.

use std::borrow::Cow;

use futures_util::future::BoxFuture;
use sqlx::SqlSafeStr;
use sqlx::error::BoxDynError;
use sqlx::migrate::{MigrateError, Migration, MigrationSource, MigrationType, Migrator};

/// A file under `migrations/<folder>/`: its name and text.
macro_rules! migration_file {
    ($folder:literal, $file:literal) => {
        (
            $file,
            include_str!(concat!("../../migrations/", $folder, "/", $file)),
        )
    };
}

/// The SQLite migrations: file name and text (applied in the order of their versions).
pub const SQLITE: &[(&str, &str)] = &[
    migration_file!("sqlite", "0001_members_and_log.sql"),
    migration_file!("sqlite", "0002_nudges_and_deliveries.sql"),
    migration_file!("sqlite", "0003_delivery_kinds.sql"),
    migration_file!("sqlite", "0004_challenges.sql"),
    migration_file!("sqlite", "0005_member_teams.sql"),
    migration_file!("sqlite", "0006_team_holidays.sql"),
    migration_file!("sqlite", "0007_mentoring.sql"),
    migration_file!("sqlite", "0008_weekly_mix.sql"),
    migration_file!("sqlite", "0009_team_leaders.sql"),
    migration_file!("sqlite", "0010_coach.sql"),
    migration_file!("sqlite", "0011_web.sql"),
];

/// The PostgreSQL migrations: file name and text (applied in the order of their versions).
pub const POSTGRES: &[(&str, &str)] = &[
    migration_file!("postgres", "0001_schema.sql"),
    migration_file!("postgres", "0002_coach.sql"),
    migration_file!("postgres", "0003_web.sql"),
];

/// A migrator for one of the lists above.
pub async fn migrator(
    files: &'static [(&'static str, &'static str)],
) -> Result<Migrator, MigrateError> {
    Migrator::new(Embedded(files)).await
}

#[derive(Debug)]
struct Embedded(&'static [(&'static str, &'static str)]);

impl MigrationSource<'static> for Embedded {
    fn resolve(self) -> BoxFuture<'static, Result<Vec<Migration>, BoxDynError>> {
        Box::pin(async move {
            self.0
                .iter()
                .map(|(file, sql)| migration(file, sql))
                .collect()
        })
    }
}

/// What sqlx reads from a file named `<version>_<description>.sql`.
fn migration(file: &str, sql: &'static str) -> Result<Migration, BoxDynError> {
    let (version, rest) = file
        .split_once('_')
        .ok_or_else(|| format!("migration {file} is not named <version>_<description>.sql"))?;
    let version: i64 = version
        .parse()
        .map_err(|_| format!("migration {file} does not start with its version number"))?;
    let description = rest.trim_end_matches(".sql").replace('_', " ");
    Ok(Migration::new(
        version,
        Cow::Owned(description),
        MigrationType::Simple,
        sqlx::AssertSqlSafe(sql).into_sql_str(),
        sql.starts_with("-- no-transaction"),
    ))
}
