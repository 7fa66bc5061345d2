//! Nudge settings per member, their pause history, and team prompt channels.

use anyhow::Context;

use super::columns::from_row;
use super::direct;
use super::{Store, on_pool};
use crate::platform::Platform;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NudgeSettings {
    pub member_id: i64,
    /// ISO weekday, 1 = Monday.
    pub weekday: i64,
    pub minute_of_day: i64,
    pub timezone: String,
    pub enabled: bool,
    pub reminder: bool,
    pub paused_until: Option<i64>,
    pub timezone_asked: bool,
    pub unreachable_since: Option<i64>,
    pub unreachable_told: bool,
    pub updated_at: i64,
}
from_row!(NudgeSettings: member_id, weekday, minute_of_day, timezone, enabled, reminder,
    paused_until, timezone_asked, unreachable_since, unreachable_told, updated_at);

/// A member whose nudges the planner should schedule.
#[derive(Clone, Debug)]
pub struct PlannedMember {
    pub member_id: i64,
    pub platform: Platform,
    pub weekday: i64,
    pub minute_of_day: i64,
    pub timezone: String,
    pub paused_until: Option<i64>,
    pub updated_at: i64,
}
from_row!(PlannedMember: member_id, platform, weekday, minute_of_day, timezone, paused_until,
    updated_at);

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TeamPrompt {
    pub id: i64,
    pub platform: Platform,
    pub workspace: String,
    pub channel: String,
    pub weekday: i64,
    pub minute_of_day: i64,
    pub timezone: String,
    pub updated_at: i64,
}
from_row!(TeamPrompt: id, platform, workspace, channel, weekday, minute_of_day, timezone,
    updated_at);

/// A team question to set up.
#[derive(Clone, Debug)]
pub struct NewTeamPrompt<'a> {
    pub platform: Platform,
    pub workspace: &'a str,
    pub channel: &'a str,
    pub weekday: i64,
    pub minute_of_day: i64,
    pub timezone: &'a str,
}

const SETTINGS: &str = "SELECT member_id, weekday, minute_of_day, timezone, enabled, reminder, paused_until,
    timezone_asked, unreachable_since, unreachable_told, updated_at FROM nudge_settings WHERE member_id = $1";

impl Store {
    pub async fn nudge_settings(&self, member_id: i64) -> anyhow::Result<Option<NudgeSettings>> {
        on_pool!(self, pool => sqlx::query_as::<_, NudgeSettings>(SETTINGS)
            .bind(member_id)
            .fetch_optional(pool)
            .await)
        .context("reading nudge settings")
    }

    /// The member's settings, created with the defaults (Monday 09:30 UTC) on first use.
    pub async fn ensure_nudge_settings(
        &self,
        member_id: i64,
        now: i64,
    ) -> anyhow::Result<NudgeSettings> {
        on_pool!(self, pool => sqlx::query("INSERT INTO nudge_settings (member_id, updated_at) VALUES ($1, $2) ON CONFLICT (member_id) DO NOTHING")
            .bind(member_id)
            .bind(now)
            .execute(pool)
            .await.map(|done| done.rows_affected()))
            .context("creating nudge settings")?;
        on_pool!(self, pool => sqlx::query_as::<_, NudgeSettings>(SETTINGS)
            .bind(member_id)
            .fetch_one(pool)
            .await)
        .context("reading nudge settings")
    }

    /// A new day, time and time zone; turns nudges on and clears any pause.
    pub async fn set_nudge_schedule(
        &self,
        member_id: i64,
        weekday: i64,
        minute_of_day: i64,
        timezone: &str,
        now: i64,
    ) -> anyhow::Result<()> {
        on_pool!(self, pool => sqlx::query(
            "UPDATE nudge_settings SET weekday = $2, minute_of_day = $3, timezone = $4, enabled = TRUE,
                 paused_until = NULL, timezone_asked = TRUE, updated_at = $5 WHERE member_id = $1",
        )
        .bind(member_id)
        .bind(weekday)
        .bind(minute_of_day)
        .bind(timezone)
        .bind(now)
        .execute(pool)
        .await.map(|done| done.rows_affected()))
        .context("saving the nudge schedule")?;
        Ok(())
    }

    pub async fn set_nudges_enabled(
        &self,
        member_id: i64,
        enabled: bool,
        now: i64,
    ) -> anyhow::Result<()> {
        on_pool!(self, pool => sqlx::query(
            "UPDATE nudge_settings SET enabled = $2, paused_until = NULL, unreachable_since = NULL,
                 unreachable_told = FALSE, updated_at = $3 WHERE member_id = $1",
        )
        .bind(member_id)
        .bind(enabled)
        .bind(now)
        .execute(pool)
        .await.map(|done| done.rows_affected()))
        .context("turning nudges on or off")?;
        Ok(())
    }

    pub async fn set_reminder(&self, member_id: i64, reminder: bool) -> anyhow::Result<()> {
        on_pool!(self, pool => sqlx::query("UPDATE nudge_settings SET reminder = $2 WHERE member_id = $1")
            .bind(member_id)
            .bind(reminder)
            .execute(pool)
            .await.map(|done| done.rows_affected()))
            .context("turning the reminder on or off")?;
        Ok(())
    }

    /// Pauses nudges from `now` until `until`, remembering the pause for streaks.
    pub async fn pause_nudges(&self, member_id: i64, now: i64, until: i64) -> anyhow::Result<()> {
        on_pool!(self, pool => {
        let mut tx = pool.begin().await.context("starting a pause")?;
        sqlx::query(
            "UPDATE nudge_settings SET paused_until = $2, updated_at = $3 WHERE member_id = $1",
        )
        .bind(member_id)
        .bind(until)
        .bind(now)
        .execute(&mut *tx)
        .await
        .context("pausing nudges")?;
        sqlx::query("INSERT INTO nudge_pauses (member_id, starts_at, ends_at) VALUES ($1, $2, $3)")
            .bind(member_id)
            .bind(now)
            .bind(until)
            .execute(&mut *tx)
            .await
            .context("recording a pause")?;
        tx.commit().await.context("committing a pause")
        })
    }

    /// Ends a pause early.
    pub async fn resume_nudges(&self, member_id: i64, now: i64) -> anyhow::Result<()> {
        on_pool!(self, pool => {
        let mut tx = pool.begin().await.context("starting a resume")?;
        sqlx::query("UPDATE nudge_pauses SET ends_at = $2 WHERE member_id = $1 AND ends_at > $2")
            .bind(member_id)
            .bind(now)
            .execute(&mut *tx)
            .await
            .context("ending a pause")?;
        sqlx::query(
            "UPDATE nudge_settings SET enabled = TRUE, paused_until = NULL, unreachable_since = NULL,
                 unreachable_told = FALSE, updated_at = $2 WHERE member_id = $1",
        )
        .bind(member_id)
        .bind(now)
        .execute(&mut *tx)
        .await
        .context("resuming nudges")?;
        tx.commit().await.context("committing a resume")
        })
    }

    /// Creates the default settings for a member being told about them now; returns false if
    /// the member already had settings.
    pub async fn create_nudge_settings_told(
        &self,
        member_id: i64,
        now: i64,
    ) -> anyhow::Result<bool> {
        const CREATE: &str = "INSERT INTO nudge_settings (member_id, timezone_asked, updated_at)
             VALUES ($1, TRUE, $2) ON CONFLICT (member_id) DO NOTHING";
        let changed = match self.writer() {
            Some(writer) => {
                writer
                    .write(move |connection| {
                        let changed = direct::execute(connection, CREATE, &[&member_id, &now])?;
                        Ok(changed as u64)
                    })
                    .await
            }
            None => Ok(on_pool!(self, pool => sqlx::query(CREATE)
                .bind(member_id)
                .bind(now)
                .execute(pool)
                .await.map(|done| done.rows_affected()))?),
        }
        .context("creating nudge settings")?;
        Ok(changed == 1)
    }

    /// Creates a member's settings in their platform's time zone, not yet told about; does
    /// nothing if they already have settings.
    pub async fn create_nudge_settings_in_zone(
        &self,
        member_id: i64,
        timezone: &str,
        now: i64,
    ) -> anyhow::Result<()> {
        on_pool!(self, pool => sqlx::query(
            "INSERT INTO nudge_settings (member_id, timezone, updated_at) VALUES ($1, $2, $3)
             ON CONFLICT (member_id) DO NOTHING",
        )
        .bind(member_id)
        .bind(timezone)
        .bind(now)
        .execute(pool)
        .await.map(|done| done.rows_affected()))
        .context("creating nudge settings")?;
        Ok(())
    }

    pub async fn mark_timezone_asked(&self, member_id: i64) -> anyhow::Result<()> {
        on_pool!(self, pool => sqlx::query("UPDATE nudge_settings SET timezone_asked = TRUE WHERE member_id = $1")
            .bind(member_id)
            .execute(pool)
            .await.map(|done| done.rows_affected()))
            .context("noting the time zone question")?;
        Ok(())
    }

    pub async fn mark_unreachable(&self, member_id: i64, now: i64) -> anyhow::Result<()> {
        on_pool!(self, pool => sqlx::query("UPDATE nudge_settings SET unreachable_since = $2, unreachable_told = FALSE WHERE member_id = $1")
            .bind(member_id)
            .bind(now)
            .execute(pool)
            .await.map(|done| done.rows_affected()))
            .context("marking a member unreachable")?;
        Ok(())
    }

    pub async fn mark_unreachable_told(&self, member_id: i64) -> anyhow::Result<()> {
        on_pool!(self, pool => sqlx::query("UPDATE nudge_settings SET unreachable_told = TRUE WHERE member_id = $1")
            .bind(member_id)
            .execute(pool)
            .await.map(|done| done.rows_affected()))
            .context("noting the unreachable notice")?;
        Ok(())
    }

    /// Members whose nudges are on and who can be reached.
    pub async fn members_to_nudge(&self) -> anyhow::Result<Vec<PlannedMember>> {
        on_pool!(self, pool => sqlx::query_as::<_, PlannedMember>(
            "SELECT s.member_id, m.platform, s.weekday, s.minute_of_day, s.timezone, s.paused_until, s.updated_at
             FROM nudge_settings s JOIN members m ON m.id = s.member_id
             WHERE s.enabled = TRUE AND s.unreachable_since IS NULL",
        )
        .fetch_all(pool)
        .await)
        .context("listing members to nudge")
    }

    /// Sets (or replaces) a workspace's weekly team question; returns it as stored.
    pub async fn set_team_prompt(
        &self,
        team: &NewTeamPrompt<'_>,
        now: i64,
    ) -> anyhow::Result<TeamPrompt> {
        on_pool!(self, pool => sqlx::query_as::<_, TeamPrompt>(
            "INSERT INTO team_prompts (platform, workspace, channel, weekday, minute_of_day, timezone, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (platform, workspace) DO UPDATE SET channel = excluded.channel, weekday = excluded.weekday,
                 minute_of_day = excluded.minute_of_day, timezone = excluded.timezone, updated_at = excluded.updated_at
             RETURNING id, platform, workspace, channel, weekday, minute_of_day, timezone, updated_at",
        )
        .bind(team.platform)
        .bind(team.workspace)
        .bind(team.channel)
        .bind(team.weekday)
        .bind(team.minute_of_day)
        .bind(team.timezone)
        .bind(now)
        .fetch_one(pool)
        .await)
        .context("saving the team prompt")
    }

    /// The team question of one workspace, if it has one.
    pub async fn team_prompt_in(
        &self,
        platform: Platform,
        workspace: &str,
    ) -> anyhow::Result<Option<TeamPrompt>> {
        on_pool!(self, pool => sqlx::query_as::<_, TeamPrompt>(
            "SELECT id, platform, workspace, channel, weekday, minute_of_day, timezone, updated_at
             FROM team_prompts WHERE platform = $1 AND workspace = $2",
        )
        .bind(platform)
        .bind(workspace)
        .fetch_optional(pool)
        .await)
        .context("reading a workspace's team prompt")
    }

    /// Removes a workspace's team prompt (its pending posts go with it); returns whether one existed.
    pub async fn remove_team_prompt(
        &self,
        platform: Platform,
        workspace: &str,
    ) -> anyhow::Result<bool> {
        let changed = on_pool!(self, pool => sqlx::query("DELETE FROM team_prompts WHERE platform = $1 AND workspace = $2")
            .bind(platform)
            .bind(workspace)
            .execute(pool)
            .await.map(|done| done.rows_affected()))
            .context("removing the team prompt")?;
        Ok(changed > 0)
    }

    pub async fn team_prompts(&self) -> anyhow::Result<Vec<TeamPrompt>> {
        on_pool!(self, pool => sqlx::query_as::<_, TeamPrompt>(
            "SELECT id, platform, workspace, channel, weekday, minute_of_day, timezone, updated_at FROM team_prompts",
        )
        .fetch_all(pool)
        .await)
        .context("listing team prompts")
    }

    pub async fn team_prompt(&self, id: i64) -> anyhow::Result<Option<TeamPrompt>> {
        on_pool!(self, pool => sqlx::query_as::<_, TeamPrompt>(
            "SELECT id, platform, workspace, channel, weekday, minute_of_day, timezone, updated_at
             FROM team_prompts WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(pool)
        .await)
        .context("reading a team prompt")
    }
}
