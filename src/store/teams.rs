//! Which teams a member uses mentorbot in, and the team-wide aggregates a leader may see:
//! counts and shares only, never an entry or a named person's numbers.

use anyhow::Context;

use super::Store;
use crate::platform::Platform;

const WEEK: i64 = 7 * 24 * 3600;

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
#[derive(Clone, Debug, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct TeamChallenges {
    pub run: i64,
    pub joined: i64,
    pub completed: i64,
}

impl Store {
    /// Records that the member used mentorbot in this team (once; later calls change nothing).
    pub async fn seen_in_team(
        &self,
        member_id: i64,
        platform: Platform,
        workspace: &str,
        now: i64,
    ) -> anyhow::Result<()> {
        sqlx::query(
            "INSERT INTO member_teams (member_id, platform, workspace, first_seen)
             VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
        )
        .bind(member_id)
        .bind(platform)
        .bind(workspace)
        .bind(now)
        .execute(self.pool())
        .await
        .context("noting a member's team")?;
        Ok(())
    }

    /// The stages (as chosen, or none) of every member of the team.
    pub async fn team_stages(
        &self,
        platform: Platform,
        workspace: &str,
    ) -> anyhow::Result<Vec<Option<String>>> {
        sqlx::query_scalar(
            "SELECT m.stage FROM member_teams t JOIN members m ON m.id = t.member_id
             WHERE t.platform = $1 AND t.workspace = $2",
        )
        .bind(platform)
        .bind(workspace)
        .fetch_all(self.pool())
        .await
        .context("reading the team's stages")
    }

    /// The team's entries in the `weeks` weeks from `since`, with participation per week.
    pub async fn team_activity(
        &self,
        platform: Platform,
        workspace: &str,
        since: i64,
        weeks: i64,
    ) -> anyhow::Result<TeamActivity> {
        let (reflected, entries, leadership): (i64, i64, Option<i64>) = sqlx::query_as(
            "SELECT COUNT(DISTINCT r.member_id), COUNT(*), SUM(r.mode = 'leadership')
             FROM member_teams t JOIN reflections r ON r.member_id = t.member_id
             WHERE t.platform = $1 AND t.workspace = $2 AND r.created_at >= $3",
        )
        .bind(platform)
        .bind(workspace)
        .bind(since)
        .fetch_one(self.pool())
        .await
        .context("reading the team's entries")?;
        // Weeks counted back from `since + weeks`: 0 is the latest seven days.
        let until = since + weeks * WEEK;
        let weekly: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT ($4 - r.created_at) / 604800 AS ago, COUNT(DISTINCT r.member_id)
             FROM member_teams t JOIN reflections r ON r.member_id = t.member_id
             WHERE t.platform = $1 AND t.workspace = $2 AND r.created_at >= $3
               AND r.created_at <= $4
             GROUP BY ago",
        )
        .bind(platform)
        .bind(workspace)
        .bind(since)
        .bind(until)
        .fetch_all(self.pool())
        .await
        .context("reading the team's weeks")?;
        let mut per_week = vec![0; usize::try_from(weeks).unwrap_or(0)];
        let latest = per_week.len().saturating_sub(1);
        for (ago, members) in weekly {
            let slot = usize::try_from(ago)
                .ok()
                .and_then(|ago| latest.checked_sub(ago))
                .and_then(|index| per_week.get_mut(index));
            if let Some(slot) = slot {
                *slot = members;
            }
        }
        Ok(TeamActivity {
            reflected,
            entries,
            leadership_entries: leadership.unwrap_or(0),
            per_week,
        })
    }

    /// Challenges started in the team since `since`, with how many joined and completed.
    pub async fn team_challenges(
        &self,
        platform: Platform,
        workspace: &str,
        since: i64,
    ) -> anyhow::Result<TeamChallenges> {
        sqlx::query_as::<_, TeamChallenges>(
            "SELECT COUNT(DISTINCT c.id) AS run, COUNT(p.member_id) AS joined,
                 COUNT(p.completed_at) AS completed
             FROM challenges c LEFT JOIN challenge_participants p ON p.challenge_id = c.id
             WHERE c.platform = $1 AND c.workspace = $2 AND c.created_at >= $3",
        )
        .bind(platform)
        .bind(workspace)
        .bind(since)
        .fetch_one(self.pool())
        .await
        .context("reading the team's challenges")
    }
}
