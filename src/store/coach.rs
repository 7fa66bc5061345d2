//! The coach's tables: who opted in, what it wrote into a member's log, and the day's counts
//! (calls, tokens, latency; never text) that back the daily quota.

use anyhow::Context;

use super::columns::from_row;
use super::{Store, on_pool};

/// What the coach wrote, kept in the member's log so export and forget cover it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CoachNote {
    /// The log entry it is about, if any.
    pub entry: Option<i64>,
    /// `follow_up` (a question about the entry), `review` or `hat` (a second opinion).
    pub kind: String,
    pub text: String,
    pub created_at: i64,
}
from_row!(CoachNote: entry, kind, text, created_at);

/// One member's calls on one day.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CoachCall {
    pub failed: bool,
    pub prompt_tokens: i64,
    pub completion_tokens: i64,
    pub latency_ms: i64,
}

impl Store {
    pub async fn coach_enabled(&self, member_id: i64) -> anyhow::Result<bool> {
        let found: Option<i64> = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT member_id FROM coach_members WHERE member_id = $1",
        )
        .bind(member_id)
        .fetch_optional(pool)
        .await)
        .context("reading a member's coach setting")?;
        Ok(found.is_some())
    }

    pub async fn set_coach(&self, member_id: i64, on: bool, now: i64) -> anyhow::Result<()> {
        if on {
            on_pool!(self, pool => sqlx::query(
                "INSERT INTO coach_members (member_id, enabled_at) VALUES ($1, $2)
                 ON CONFLICT (member_id) DO NOTHING",
            )
            .bind(member_id)
            .bind(now)
            .execute(pool)
            .await.map(|done| done.rows_affected()))
        } else {
            on_pool!(self, pool => sqlx::query("DELETE FROM coach_members WHERE member_id = $1")
                .bind(member_id)
                .execute(pool)
                .await.map(|done| done.rows_affected()))
        }
        .context("changing a member's coach setting")?;
        Ok(())
    }

    pub async fn add_coach_note(
        &self,
        member_id: i64,
        entry: Option<i64>,
        kind: &str,
        text: &str,
        now: i64,
    ) -> anyhow::Result<()> {
        on_pool!(self, pool => sqlx::query(
            "INSERT INTO coach_notes (member_id, entry, kind, text, created_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(member_id)
        .bind(entry)
        .bind(kind)
        .bind(text)
        .bind(now)
        .execute(pool)
        .await.map(|done| done.rows_affected()))
        .context("saving a coach note")?;
        Ok(())
    }

    /// The latest note of `kind` about entry `entry`.
    pub async fn coach_note(
        &self,
        member_id: i64,
        entry: i64,
        kind: &str,
    ) -> anyhow::Result<Option<CoachNote>> {
        on_pool!(self, pool => sqlx::query_as::<_, CoachNote>(
            "SELECT entry, kind, text, created_at FROM coach_notes
             WHERE member_id = $1 AND entry = $2 AND kind = $3
             ORDER BY id DESC LIMIT 1",
        )
        .bind(member_id)
        .bind(entry)
        .bind(kind)
        .fetch_optional(pool)
        .await)
        .context("reading a coach note")
    }

    /// Every note, oldest first, for the export.
    pub async fn coach_notes(&self, member_id: i64) -> anyhow::Result<Vec<CoachNote>> {
        on_pool!(self, pool => sqlx::query_as::<_, CoachNote>(
            "SELECT entry, kind, text, created_at FROM coach_notes
             WHERE member_id = $1 ORDER BY id",
        )
        .bind(member_id)
        .fetch_all(pool)
        .await)
        .context("reading coach notes")
    }

    /// Calls the member made on `day` (YYYY-MM-DD, UTC), failed ones included.
    pub async fn coach_calls_on(&self, member_id: i64, day: &str) -> anyhow::Result<i64> {
        let calls: Option<i64> = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT calls FROM coach_usage WHERE member_id = $1 AND day = $2",
        )
        .bind(member_id)
        .bind(day)
        .fetch_optional(pool)
        .await)
        .context("reading a member's coach calls")?;
        Ok(calls.unwrap_or(0))
    }

    pub async fn count_coach_call(
        &self,
        member_id: i64,
        day: &str,
        call: CoachCall,
    ) -> anyhow::Result<()> {
        on_pool!(self, pool => sqlx::query(
            "INSERT INTO coach_usage
                 (member_id, day, calls, failures, prompt_tokens, completion_tokens, latency_ms)
             VALUES ($1, $2, 1, $3, $4, $5, $6)
             ON CONFLICT (member_id, day) DO UPDATE SET
                 calls = coach_usage.calls + 1,
                 failures = coach_usage.failures + excluded.failures,
                 prompt_tokens = coach_usage.prompt_tokens + excluded.prompt_tokens,
                 completion_tokens = coach_usage.completion_tokens + excluded.completion_tokens,
                 latency_ms = coach_usage.latency_ms + excluded.latency_ms",
        )
        .bind(member_id)
        .bind(day)
        .bind(i64::from(call.failed))
        .bind(call.prompt_tokens)
        .bind(call.completion_tokens)
        .bind(call.latency_ms)
        .execute(pool)
        .await.map(|done| done.rows_affected()))
        .context("counting a coach call")?;
        Ok(())
    }
}
