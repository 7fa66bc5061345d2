//! Moving a community from SQLite to PostgreSQL (`mentorbot migrate-db --to postgres://…`):
//! every table copied in one transaction, ids and times as they were, then each table's row
//! count and checksum compared on both sides before the commit.

use anyhow::Context;
use sha2::{Digest, Sha256};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions, Postgres};
use sqlx::sqlite::Sqlite;
use sqlx::{QueryBuilder, Row};

use super::location::{self, Location};
use super::{Pool, Store, redact};

/// The tables in an order that satisfies every foreign key. `delivery_kinds` is not copied:
/// both migrations fill it, and it is compared like the rest.
const TABLES: [&str; 23] = [
    "members",
    "reflections",
    "tip_views",
    "weekly_prompts",
    "nudge_settings",
    "nudge_pauses",
    "team_prompts",
    "challenges",
    "challenge_participants",
    "challenge_checkins",
    "deliveries",
    "member_teams",
    "team_holidays",
    "mentoring_optins",
    "mentoring_schedules",
    "mentoring_pairs",
    "weekly_mix",
    "team_leaders",
    "coach_members",
    "coach_notes",
    "coach_usage",
    "web_links",
    "web_sessions",
];

/// Rows per INSERT: well under PostgreSQL's 65,535 parameters for the widest table.
const BATCH: usize = 500;

/// What arrived in one table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopiedTable {
    pub table: &'static str,
    pub rows: usize,
    /// SHA-256 over the table's rows, the same on both sides.
    pub checksum: String,
}

/// How a column is read from SQLite and written to PostgreSQL, from PostgreSQL's type.
#[derive(Clone, Copy, Debug)]
enum Kind {
    Integer,
    Flag,
    Text,
}

#[derive(Clone, Debug, PartialEq)]
enum Value {
    Integer(Option<i64>),
    Flag(Option<bool>),
    Text(Option<String>),
}

struct Column {
    name: String,
    kind: Kind,
}

impl Store {
    /// Opens the SQLite database to copy from, which must exist: a mistyped path would
    /// otherwise create an empty database and copy nothing.
    pub async fn open_to_copy(url: &str) -> anyhow::Result<Store> {
        let Location::Sqlite(options) = location::parse(url)? else {
            anyhow::bail!(
                "DATABASE_URL names a PostgreSQL database already; point it at the SQLite file to copy"
            );
        };
        let file = options.get_filename();
        anyhow::ensure!(
            file.is_file(),
            "there is no SQLite database at {}: DATABASE_URL must name the file to copy",
            file.display()
        );
        Store::open(url).await
    }

    /// Copies this (SQLite) database into the empty PostgreSQL database at `target`, whose
    /// schema is created first. Nothing is committed unless every table's count and checksum
    /// match.
    pub async fn copy_to_postgres(&self, target: &str) -> anyhow::Result<Vec<CopiedTable>> {
        let Pool::Sqlite(source) = self.pool() else {
            anyhow::bail!(
                "DATABASE_URL already names a PostgreSQL database: migrate-db copies from SQLite"
            );
        };
        let Location::Postgres(options) = location::parse(target)? else {
            anyhow::bail!("--to must be a postgres:// URL");
        };
        refuse_foreign_tables(options, target).await?;
        let opened = Store::open(target).await?;
        let Pool::Postgres(destination) = opened.pool() else {
            anyhow::bail!("--to must be a postgres:// URL");
        };
        refuse_unless_empty(destination).await?;
        // One read transaction: every table comes from the same moment, even if a mentorbot
        // is still writing to the file.
        let mut snapshot = source
            .begin()
            .await
            .context("starting to read the source")?;
        let members: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM members")
            .fetch_one(&mut *snapshot)
            .await
            .context("counting the source's members")?;
        anyhow::ensure!(
            members > 0,
            "the SQLite database has no members: is DATABASE_URL the file you meant to copy?"
        );
        // A table this list misses would be left behind without a word: refuse instead.
        let tables: Vec<String> = sqlx::query_scalar(
            "SELECT name FROM sqlite_master WHERE type = 'table'
             AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations' ORDER BY name",
        )
        .fetch_all(&mut *snapshot)
        .await
        .context("listing the source's tables")?;
        if let Some(unknown) = tables
            .iter()
            .find(|name| !TABLES.contains(&name.as_str()) && name.as_str() != "delivery_kinds")
        {
            anyhow::bail!(
                "the SQLite database has a table migrate-db does not copy ({unknown}): this mentorbot is older than the database; nothing was copied"
            );
        }
        let mut tx = destination.begin().await.context("starting the copy")?;
        let mut copied = Vec::new();
        for table in TABLES {
            let columns = columns_of(destination, table).await?;
            let rows = read_sqlite(&mut snapshot, table, &columns).await?;
            if table == "weekly_mix" {
                // The triggers counted the copied reflections; the source's own sums replace them.
                sqlx::query("DELETE FROM weekly_mix")
                    .execute(&mut *tx)
                    .await
                    .context("clearing weekly_mix")?;
            }
            for batch in rows.chunks(BATCH) {
                insert(&mut tx, table, &columns, batch).await?;
            }
            let arrived = read_postgres(&mut tx, table, &columns).await?;
            let (sent, got) = (checksum(&rows), checksum(&arrived));
            anyhow::ensure!(
                rows.len() == arrived.len() && sent == got,
                "{table} did not arrive intact ({} rows sent, {} arrived); nothing was committed",
                rows.len(),
                arrived.len()
            );
            copied.push(CopiedTable {
                table,
                rows: rows.len(),
                checksum: got,
            });
        }
        let kinds = columns_of(destination, "delivery_kinds").await?;
        let (mine, theirs) = (
            read_sqlite(&mut snapshot, "delivery_kinds", &kinds).await?,
            read_postgres(&mut tx, "delivery_kinds", &kinds).await?,
        );
        anyhow::ensure!(
            checksum(&mine) == checksum(&theirs),
            "the two databases know different delivery kinds: update mentorbot on both sides"
        );
        for table in TABLES {
            if columns_of(destination, table)
                .await?
                .iter()
                .any(|c| c.name == "id")
            {
                // Table names come from the constant above, never from input.
                let sql = format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM {table}"
                );
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .execute(&mut *tx)
                    .await
                    .with_context(|| format!("moving {table}'s id sequence past the copied ids"))?;
            }
        }
        tx.commit().await.context("committing the copy")?;
        opened.close().await;
        Ok(copied)
    }
}

/// Refuses a database holding tables that are not mentorbot's, before creating any there.
async fn refuse_foreign_tables(options: PgConnectOptions, target: &str) -> anyhow::Result<()> {
    let connection = PgPoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .with_context(|| format!("connecting to {}", redact(target)))?;
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::TEXT FROM information_schema.tables
         WHERE table_schema = current_schema() ORDER BY table_name",
    )
    .fetch_all(&connection)
    .await
    .context("listing the target's tables")?;
    connection.close().await;
    let ours = |name: &str| {
        TABLES.contains(&name) || name == "delivery_kinds" || name == "_sqlx_migrations"
    };
    if let Some(other) = tables.iter().find(|name| !ours(name)) {
        anyhow::bail!(
            "the target database is not empty (it has a table {other}): migrate-db copies only into an empty database, so nothing was changed"
        );
    }
    Ok(())
}

async fn refuse_unless_empty(destination: &PgPool) -> anyhow::Result<()> {
    for table in TABLES {
        let sql = format!("SELECT COUNT(*) FROM {table}");
        let rows: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .fetch_one(destination)
            .await
            .with_context(|| format!("counting {table} in the target"))?;
        anyhow::ensure!(
            rows == 0,
            "the target database is not empty ({table} has {rows} rows): migrate-db copies only into an empty database, so nothing was changed"
        );
    }
    Ok(())
}

/// The table's columns as PostgreSQL has them, in order.
async fn columns_of(destination: &PgPool, table: &str) -> anyhow::Result<Vec<Column>> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT column_name::TEXT, data_type::TEXT FROM information_schema.columns
         WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
    )
    .bind(table)
    .fetch_all(destination)
    .await
    .with_context(|| format!("reading {table}'s columns"))?;
    anyhow::ensure!(!rows.is_empty(), "the target has no table {table}");
    rows.into_iter()
        .map(|(name, data_type)| {
            let kind = match data_type.as_str() {
                "bigint" | "integer" => Kind::Integer,
                "boolean" => Kind::Flag,
                "text" => Kind::Text,
                other => anyhow::bail!("{table}.{name} has a type migrate-db cannot copy: {other}"),
            };
            Ok(Column { name, kind })
        })
        .collect()
}

fn column_list(columns: &[Column]) -> String {
    columns
        .iter()
        .map(|c| format!("\"{}\"", c.name))
        .collect::<Vec<_>>()
        .join(", ")
}

async fn read_sqlite(
    source: &mut sqlx::Transaction<'_, Sqlite>,
    table: &str,
    columns: &[Column],
) -> anyhow::Result<Vec<Vec<Value>>> {
    let sql = format!("SELECT {} FROM {table}", column_list(columns));
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_all(&mut **source)
        .await
        .with_context(|| format!("reading {table} from SQLite (do both have the same columns?)"))?;
    // SQLite keeps a flag as 0 or 1.
    values_of(&rows, table, columns, |row, at, kind| {
        Ok(match kind {
            Kind::Integer => Value::Integer(row.try_get(at)?),
            Kind::Flag => Value::Flag(row.try_get::<Option<i64>, _>(at)?.map(|v| v != 0)),
            Kind::Text => Value::Text(row.try_get(at)?),
        })
    })
}

async fn read_postgres(
    tx: &mut sqlx::Transaction<'_, Postgres>,
    table: &str,
    columns: &[Column],
) -> anyhow::Result<Vec<Vec<Value>>> {
    let sql = format!("SELECT {} FROM {table}", column_list(columns));
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_all(&mut **tx)
        .await
        .with_context(|| format!("reading {table} back from PostgreSQL"))?;
    values_of(&rows, table, columns, |row, at, kind| {
        Ok(match kind {
            Kind::Integer => Value::Integer(row.try_get(at)?),
            Kind::Flag => Value::Flag(row.try_get(at)?),
            Kind::Text => Value::Text(row.try_get(at)?),
        })
    })
}

/// Each row's values, column by column, as `read` takes them from the database's row.
fn values_of<R>(
    rows: &[R],
    table: &str,
    columns: &[Column],
    read: impl Fn(&R, usize, Kind) -> Result<Value, sqlx::Error>,
) -> anyhow::Result<Vec<Vec<Value>>> {
    rows.iter()
        .map(|row| {
            columns
                .iter()
                .enumerate()
                .map(|(at, column)| read(row, at, column.kind))
                .collect::<Result<Vec<_>, _>>()
                .with_context(|| format!("reading a row of {table}"))
        })
        .collect()
}

async fn insert(
    tx: &mut sqlx::Transaction<'_, Postgres>,
    table: &str,
    columns: &[Column],
    rows: &[Vec<Value>],
) -> anyhow::Result<()> {
    let mut query: QueryBuilder<Postgres> =
        QueryBuilder::new(format!("INSERT INTO {table} ({}) ", column_list(columns)));
    query.push_values(rows, |mut out, row| {
        for value in row {
            match value {
                Value::Integer(v) => out.push_bind(*v),
                Value::Flag(v) => out.push_bind(*v),
                Value::Text(v) => out.push_bind(v.clone()),
            };
        }
    });
    query
        .build()
        .execute(&mut **tx)
        .await
        .with_context(|| format!("copying rows into {table}"))?;
    Ok(())
}

/// SHA-256 over the rows in a canonical order: each value written with its kind and length,
/// so no two different tables of rows can read the same.
fn checksum(rows: &[Vec<Value>]) -> String {
    let mut lines: Vec<String> = rows
        .iter()
        .map(|row| {
            row.iter()
                .map(|value| match value {
                    Value::Integer(Some(v)) => format!("i{v};"),
                    Value::Flag(Some(v)) => format!("b{};", u8::from(*v)),
                    Value::Text(Some(v)) => format!("t{}:{v};", v.len()),
                    Value::Integer(None) | Value::Flag(None) | Value::Text(None) => "n;".into(),
                })
                .collect()
        })
        .collect();
    lines.sort_unstable();
    let mut hash = Sha256::new();
    for line in &lines {
        hash.update(line.as_bytes());
        hash.update(b"\n");
    }
    hash.finalize()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}
