//! The development log: reflections, numbered per member, and counts by mode.

use anyhow::Context;

use rusqlite::types::ToSql;

use super::columns::from_row;
use super::direct;
use super::{Pool, Store, on_pool, read};
use crate::content::Mode;

/// Whether the member named the mode or mentorbot suggested it; stored as lowercase text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ModeSource {
    Stated,
    Suggested,
}

impl ModeSource {
    pub const ALL: [ModeSource; 2] = [ModeSource::Stated, ModeSource::Suggested];

    pub fn as_str(self) -> &'static str {
        match self {
            ModeSource::Stated => "stated",
            ModeSource::Suggested => "suggested",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize)]
pub struct Reflection {
    pub id: i64,
    pub member_id: i64,
    /// The entry number in the member's own log, starting at 1.
    pub number: i64,
    pub prompt_id: Option<String>,
    pub text: String,
    pub mode: Mode,
    pub mode_source: ModeSource,
    pub created_at: i64,
}
from_row!(Reflection: id, member_id, number, prompt_id, text, mode, mode_source, created_at);

/// A reflection about to be written.
#[derive(Clone, Debug)]
pub struct NewReflection<'a> {
    pub prompt_id: Option<&'a str>,
    pub text: &'a str,
    pub mode: Mode,
    pub mode_source: ModeSource,
    pub created_at: i64,
}

/// How many reflections of each mode.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ModeCounts {
    pub management: i64,
    pub leadership: i64,
}
from_row!(ModeCounts: management, leadership);

impl ModeCounts {
    pub fn total(&self) -> i64 {
        self.management + self.leadership
    }
}

pub(super) const LOG_PAGE: &str =
    "SELECT id, member_id, number, prompt_id, text, mode, mode_source, created_at
     FROM reflections WHERE member_id = $1 ORDER BY number DESC LIMIT $2 OFFSET $3";

pub(super) const MODES_SINCE: &str =
    "SELECT created_at, mode FROM reflections WHERE member_id = $1 AND created_at >= $2
     ORDER BY created_at";

pub(super) const MODE_COUNTS: &str =
    "SELECT CAST(COALESCE(SUM(CASE WHEN mode = 'management' THEN 1 ELSE 0 END), 0) AS BIGINT) AS management,
            CAST(COALESCE(SUM(CASE WHEN mode = 'leadership' THEN 1 ELSE 0 END), 0) AS BIGINT) AS leadership
     FROM reflections WHERE member_id = $1 AND created_at >= $2";

pub(super) const INSERT_REFLECTION: &str =
    "INSERT INTO reflections (member_id, number, prompt_id, text, mode, mode_source, created_at)
     SELECT $1, COALESCE(MAX(number), 0) + 1, $2, $3, $4, $5, $6
     FROM reflections WHERE member_id = $1
     RETURNING id, member_id, number, prompt_id, text, mode, mode_source, created_at";

impl Store {
    /// Writes one reflection with the member's next entry number; returns it once committed.
    pub async fn add_reflection(
        &self,
        member_id: i64,
        new: &NewReflection<'_>,
    ) -> anyhow::Result<Reflection> {
        // On PostgreSQL two writers for one member can pick the same next number; the loser
        // meets the unique key and takes the number after. (SQLite writes one at a time.)
        let mut tries = 0;
        loop {
            tries += 1;
            match self.insert_reflection(member_id, new).await {
                Err(error) if tries < 5 && is_unique_violation(&error) => continue,
                result => return result.context("saving a reflection"),
            }
        }
    }

    async fn insert_reflection(
        &self,
        member_id: i64,
        new: &NewReflection<'_>,
    ) -> anyhow::Result<Reflection> {
        if let Some(writer) = self.writer() {
            let (prompt_id, text) = (new.prompt_id.map(str::to_string), new.text.to_string());
            let (mode, mode_source, created_at) = (new.mode, new.mode_source, new.created_at);
            return writer
                .write(move |connection| {
                    let values: [&dyn ToSql; 6] = [
                        &member_id,
                        &prompt_id,
                        &text,
                        &mode,
                        &mode_source,
                        &created_at,
                    ];
                    direct::one_row::<Reflection>(connection, INSERT_REFLECTION, &values)
                })
                .await;
        }
        Ok(
            on_pool!(self, pool => sqlx::query_as::<_, Reflection>(INSERT_REFLECTION)
        .bind(member_id)
        .bind(new.prompt_id)
        .bind(new.text)
        .bind(new.mode)
        .bind(new.mode_source)
        .bind(new.created_at)
        .fetch_one(pool)
        .await)?,
        )
    }

    /// Writes many reflections for one member in a single transaction (imports, benchmarks).
    pub async fn add_reflections(
        &self,
        member_id: i64,
        entries: &[NewReflection<'_>],
    ) -> anyhow::Result<()> {
        on_pool!(self, pool => {
        let mut tx = pool.begin()
            .await
            .context("starting a bulk insert")?;
        let last: i64 = sqlx::query_scalar(
            "SELECT COALESCE(MAX(number), 0) FROM reflections WHERE member_id = $1",
        )
        .bind(member_id)
        .fetch_one(&mut *tx)
        .await
        .context("reading the last entry number")?;
        for (offset, new) in (1..).zip(entries) {
            sqlx::query(
                "INSERT INTO reflections (member_id, number, prompt_id, text, mode, mode_source, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(member_id)
            .bind(last + offset)
            .bind(new.prompt_id)
            .bind(new.text)
            .bind(new.mode)
            .bind(new.mode_source)
            .bind(new.created_at)
            .execute(&mut *tx)
            .await
            .context("saving a reflection in bulk")?;
        }
        tx.commit().await.context("committing a bulk insert")
        })
    }

    /// One page of the log, newest first.
    pub async fn reflections_page(
        &self,
        member_id: i64,
        limit: i64,
        offset: i64,
    ) -> anyhow::Result<Vec<Reflection>> {
        read!(self, all::<Reflection>(LOG_PAGE, member_id, limit, offset))
            .context("reading a page of the log")
    }

    /// The whole log, oldest first.
    ///
    /// sqlx's SQLite driver hands rows over from its worker thread one at a time (about 10 µs
    /// each on a small machine), so there a long log comes back as one JSON array built by
    /// SQLite: three times faster for a 10,000-entry export. PostgreSQL streams rows quickly.
    pub async fn all_reflections(&self, member_id: i64) -> anyhow::Result<Vec<Reflection>> {
        let pool = match self.pool() {
            Pool::Postgres(pool) => {
                return sqlx::query_as::<_, Reflection>(
                    "SELECT id, member_id, number, prompt_id, text, mode, mode_source, created_at
                     FROM reflections WHERE member_id = $1 ORDER BY number",
                )
                .bind(member_id)
                .fetch_all(pool)
                .await
                .context("reading the whole log");
            }
            Pool::Sqlite(pool) => pool,
        };
        let json: String = sqlx::query_scalar(
            "SELECT COALESCE(json_group_array(json_object(
                 'id', id, 'member_id', member_id, 'number', number, 'prompt_id', prompt_id,
                 'text', text, 'mode', mode, 'mode_source', mode_source, 'created_at', created_at)), '[]')
             FROM (SELECT * FROM reflections WHERE member_id = $1 ORDER BY number)",
        )
        .bind(member_id)
        .fetch_one(pool)
        .await
        .context("reading the whole log")?;
        serde_json::from_str(&json).context("decoding the whole log")
    }

    /// One entry of the member's log by its number.
    pub async fn reflection_by_number(
        &self,
        member_id: i64,
        number: i64,
    ) -> anyhow::Result<Option<Reflection>> {
        on_pool!(self, pool => sqlx::query_as::<_, Reflection>(
            "SELECT id, member_id, number, prompt_id, text, mode, mode_source, created_at
             FROM reflections WHERE member_id = $1 AND number = $2",
        )
        .bind(member_id)
        .bind(number)
        .fetch_optional(pool)
        .await)
        .context("reading one entry")
    }

    /// Reflections by mode written at or after `since` (Unix seconds).
    pub async fn mode_counts_since(
        &self,
        member_id: i64,
        since: i64,
    ) -> anyhow::Result<ModeCounts> {
        read!(self, one::<ModeCounts>(MODE_COUNTS, member_id, since))
            .context("counting reflections by mode")
    }
}

impl Store {
    /// The time and mode of each reflection written at or after `since`, oldest first.
    pub async fn modes_since(
        &self,
        member_id: i64,
        since: i64,
    ) -> anyhow::Result<Vec<(i64, Mode)>> {
        read!(self, all::<(i64, Mode)>(MODES_SINCE, member_id, since))
            .context("reading recent modes")
    }

    /// The member's latest answer to a prompt, if any.
    pub async fn latest_answer(
        &self,
        member_id: i64,
        prompt_id: &str,
    ) -> anyhow::Result<Option<Reflection>> {
        on_pool!(self, pool => sqlx::query_as::<_, Reflection>(
            "SELECT id, member_id, number, prompt_id, text, mode, mode_source, created_at
             FROM reflections WHERE member_id = $1 AND prompt_id = $2 ORDER BY number DESC LIMIT 1",
        )
        .bind(member_id)
        .bind(prompt_id)
        .fetch_optional(pool)
        .await)
        .context("reading an earlier answer")
    }

    /// Every prompt the member has answered.
    pub async fn answered_prompts(&self, member_id: i64) -> anyhow::Result<Vec<String>> {
        on_pool!(self, pool => sqlx::query_scalar("SELECT DISTINCT prompt_id FROM reflections WHERE member_id = $1 AND prompt_id IS NOT NULL")
            .bind(member_id)
            .fetch_all(pool)
            .await)
            .context("reading answered prompts")
    }
}

fn is_unique_violation(error: &anyhow::Error) -> bool {
    error
        .downcast_ref::<sqlx::Error>()
        .and_then(sqlx::Error::as_database_error)
        .is_some_and(|db| db.is_unique_violation())
}
