//! Team challenges: the challenge itself, who joined, their check-ins (each linked to an entry
//! in the member's own log), and who completed it.

use anyhow::Context;

use super::columns::from_row;
use super::{Store, on_pool};
use crate::platform::Platform;

#[derive(Clone, Debug)]
pub struct Challenge {
    pub id: i64,
    pub platform: Platform,
    pub workspace: String,
    pub channel: String,
    pub library_id: Option<String>,
    pub title: String,
    pub goal: String,
    pub check_in: String,
    pub done_when: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub ended_at: Option<i64>,
    pub created_at: i64,
}
from_row!(Challenge: id, platform, workspace, channel, library_id, title, goal, check_in, done_when,
    starts_at, ends_at, ended_at, created_at);

impl Challenge {
    /// When the challenge stops taking check-ins: its end, or when a leader ended it.
    pub fn closes_at(&self) -> i64 {
        self.ended_at.unwrap_or(self.ends_at).min(self.ends_at)
    }

    /// Half-way between start and end: when participants without a check-in are reminded.
    pub fn midpoint(&self) -> i64 {
        self.starts_at + (self.ends_at - self.starts_at) / 2
    }
}

pub struct NewChallenge<'a> {
    pub platform: Platform,
    pub workspace: &'a str,
    pub channel: &'a str,
    pub library_id: Option<&'a str>,
    pub title: &'a str,
    pub goal: &'a str,
    pub check_in: &'a str,
    pub done_when: &'a str,
    pub starts_at: i64,
    pub ends_at: i64,
}

/// One participant as the board shows them: a name and counts, never what they wrote.
#[derive(Clone, Debug)]
pub struct BoardRow {
    pub member_id: i64,
    pub name: String,
    pub check_ins: i64,
    pub completed: bool,
    pub left: bool,
}
from_row!(BoardRow: member_id, name, check_ins, completed, left);

/// A check-in its author chose to share with the team.
#[derive(Clone, Debug)]
pub struct SharedCheckIn {
    pub name: String,
    pub text: String,
    pub created_at: i64,
}
from_row!(SharedCheckIn: name, text, created_at);

const COLUMNS: &str = "id, platform, workspace, channel, library_id, title, goal, check_in, \
    done_when, starts_at, ends_at, ended_at, created_at";

impl Store {
    pub async fn create_challenge(
        &self,
        new: &NewChallenge<'_>,
        now: i64,
    ) -> anyhow::Result<Challenge> {
        let sql = format!(
            "INSERT INTO challenges (platform, workspace, channel, library_id, title, goal,
                 check_in, done_when, starts_at, ends_at, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING {COLUMNS}"
        );
        on_pool!(self, pool => sqlx::query_as::<_, Challenge>(sqlx::AssertSqlSafe(sql))
            .bind(new.platform)
            .bind(new.workspace)
            .bind(new.channel)
            .bind(new.library_id)
            .bind(new.title)
            .bind(new.goal)
            .bind(new.check_in)
            .bind(new.done_when)
            .bind(new.starts_at)
            .bind(new.ends_at)
            .bind(now)
            .fetch_one(pool)
            .await)
        .context("starting a challenge")
    }

    pub async fn challenge(&self, id: i64) -> anyhow::Result<Option<Challenge>> {
        let sql = format!("SELECT {COLUMNS} FROM challenges WHERE id = $1");
        on_pool!(self, pool => sqlx::query_as::<_, Challenge>(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(pool)
            .await)
        .context("reading a challenge")
    }

    /// The workspace's challenges still taking check-ins at `now`, soonest end first.
    pub async fn open_challenges(
        &self,
        platform: Platform,
        workspace: &str,
        now: i64,
    ) -> anyhow::Result<Vec<Challenge>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM challenges
             WHERE platform = $1 AND workspace = $2 AND ended_at IS NULL AND ends_at > $3
             ORDER BY ends_at, id"
        );
        on_pool!(self, pool => sqlx::query_as::<_, Challenge>(sqlx::AssertSqlSafe(sql))
            .bind(platform)
            .bind(workspace)
            .bind(now)
            .fetch_all(pool)
            .await)
        .context("listing challenges")
    }

    /// Challenges whose reminders may still be due: not ended, mid-point after `since`.
    pub async fn challenges_to_remind(&self, since: i64) -> anyhow::Result<Vec<Challenge>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM challenges
             WHERE ended_at IS NULL AND starts_at + (ends_at - starts_at) / 2 >= $1"
        );
        on_pool!(self, pool => sqlx::query_as::<_, Challenge>(sqlx::AssertSqlSafe(sql))
            .bind(since)
            .fetch_all(pool)
            .await)
        .context("listing challenges to remind")
    }

    /// The members taking part (joined and not left).
    pub async fn challenge_participants(&self, challenge: i64) -> anyhow::Result<Vec<i64>> {
        on_pool!(self, pool => sqlx::query_scalar(
            "SELECT member_id FROM challenge_participants
             WHERE challenge_id = $1 AND left_at IS NULL ORDER BY member_id",
        )
        .bind(challenge)
        .fetch_all(pool)
        .await)
        .context("listing participants")
    }

    /// Joins (or re-joins after leaving); returns false if already in.
    pub async fn join_challenge(
        &self,
        challenge: i64,
        member: i64,
        now: i64,
    ) -> anyhow::Result<bool> {
        let changed = on_pool!(self, pool => sqlx::query(
            "INSERT INTO challenge_participants (challenge_id, member_id, joined_at)
             VALUES ($1, $2, $3)
             ON CONFLICT (challenge_id, member_id) DO UPDATE SET left_at = NULL, joined_at = $3
             WHERE challenge_participants.left_at IS NOT NULL",
        )
        .bind(challenge)
        .bind(member)
        .bind(now)
        .execute(pool)
        .await.map(|done| done.rows_affected()))
        .context("joining a challenge")?;
        Ok(changed == 1)
    }

    /// Leaves; returns false if not in it.
    pub async fn leave_challenge(
        &self,
        challenge: i64,
        member: i64,
        now: i64,
    ) -> anyhow::Result<bool> {
        let changed = on_pool!(self, pool => sqlx::query(
            "UPDATE challenge_participants SET left_at = $3
             WHERE challenge_id = $1 AND member_id = $2 AND left_at IS NULL",
        )
        .bind(challenge)
        .bind(member)
        .bind(now)
        .execute(pool)
        .await.map(|done| done.rows_affected()))
        .context("leaving a challenge")?;
        Ok(changed == 1)
    }

    /// True if the member is taking part (joined and not left).
    pub async fn is_participant(&self, challenge: i64, member: i64) -> anyhow::Result<bool> {
        let found: Option<i64> = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT 1 FROM challenge_participants
             WHERE challenge_id = $1 AND member_id = $2 AND left_at IS NULL",
        )
        .bind(challenge)
        .bind(member)
        .fetch_optional(pool)
        .await)
        .context("checking a participant")?;
        Ok(found.is_some())
    }

    /// The open challenges in the workspace the member takes part in.
    pub async fn challenges_joined(
        &self,
        platform: Platform,
        workspace: &str,
        member: i64,
        now: i64,
    ) -> anyhow::Result<Vec<i64>> {
        on_pool!(self, pool => sqlx::query_scalar(
            "SELECT c.id FROM challenges c
             JOIN challenge_participants p ON p.challenge_id = c.id
             WHERE c.platform = $1 AND c.workspace = $2 AND p.member_id = $3 AND p.left_at IS NULL
               AND c.ended_at IS NULL AND c.ends_at > $4
             ORDER BY c.ends_at, c.id",
        )
        .bind(platform)
        .bind(workspace)
        .bind(member)
        .bind(now)
        .fetch_all(pool)
        .await)
        .context("listing a member's challenges")
    }

    /// Records a check-in linked to the log entry that holds its text.
    pub async fn add_check_in(
        &self,
        challenge: i64,
        member: i64,
        reflection: i64,
        shared: bool,
        now: i64,
    ) -> anyhow::Result<()> {
        on_pool!(self, pool => sqlx::query(
            "INSERT INTO challenge_checkins (challenge_id, member_id, reflection_id, shared, created_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(challenge)
        .bind(member)
        .bind(reflection)
        .bind(shared)
        .bind(now)
        .execute(pool)
        .await.map(|done| done.rows_affected()))
        .context("recording a check-in")?;
        Ok(())
    }

    /// When the member last checked in to the challenge.
    pub async fn last_check_in(&self, challenge: i64, member: i64) -> anyhow::Result<Option<i64>> {
        on_pool!(self, pool => sqlx::query_scalar(
            "SELECT MAX(created_at) FROM challenge_checkins WHERE challenge_id = $1 AND member_id = $2",
        )
        .bind(challenge)
        .bind(member)
        .fetch_one(pool)
        .await)
        .context("reading the last check-in")
    }

    /// Marks the challenge done for the member; returns false if it already was.
    pub async fn complete_challenge(
        &self,
        challenge: i64,
        member: i64,
        now: i64,
    ) -> anyhow::Result<bool> {
        let changed = on_pool!(self, pool => sqlx::query(
            "UPDATE challenge_participants SET completed_at = $3
             WHERE challenge_id = $1 AND member_id = $2 AND left_at IS NULL AND completed_at IS NULL",
        )
        .bind(challenge)
        .bind(member)
        .bind(now)
        .execute(pool)
        .await.map(|done| done.rows_affected()))
        .context("completing a challenge")?;
        Ok(changed == 1)
    }

    /// Ends a challenge early: no more check-ins, and its digest comes due now.
    pub async fn end_challenge(&self, challenge: i64, now: i64) -> anyhow::Result<bool> {
        on_pool!(self, pool => {
        let mut tx = pool.begin().await.context("ending a challenge")?;
        let done = sqlx::query(
            "UPDATE challenges SET ended_at = $2 WHERE id = $1 AND ended_at IS NULL AND ends_at > $2",
        )
        .bind(challenge)
        .bind(now)
        .execute(&mut *tx)
        .await
        .context("ending a challenge")?;
        sqlx::query(
            "UPDATE deliveries SET due_at = $2, not_before = $2
             WHERE challenge_id = $1 AND member_id IS NULL AND kind = 'challenge_digest'
               AND status = 'pending'",
        )
        .bind(challenge)
        .bind(now)
        .execute(&mut *tx)
        .await
        .context("bringing the digest forward")?;
        sqlx::query(
            "DELETE FROM deliveries WHERE challenge_id = $1 AND kind = 'challenge_reminder'
               AND status = 'pending'",
        )
        .bind(challenge)
        .execute(&mut *tx)
        .await
        .context("cancelling reminders")?;
        tx.commit().await.context("ending a challenge")?;
        Ok(done.rows_affected() == 1)
        })
    }

    /// Everyone who joined, with their number of check-ins and whether they completed it.
    pub async fn challenge_board(&self, challenge: i64) -> anyhow::Result<Vec<BoardRow>> {
        on_pool!(self, pool => sqlx::query_as::<_, BoardRow>(
            "SELECT p.member_id, m.display_name AS name,
                 (SELECT COUNT(*) FROM challenge_checkins k
                  WHERE k.challenge_id = p.challenge_id AND k.member_id = p.member_id) AS check_ins,
                 p.completed_at IS NOT NULL AS completed,
                 p.left_at IS NOT NULL AS \"left\"
             FROM challenge_participants p JOIN members m ON m.id = p.member_id
             WHERE p.challenge_id = $1
             ORDER BY p.joined_at, p.member_id",
        )
        .bind(challenge)
        .fetch_all(pool)
        .await)
        .context("reading the challenge board")
    }

    /// The check-ins their authors chose to share, oldest first.
    pub async fn shared_check_ins(&self, challenge: i64) -> anyhow::Result<Vec<SharedCheckIn>> {
        on_pool!(self, pool => sqlx::query_as::<_, SharedCheckIn>(
            "SELECT m.display_name AS name, r.text, k.created_at
             FROM challenge_checkins k
             JOIN reflections r ON r.id = k.reflection_id
             JOIN members m ON m.id = k.member_id
             WHERE k.challenge_id = $1 AND k.shared = TRUE
             ORDER BY k.created_at, k.id",
        )
        .bind(challenge)
        .fetch_all(pool)
        .await)
        .context("reading shared check-ins")
    }
}
