//! The reflection prompt chosen for each member each week.

use anyhow::Context;

use super::columns::from_row;
use super::members::member_columns;
use super::{Member, Store, on_pool, read};
use crate::platform::Platform;

pub(super) const CHOSEN_PROMPT_ANSWERED: &str =
    "SELECT w.prompt_id, EXISTS (SELECT 1 FROM reflections r WHERE r.member_id = w.member_id
         AND r.prompt_id = w.prompt_id AND r.created_at >= $3)
     FROM weekly_prompts w WHERE w.member_id = $1 AND w.week_start = $2";

/// The member (as `FIND_MEMBER` reads them) with the prompt chosen for either of two weeks, and
/// when that prompt was last answered since `$6`: a row per week with a prompt, or one row with
/// no week.
pub(super) const FIND_MEMBER_WITH_PROMPTS: &str = concat!(
    "SELECT ",
    member_columns!(),
    ", w.week_start, w.prompt_id,
       (SELECT MAX(r.created_at) FROM reflections r WHERE r.member_id = m.id
           AND r.prompt_id = w.prompt_id AND r.created_at >= $6) AS answered_at
     FROM members m LEFT JOIN nudge_settings s ON s.member_id = m.id
     LEFT JOIN weekly_prompts w ON w.member_id = m.id AND w.week_start IN ($4, $5)
     WHERE m.platform = $1 AND m.workspace = $2 AND m.user_id = $3"
);

/// The prompt a member was given for a week, and when they last answered it (within the
/// period asked about).
#[derive(Clone, Debug)]
pub struct WeekPrompt {
    pub week_start: String,
    pub prompt_id: String,
    pub answered_at: Option<i64>,
}

struct MemberWeekRow {
    member: Member,
    week_start: Option<String>,
    prompt_id: Option<String>,
    answered_at: Option<i64>,
}
from_row!(MemberWeekRow: member = flatten, week_start, prompt_id, answered_at);

impl Store {
    /// The member as `find_member` reads them, with the prompts chosen for `weeks` and when each
    /// was last answered since `since`: what `/reflect` needs in one read, before it knows the
    /// member's zone and so their week.
    pub async fn find_member_with_prompts(
        &self,
        platform: Platform,
        workspace: &str,
        user: &str,
        weeks: [&str; 2],
        since: i64,
    ) -> anyhow::Result<Option<(Member, Vec<WeekPrompt>)>> {
        let rows = read!(
            self,
            all::<MemberWeekRow>(
                FIND_MEMBER_WITH_PROMPTS,
                platform,
                workspace,
                user,
                weeks[0],
                weeks[1],
                since
            )
        )
        .context("looking up a member and their weekly prompt")?;
        let mut chosen = Vec::new();
        let mut member = None;
        for row in rows {
            if let (Some(week_start), Some(prompt_id)) = (row.week_start, row.prompt_id) {
                chosen.push(WeekPrompt {
                    week_start,
                    prompt_id,
                    answered_at: row.answered_at,
                });
            }
            member = Some(row.member);
        }
        Ok(member.map(|member| (member, chosen)))
    }

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
    /// `since`, for a member already read (showing the prompt; `/reflect` reads both with the
    /// member in `find_member_with_prompts`).
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
