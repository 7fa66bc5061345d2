//! The reflection prompt chosen for each member each week.

use anyhow::Context;

use super::{Store, on_pool};

pub(super) const CHOSEN_PROMPT_ANSWERED: &str =
    "SELECT w.prompt_id, EXISTS (SELECT 1 FROM reflections r WHERE r.member_id = w.member_id
         AND r.prompt_id = w.prompt_id AND r.created_at >= $3)
     FROM weekly_prompts w WHERE w.member_id = $1 AND w.week_start = $2";

impl Store {
    /// The prompt for `week_start`, choosing `proposed` if none was chosen yet.
    /// Returns the one stored, so two callers racing agree.
    pub async fn weekly_prompt(
        &self,
        member_id: i64,
        week_start: &str,
        proposed: &str,
    ) -> anyhow::Result<String> {
        on_pool!(self, pool => sqlx::query(
            "INSERT INTO weekly_prompts (member_id, week_start, prompt_id) VALUES ($1, $2, $3)
             ON CONFLICT (member_id, week_start) DO NOTHING",
        )
        .bind(member_id)
        .bind(week_start)
        .bind(proposed)
        .execute(pool)
        .await.map(|done| done.rows_affected()))
        .context("choosing this week's prompt")?;
        self.chosen_prompt(member_id, week_start)
            .await?
            .context("this week's prompt was just stored but cannot be read")
    }

    /// The prompt already chosen for `week_start`, if any.
    pub async fn chosen_prompt(
        &self,
        member_id: i64,
        week_start: &str,
    ) -> anyhow::Result<Option<String>> {
        on_pool!(self, pool => sqlx::query_scalar(
            "SELECT prompt_id FROM weekly_prompts WHERE member_id = $1 AND week_start = $2",
        )
        .bind(member_id)
        .bind(week_start)
        .fetch_optional(pool)
        .await)
        .context("reading this week's prompt")
    }

    /// The prompt chosen for `week_start`, if any, and whether the member has answered it since
    /// `since`: one read where `/reflect` would otherwise make two.
    pub async fn chosen_prompt_answered(
        &self,
        member_id: i64,
        week_start: &str,
        since: i64,
    ) -> anyhow::Result<Option<(String, bool)>> {
        on_pool!(self, pool => sqlx::query_as(CHOSEN_PROMPT_ANSWERED)
        .bind(member_id)
        .bind(week_start)
        .bind(since)
        .fetch_optional(pool)
        .await)
        .context("reading this week's prompt")
    }

    /// Every prompt the member has been given, oldest week first.
    pub async fn prompt_history(&self, member_id: i64) -> anyhow::Result<Vec<String>> {
        on_pool!(self, pool => sqlx::query_scalar(
            "SELECT prompt_id FROM weekly_prompts WHERE member_id = $1 ORDER BY week_start",
        )
        .bind(member_id)
        .fetch_all(pool)
        .await)
        .context("reading the prompt history")
    }
}
