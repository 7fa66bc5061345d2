//! Which teams a member uses mentorbot in, and the team-wide aggregates a leader may see:
//! counts and shares only, never an entry or a named person's numbers.

use anyhow::Context;

use rusqlite::types::ToSql;

use super::columns::from_row;
use super::direct;
use super::writer::Durability;
use super::{Store, on_pool};
use crate::platform::Platform;

/// The week (Monday 00:00 UTC to the next) a moment falls in, as the triggers count it.
fn week_of(at: i64) -> i64 {
    (at + 3 * 24 * 3600) / (7 * 24 * 3600)
}

/// A team's activity since a moment, summed over its members.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TeamActivity {
    /// Distinct members who wrote at least one entry.
    pub reflected: i64,
    pub entries: i64,
    pub leadership_entries: i64,
    /// Distinct members who wrote, per week since the start (index 0 is the oldest week).
    pub per_week: Vec<i64>,
}

/// A team's challenges since a moment.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TeamChallenges {
    pub run: i64,
    pub joined: i64,
    pub completed: i64,
}
from_row!(TeamChallenges: run, joined, completed);

impl Store {
    /// Records that the member used mentorbot in this team (once; later calls change nothing).
    /// On SQLite through the group-committing writer: it comes with a new member's first
    /// command, and a second writer beside that one waits for its lock. `Committed` suits the
    /// note a front end makes again after every start; a choice that depends on it (mentoring)
    /// waits for the disk.
    pub async fn seen_in_team(
        &self,
        member_id: i64,
        platform: Platform,
        workspace: &str,
        now: i64,
        durability: Durability,
    ) -> anyhow::Result<()> {
        const NOTE: &str = "INSERT INTO member_teams (member_id, platform, workspace, first_seen)
             VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING";
        match self.writer() {
            Some(writer) => {
                let workspace = workspace.to_string();
                writer
                    .write_with(durability, move |connection| {
                        let values: [&dyn ToSql; 4] = [&member_id, &platform, &workspace, &now];
                        direct::execute(connection, NOTE, &values).map(|changed| changed as u64)
                    })
                    .await
            }
            None => Ok(on_pool!(self, pool => sqlx::query(NOTE)
                .bind(member_id)
                .bind(platform)
                .bind(workspace)
                .bind(now)
                .execute(pool)
                .await.map(|done| done.rows_affected()))?),
        }
        .context("noting a member's team")?;
        Ok(())
    }

    /// Sets (or with `None` clears) the role or user group whose members lead the team.
    pub async fn set_leader_group(
        &self,
        platform: Platform,
        workspace: &str,
        group: Option<&str>,
    ) -> anyhow::Result<()> {
        let sql = match group {
            Some(_) => {
                "INSERT INTO team_leaders (platform, workspace, leader_group) VALUES ($1, $2, $3)
                 ON CONFLICT (platform, workspace) DO UPDATE SET leader_group = excluded.leader_group"
            }
            None => "DELETE FROM team_leaders WHERE platform = $1 AND workspace = $2 AND $3 IS NULL",
        };
        on_pool!(self, pool => sqlx::query(sql)
            .bind(platform)
            .bind(workspace)
            .bind(group)
            .execute(pool)
            .await.map(|done| done.rows_affected()))
        .context("saving the team's leaders")?;
        Ok(())
    }

    pub async fn leader_group(
        &self,
        platform: Platform,
        workspace: &str,
    ) -> anyhow::Result<Option<String>> {
        on_pool!(self, pool => sqlx::query_scalar(
            "SELECT leader_group FROM team_leaders WHERE platform = $1 AND workspace = $2",
        )
        .bind(platform)
        .bind(workspace)
        .fetch_optional(pool)
        .await)
        .context("reading the team's leaders")
    }

    /// The stages (as chosen, or none) of every member of the team.
    pub async fn team_stages(
        &self,
        platform: Platform,
        workspace: &str,
    ) -> anyhow::Result<Vec<Option<String>>> {
        on_pool!(self, pool => sqlx::query_scalar(
            "SELECT m.stage FROM member_teams t JOIN members m ON m.id = t.member_id
             WHERE t.platform = $1 AND t.workspace = $2",
        )
        .bind(platform)
        .bind(workspace)
        .fetch_all(pool)
        .await)
        .context("reading the team's stages")
    }

    /// The team's entries in the last `long` weeks up to `until` (this week included), and
    /// in the last `short` of them, with participation per week over the long span. Reads
    /// the per-week sums the triggers keep, a few rows per member. (PostgreSQL sums BIGINTs into
    /// NUMERIC, hence the casts back.)
    pub async fn team_activity(
        &self,
        platform: Platform,
        workspace: &str,
        until: i64,
        short: i64,
        long: i64,
    ) -> anyhow::Result<(TeamActivity, TeamActivity)> {
        let this_week = week_of(until);
        let long_since = this_week - (long - 1);
        let short_since = this_week - (short - 1);
        type Sums = (i64, Option<i64>, Option<i64>, i64, Option<i64>, Option<i64>);
        let (short_reflected, short_entries, short_leadership, reflected, entries, leadership): Sums =
            on_pool!(self, pool => sqlx::query_as(
                "SELECT COUNT(DISTINCT CASE WHEN w.week >= $4 THEN w.member_id END),
                     CAST(SUM(CASE WHEN w.week >= $4 THEN w.management + w.leadership END) AS BIGINT),
                     CAST(SUM(CASE WHEN w.week >= $4 THEN w.leadership END) AS BIGINT),
                     COUNT(DISTINCT w.member_id),
                     CAST(SUM(w.management + w.leadership) AS BIGINT), CAST(SUM(w.leadership) AS BIGINT)
                 FROM member_teams t JOIN weekly_mix w ON w.member_id = t.member_id
                 WHERE t.platform = $1 AND t.workspace = $2 AND w.week >= $3 AND w.week <= $5
                   AND w.management + w.leadership > 0",
            )
            .bind(platform)
            .bind(workspace)
            .bind(long_since)
            .bind(short_since)
            .bind(this_week)
            .fetch_one(pool)
            .await)
            .context("reading the team's entries")?;
        let weekly: Vec<(i64, i64)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT w.week, COUNT(*)
             FROM member_teams t JOIN weekly_mix w ON w.member_id = t.member_id
             WHERE t.platform = $1 AND t.workspace = $2 AND w.week >= $3 AND w.week <= $4
               AND w.management + w.leadership > 0
             GROUP BY w.week",
        )
        .bind(platform)
        .bind(workspace)
        .bind(long_since)
        .bind(this_week)
        .fetch_all(pool)
        .await)
        .context("reading the team's weeks")?;
        let per_week = |weeks: i64| {
            let first = this_week - (weeks - 1);
            let mut counts = vec![0; usize::try_from(weeks).unwrap_or(0)];
            for &(week, members) in &weekly {
                let slot = usize::try_from(week - first)
                    .ok()
                    .and_then(|index| counts.get_mut(index));
                if let Some(slot) = slot {
                    *slot = members;
                }
            }
            counts
        };
        Ok((
            TeamActivity {
                reflected: short_reflected,
                entries: short_entries.unwrap_or(0),
                leadership_entries: short_leadership.unwrap_or(0),
                per_week: per_week(short),
            },
            TeamActivity {
                reflected,
                entries: entries.unwrap_or(0),
                leadership_entries: leadership.unwrap_or(0),
                per_week: per_week(long),
            },
        ))
    }

    /// Challenges started in the team since `since`, with how many joined and completed.
    pub async fn team_challenges(
        &self,
        platform: Platform,
        workspace: &str,
        since: i64,
    ) -> anyhow::Result<TeamChallenges> {
        on_pool!(self, pool => sqlx::query_as::<_, TeamChallenges>(
            "SELECT COUNT(DISTINCT c.id) AS run, COUNT(p.member_id) AS joined,
                 COUNT(p.completed_at) AS completed
             FROM challenges c LEFT JOIN challenge_participants p ON p.challenge_id = c.id
             WHERE c.platform = $1 AND c.workspace = $2 AND c.created_at >= $3",
        )
        .bind(platform)
        .bind(workspace)
        .bind(since)
        .fetch_one(pool)
        .await)
        .context("reading the team's challenges")
    }
}
