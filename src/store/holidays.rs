//! Team holidays: whole days (`YYYY-MM-DD`) on which a team's members are not nudged.

use anyhow::Context;

use super::columns::from_row;
use super::{Store, on_pool};
use crate::platform::Platform;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Holiday {
    pub first_day: String,
    pub last_day: String,
    pub name: String,
}
from_row!(Holiday: first_day, last_day, name);

impl Store {
    /// Adds a holiday, or renames and re-dates the one starting the same day.
    pub async fn add_holiday(
        &self,
        platform: Platform,
        workspace: &str,
        holiday: &Holiday,
        now: i64,
    ) -> anyhow::Result<()> {
        on_pool!(self, pool => sqlx::query(
            "INSERT INTO team_holidays (platform, workspace, first_day, last_day, name, created_at)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (platform, workspace, first_day)
             DO UPDATE SET last_day = excluded.last_day, name = excluded.name",
        )
        .bind(platform)
        .bind(workspace)
        .bind(&holiday.first_day)
        .bind(&holiday.last_day)
        .bind(&holiday.name)
        .bind(now)
        .execute(pool)
        .await.map(|done| done.rows_affected()))
        .context("adding a holiday")?;
        Ok(())
    }

    /// The team's holidays ending on or after `from_day`, soonest first.
    pub async fn holidays(
        &self,
        platform: Platform,
        workspace: &str,
        from_day: &str,
    ) -> anyhow::Result<Vec<Holiday>> {
        on_pool!(self, pool => sqlx::query_as::<_, Holiday>(
            "SELECT first_day, last_day, name FROM team_holidays
             WHERE platform = $1 AND workspace = $2 AND last_day >= $3 ORDER BY first_day",
        )
        .bind(platform)
        .bind(workspace)
        .bind(from_day)
        .fetch_all(pool)
        .await)
        .context("listing holidays")
    }

    /// Removes the holiday starting on `first_day`; returns false if there was none.
    pub async fn remove_holiday(
        &self,
        platform: Platform,
        workspace: &str,
        first_day: &str,
    ) -> anyhow::Result<bool> {
        let changed = on_pool!(self, pool => sqlx::query(
            "DELETE FROM team_holidays WHERE platform = $1 AND workspace = $2 AND first_day = $3",
        )
        .bind(platform)
        .bind(workspace)
        .bind(first_day)
        .execute(pool)
        .await.map(|done| done.rows_affected()))
        .context("removing a holiday")?;
        Ok(changed > 0)
    }

    /// The holidays of every team the member uses mentorbot in.
    pub async fn member_holidays(&self, member_id: i64) -> anyhow::Result<Vec<Holiday>> {
        on_pool!(self, pool => sqlx::query_as::<_, Holiday>(
            "SELECT h.first_day, h.last_day, h.name FROM team_holidays h
             JOIN member_teams t ON t.platform = h.platform AND t.workspace = h.workspace
             WHERE t.member_id = $1 ORDER BY h.first_day",
        )
        .bind(member_id)
        .fetch_all(pool)
        .await)
        .context("reading a member's holidays")
    }
}
