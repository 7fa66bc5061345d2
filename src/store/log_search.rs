//! The log as the web reads and changes it: search with filters, one entry, editing and
//! deleting it, and the challenges a member checked in to (for the filter).

use anyhow::Context;

use super::columns::from_row;
use super::{Store, on_pool};
use crate::content::Mode;

/// Which entries a log page shows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LogFilter {
    /// Every word must appear in the text (case-insensitive).
    pub words: Vec<String>,
    pub mode: Option<Mode>,
    /// Unix seconds, inclusive.
    pub from: Option<i64>,
    /// Unix seconds, exclusive.
    pub until: Option<i64>,
    pub about: Option<About>,
}

/// An entry's occasion: a prompt of the library, or a challenge it checked in to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum About {
    Prompt(String),
    Challenge(i64),
}

/// One entry as the web shows it: the reflection, and the challenge it checked in to, if any.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoggedEntry {
    pub reflection: super::Reflection,
    pub challenge: Option<String>,
}
from_row!(LoggedEntry: reflection = flatten, challenge);

/// A challenge the member checked in to: (id, title).
pub type CheckedChallenge = (i64, String);

const SELECTED: &str = "r.id, r.member_id, r.number, r.prompt_id, r.text, r.mode,
     r.mode_source, r.created_at, ch.title AS challenge";
const JOINED: &str = "FROM reflections r
     LEFT JOIN challenge_checkins c ON c.reflection_id = r.id
     LEFT JOIN challenges ch ON ch.id = c.challenge_id";

impl Store {
    /// One page of the member's entries that pass `filter`, newest first, and how many pass.
    pub async fn search_log(
        &self,
        member_id: i64,
        filter: &LogFilter,
        limit: i64,
        offset: i64,
    ) -> anyhow::Result<(Vec<LoggedEntry>, i64)> {
        let (condition, binds) = condition(filter);
        let count_sql = format!("SELECT COUNT(*) FROM reflections r WHERE {condition}");
        let page_sql = format!(
            "SELECT {SELECTED} {JOINED} WHERE {condition}
             ORDER BY r.number DESC LIMIT {limit} OFFSET {offset}"
        );
        // Two queries on two connections, side by side: the page stops after its rows, while
        // the count reads every match. (One query with `COUNT(*) OVER ()` was slower: it
        // carries every matching row's text to the end.)
        let count = async {
            on_pool!(self, pool => {
                let mut query = sqlx::query_scalar(sqlx::AssertSqlSafe(count_sql.as_str())).bind(member_id);
                for bind in &binds {
                    query = bind.apply_scalar(query);
                }
                query.fetch_one(pool).await
            })
            .context("counting log entries")
        };
        let page = async {
            on_pool!(self, pool => {
                let mut query = sqlx::query_as::<_, LoggedEntry>(sqlx::AssertSqlSafe(page_sql.as_str())).bind(member_id);
                for bind in &binds {
                    query = bind.apply(query);
                }
                query.fetch_all(pool).await
            })
            .context("searching the log")
        };
        let (matching, entries) = tokio::try_join!(count, page)?;
        Ok((entries, matching))
    }

    /// One of the member's entries by its row id; `None` for anyone else's.
    pub async fn logged_entry(
        &self,
        member_id: i64,
        id: i64,
    ) -> anyhow::Result<Option<LoggedEntry>> {
        let sql = format!("SELECT {SELECTED} {JOINED} WHERE r.member_id = $1 AND r.id = $2");
        on_pool!(self, pool => sqlx::query_as::<_, LoggedEntry>(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(member_id)
            .bind(id)
            .fetch_optional(pool)
            .await)
        .context("reading one entry")
    }

    /// Rewrites one of the member's entries; false when it is not theirs or gone.
    pub async fn edit_entry(
        &self,
        member_id: i64,
        id: i64,
        text: &str,
        mode: Mode,
    ) -> anyhow::Result<bool> {
        let done = on_pool!(self, pool => sqlx::query(
            "UPDATE reflections SET text = $3, mode = $4,
                 mode_source = CASE WHEN mode = $4 THEN mode_source ELSE 'stated' END
             WHERE member_id = $1 AND id = $2",
        )
        .bind(member_id)
        .bind(id)
        .bind(text)
        .bind(mode)
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))
        .context("editing an entry")?;
        Ok(done == 1)
    }

    /// Deletes one of the member's entries, with what the coach wrote about it; false when it
    /// is not theirs or gone. (Entry numbers can come back: the next entry takes the highest
    /// number plus one, so a note left behind would attach itself to a new entry.)
    pub async fn delete_entry(&self, member_id: i64, id: i64) -> anyhow::Result<bool> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "DELETE FROM coach_notes WHERE member_id = $1
                 AND entry = (SELECT number FROM reflections WHERE member_id = $1 AND id = $2)",
            )
            .bind(member_id)
            .bind(id)
            .execute(&mut *tx)
            .await?;
            let done = sqlx::query("DELETE FROM reflections WHERE member_id = $1 AND id = $2")
                .bind(member_id)
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            tx.commit().await?;
            Ok::<_, sqlx::Error>(done == 1)
        })
        .context("deleting an entry")
    }

    /// The challenges the member checked in to, for the log's filter.
    pub async fn checked_challenges(
        &self,
        member_id: i64,
    ) -> anyhow::Result<Vec<CheckedChallenge>> {
        on_pool!(self, pool => sqlx::query_as(
            "SELECT DISTINCT ch.id, ch.title FROM challenge_checkins c
             JOIN challenges ch ON ch.id = c.challenge_id
             WHERE c.member_id = $1 ORDER BY ch.id DESC",
        )
        .bind(member_id)
        .fetch_all(pool)
        .await)
        .context("reading the member's challenges")
    }
}

/// A value bound into the search's SQL after the member id ($1).
enum Bind {
    Text(String),
    Number(i64),
}

type Args<DB> = <DB as sqlx::Database>::Arguments;

impl Bind {
    fn apply<'q, DB, O>(
        &'q self,
        query: sqlx::query::QueryAs<'q, DB, O, Args<DB>>,
    ) -> sqlx::query::QueryAs<'q, DB, O, Args<DB>>
    where
        DB: sqlx::Database,
        String: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
        i64: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    {
        match self {
            Bind::Text(text) => query.bind(text.clone()),
            Bind::Number(number) => query.bind(*number),
        }
    }

    fn apply_scalar<'q, DB, O>(
        &'q self,
        query: sqlx::query::QueryScalar<'q, DB, O, Args<DB>>,
    ) -> sqlx::query::QueryScalar<'q, DB, O, Args<DB>>
    where
        DB: sqlx::Database,
        String: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
        i64: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    {
        match self {
            Bind::Text(text) => query.bind(text.clone()),
            Bind::Number(number) => query.bind(*number),
        }
    }
}

/// The WHERE clause for `filter` (with `$1` the member) and the values it binds, in order.
fn condition(filter: &LogFilter) -> (String, Vec<Bind>) {
    let mut parts = vec!["r.member_id = $1".to_string()];
    let mut binds = Vec::new();
    // Only placeholders and fixed text go into the SQL; every value is bound.
    let next = |bind: Bind, binds: &mut Vec<Bind>| {
        binds.push(bind);
        format!("${}", binds.len() + 1)
    };
    for word in &filter.words {
        let pattern = format!("%{}%", escape_like(&word.to_lowercase()));
        let at = next(Bind::Text(pattern), &mut binds);
        parts.push(format!("LOWER(r.text) LIKE {at} ESCAPE '\\'"));
    }
    if let Some(mode) = filter.mode {
        let at = next(Bind::Text(mode.as_str().to_string()), &mut binds);
        parts.push(format!("r.mode = {at}"));
    }
    if let Some(from) = filter.from {
        let at = next(Bind::Number(from), &mut binds);
        parts.push(format!("r.created_at >= {at}"));
    }
    if let Some(until) = filter.until {
        let at = next(Bind::Number(until), &mut binds);
        parts.push(format!("r.created_at < {at}"));
    }
    match &filter.about {
        Some(About::Prompt(id)) => {
            let at = next(Bind::Text(id.clone()), &mut binds);
            parts.push(format!("r.prompt_id = {at}"));
        }
        Some(About::Challenge(id)) => {
            let at = next(Bind::Number(*id), &mut binds);
            parts.push(format!(
                "r.id IN (SELECT reflection_id FROM challenge_checkins WHERE challenge_id = {at})"
            ));
        }
        None => {}
    }
    (parts.join(" AND "), binds)
}

/// Escapes LIKE's wildcards so a search for "50%" finds "50%".
fn escape_like(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}
